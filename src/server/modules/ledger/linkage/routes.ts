import { maskIdNumber, maskName, maskPhone } from '../../../../shared/mask.ts';
import { authorize, can, scopeOf } from '../../../platform/access.ts';
import { systemActor, type UserActor } from '../../../platform/actor.ts';
import { AppError } from '../../../platform/errors.ts';
import { withErrors } from '../../../platform/http.ts';
import type { App } from '../../../platform/module.ts';
import type { Platform } from '../../../platform/platform.ts';
import type { Subscriber } from '../../../platform/events.ts';
import { findPerson, findSource, personSourceRecords } from '../repository.ts';
import { acceptCandidate, rejectCandidate, runLinkage, undoMerge } from './commands.ts';
import { AUTO_MERGE_SCORE, REVIEW_SCORE, WEIGHTS, type Evidence } from './compare.ts';
import { findCandidate, findMerge, latestRun, linkageBacklog, listLinks, listMerges, listPendingCandidates, pendingCount, type Candidate, type LinkageRun } from './repository.ts';
import { Accepted, DecisionBody, LinkageStatus, LinkList, LinksQuery, MatchList, MergeList, PageQuery, Rejected, RunSummary, SerialParams, Undone } from './schemas.ts';

/** Runs in progress in this process (the status endpoint reports them before their transaction commits). */
let active = 0;

async function tracked<T>(work: () => Promise<T>): Promise<T> {
  active += 1;
  try {
    return await work();
  } finally {
    active -= 1;
  }
}

/** Linkage after every import that finished, in the delivery's transaction (PGlite has one connection). */
export function linkageSubscribers(): Subscriber[] {
  return [
    {
      name: 'ledger.linkage-after-import',
      events: ['ledger.import_finished'],
      async handle(event, trx) {
        if ((event.payload as { status?: unknown }).status !== 'done') return;
        await tracked(() => runLinkage({ trx, actor: systemActor('ledger.linkage'), requestId: null }, 'import'));
      },
    },
  ];
}

function presentRun(run: LinkageRun) {
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    pairs: run.pairs,
    autoMerged: run.autoMerged,
    queued: run.queued,
  };
}

/** Action POSTs document an optional note, and a POST without any body (as scripts send it) means no note. */
const allowEmptyBody = {
  preValidation: async (request: { body: unknown }) => {
    request.body ??= {};
  },
};

const weightsOf = (evidence: Evidence) => Object.fromEntries(Object.entries(evidence).map(([feature, agreement]) => [feature, (WEIGHTS as Record<string, Record<string, number>>)[feature]?.[agreement] ?? 0]));

