import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { systemActor } from '../../src/server/platform/actor.ts';
import type { DatabaseHandle } from '../../src/server/platform/db/index.ts';
import { EventBus, emitEvent, type DomainEvent } from '../../src/server/platform/events.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { ENGINES } from '../helpers/engines.ts';

describe.each(ENGINES)('transactional outbox on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    // the seed's events are not this test's business
    await database.db.updateTable('outbox_events').set({ completed_at: new Date() }).execute();
  });
  afterAll(() => database.close());

  const emit = (type: string, payload: Record<string, unknown> = {}) =>
    database.db.transaction().execute((trx) => emitEvent(trx, { type, aggregateType: 'thing', aggregateId: type, payload }));

  it('delivers committed events to each interested subscriber once, and never rolled-back ones', async () => {
    const bus = new EventBus(database.db);
    const seen: Record<string, string[]> = { a: [], b: [] };
    bus.subscribe({ name: 'test.a', events: ['thing.created'], handle: async (e) => void seen.a!.push(e.type + ':' + String(e.payload.n)) });
    bus.subscribe({ name: 'test.b', events: '*', handle: async (e) => void seen.b!.push(e.type + ':' + String(e.payload.n)) });
    await emit('thing.created', { n: 1 });
    await emit('thing.renamed', { n: 2 });
    await expect(
      database.db.transaction().execute(async (trx) => {
        await emitEvent(trx, { type: 'thing.created', aggregateType: 'thing', aggregateId: 'x', payload: { n: 3 } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await bus.drain();
    await bus.drain();
    expect(seen.a).toEqual(['thing.created:1']);
    expect(seen.b).toEqual(['thing.created:1', 'thing.renamed:2']);
    const pending = await database.db.selectFrom('outbox_events').select('id').where('completed_at', 'is', null).execute();
    expect(pending).toEqual([]);
  });

  it('retries a failing subscriber with back-off without redelivering to the others', async () => {
    const bus = new EventBus(database.db);
    let attempts = 0;
    const ok: string[] = [];
    bus.subscribe({
      name: 'flaky',
      events: ['flaky.event'],
      handle: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('temporary outage');
      },
    });
    bus.subscribe({ name: 'steady', events: ['flaky.event'], handle: async (e) => void ok.push(e.id) });
    await emit('flaky.event');
    await bus.drain();
    expect(attempts).toBe(1);
    expect(ok).toHaveLength(1);
    const failed = await database.db.selectFrom('outbox_deliveries').selectAll().where('subscriber', '=', 'flaky').executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ attempts: 1, last_error: 'temporary outage', delivered_at: null });
    // the back-off holds it back; once due it is delivered, and the steady subscriber is not called again
    await bus.drain();
    expect(attempts).toBe(1);
    await database.db.updateTable('outbox_deliveries').set({ next_attempt_at: sql`now() - interval '1 second'` }).where('subscriber', '=', 'flaky').execute();
    await bus.drain();
    expect(attempts).toBe(2);
    expect(ok).toHaveLength(1);
  });

  it('lets a subscriber write in the delivery transaction: a failed handler leaves no partial write', async () => {
    const bus = new EventBus(database.db);
    let fail = true;
    bus.subscribe({
      name: 'writer',
      events: ['write.me'],
      handle: async (event: DomainEvent, trx) => {
        await sql`insert into regions (code, parent_code, level, name, path, source) values ('310115005001G99', '310115005001', 'grid', ${'事件网格'}, '310115.310115005.310115005001.310115005001G99', 'local')`.execute(trx);
        if (fail) throw new Error(`cannot finish ${event.type}`);
      },
    });
    await emit('write.me');
    await bus.drain();
    const none = await database.db.selectFrom('regions').select('code').where('code', '=', '310115005001G99').execute();
    expect(none).toEqual([]);
    fail = false;
    await database.db.updateTable('outbox_deliveries').set({ next_attempt_at: null }).where('subscriber', '=', 'writer').execute();
    await bus.drain();
    await bus.drain();
    const one = await database.db.selectFrom('regions').select('code').where('code', '=', '310115005001G99').execute();
    expect(one).toHaveLength(1);
  });

  it('hands each delivery to one of two buses sharing the database', async () => {
    const counts = new Map<string, number>();
    const make = () => {
      const bus = new EventBus(database.db);
      bus.subscribe({ name: 'shared', events: ['shared.event'], handle: async (e) => void counts.set(e.id, (counts.get(e.id) ?? 0) + 1) });
      return bus;
    };
    for (let i = 0; i < 30; i++) await emit('shared.event', { i });
    await Promise.all([make().drain(), make().drain()]);
    expect(counts.size).toBe(30);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('records the actor and the audit entry of a platform command together with its event', async () => {
    // recordChange is what every command calls: both rows or neither
    const { recordChange } = await import('../../src/server/platform/platform.ts');
    const before = await database.db.selectFrom('audit_log').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    await expect(
      database.db.transaction().execute(async (trx) => {
        await recordChange({ trx, actor: systemActor('test'), requestId: 'r1' }, {
          audit: { action: 'thing.poke', objectType: 'thing' },
          event: { type: 'thing.poked', aggregateType: 'thing', aggregateId: '1', payload: {} },
        });
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    const after = await database.db.selectFrom('audit_log').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await database.db.selectFrom('outbox_events').select('id').where('type', '=', 'thing.poked').execute()).toEqual([]);
  });
});
