import { randomBytes } from 'node:crypto';
import type { UserActor } from '../../platform/actor.ts';
import { recordChange, type CommandContext } from '../../platform/platform.ts';
import { insertWebhook, setWebhookActive, type WebhookRow } from './repository.ts';

/** Registers a webhook for the admin's region; the signing secret is returned once. */
export async function createWebhook(ctx: CommandContext & { actor: UserActor }, input: { url: string; description: string; eventTypes: string[] }): Promise<WebhookRow> {
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const row = await insertWebhook(ctx.trx, { ...input, regionPath: ctx.actor.assignment.regionPath, secret, createdBy: ctx.actor.userId });
  await recordChange(ctx, {
    audit: { action: 'webhook.create', objectType: 'webhook', objectId: row.id, regionPath: row.region_path, details: { url: row.url, eventTypes: row.event_types } },
  });
  return row;
}

export async function setActive(ctx: CommandContext, webhook: WebhookRow, active: boolean): Promise<void> {
  await setWebhookActive(ctx.trx, webhook.id, active);
  await recordChange(ctx, { audit: { action: active ? 'webhook.enable' : 'webhook.disable', objectType: 'webhook', objectId: webhook.id, regionPath: webhook.region_path, details: { url: webhook.url } } });
}
