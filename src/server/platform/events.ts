import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database, Tx } from './db/index.ts';

/**
 * Domain events through a transactional outbox. A command writes its event into
 * `outbox_events` in the same transaction as the change, so an event exists if and only if the
 * change committed. The bus then delivers each event to every subscriber at least once.
 * Each (event, subscriber) delivery runs in its own transaction together with the row in
 * `outbox_deliveries` that marks it done, so a subscriber that only writes to this database sees
 * each event exactly once; subscribers with outside effects (webhooks) must be idempotent on
 * `event.id`. Several app instances can run the bus at once: `FOR UPDATE SKIP LOCKED` hands each
 * delivery to one of them.
 */

export interface DomainEvent<P = Record<string, unknown>> {
  /** Stable id (uuid) for idempotency on the receiving side. */
  id: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  regionPath: string | null;
  actorUserId: string | null;
  occurredAt: Date;
  payload: P;
}

export interface NewDomainEvent<P = Record<string, unknown>> {
  type: string;
  aggregateType: string;
  aggregateId: string;
  regionPath?: string | null;
  actorUserId?: string | null;
  payload: P;
}

export interface Subscriber {
  /** Unique and stable: deliveries are recorded under this name. */
  name: string;
  /** Event types, or '*' for all. */
  events: readonly string[] | '*';
  handle(event: DomainEvent, trx: Tx): Promise<void>;
}

export async function emitEvent(trx: Tx, event: NewDomainEvent): Promise<string> {
  const id = randomUUID();
  await trx
    .insertInto('outbox_events')
    .values({
      event_id: id,
      type: event.type,
      aggregate_type: event.aggregateType,
      aggregate_id: event.aggregateId,
      region_path: event.regionPath ?? null,
      actor_user_id: event.actorUserId ?? null,
      payload: JSON.stringify(event.payload),
      occurred_at: new Date(),
    })
    .execute();
  return id;
}

const MAX_BACKOFF_MS = 10 * 60 * 1000;

export interface EventBusOptions {
  pollIntervalMs?: number;
  batchSize?: number;
  onError?: (error: unknown, context: { subscriber: string; eventId: string }) => void;
}

export class EventBus {
  private readonly subscribers: Subscriber[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly options: EventBusOptions = {},
  ) {}

  subscribe(subscriber: Subscriber): void {
    if (this.subscribers.some((s) => s.name === subscriber.name)) throw new Error(`subscriber ${subscriber.name} registered twice`);
    this.subscribers.push(subscriber);
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.options.pollIntervalMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Ask for a delivery round soon; called after every commit that emitted events. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((error: unknown) => this.options.onError?.(error, { subscriber: '*', eventId: '*' }))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Delivers everything that is due; resolves when a round finds nothing left to do. */
  async drain(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const round = await this.deliverRound();
      delivered += round;
      if (round === 0) return delivered;
    }
  }

  private interestedIn(type: string): Subscriber[] {
    return this.subscribers.filter((s) => s.events === '*' || s.events.includes(type));
  }

  private async deliverRound(): Promise<number> {
    const pending = await this.db
      .selectFrom('outbox_events')
      .selectAll()
      .where('completed_at', 'is', null)
      // skip events waiting out a retry back-off, so they cannot block the ones behind them
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('outbox_deliveries as d')
              .select(sql`1`.as('one'))
              .whereRef('d.event_id', '=', 'outbox_events.id')
              .where('d.delivered_at', 'is', null)
              .where('d.next_attempt_at', '>', new Date()),
          ),
        ),
      )
      .orderBy('id')
      .limit(this.options.batchSize ?? 100)
      .execute();
    let delivered = 0;
    for (const row of pending) {
      const event: DomainEvent = {
        id: row.event_id,
        type: row.type,
        aggregateType: row.aggregate_type,
        aggregateId: row.aggregate_id,
        regionPath: row.region_path,
        actorUserId: row.actor_user_id,
        occurredAt: row.occurred_at,
        payload: row.payload as Record<string, unknown>,
      };
      let outstanding = 0;
      for (const subscriber of this.interestedIn(row.type)) {
        const outcome = await this.deliver(row.id, event, subscriber);
        if (outcome === 'delivered') delivered += 1;
        if (outcome === 'failed' || outcome === 'later') outstanding += 1;
      }
      if (outstanding === 0) {
        await this.db.updateTable('outbox_events').set({ completed_at: new Date() }).where('id', '=', row.id).execute();
      }
    }
    return delivered;
  }

  private async deliver(outboxId: string, event: DomainEvent, subscriber: Subscriber): Promise<'delivered' | 'done' | 'failed' | 'later'> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('outbox_deliveries')
          .values({ event_id: outboxId, subscriber: subscriber.name })
          .onConflict((oc) => oc.columns(['event_id', 'subscriber']).doNothing())
          .execute();
        const delivery = await trx
          .selectFrom('outbox_deliveries')
          .selectAll()
          .where('event_id', '=', outboxId)
          .where('subscriber', '=', subscriber.name)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!delivery) return 'later' as const; // another instance holds it
        if (delivery.delivered_at) return 'done' as const;
        if (delivery.next_attempt_at && delivery.next_attempt_at > new Date()) return 'later' as const;
        await subscriber.handle(event, trx);
        await trx
          .updateTable('outbox_deliveries')
          .set({ delivered_at: new Date(), attempts: sql`attempts + 1`, last_error: null })
          .where('event_id', '=', outboxId)
          .where('subscriber', '=', subscriber.name)
          .execute();
        return 'delivered' as const;
      });
    } catch (error) {
      this.options.onError?.(error, { subscriber: subscriber.name, eventId: event.id });
      // The failed transaction rolled back its delivery row too: record the attempt afresh.
      const message = error instanceof Error ? error.message.slice(0, 1000) : String(error).slice(0, 1000);
      await this.db
        .insertInto('outbox_deliveries')
        .values({ event_id: outboxId, subscriber: subscriber.name, attempts: 1, last_error: message, next_attempt_at: sql`now() + interval '1 second'` })
        .onConflict((oc) =>
          oc.columns(['event_id', 'subscriber']).doUpdateSet({
            attempts: sql`outbox_deliveries.attempts + 1`,
            last_error: message,
            next_attempt_at: sql`now() + least(${MAX_BACKOFF_MS}, 1000 * power(2, outbox_deliveries.attempts)) * interval '1 millisecond'`,
          }),
        )
        .execute();
      return 'failed';
    }
  }
}
