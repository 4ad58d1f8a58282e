import { sql, type Expression, type Insertable, type SqlBool } from 'kysely';
import { scopeCondition, type Scope } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { LedgerFieldHistoryTable, LedgerPersonTable } from '../../platform/db/schema.ts';
import type { RegionIndex } from './address.ts';
import { ELDERLY_AGE } from './policy.ts';
import type { TagEntry } from './rows.ts';

/** The only code that touches the ledger's tables. Reads of scoped rows take the caller's scope. */

// ---- reference data -------------------------------------------------------------------------------

export interface LedgerSource {
  name: string;
  code: string;
  nameEn: string;
}

export async function listSources(db: Executor): Promise<LedgerSource[]> {
  const rows = await db.selectFrom('ledger_sources').select(['name', 'code', 'name_en']).orderBy('created_at').orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, code: r.code, nameEn: r.name_en }));
}

/** A source by its name (民政) or its code (civil_affairs). */
export async function findSource(db: Executor, nameOrCode: string): Promise<LedgerSource | undefined> {
  const row = await db
    .selectFrom('ledger_sources')
    .select(['name', 'code', 'name_en'])
    .where((eb) => eb.or([eb('name', '=', nameOrCode), eb('code', '=', nameOrCode)]))
    .executeTakeFirst();
  return row && { name: row.name, code: row.code, nameEn: row.name_en };
}

export interface LedgerTag extends TagEntry {
  nameEn: string;
  category: string;
}

export async function listTags(db: Executor): Promise<LedgerTag[]> {
  const rows = await db.selectFrom('ledger_tags').select(['code', 'name', 'name_en', 'category', 'derived']).orderBy('sort').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en, category: r.category, derived: r.derived }));
}

/** field → its authoritative source (一数一源). */
export async function loadAuthority(db: Executor): Promise<Map<string, string>> {
  const rows = await db.selectFrom('ledger_field_authority').select(['field', 'source_name']).execute();
  return new Map(rows.map((r) => [r.field, r.source_name]));
}

/** The streets and committees inside the scope, for matching names and addresses. */
export async function loadRegionIndex(db: Executor, scope: Scope): Promise<RegionIndex> {
  const streets = await db.selectFrom('regions as r').select(['r.code', 'r.name', 'r.path']).where('r.level', '=', 'street').execute();
  const committees = await db
    .selectFrom('regions as r')
    .leftJoin('regions as s', 's.code', 'r.parent_code')
    .select(['r.code', 'r.name', 'r.path', 's.name as street_name'])
    .where('r.level', '=', 'committee')
    .where(scopeCondition(sql.ref('r.path'), scope))
    .execute();
  return {
    streets: streets.map((s) => ({ code: s.code, name: s.name, path: s.path, streetName: null })),
    committees: committees.map((c) => ({ code: c.code, name: c.name, path: c.path, streetName: c.street_name })),
  };
}

// ---- imports --------------------------------------------------------------------------------------

