import { can, requirePermission, requireUser } from '../../platform/access.ts';
import { ErrorResponse, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { listCategories } from '../categories/repository.ts';
import { addExample } from './commands.ts';
import { exampleCounts } from './repository.ts';
import { ClassifierStats, ClassifyBody, ClassifyResponse, ExampleBody, ExampleCreated } from './schemas.ts';
import { seedCorpusSize, type ClassifierService } from './service.ts';
import { SEED_CORPUS } from './seed-corpus.ts';

/** How many suggestions a classification returns (the contract asks for at least 3). */
const SUGGESTIONS = 5;

export function classifierRoutes(service: ClassifierService) {
  return (app: App, platform: Platform): void => {
    const { db, permissions } = platform;
    const tags = ['classifier'];

    app.post(
      '/cases/classify',
      {
        schema: {
          tags,
          summary: 'Suggest categories for a report from its text, best first. Only active leaves a case can be filed under; residents get only those they may choose.',
          body: ClassifyBody,
          response: withErrors({ 200: ClassifyResponse }),
        },
      },
      async (request) => {
        const actor = requireUser(request.actor);
        requirePermission(permissions, actor, 'classifier.suggest');
        const residentOnly = !can(permissions, actor, 'category.readAll');
        const candidates = await listCategories(db, { level: 'leaf', selectable: true, ...(residentOnly ? { residentSelectable: true } : {}) });
        const names = new Map(candidates.map((c) => [c.code, c.name]));
        const model = await service.current();
        const ranked = model.suggest(request.body.text, [...names.keys()]).slice(0, SUGGESTIONS);
        return { suggestions: ranked.map((s) => ({ categoryCode: s.label, name: names.get(s.label) ?? s.label, score: s.score })) };
      },
    );

    app.post(
      '/classifier/examples',
      {
        schema: {
          tags,
          summary: 'Teach the classifier: a report text with the category a dispatcher confirmed or corrected (audited).',
          body: ExampleBody,
          response: withErrors({ 201: ExampleCreated, 422: ErrorResponse }),
        },
      },
      async (request, reply) => {
        const actor = requireUser(request.actor);
        requirePermission(permissions, actor, 'classifier.train');
        const { id } = await platform.transaction(actor, (ctx) => addExample(ctx, request.body), { requestId: request.id });
        service.learnStored(id, { text: request.body.text.trim(), categoryCode: request.body.categoryCode, source: request.body.source });
        return reply.code(201).send({ id, categoryCode: request.body.categoryCode, source: request.body.source });
      },
    );

    app.get(
      '/classifier/stats',
      { schema: { tags, summary: 'What the classifier learned from, and its held-out accuracy on the seed corpus', response: withErrors({ 200: ClassifierStats }) } },
      async (request) => {
        const actor = requireUser(request.actor);
        requirePermission(permissions, actor, 'classifier.stats');
        const counts = await exampleCounts(db);
        const covered = new Set([...Object.keys(SEED_CORPUS), ...counts.categories]);
        const heldOut = service.seedAccuracy();
        return {
          seedCorpus: seedCorpusSize(),
          examples: { seed: counts.bySource.seed ?? 0, confirmed: counts.bySource.confirmed ?? 0, corrected: counts.bySource.corrected ?? 0 },
          categoriesCovered: covered.size,
          heldOut: { reports: heldOut.heldOut, top1: heldOut.top1, top3: heldOut.top3 },
        };
      },
    );
  };
}
