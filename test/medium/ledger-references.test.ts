import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

/**
 * The references of field history and current values are checked once per statement (migration
 * 0025) instead of by per-row foreign keys: the same rules must still hold, with the foreign
 * keys' SQLSTATE 23503, on both sides of each reference.
 */
const MEIYUAN = '310115005001';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe.each(ENGINES)('ledger references checked per statement on %s', (engine) => {
  let t: TestApp;
  let person: string;
  let record: string;
  let history: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    const db = t.platform.db;
    const { rows: p } = await sql<{ id: string }>`
      insert into ledger_persons (region_code, region_path, name) select code, path, '测试' from regions where code = ${MEIYUAN} returning id`.execute(db);
    person = p[0]!.id;
    const { rows: r } = await sql<{ id: string }>`
      insert into ledger_source_records (source_name, record_key, has_own_key, row_hash, person_id, region_path, data)
      select '民政', 'REF-1', true, 'h', ${person}::uuid, path, '{}'::jsonb from regions where code = ${MEIYUAN} returning id::text`.execute(db);
    record = r[0]!.id;
    const { rows: h } = await sql<{ id: string }>`
      insert into ledger_field_history (person_id, field, value, source_name, source_record_id, observed_at, outcome)
      values (${person}::uuid, 'name', '测试', '民政', ${record}::bigint, now(), 'set') returning id::text`.execute(db);
    history = h[0]!.id;
    await sql`insert into ledger_person_fields (person_id, field, value, source_name, observed_at, history_id) values (${person}::uuid, 'name', '测试', '民政', now(), ${history}::bigint)`.execute(db);
  });
  afterAll(async () => t?.close());

  const violation = async (statement: ReturnType<typeof sql>, constraint: string) => {
    const error = await statement.execute(t.platform.db).then(
      () => null,
      (e: unknown) => e as { code?: string; constraint?: string; message?: string },
    );
    expect(error, `expected ${constraint} to refuse`).not.toBeNull();
    expect(error!.code).toBe('23503');
    expect(error!.message).toContain(constraint);
  };

  it('refuses history whose person, source or source record does not exist, in a multi-row statement', async () => {
    const row = (p: string, s: string, r: string) => sql`(${p}::uuid, 'phone', '1', ${s}, ${r}::bigint, now(), 'set')`;
    const insert = (rows: ReturnType<typeof sql>[]) => sql`insert into ledger_field_history (person_id, field, value, source_name, source_record_id, observed_at, outcome) values ${sql.join(rows)}`;
    await violation(insert([row(person, '民政', record), row(UNKNOWN, '民政', record)]), 'ledger_field_history_person_id_fkey');
    await violation(insert([row(person, '民政', record), row(person, '无此来源', record)]), 'ledger_field_history_source_name_fkey');
    await violation(insert([row(person, '民政', '999999999')]), 'ledger_field_history_source_record_id_fkey');
    await violation(sql`update ledger_field_history set person_id = ${UNKNOWN}::uuid where id = ${history}::bigint`, 'ledger_field_history_person_id_fkey');
    // nothing of the refused statements stayed
    const { rows } = await sql<{ n: string }>`select count(*)::text as n from ledger_field_history where person_id = ${person}::uuid`.execute(t.platform.db);
    expect(rows[0]!.n).toBe('1');
  });

  it('refuses current values whose person, source or history entry does not exist', async () => {
    const insert = (p: string, s: string, h: string) =>
      sql`insert into ledger_person_fields (person_id, field, value, source_name, observed_at, history_id) values (${p}::uuid, 'sex', 'male', ${s}, now(), ${h}::bigint)`;
    await violation(insert(UNKNOWN, '民政', history), 'ledger_person_fields_person_id_fkey');
    await violation(insert(person, '无此来源', history), 'ledger_person_fields_source_name_fkey');
    await violation(insert(person, '民政', '999999999'), 'ledger_person_fields_history_id_fkey');
    await violation(sql`update ledger_person_fields set history_id = 999999999 where person_id = ${person}::uuid`, 'ledger_person_fields_history_id_fkey');
  });

  // two transactions at once need a second connection: PostgreSQL only (PGlite has one)
  it.skipIf(engine === 'pglite')('locks the persons a statement writes history for, as a foreign key does', async () => {
    const db = t.platform.db;
    const outcome = await db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into ledger_field_history (person_id, field, value, source_name, observed_at, outcome) values (${person}::uuid, 'phone', '2', '民政', now(), 'set')`.execute(trx);
        // another transaction cannot take the row lock a delete needs while this one holds its key-share lock
        const other = await db
          .transaction()
          .execute((t2) => sql`select 1 from ledger_persons where id = ${person}::uuid for update nowait`.execute(t2))
          .then(
            () => 'locked by nobody',
            (e: unknown) => (e as { code?: string }).code,
          );
        throw Object.assign(new Error('roll back'), { other });
      })
      .catch((e: unknown) => (e as { other?: string }).other);
    expect(outcome).toBe('55P03');
  });

  it('refuses to delete or re-key a person, source, source record or history entry still referenced', async () => {
    // 房管: referenced by nothing else that has a foreign key of its own
    await sql`insert into ledger_field_history (person_id, field, value, source_name, observed_at, outcome) values (${person}::uuid, 'note', 'x', '房管', now(), 'set')`.execute(t.platform.db);
    await violation(sql`update ledger_sources set name = '房管局' where name = '房管'`, 'ledger_field_history_source_name_fkey');
    await violation(sql`delete from ledger_sources where name = '房管'`, 'ledger_field_history_source_name_fkey');
    await violation(sql`delete from ledger_source_records where id = ${record}::bigint`, 'ledger_field_history_source_record_id_fkey');
    await violation(sql`delete from ledger_field_history where id = ${history}::bigint`, 'ledger_person_fields_history_id_fkey');
    // a person with history and a current value but no source record (as after a merge moved them)
    const db = t.platform.db;
    const { rows: p } = await sql<{ id: string }>`
      insert into ledger_persons (region_code, region_path, name) select code, path, '二号' from regions where code = ${MEIYUAN} returning id`.execute(db);
    const other = p[0]!.id;
    const { rows: h } = await sql<{ id: string }>`
      insert into ledger_field_history (person_id, field, value, source_name, observed_at, outcome) values (${other}::uuid, 'name', '二号', '民政', now(), 'set') returning id::text`.execute(db);
    await sql`insert into ledger_person_fields (person_id, field, value, source_name, observed_at, history_id) values (${other}::uuid, 'name', '二号', '民政', now(), ${h[0]!.id}::bigint)`.execute(db);
    await violation(sql`delete from ledger_persons where id = ${other}::uuid`, 'ledger_person_fields_person_id_fkey');
    await violation(sql`update ledger_persons set id = gen_random_uuid() where id = ${other}::uuid`, 'ledger_person_fields_person_id_fkey');
    // once its current values are gone, the history still holds the person
    await sql`delete from ledger_person_fields where person_id = ${other}::uuid`.execute(db);
    await violation(sql`delete from ledger_persons where id = ${other}::uuid`, 'ledger_field_history_person_id_fkey');
    // an unreferenced person goes
    const { rows } = await sql<{ id: string }>`
      insert into ledger_persons (region_code, region_path, name) select code, path, '无引用' from regions where code = ${MEIYUAN} returning id`.execute(t.platform.db);
    await sql`delete from ledger_persons where id = ${rows[0]!.id}::uuid`.execute(t.platform.db);
  });
});
