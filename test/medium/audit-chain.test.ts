import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/server/platform/actor.ts';
import { recordAudit, verifyAuditChain, GENESIS_HASH } from '../../src/server/platform/audit.ts';
import type { DatabaseHandle } from '../../src/server/platform/db/index.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { ENGINES } from '../helpers/engines.ts';

describe.each(ENGINES)('audit hash chain on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(() => database.close());

  const write = (action: string, details: Record<string, unknown> = {}) =>
    database.db.transaction().execute((trx) => recordAudit(trx, systemActor('test'), { action, objectType: 'thing', objectId: action, details }));

  it('verifies the chain the seed wrote, linking each entry to the one before', async () => {
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(100);
    const first = await database.db.selectFrom('audit_log').select(['prev_hash']).orderBy(sql`id`).limit(1).executeTakeFirstOrThrow();
    expect(first.prev_hash).toBe(GENESIS_HASH);
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await write('guarded');
    await expect(sql`update audit_log set action = 'changed'`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('leaves no entry behind when the change rolls back', async () => {
    const before = (await verifyAuditChain(database.db)).checked;
    await expect(
      database.db.transaction().execute(async (trx) => {
        await recordAudit(trx, systemActor('test'), { action: 'doomed', objectType: 'thing' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const after = await verifyAuditChain(database.db);
    expect(after).toMatchObject({ ok: true, checked: before });
  });

  it('keeps one chain under concurrent writers', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => write(`concurrent-${i}`, { i, nested: { z: 1, a: [1, 2] } })));
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(true);
  });

  it('names the first tampered entry, whether a field was edited or an entry removed', async () => {
    const victim = await write('victim', { amount: 1 });
    await write('after-victim');
    // tampering needs a superuser who switches the guard off: exactly what the chain must expose
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(database.db);
    try {
      await sql`update audit_log set details = '{"amount": 1000}'::jsonb where id = ${victim}::bigint`.execute(database.db);
      const edited = await verifyAuditChain(database.db);
      expect(edited.ok).toBe(false);
      expect(edited.firstBroken).toMatchObject({ id: victim, problem: 'hash_mismatch' });

      await sql`delete from audit_log where id = ${victim}::bigint`.execute(database.db);
      const removed = await verifyAuditChain(database.db);
      expect(removed.ok).toBe(false);
      expect(removed.firstBroken?.problem).toBe('chain_break');
      expect(BigInt(removed.firstBroken!.id)).toBeGreaterThan(BigInt(victim));
    } finally {
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(database.db);
    }
  });
});
