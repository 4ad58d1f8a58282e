import { defineModule } from '../../platform/module.ts';
import { webhookPermissions } from './policy.ts';
import { enqueueDeliveries } from './repository.ts';
import { webhookRoutes } from './routes.ts';
import { sendDueWebhooks } from './sender.ts';

/**
 * Webhooks from the outbox (issue #3 item 8): every domain event is queued, in its delivery
 * transaction, for the webhooks that want it; a job posts them signed, with retries and back-off,
 * outside any transaction. Receivers deduplicate on the event id (at-least-once).
 */
export const webhooksModule = defineModule({
  name: 'webhooks',
  permissions: webhookPermissions,
  routes: webhookRoutes,
  subscribers: () => [{ name: 'webhooks.enqueue', events: '*', handle: async (event, trx) => void (await enqueueDeliveries(trx, event)) }],
  jobs: (platform) => [{ name: 'webhooks.send', intervalMs: 5_000, run: (now) => sendDueWebhooks(platform, now) }],
});
