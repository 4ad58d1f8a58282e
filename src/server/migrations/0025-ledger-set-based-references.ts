import { sql, type Kysely } from 'kysely';

/**
 * The ledger import's speed (issue #5): the ledger's own references are checked once per statement
 * over the statement's rows instead of once per row.
 *
 * An import writes about ten history entries and ten current values for each row it reads, and
 * each of those rows fired three per-row foreign-key triggers (person, source, source record /
 * history entry), the source record and the person three and two more: about 65 trigger calls per
 * imported row, most of a batch's time in the database. The same rules now hold as statement-level
 * triggers over the statement's transition table (`REFERENCING NEW TABLE`): for each reference the
 * distinct keys the statement wrote are looked up at once (500 persons a batch instead of 10,000
 * row checks).
 *
 * - ledger_persons: dwelling_id → ledger_dwellings, household_id → ledger_households (region_code
 *   keeps its foreign key: regions can be deleted by the regions module).
 * - ledger_source_records: source_name → ledger_sources, person_id → ledger_persons,
 *   import_id → ledger_imports.
 * - ledger_field_history: person_id → ledger_persons, source_name → ledger_sources,
 *   source_record_id → ledger_source_records (decided_by keeps its foreign key to users).
 * - ledger_person_fields: person_id → ledger_persons, source_name → ledger_sources,
 *   history_id → ledger_field_history.
 *
 * As a foreign key does, the check takes a key-share lock on the referenced persons and sources
 * (one statement for all of them), so a concurrent merge cannot delete a person a batch is writing
 * for; and the referenced side refuses to delete (or re-key) a row that is still referenced (the
 * foreign keys' `NO ACTION`). Violations raise SQLSTATE 23503 foreign_key_violation naming the
 * foreign key they replace. Dwellings, households, imports, source records and history entries
 * are never deleted by the application, so references to them are checked without a lock.
 */

const CHILD_CHECKS = {
  ledger_persons: [
    ['dwelling_id', 'ledger_dwellings', 'id', false, 'uuid'],
    ['household_id', 'ledger_households', 'id', false, 'uuid'],
  ],
  ledger_source_records: [
    ['source_name', 'ledger_sources', 'name', true, 'text'],
    ['person_id', 'ledger_persons', 'id', true, 'uuid'],
    ['import_id', 'ledger_imports', 'id', false, 'uuid'],
  ],
  ledger_field_history: [
    ['person_id', 'ledger_persons', 'id', true, 'uuid'],
    ['source_name', 'ledger_sources', 'name', true, 'text'],
    ['source_record_id', 'ledger_source_records', 'id', false, 'bigint'],
  ],
  ledger_person_fields: [
    ['person_id', 'ledger_persons', 'id', true, 'uuid'],
    ['source_name', 'ledger_sources', 'name', true, 'text'],
    ['history_id', 'ledger_field_history', 'id', false, 'bigint'],
  ],
} as const;