export async function linkageRoutes(app: App, platform: Platform): Promise<void> {
  const { db, permissions } = platform;
  const tags = ['ledger'];

  /** One side of a pair, masked as the ledger masks persons for the caller's role. */
  async function side(actor: UserActor, id: string) {
    const person = await findPerson(db, scopeOf(actor), id);
    if (!person) return null;
    const personal = can(permissions, actor, 'ledger.personal.read');
    const sources = await personSourceRecords(db, id);
    return {
      id: person.id,
      name: personal ? person.name : maskName(person.name),
      idNumber: person.idNumber && maskIdNumber(person.idNumber),
      sex: person.sex,
      birthDate: person.birthDate && (personal ? person.birthDate : person.birthDate.slice(0, 4)),
      phone: person.phone && maskPhone(person.phone),
      address: personal ? person.residenceAddress : null,
      regionCode: person.regionCode,
      regionName: person.regionName,
      sources: sources.map((s) => ({ source: s.source, recordKey: s.recordKey })),
    };
  }

  async function loadCandidate(actor: UserActor, id: string, lock: boolean, trx = db): Promise<Candidate> {
    const candidate = await findCandidate(trx, scopeOf(actor), id, lock);
    if (!candidate) throw new AppError('NOT_FOUND');
    return candidate;
  }

  app.post(
    '/ledger/linkage/run',
    {
      schema: {
        tags,
        summary: 'Run record linkage over everything imported; answers 200 when the run is done (it also runs after every import)',
        body: DecisionBody,
        response: withErrors({ 200: RunSummary }),
      },
      ...allowEmptyBody,
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.linkage.run');
      await tracked(() => platform.transaction(actor, (ctx) => runLinkage(ctx, 'manual'), { requestId: request.id }));
      const run = await latestRun(db);
      return presentRun(run!);
    },
  );

  app.get(
    '/ledger/linkage/status',
    { schema: { tags, summary: 'Whether linkage is idle: no run in progress and no finished import waiting for it', response: withErrors({ 200: LinkageStatus }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.read');
      const [backlog, run, pending] = await Promise.all([linkageBacklog(db), latestRun(db), pendingCount(db, scopeOf(actor), null)]);
      const busy = active > 0 || backlog.importsRunning > 0 || backlog.importsWaiting > 0;
      return { state: busy ? ('running' as const) : ('idle' as const), ...backlog, lastRun: run && presentRun(run), pendingMatches: pending };
    },
  );

  app.get(
    '/ledger/links',
    { schema: { tags, summary: 'Every record of a source with the person it is linked to, in pages (cursor)', querystring: LinksQuery, response: withErrors({ 200: LinkList }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.read');
      const source = await findSource(db, request.query.source);
      if (!source) throw new AppError('LEDGER_SOURCE_UNKNOWN', { source: request.query.source });
      const limit = request.query.limit ?? 1000;
      const rows = await listLinks(db, scopeOf(actor), source.name, request.query.cursor ?? null, limit);
      return {
        items: rows.map((r) => ({ source: source.name, recordKey: r.recordKey, personId: r.personId })),
        nextCursor: rows.length === limit ? rows[rows.length - 1]!.id : null,
      };
    },
  );

  app.get(
    '/ledger/matches',
    { schema: { tags, summary: 'Probable duplicates waiting for review in the caller’s scope: both persons side by side (masked) with the evidence', querystring: PageQuery, response: withErrors({ 200: MatchList }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.match.review');
      const { items, total } = await listPendingCandidates(db, scopeOf(actor), { limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 });
      const shown = [];
      for (const c of items) {
        const [a, b] = [await side(actor, c.personA), await side(actor, c.personB)];
        if (a && b) shown.push({ id: c.id, score: c.score, evidence: c.evidence, weights: weightsOf(c.evidence), createdAt: c.createdAt.toISOString(), a, b });
      }
      return { items: shown, total, autoMergeScore: AUTO_MERGE_SCORE, reviewScore: REVIEW_SCORE };
    },
  );

  app.post(
    '/ledger/matches/:id/accept',
    { schema: { tags, summary: 'The pair is one person: merge them (undoable)', params: SerialParams, body: DecisionBody, response: withErrors({ 200: Accepted }) }, ...allowEmptyBody },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.match.review');
      return platform.transaction(
        actor,
        async (ctx) => {
          const candidate = await loadCandidate(actor, request.params.id, true, ctx.trx);
          const mergeId = await acceptCandidate(ctx, candidate);
          const merge = await findMerge(ctx.trx, scopeOf(actor), mergeId);
          return { mergeId, survivorId: merge!.survivorId };
        },
        { requestId: request.id },
      );
    },
  );

  app.post(
    '/ledger/matches/:id/reject',
    { schema: { tags, summary: 'The pair is two people: keep them apart; never proposed again', params: SerialParams, body: DecisionBody, response: withErrors({ 200: Rejected }) }, ...allowEmptyBody },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.match.review');
      await platform.transaction(actor, async (ctx) => rejectCandidate(ctx, await loadCandidate(actor, request.params.id, true, ctx.trx)), { requestId: request.id });
      return { id: request.params.id, status: 'rejected' as const };
    },
  );

  app.get(
    '/ledger/merges',
    { schema: { tags, summary: 'Recent merges that stand, in the caller’s scope, newest first', querystring: PageQuery, response: withErrors({ 200: MergeList }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.match.review');
      const personal = can(permissions, actor, 'ledger.personal.read');
      const shownName = (name: unknown) => (personal ? String(name ?? '') : maskName(String(name ?? '')));
      const merges = await listMerges(db, scopeOf(actor), { limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 });
      return {
        items: merges.map((m) => ({
          id: m.id,
          survivorId: m.survivorId,
          absorbedId: m.absorbedId,
          survivorName: shownName(m.snapshot.survivor.name),
          absorbedName: shownName(m.snapshot.absorbed.name),
          absorbedSources: m.snapshot.recordIds.length,
          score: m.score,
          automatic: m.automatic,
          mergedAt: m.mergedAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/ledger/merges/:id/undo',
    { schema: { tags, summary: 'Undo a merge: both persons, their records, fields and history exactly as before; the pair is then kept apart', params: SerialParams, body: DecisionBody, response: withErrors({ 200: Undone }) }, ...allowEmptyBody },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.match.review');
      return platform.transaction(
        actor,
        async (ctx) => {
          const merge = await findMerge(ctx.trx, scopeOf(actor), request.params.id, true);
          if (!merge) throw new AppError('NOT_FOUND');
          await undoMerge(ctx, merge);
          return { id: merge.id, survivorId: merge.survivorId, absorbedId: merge.absorbedId };
        },
        { requestId: request.id },
      );
    },
  );
}
