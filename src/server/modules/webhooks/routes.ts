import { authorize } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import { withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { createWebhook, setActive } from './commands.ts';
import { findWebhook, listDeliveries, listWebhooks, type WebhookRow } from './repository.ts';
import { CreatedWebhook, CreateWebhookBody, DeliveryList, WebhookIdParams, WebhookList, WebhookPatch, WebhookView } from './schemas.ts';

const present = (w: WebhookRow) => ({
  id: w.id,
  url: w.url,
  description: w.description,
  eventTypes: w.event_types,
  regionPath: w.region_path,
  active: w.active,
  createdAt: w.created_at.toISOString(),
});

export function webhookRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;
  const tags = ['webhooks'];
  const load = async (scopePath: string, id: string) => {
    const hook = await findWebhook(db, scopePath, id);
    if (!hook) throw new AppError('NOT_FOUND');
    return hook;
  };

  app.get('/webhooks', { schema: { tags, summary: 'Webhooks registered in your region', response: withErrors({ 200: WebhookList }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'webhook.manage');
    return { items: (await listWebhooks(db, actor.assignment.regionPath)).map(present) };
  });

  app.post(
    '/webhooks',
    { schema: { tags, summary: 'Register a webhook: domain events of your region POSTed as signed JSON, retried with back-off', body: CreateWebhookBody, response: withErrors({ 201: CreatedWebhook }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'webhook.manage');
      const body = request.body;
      const row = await platform.transaction(actor, (ctx) => createWebhook({ ...ctx, actor }, { url: body.url, description: body.description ?? '', eventTypes: body.eventTypes }), { requestId: request.id });
      return reply.code(201).send({ ...present(row), secret: row.secret });
    },
  );

  app.patch(
    '/webhooks/:id',
    { schema: { tags, summary: 'Stop or resume deliveries to a webhook', params: WebhookIdParams, body: WebhookPatch, response: withErrors({ 200: WebhookView }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'webhook.manage');
      const hook = await load(actor.assignment.regionPath, request.params.id);
      const { active } = request.body;
      if (active !== hook.active) await platform.transaction(actor, (ctx) => setActive(ctx, hook, active), { requestId: request.id });
      return present({ ...hook, active });
    },
  );

  app.get('/webhooks/:id/deliveries', { schema: { tags, summary: 'Recent deliveries of a webhook and their outcome', params: WebhookIdParams, response: withErrors({ 200: DeliveryList }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'webhook.manage');
    const hook = await load(actor.assignment.regionPath, request.params.id);
    const rows = await listDeliveries(db, hook.id, 100);
    return {
      items: rows.map((d) => ({
        id: d.id,
        eventId: d.event_id,
        eventType: d.type,
        attempts: d.attempts,
        status: d.delivered_at ? ('delivered' as const) : d.failed_at ? ('failed' as const) : ('pending' as const),
        lastStatus: d.last_status,
        lastError: d.last_error,
        nextAttemptAt: d.next_attempt_at.toISOString(),
        deliveredAt: d.delivered_at?.toISOString() ?? null,
      })),
    };
  });
}