/** parent table → the rows that reference it (table, column), for its delete / re-key guard. */
const PARENT_GUARDS = {
  ledger_persons: { key: 'id', referencedBy: [['ledger_person_fields', 'person_id'], ['ledger_field_history', 'person_id'], ['ledger_source_records', 'person_id']] },
  ledger_sources: { key: 'name', referencedBy: [['ledger_field_history', 'source_name'], ['ledger_person_fields', 'source_name'], ['ledger_source_records', 'source_name']] },
  ledger_imports: { key: 'id', referencedBy: [['ledger_source_records', 'import_id']] },
  ledger_dwellings: { key: 'id', referencedBy: [['ledger_persons', 'dwelling_id']] },
  ledger_households: { key: 'id', referencedBy: [['ledger_persons', 'household_id']] },
  ledger_source_records: { key: 'id', referencedBy: [['ledger_field_history', 'source_record_id']] },
  ledger_field_history: { key: 'id', referencedBy: [['ledger_person_fields', 'history_id']] },
} as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, checks] of Object.entries(CHILD_CHECKS)) {
    // per reference: the distinct keys the statement wrote, then how many of them the parent holds
    // (locked as a foreign key locks them, where parents can be deleted); the offending key only on failure
    const body = checks
      .map(([column, parent, key, lock, type]) => {
        const name = `${table}_${column}_fkey`;
        return `
      select array_agg(distinct n.${column}) into ${column} from new_rows n where n.${column} is not null;
      if ${column} is not null then
        select count(*) into present from (select 1 from ${parent} p where p.${key} = any(${column})${lock ? ' for key share of p' : ''}) x;
        if present < cardinality(${column}) then
          select k::text into missing from unnest(${column}) k where not exists (select 1 from ${parent} p where p.${key} = k) limit 1;
          raise exception 'insert or update on table "${table}" violates foreign key constraint "${name}"'
            using errcode = 'foreign_key_violation', constraint = '${name}', table = '${table}',
                  detail = format('Key (${column})=(%s) is not present in table "${parent}".', missing);
        end if;
      end if;`.replace('${type}', type);
      })
      .join('');
    const declarations = checks.map(([column, , , , type]) => `${column} ${type}[];`).join(' ');
    await sql
      .raw(
        `create function ${table}_references() returns trigger language plpgsql as $$
    declare present bigint; missing text; ${declarations}
    begin${body}
      return null;
    end $$`,
      )
      .execute(db);
    for (const [column] of checks) await sql.raw(`alter table ${table} drop constraint ${table}_${column}_fkey`).execute(db);
    await sql.raw(`create trigger ${table}_references_insert after insert on ${table} referencing new table as new_rows for each statement execute function ${table}_references()`).execute(db);
    await sql.raw(`create trigger ${table}_references_update after update on ${table} referencing new table as new_rows for each statement execute function ${table}_references()`).execute(db);
  }

  for (const [parent, { key, referencedBy }] of Object.entries(PARENT_GUARDS)) {
    const checks = referencedBy
      .map(
        ([child, column]) => `
      if exists (select 1 from ${child} c where c.${column} = old.${key}) then
        raise exception 'update or delete on table "${parent}" violates foreign key constraint "${child}_${column}_fkey" on table "${child}"'
          using errcode = 'foreign_key_violation', constraint = '${child}_${column}_fkey', table = '${child}',
                detail = format('Key (${key})=(%s) is still referenced from table "${child}".', old.${key});
      end if;`,
      )
      .join('');
    await sql
      .raw(
        `create function ${parent}_referenced_guard() returns trigger language plpgsql as $$
    begin${checks}
      return null;
    end $$`,
      )
      .execute(db);
    // a row trigger with a WHEN condition costs nothing on the updates that keep the key (an import's upserts)
    await sql.raw(`create trigger ${parent}_referenced_delete after delete on ${parent} for each row execute function ${parent}_referenced_guard()`).execute(db);
    await sql.raw(`create trigger ${parent}_referenced_rekey after update of ${key} on ${parent} for each row when (old.${key} is distinct from new.${key}) execute function ${parent}_referenced_guard()`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const parent of Object.keys(PARENT_GUARDS)) {
    await sql.raw(`drop trigger if exists ${parent}_referenced_delete on ${parent}`).execute(db);
    await sql.raw(`drop trigger if exists ${parent}_referenced_rekey on ${parent}`).execute(db);
    await sql.raw(`drop function if exists ${parent}_referenced_guard()`).execute(db);
  }
  for (const [table, checks] of Object.entries(CHILD_CHECKS)) {
    await sql.raw(`drop trigger if exists ${table}_references_insert on ${table}`).execute(db);
    await sql.raw(`drop trigger if exists ${table}_references_update on ${table}`).execute(db);
    await sql.raw(`drop function if exists ${table}_references()`).execute(db);
    for (const [column, parent, key] of checks) await sql.raw(`alter table ${table} add constraint ${table}_${column}_fkey foreign key (${column}) references ${parent}(${key})`).execute(db);
  }
}