export interface ImportRun {
  id: string;
  sourceName: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  status: 'running' | 'done' | 'failed';
  rows: number;
  imported: number;
  unchanged: number;
  rejected: number;
  conflicts: number;
  headerRow: number | null;
  mapping: unknown;
  message: string | null;
  regionPath: string;
  createdBy: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export async function insertImport(db: Executor, values: { sourceName: string; fileName: string; format: 'csv' | 'xlsx'; regionPath: string; createdBy: string | null }): Promise<string> {
  const row = await db
    .insertInto('ledger_imports')
    .values({ source_name: values.sourceName, file_name: values.fileName, format: values.format, region_path: values.regionPath, created_by: values.createdBy, header_row: null, message: null, finished_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findImport(db: Executor, scope: Scope, id: string): Promise<ImportRun | undefined> {
  const r = await db.selectFrom('ledger_imports').selectAll().where('id', '=', id).where(scopeCondition(sql.ref('region_path'), scope)).executeTakeFirst();
  return (
    r && {
      id: r.id,
      sourceName: r.source_name,
      fileName: r.file_name,
      format: r.format,
      status: r.status,
      rows: r.rows,
      imported: r.imported,
      unchanged: r.unchanged,
      rejected: r.rejected,
      conflicts: r.conflicts,
      headerRow: r.header_row,
      mapping: r.mapping,
      message: r.message,
      regionPath: r.region_path,
      createdBy: r.created_by,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
    }
  );
}

export interface ImportCounts {
  rows: number;
  imported: number;
  unchanged: number;
  rejected: number;
  conflicts: number;
}

export async function addImportCounts(db: Executor, id: string, counts: ImportCounts): Promise<void> {
  await db
    .updateTable('ledger_imports')
    .set((eb) => ({
      rows: eb('rows', '+', counts.rows),
      imported: eb('imported', '+', counts.imported),
      unchanged: eb('unchanged', '+', counts.unchanged),
      rejected: eb('rejected', '+', counts.rejected),
      conflicts: eb('conflicts', '+', counts.conflicts),
      progressed_at: new Date(),
    }))
    .where('id', '=', id)
    .execute();
}

export async function setImportMapping(db: Executor, id: string, headerRow: number, mapping: unknown): Promise<void> {
  await db.updateTable('ledger_imports').set({ header_row: headerRow, mapping: JSON.stringify(mapping) }).where('id', '=', id).execute();
}

export async function finishImportRow(db: Executor, id: string, status: 'done' | 'failed', message: string | null): Promise<void> {
  await db.updateTable('ledger_imports').set({ status, message, finished_at: new Date() }).where('id', '=', id).execute();
}

/** Imports still `running` without progress since `before`: their process stopped. */
export async function findStalledImports(db: Executor, before: Date): Promise<Array<{ id: string; regionPath: string }>> {
  const rows = await db.selectFrom('ledger_imports').select(['id', 'region_path']).where('status', '=', 'running').where('progressed_at', '<', before).forUpdate().skipLocked().execute();
  return rows.map((r) => ({ id: r.id, regionPath: r.region_path }));
}

export interface ImportError {
  rowNumber: number;
  field: string | null;
  reason: string;
  value: string | null;
}

export async function insertImportErrors(db: Executor, importId: string, errors: readonly ImportError[]): Promise<void> {
  if (errors.length === 0) return;
  await db
    .insertInto('ledger_import_errors')
    .values(errors.map((e) => ({ import_id: importId, row_number: e.rowNumber, field: e.field, reason: e.reason, value: e.value })))
    .execute();
}

/** The problems of an import in row order, a page at a time (the report streams them). */
export async function listImportErrors(db: Executor, importId: string, after: string | null, limit: number): Promise<Array<ImportError & { id: string }>> {
  let query = db.selectFrom('ledger_import_errors').select(['id', 'row_number', 'field', 'reason', 'value']).where('import_id', '=', importId);
  if (after !== null) query = query.where(sql<SqlBool>`id > ${after}::bigint`);
  const rows = await query.orderBy(sql`id`).limit(limit).execute();
  return rows.map((r) => ({ id: r.id, rowNumber: r.row_number, field: r.field, reason: r.reason, value: r.value }));
}

// ---- saved column mappings ------------------------------------------------------------------------

export interface SavedMapping {
  id: string;
  name: string;
  sourceName: string;
  columns: Record<string, string>;
  regionPath: string;
  createdAt: Date;
}

function presentMapping(r: { id: string; name: string; source_name: string; columns: unknown; region_path: string; created_at: Date }): SavedMapping {
  return { id: r.id, name: r.name, sourceName: r.source_name, columns: r.columns as Record<string, string>, regionPath: r.region_path, createdAt: r.created_at };
}

export async function listMappings(db: Executor, scope: Scope): Promise<SavedMapping[]> {
  const rows = await db.selectFrom('ledger_mappings').select(['id', 'name', 'source_name', 'columns', 'region_path', 'created_at']).where(scopeCondition(sql.ref('region_path'), scope)).orderBy('name').execute();
  return rows.map(presentMapping);
}

export async function findMapping(db: Executor, scope: Scope, id: string): Promise<SavedMapping | undefined> {
  const row = await db
    .selectFrom('ledger_mappings')
    .select(['id', 'name', 'source_name', 'columns', 'region_path', 'created_at'])
    .where('id', '=', id)
    .where(scopeCondition(sql.ref('region_path'), scope))
    .executeTakeFirst();
  return row && presentMapping(row);
}

/** Saves a mapping under its name in the region; saving the same name again replaces its columns. */
export async function saveMapping(db: Executor, m: { name: string; sourceName: string; columns: Record<string, string>; regionPath: string; createdBy: string | null }): Promise<string> {
  const row = await db
    .insertInto('ledger_mappings')
    .values({ name: m.name, source_name: m.sourceName, columns: JSON.stringify(m.columns), region_path: m.regionPath, created_by: m.createdBy })
    .onConflict((oc) => oc.columns(['region_path', 'name']).doUpdateSet((eb) => ({ source_name: eb.ref('excluded.source_name'), columns: eb.ref('excluded.columns') })))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// ---- the batch ingest ---------------------------------------------------------------------------

export interface StoredSourceRecord {
  id: string;
  recordKey: string;
  rowHash: string;
  personId: string | null;
}

export async function findSourceRecords(db: Executor, source: string, keys: readonly string[]): Promise<Map<string, StoredSourceRecord>> {
  if (keys.length === 0) return new Map();
  // one array parameter, not a placeholder per key: a batch's thousand keys compile and parse once
  const rows = await db
    .selectFrom('ledger_source_records')
    .select(['id', 'record_key', 'row_hash', 'person_id'])
    .where('source_name', '=', source)
    .where(sql<SqlBool>`record_key = any(${[...keys]}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.record_key, { id: r.id, recordKey: r.record_key, rowHash: r.row_hash, personId: r.person_id }]));
}

export interface StoredPerson {
  id: string;
  regionCode: string;
  regionPath: string;
  idNumber: string | null;
  dwellingId: string | null;
  householdId: string | null;
}

export async function findPersonsForIngest(db: Executor, where: { ids: readonly string[]; idNumbers: readonly string[] }): Promise<StoredPerson[]> {
  if (where.ids.length === 0 && where.idNumbers.length === 0) return [];
  const rows = await db
    .selectFrom('ledger_persons')
    .select(['id', 'region_code', 'region_path', 'id_number', 'dwelling_id', 'household_id'])
    .where((eb) => {
      const conditions: Expression<SqlBool>[] = [];
      if (where.ids.length > 0) conditions.push(sql<SqlBool>`id = any(${[...where.ids]}::uuid[])`);
      if (where.idNumbers.length > 0) conditions.push(sql<SqlBool>`id_number = any(${[...where.idNumbers]}::text[])`);
      return eb.or(conditions);
    })
    .execute();
  return rows.map((r) => ({ id: r.id, regionCode: r.region_code, regionPath: r.region_path, idNumber: r.id_number, dwellingId: r.dwelling_id, householdId: r.household_id }));
}

export interface CurrentField {
  personId: string;
  field: string;
  value: string | null;
  source: string;
}

export async function currentFields(db: Executor, personIds: readonly string[]): Promise<CurrentField[]> {
  if (personIds.length === 0) return [];
  const rows = await db.selectFrom('ledger_person_fields').select(['person_id', 'field', 'value', 'source_name']).where(sql<SqlBool>`person_id = any(${[...personIds]}::uuid[])`).execute();
  return rows.map((r) => ({ personId: r.person_id, field: r.field, value: r.value, source: r.source_name }));
}

/**
 * Many rows in one statement as column arrays (`unnest`): a fixed handful of parameters however many
 * rows, where a VALUES list would need one per cell and hit PostgreSQL's 65,535-parameter limit, and
 * one statement for PGlite and PostgreSQL alike.
 */
const iso = (d: Date) => d.toISOString();

export interface DwellingInput {
  regionCode: string;
  regionPath: string;
  key: string;
  place: string;
  building: string | null;
  unit: string | null;
  room: string | null;
  address: string;
}

/** Creates the dwellings not yet known; answers the id of each by `"<region code> <dwelling key>"`. */
export async function upsertDwellings(db: Executor, dwellings: readonly DwellingInput[]): Promise<Map<string, string>> {
  const unique = [...new Map(dwellings.map((d) => [`${d.regionCode} ${d.key}`, d])).values()];
  if (unique.length === 0) return new Map();
  const column = <K extends keyof DwellingInput>(k: K) => unique.map((d) => d[k]);
  // a no-op update, so that the existing row's id comes back too (also one another import is inserting at the same time)
  const { rows } = await sql<{ id: string; region_code: string; dwelling_key: string }>`
    insert into ledger_dwellings (region_code, region_path, dwelling_key, place, building, unit, room, address)
    select region_code, region_path::ltree, dwelling_key, place, building, unit, room, address from unnest(
      ${column('regionCode')}::text[], ${column('regionPath')}::text[], ${column('key')}::text[], ${column('place')}::text[],
      ${column('building')}::text[], ${column('unit')}::text[], ${column('room')}::text[], ${column('address')}::text[]
    ) as u(region_code, region_path, dwelling_key, place, building, unit, room, address)
    on conflict (region_code, dwelling_key) do update set dwelling_key = excluded.dwelling_key
    returning id, region_code, dwelling_key`.execute(db);
  return new Map(rows.map((r) => [`${r.region_code} ${r.dwelling_key}`, r.id]));
}

/** Creates the households not yet known; answers the id of each by `"<region code> <household number>"`. */
export async function upsertHouseholds(db: Executor, households: ReadonlyArray<{ regionCode: string; regionPath: string; householdNumber: string }>): Promise<Map<string, string>> {
  const unique = [...new Map(households.map((h) => [`${h.regionCode} ${h.householdNumber}`, h])).values()];
  if (unique.length === 0) return new Map();
  const { rows } = await sql<{ id: string; region_code: string; household_number: string }>`
    insert into ledger_households (region_code, region_path, household_number)
    select region_code, region_path::ltree, household_number
    from unnest(${unique.map((h) => h.regionCode)}::text[], ${unique.map((h) => h.regionPath)}::text[], ${unique.map((h) => h.householdNumber)}::text[]) as u(region_code, region_path, household_number)
    on conflict (region_code, household_number) do update set household_number = excluded.household_number
    returning id, region_code, household_number`.execute(db);
  return new Map(rows.map((r) => [`${r.region_code} ${r.household_number}`, r.id]));
}

export type PersonColumns = Omit<Insertable<LedgerPersonTable>, 'created_at' | 'updated_at'> & { id: string };

/** Writes persons' denormalised columns in one statement: new persons are inserted, known ones updated. */
export async function upsertPersons(db: Executor, persons: readonly PersonColumns[]): Promise<void> {
  if (persons.length === 0) return;
  const column = <K extends keyof PersonColumns>(k: K) => persons.map((p) => p[k] ?? null);
  await sql`
    insert into ledger_persons (id, region_code, region_path, name, name_initials, id_number, sex, birth_date, phone, dwelling_id, household_id)
    select id, region_code, region_path::ltree, name, name_initials, id_number, sex, birth_date, phone, dwelling_id, household_id from unnest(
      ${column('id')}::uuid[], ${column('region_code')}::text[], ${column('region_path')}::text[], ${column('name')}::text[],
      ${column('name_initials')}::text[], ${column('id_number')}::text[], ${column('sex')}::text[], ${column('birth_date')}::date[],
      ${column('phone')}::text[], ${column('dwelling_id')}::uuid[], ${column('household_id')}::uuid[]
    ) as u(id, region_code, region_path, name, name_initials, id_number, sex, birth_date, phone, dwelling_id, household_id)
    on conflict (id) do update set
      region_code = excluded.region_code, region_path = excluded.region_path, name = excluded.name, name_initials = excluded.name_initials,
      id_number = excluded.id_number, sex = excluded.sex, birth_date = excluded.birth_date, phone = excluded.phone,
      dwelling_id = excluded.dwelling_id, household_id = excluded.household_id, updated_at = ${iso(new Date())}::timestamptz`.execute(db);
}

export interface SourceRecordInput {
  source: string;
  recordKey: string;
  hasOwnKey: boolean;
  rowHash: string;
  personId: string;
  regionPath: string;
  importId: string | null;
  rowNumber: number;
  data: Record<string, string>;
}

/** Stores rows as received (a row received again replaces its record); answers each record's id by its key. */
export async function upsertSourceRecords(db: Executor, records: readonly SourceRecordInput[]): Promise<Map<string, string>> {
  if (records.length === 0) return new Map();
  const column = <K extends keyof SourceRecordInput>(k: K) => records.map((r) => r[k]);
  const { rows } = await sql<{ id: string; record_key: string }>`
    insert into ledger_source_records (source_name, record_key, has_own_key, row_hash, person_id, region_path, import_id, row_number, data)
    select source_name, record_key, has_own_key, row_hash, person_id, region_path::ltree, import_id, row_number, data::jsonb from unnest(
      ${column('source')}::text[], ${column('recordKey')}::text[], ${column('hasOwnKey')}::boolean[], ${column('rowHash')}::text[],
      ${column('personId')}::uuid[], ${column('regionPath')}::text[], ${column('importId')}::uuid[], ${column('rowNumber')}::integer[],
      ${records.map((r) => JSON.stringify(r.data))}::text[]
    ) as u(source_name, record_key, has_own_key, row_hash, person_id, region_path, import_id, row_number, data)
    on conflict (source_name, record_key) do update set
      row_hash = excluded.row_hash, person_id = excluded.person_id, region_path = excluded.region_path, import_id = excluded.import_id,
      row_number = excluded.row_number, data = excluded.data, updated_at = ${iso(new Date())}::timestamptz
    returning id, record_key`.execute(db);
  return new Map(rows.map((r) => [r.record_key, r.id]));
}

/** What the values of one row share: whose they are, the record they came in and their time. */
export interface FieldValueRecord {
  personId: string;
  sourceRecordId: string | null;
  observedAt: Date;
  /** The person was created by this batch, so none of its fields has a current value yet. */
  newPerson: boolean;
}

export interface FieldValueInput {
  /** Index of the value's row in the records. */
  record: number;
  field: string;
  value: string | null;
  outcome: LedgerFieldHistoryTable['outcome'];
  /** The value now stands as the field's current value (the last one a batch gives a person's field). */
  current: boolean;
}

/**
 * Every value received goes into the field's history, and those that now stand into the current
 * values, in one statement: the rows cross the wire once and history ids never make a round trip.
 * What a row's values share (person, source record, time) is sent once per row, not once per value.
 * Current values of persons created by the batch are plain inserts (nothing to conflict with); the
 * others replace the field's current value. Ids follow the input order. Answers the history id of
 * each `conflict` value by its input index, for the review queue.
 */
export async function insertFieldValues(db: Executor, source: string, records: readonly FieldValueRecord[], rows: readonly FieldValueInput[]): Promise<Map<number, string>> {
  if (rows.length === 0) return new Map();
  const { rows: conflicts } = await sql<{ ord: string; id: string }>`
    with input as materialized (
      select nextval('ledger_field_history_id_seq') as id, r.person_id, v.field, v.value, r.source_record_id, r.observed_at, v.outcome, v.current, r.new_person, v.ord
      from unnest(
        ${rows.map((r) => r.record + 1)}::integer[], ${rows.map((r) => r.field)}::text[], ${rows.map((r) => r.value)}::text[],
        ${rows.map((r) => r.outcome)}::text[], ${rows.map((r) => r.current)}::boolean[]
      ) with ordinality as v(record, field, value, outcome, current, ord)
      join unnest(
        ${records.map((r) => r.personId)}::uuid[], ${records.map((r) => r.sourceRecordId)}::bigint[],
        ${records.map((r) => iso(r.observedAt))}::timestamptz[], ${records.map((r) => r.newPerson)}::boolean[]
      ) with ordinality as r(person_id, source_record_id, observed_at, new_person, ord) on r.ord = v.record
      order by v.ord
    ),
    history as (
      insert into ledger_field_history (id, person_id, field, value, source_name, source_record_id, observed_at, outcome)
      select id, person_id, field, value, ${source}, source_record_id, observed_at, outcome from input
    ),
    new_values as (
      insert into ledger_person_fields (person_id, field, value, source_name, observed_at, history_id)
      select person_id, field, value, ${source}, observed_at, id from input where current and new_person
    ),
    current_values as (
      insert into ledger_person_fields (person_id, field, value, source_name, observed_at, history_id)
      select person_id, field, value, ${source}, observed_at, id from input where current and not new_person
      on conflict (person_id, field) do update set
        value = excluded.value, source_name = excluded.source_name, observed_at = excluded.observed_at, history_id = excluded.history_id
    )
    select (ord - 1)::text as ord, id::text as id from input where outcome = 'conflict'`.execute(db);
  return new Map(conflicts.map((c) => [Number(c.ord), c.id]));
}

/** Sets fields' current values outside an import (a reviewer's decision, a merge): the history entry is written first. */
export async function upsertCurrentFields(db: Executor, rows: ReadonlyArray<{ personId: string; field: string; value: string | null; source: string; observedAt: Date; historyId: string }>): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into ledger_person_fields (person_id, field, value, source_name, observed_at, history_id)
    select * from unnest(
      ${rows.map((r) => r.personId)}::uuid[], ${rows.map((r) => r.field)}::text[], ${rows.map((r) => r.value)}::text[],
      ${rows.map((r) => r.source)}::text[], ${rows.map((r) => iso(r.observedAt))}::timestamptz[], ${rows.map((r) => r.historyId)}::bigint[])
    on conflict (person_id, field) do update set
      value = excluded.value, source_name = excluded.source_name, observed_at = excluded.observed_at, history_id = excluded.history_id`.execute(db);
}

/** Opens a conflict, or updates the open one of the same person, field and proposing source. */
export async function upsertConflicts(
  db: Executor,
  rows: ReadonlyArray<{ personId: string; regionPath: string; field: string; currentValue: string | null; currentSource: string; proposedValue: string | null; proposedSource: string; historyId: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('ledger_conflicts')
    .values(
      rows.map((r) => ({
        person_id: r.personId,
        region_path: r.regionPath,
        field: r.field,
        current_value: r.currentValue,
        current_source: r.currentSource,
        proposed_value: r.proposedValue,
        proposed_source: r.proposedSource,
        history_id: r.historyId,
        resolved_at: null,
        resolved_by: null,
        resolution: null,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['person_id', 'field', 'proposed_source'])
        .where('status', '=', 'open')
        .doUpdateSet((eb) => ({
          current_value: eb.ref('excluded.current_value'),
          current_source: eb.ref('excluded.current_source'),
          proposed_value: eb.ref('excluded.proposed_value'),
          history_id: eb.ref('excluded.history_id'),
        })),
    )
    .execute();
}

// ---- reading persons ----------------------------------------------------------------------------

export interface PersonSummary {
  id: string;
  regionCode: string;
  regionName: string;
  regionPath: string;
  name: string;
  idNumber: string | null;
  sex: 'male' | 'female' | null;
  birthDate: string | null;
  phone: string | null;
  residenceAddress: string | null;
  dwellingId: string | null;
  householdId: string | null;
  householdNumber: string | null;
  /** Codes of the tags the person has now: stored ones and derived ones. */
  tags: string[];
  updatedAt: Date;
}

/** Today in Shanghai, as the database sees it: the day derived tags are computed for. */
export const TODAY = sql`(now() at time zone 'Asia/Shanghai')::date`;

/**
 * Derived tags, computed from current values whenever they are read, so they never go stale:
 * 高龄 80 or over; 独居 the only person in the ledger at their dwelling; 新生儿 under one year;
 * 育龄 women aged 15 to 49.
 */
export const DERIVED_TAGS = {
  elderly: sql<SqlBool>`p.birth_date <= ${TODAY} - make_interval(years => ${ELDERLY_AGE})`,
  living_alone: sql<SqlBool>`p.dwelling_id is not null and not exists (select 1 from ledger_persons o where o.dwelling_id = p.dwelling_id and o.id <> p.id)`,
  newborn: sql<SqlBool>`p.birth_date > ${TODAY} - interval '1 year'`,
  childbearing_age: sql<SqlBool>`p.sex = 'female' and p.birth_date <= ${TODAY} - interval '15 years' and p.birth_date > ${TODAY} - interval '50 years'`,
} as const;

export function tagCondition(code: string): Expression<SqlBool> {
  const derived = (DERIVED_TAGS as Record<string, Expression<SqlBool>>)[code];
  if (derived) return derived;
  return sql<SqlBool>`exists (select 1 from ledger_person_fields f where f.person_id = p.id and f.field = ${`tag.${code}`} and f.value = 'yes')`;
}

/** The tag codes of the ledger person aliased `p` (derived and sourced), as an SQL text[]; notices count their audience with it. */
export const PERSON_TAGS = sql<string[]>`array_remove(array[
  case when ${DERIVED_TAGS.elderly} then 'elderly' end,
  case when ${DERIVED_TAGS.living_alone} then 'living_alone' end,
  case when ${DERIVED_TAGS.newborn} then 'newborn' end,
  case when ${DERIVED_TAGS.childbearing_age} then 'childbearing_age' end
] || coalesce((select array_agg(substr(f.field, 5) order by f.field) from ledger_person_fields f where f.person_id = p.id and f.field like 'tag.%' and f.value = 'yes'), '{}'), null)`;
const tagsColumn = PERSON_TAGS.as('tags');

/** The tag codes a person has now (derived and sourced), or undefined if no such person. */
export async function tagCodesOfPerson(db: Executor, personId: string): Promise<string[] | undefined> {
  const row = await db.selectFrom('ledger_persons as p').select(tagsColumn).where('p.id', '=', personId).executeTakeFirst();
  return row?.tags;
}

function personQuery(db: Executor, scope: Scope) {
  return db
    .selectFrom('ledger_persons as p')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .leftJoin('ledger_households as h', 'h.id', 'p.household_id')
    .where(scopeCondition(sql.ref('p.region_path'), scope))
    .select([
      'p.id',
      'p.region_code',
      'r.name as region_name',
      'p.region_path',
      'p.name',
      'p.id_number',
      'p.sex',
      sql<string | null>`to_char(p.birth_date, 'YYYY-MM-DD')`.as('birth_date'),
      'p.phone',
      'p.dwelling_id',
      'p.household_id',
      'h.household_number',
      'p.updated_at',
      sql<string | null>`(select f.value from ledger_person_fields f where f.person_id = p.id and f.field = 'residence_address')`.as('residence_address'),
      tagsColumn,
    ]);
}

type PersonRow = Awaited<ReturnType<ReturnType<typeof personQuery>['executeTakeFirstOrThrow']>>;

function presentPerson(r: PersonRow): PersonSummary {
  return {
    id: r.id,
    regionCode: r.region_code,
    regionName: r.region_name,
    regionPath: r.region_path,
    name: r.name,
    idNumber: r.id_number,
    sex: r.sex,
    birthDate: r.birth_date,
    phone: r.phone,
    residenceAddress: r.residence_address,
    dwellingId: r.dwelling_id,
    householdId: r.household_id,
    householdNumber: r.household_number,
    tags: r.tags,
    updatedAt: r.updated_at,
  };
}

export interface PersonFilter {
  /** Name, pinyin initials, the last four characters of the ID number, or part of the address. */
  q?: string;
  tag?: string;
  /** Persons of this region or below. */
  regionCode?: string;
  /** Tags the caller may not see: a filter on them matches nothing. */
  hiddenTags: ReadonlySet<string>;
  /** Members of one household, residents of one dwelling (the household and dwelling pages). */
  householdId?: string;
  dwellingId?: string;
  limit: number;
  offset: number;
}

export async function listPersons(db: Executor, scope: Scope, filter: PersonFilter): Promise<{ items: PersonSummary[]; total: number }> {
  let query = personQuery(db, scope);
  let count = db.selectFrom('ledger_persons as p').where(scopeCondition(sql.ref('p.region_path'), scope)).select(sql<string>`count(*)`.as('n'));
  const conditions: Expression<SqlBool>[] = [];
  if (filter.regionCode) conditions.push(sql<SqlBool>`p.region_path <@ (select rr.path from regions rr where rr.code = ${filter.regionCode})`);
  if (filter.householdId) conditions.push(sql<SqlBool>`p.household_id = ${filter.householdId}`);
  if (filter.dwellingId) conditions.push(sql<SqlBool>`p.dwelling_id = ${filter.dwellingId}`);
  if (filter.tag) conditions.push(filter.hiddenTags.has(filter.tag) ? sql<SqlBool>`false` : tagCondition(filter.tag));
  if (filter.q) {
    const q = filter.q;
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const parts: Expression<SqlBool>[] = [sql<SqlBool>`p.name like ${like}`];
    if (/^[a-z]+$/i.test(q)) parts.push(sql<SqlBool>`p.name_initials like ${`${q.toLowerCase()}%`}`);
    if (/^\d{3}[\dXx]$/.test(q)) parts.push(sql<SqlBool>`right(p.id_number, 4) = ${q.toUpperCase()}`);
    if (q.length >= 2) parts.push(sql<SqlBool>`exists (select 1 from ledger_person_fields f where f.person_id = p.id and f.field in ('residence_address','hukou_address') and f.value like ${like})`);
    // the dwelling's canonical address too, so 梅园一村3号楼502 finds 梅园一村3号楼502室 however a source wrote it
    if (q.length >= 2) parts.push(sql<SqlBool>`exists (select 1 from ledger_dwellings d where d.id = p.dwelling_id and d.address like ${like})`);
    conditions.push(sql<SqlBool>`(${sql.join(parts, sql` or `)})`);
  }
  for (const condition of conditions) {
    query = query.where(condition);
    count = count.where(condition);
  }
  const [rows, total] = await Promise.all([
    query.orderBy('p.region_code').orderBy('p.name').orderBy('p.id').limit(filter.limit).offset(filter.offset).execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(presentPerson), total: Number(total.n) };
}

export async function findPerson(db: Executor, scope: Scope, id: string): Promise<PersonSummary | undefined> {
  const row = await personQuery(db, scope).where('p.id', '=', id).executeTakeFirst();
  return row && presentPerson(row);
}

export interface FieldValue {
  field: string;
  value: string | null;
  source: string;
  observedAt: Date;
}

export async function personFieldValues(db: Executor, personId: string): Promise<FieldValue[]> {
  const rows = await db.selectFrom('ledger_person_fields').select(['field', 'value', 'source_name', 'observed_at']).where('person_id', '=', personId).orderBy('field').execute();
  return rows.map((r) => ({ field: r.field, value: r.value, source: r.source_name, observedAt: r.observed_at }));
}

export interface HistoryEntry extends FieldValue {
  id: string;
  outcome: string;
  recordedAt: Date;
  recordKey: string | null;
  note: string | null;
}

export async function personHistory(db: Executor, personId: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('ledger_field_history as h')
    .leftJoin('ledger_source_records as s', 's.id', 'h.source_record_id')
    .select(['h.id', 'h.field', 'h.value', 'h.source_name', 'h.observed_at', 'h.outcome', 'h.recorded_at', 's.record_key', 'h.note'])
    .where('h.person_id', '=', personId)
    .orderBy('h.field')
    .orderBy(sql`h.id`)
    .execute();
  return rows.map((r) => ({ id: r.id, field: r.field, value: r.value, source: r.source_name, observedAt: r.observed_at, outcome: r.outcome, recordedAt: r.recorded_at, recordKey: r.record_key, note: r.note }));
}

export async function personSourceRecords(db: Executor, personId: string): Promise<Array<{ source: string; recordKey: string; hasOwnKey: boolean; receivedAt: Date }>> {
  const rows = await db
    .selectFrom('ledger_source_records')
    .select(['source_name', 'record_key', 'has_own_key', 'received_at'])
    .where('person_id', '=', personId)
    .orderBy('source_name')
    .orderBy('record_key')
    .execute();
  return rows.map((r) => ({ source: r.source_name, recordKey: r.record_key, hasOwnKey: r.has_own_key, receivedAt: r.received_at }));
}

export async function personOpenConflicts(db: Executor, personId: string): Promise<Array<{ id: string; field: string; currentValue: string | null; currentSource: string; proposedValue: string | null; proposedSource: string; createdAt: Date }>> {
  const rows = await db
    .selectFrom('ledger_conflicts')
    .select(['id', 'field', 'current_value', 'current_source', 'proposed_value', 'proposed_source', 'created_at'])
    .where('person_id', '=', personId)
    .where('status', '=', 'open')
    .orderBy(sql`id`)
    .execute();
  return rows.map((r) => ({ id: r.id, field: r.field, currentValue: r.current_value, currentSource: r.current_source, proposedValue: r.proposed_value, proposedSource: r.proposed_source, createdAt: r.created_at }));
}

export interface LedgerStats {
  persons: number;
  households: number;
  dwellings: number;
  sourceRecords: number;
  pendingMatches: number;
  conflicts: number;
}

/** How many persons the ledger holds in these committees (the demo seeds once). */
export async function countPersonsUnder(db: Executor, committeeCodes: readonly string[]): Promise<number> {
  const { n } = await db.selectFrom('ledger_persons').select((eb) => eb.fn.countAll<string>().as('n')).where('region_code', 'in', [...committeeCodes]).executeTakeFirstOrThrow();
  return Number(n);
}

export async function ledgerStats(db: Executor, scope: Scope, regionPath: string | null): Promise<LedgerStats> {
  const within = (column: string) => {
    const inScope = scopeCondition(sql.ref(column), scope);
    return regionPath === null ? inScope : sql<SqlBool>`${inScope} and ${sql.ref(column)} <@ ${regionPath}::ltree`;
  };
  const { rows } = await sql<{ persons: string; households: string; dwellings: string; source_records: string; conflicts: string; pending_matches: string }>`
    select
      (select count(*) from ledger_persons where ${within('region_path')}) as persons,
      (select count(*) from ledger_households where ${within('region_path')}) as households,
      (select count(*) from ledger_dwellings where ${within('region_path')}) as dwellings,
      (select count(*) from ledger_source_records where ${within('region_path')}) as source_records,
      (select count(*) from ledger_conflicts where status = 'open' and ${within('region_path')}) as conflicts,
      (select count(*) from ledger_match_candidates where status = 'pending' and ${within('region_path')}) as pending_matches`.execute(db);
  const r = rows[0]!;
  return { persons: Number(r.persons), households: Number(r.households), dwellings: Number(r.dwellings), sourceRecords: Number(r.source_records), pendingMatches: Number(r.pending_matches), conflicts: Number(r.conflicts) };
}
