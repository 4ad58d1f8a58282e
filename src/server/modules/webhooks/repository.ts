import { sql, type Selectable, type SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/index.ts';
import type { WebhookDeliveryTable, WebhookTable } from '../../platform/db/schema.ts';

export type WebhookRow = Selectable<WebhookTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;

export async function insertWebhook(db: Executor, row: { url: string; description: string; eventTypes: string[]; regionPath: string; secret: string; createdBy: string }): Promise<WebhookRow> {
  return db
    .insertInto('webhooks')
    .values({ url: row.url, description: row.description, event_types: row.eventTypes, region_path: row.regionPath, secret: row.secret, created_by: row.createdBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Webhooks registered inside a scope (the admin's region); `undefined` when outside. */
export async function findWebhook(db: Executor, scopePath: string, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).where(sql<SqlBool>`region_path <@ ${scopePath}::ltree`).executeTakeFirst();
}

export async function listWebhooks(db: Executor, scopePath: string): Promise<WebhookRow[]> {
  return db.selectFrom('webhooks').selectAll().where(sql<SqlBool>`region_path <@ ${scopePath}::ltree`).orderBy('created_at', 'desc').execute();
}

export async function setWebhookActive(db: Executor, id: string, active: boolean): Promise<void> {
  await db.updateTable('webhooks').set({ active }).where('id', '=', id).execute();
}

/**
 * Queues an event for every active webhook that wants its type and covers its place
 * (`case.*` matches every case event; an event without a place reaches district-wide hooks only).
 */
export async function enqueueDeliveries(db: Executor, event: { id: string; type: string; regionPath: string | null; occurredAt: Date }): Promise<number> {
  const family = `${event.type.split('.')[0]}.*`;
  const rows = await db
    .insertInto('webhook_deliveries')
    .columns(['webhook_id', 'event_id'])
    .expression((eb) =>
      eb
        .selectFrom('webhooks as w')
        .select(['w.id', sql<string>`${event.id}::uuid`.as('event_id')])
        .where('w.active', '=', true)
        // a webhook hears what happened after it was registered, even when the bus catches up late
        .where('w.created_at', '<=', event.occurredAt)
        .where(sql<SqlBool>`(${event.type} = any(w.event_types) or ${family} = any(w.event_types) or '*' = any(w.event_types))`)
        .where(event.regionPath === null ? sql<SqlBool>`nlevel(w.region_path) = 1` : sql<SqlBool>`${event.regionPath}::ltree <@ w.region_path`),
    )
    .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

export interface ClaimedDelivery {
  id: string;
  attempts: number;
  webhook_id: string;
  url: string;
  secret: string;
  event_id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  region_path: string | null;
  occurred_at: Date;
  payload: unknown;
}

/**
 * Claims due deliveries for `leaseMs` (several instances never send the same one at once; a
 * crashed sender's claim runs out and another instance retries it). The HTTP call then happens
 * outside any transaction.
 */
export async function claimDeliveries(db: Executor, now: Date, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
  const claimed = await db
    .updateTable('webhook_deliveries')
    .set({ claimed_until: new Date(now.getTime() + leaseMs), attempts: sql`attempts + 1` })
    .where(
      'id',
      'in',
      db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('delivered_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'attempts', 'webhook_id', 'event_id'])
    .execute();
  if (claimed.length === 0) return [];
  const details = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .innerJoin('outbox_events as e', 'e.event_id', 'd.event_id')
    .select(['d.id', 'd.attempts', 'd.webhook_id', 'w.url', 'w.secret', 'd.event_id', 'e.type', 'e.aggregate_type', 'e.aggregate_id', 'e.region_path', 'e.occurred_at', 'e.payload'])
    .where('d.id', 'in', claimed.map((c) => c.id))
    .orderBy('d.id')
    .execute();
  return details;
}

export async function recordDeliveryResult(
  db: Executor,
  id: string,
  result: { ok: true; status: number } | { ok: false; status: number | null; error: string; retryAt: Date | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set(
      result.ok
        ? { delivered_at: now, last_status: result.status, last_error: null, claimed_until: null }
        : { last_status: result.status, last_error: result.error.slice(0, 500), claimed_until: null, ...(result.retryAt ? { next_attempt_at: result.retryAt } : { failed_at: now }) },
    )
    .where('id', '=', id)
    .execute();
}

export async function listDeliveries(db: Executor, webhookId: string, limit: number): Promise<Array<WebhookDeliveryRow & { type: string }>> {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('outbox_events as e', 'e.event_id', 'd.event_id')
    .selectAll('d')
    .select('e.type')
    .where('d.webhook_id', '=', webhookId)
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
}
