import { sql, type Expression, type SqlBool } from 'kysely';
import { scopeCondition, type Scope } from '../../../platform/access.ts';
import type { Executor } from '../../../platform/db/index.ts';
import type { ConflictAction } from './policy.ts';

/** The review's SQL: conflicts, reviewer history entries, the authority table and its changes, households and dwellings. */

// ---- conflicts ----------------------------------------------------------------------------------

export interface ConflictRow {
  id: string;
  personId: string;
  personName: string;
  regionCode: string;
  regionName: string;
  regionPath: string;
  field: string;
  currentValue: string | null;
  currentSource: string;
  /** When the current value was observed (it may have changed since the conflict opened). */
  currentObservedAt: Date | null;
  proposedValue: string | null;
  proposedSource: string;
  proposedObservedAt: Date;
  status: 'open' | 'resolved';
  createdAt: Date;
  resolution: ConflictAction | null;
  resolvedValue: string | null;
  resolutionNote: string | null;
  resolvedAt: Date | null;
}

export interface ConflictFilter {
  field?: string;
  source?: string;
  /** This region (its path) or below. */
  regionPath?: string;
  personId?: string;
  /** Fields the caller may not see (sensitive tags): never listed. */
  hiddenFields: readonly string[];
}

/** Conflicts are scoped by their person's committee now (a person may have moved since the conflict opened). */
function conflictQuery(db: Executor, scope: Scope) {
  return db
    .selectFrom('ledger_conflicts as c')
    .innerJoin('ledger_persons as p', 'p.id', 'c.person_id')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .innerJoin('ledger_field_history as h', 'h.id', 'c.history_id')
    .leftJoin('ledger_person_fields as f', (join) => join.onRef('f.person_id', '=', 'c.person_id').onRef('f.field', '=', 'c.field'))
    .where(scopeCondition(sql.ref('p.region_path'), scope));
}

function conflictWhere(filter: ConflictFilter): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [sql<SqlBool>`c.status = 'open'`];
  if (filter.field) conditions.push(sql<SqlBool>`c.field = ${filter.field}`);
  if (filter.source) conditions.push(sql<SqlBool>`c.proposed_source = ${filter.source}`);
  if (filter.regionPath) conditions.push(sql<SqlBool>`p.region_path <@ ${filter.regionPath}::ltree`);
  if (filter.personId) conditions.push(sql<SqlBool>`c.person_id = ${filter.personId}`);
  if (filter.hiddenFields.length > 0) conditions.push(sql<SqlBool>`c.field not in (${sql.join(filter.hiddenFields)})`);
  return conditions;
}

const conflictColumns = [
  'c.id',
  'c.person_id',
  'p.name as person_name',
  'p.region_code',
  'r.name as region_name',
  'p.region_path',
  'c.field',
  // the field's value now, which an authoritative import may have changed since the conflict opened
  sql<string | null>`case when f.person_id is null then c.current_value else f.value end`.as('current_value'),
  sql<string>`coalesce(f.source_name, c.current_source)`.as('current_source'),
  'f.observed_at as current_observed_at',
  'c.proposed_value',
  'c.proposed_source',
  'h.observed_at as proposed_observed_at',
  'c.status',
  'c.created_at',
  'c.resolution',
  'c.resolved_value',
  'c.resolution_note',
  'c.resolved_at',
] as const;

const conflictSelect = (db: Executor, scope: Scope) => conflictQuery(db, scope).select(conflictColumns);
type RawConflict = Awaited<ReturnType<ReturnType<typeof conflictSelect>['executeTakeFirstOrThrow']>>;

function presentConflict(r: RawConflict): ConflictRow {
  return {
    id: r.id,
    personId: r.person_id,
    personName: r.person_name,
    regionCode: r.region_code,
    regionName: r.region_name,
    regionPath: r.region_path,
    field: r.field,
    currentValue: r.current_value,
    currentSource: r.current_source,
    currentObservedAt: r.current_observed_at,
    proposedValue: r.proposed_value,
    proposedSource: r.proposed_source,
    proposedObservedAt: r.proposed_observed_at,
    status: r.status,
    createdAt: r.created_at,
    resolution: r.resolution as ConflictAction | null,
    resolvedValue: r.resolved_value,
    resolutionNote: r.resolution_note,
    resolvedAt: r.resolved_at,
  };
}

export async function listConflicts(db: Executor, scope: Scope, filter: ConflictFilter, page: { limit: number; offset: number }): Promise<{ items: ConflictRow[]; total: number }> {
  const conditions = conflictWhere(filter);
  let query = conflictSelect(db, scope);
  let count = conflictQuery(db, scope).select(sql<string>`count(*)`.as('n'));
  for (const condition of conditions) {
    query = query.where(condition);
    count = count.where(condition);
  }
  const [rows, total] = await Promise.all([query.orderBy('c.created_at').orderBy(sql`c.id`).limit(page.limit).offset(page.offset).execute(), count.executeTakeFirstOrThrow()]);
  return { items: rows.map(presentConflict), total: Number(total.n) };
}

/** Open conflicts a bulk resolve would touch, locked, oldest first; `limit` one more than allowed tells "too many". */
export async function lockOpenConflicts(db: Executor, scope: Scope, filter: ConflictFilter, limit: number): Promise<ConflictRow[]> {
  let query = conflictSelect(db, scope);
  for (const condition of conflictWhere(filter)) query = query.where(condition);
  const rows = await query.orderBy(sql`c.id`).limit(limit).forUpdate('c').execute();
  return rows.map(presentConflict);
}

/** One conflict in scope (any status), locked for the resolution. */
export async function findConflictForUpdate(db: Executor, scope: Scope, id: string): Promise<ConflictRow | undefined> {
  const row = await conflictSelect(db, scope).where(sql<SqlBool>`c.id = ${id}::bigint`).forUpdate('c').executeTakeFirst();
  return row && presentConflict(row);
}

export async function markConflictResolved(db: Executor, id: string, r: { resolution: ConflictAction; value: string | null; note: string | null; by: string | null }): Promise<void> {
  await db
    .updateTable('ledger_conflicts')
    .set({ status: 'resolved', resolution: r.resolution, resolved_value: r.value, resolution_note: r.note, resolved_by: r.by, resolved_at: new Date() })
    .where(sql<SqlBool>`id = ${id}::bigint`)
    .execute();
}

/**
 * After a field's value changed by review, the person's other open conflicts on it: those proposing
 * the new value are settled by it (answered with their ids); the others now stand against the new value.
 */
export async function settleSiblingConflicts(db: Executor, c: { personId: string; field: string; exceptId: string; value: string | null; source: string; by: string | null }): Promise<string[]> {
  const settled = await db
    .updateTable('ledger_conflicts')
    .set({ status: 'resolved', resolution: 'accept', resolved_value: c.value, resolution_note: null, resolved_by: c.by, resolved_at: new Date() })
    .where('person_id', '=', c.personId)
    .where('field', '=', c.field)
    .where('status', '=', 'open')
    .where(sql<SqlBool>`id <> ${c.exceptId}::bigint and proposed_value is not distinct from ${c.value}`)
    .returning('id')
    .execute();
  await db
    .updateTable('ledger_conflicts')
    .set({ current_value: c.value, current_source: c.source })
    .where('person_id', '=', c.personId)
    .where('field', '=', c.field)
    .where('status', '=', 'open')
    .where(sql<SqlBool>`id <> ${c.exceptId}::bigint`)
    .execute();
  return settled.map((r) => r.id);
}

// ---- the person's field, history and denormalised columns -----------------------------------------

export async function insertReviewHistory(
  db: Executor,
  h: { personId: string; field: string; value: string | null; source: string; observedAt: Date; outcome: 'accepted' | 'rejected' | 'verified'; note: string | null; decidedBy: string | null },
): Promise<string> {
  const row = await db
    .insertInto('ledger_field_history')
    .values({ person_id: h.personId, field: h.field, value: h.value, source_name: h.source, source_record_id: null, observed_at: h.observedAt, outcome: h.outcome, note: h.note, decided_by: h.decidedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Whether someone other than this person already carries the ID number (the column is unique). */
export async function idNumberHolder(db: Executor, idNumber: string, exceptPersonId: string): Promise<string | undefined> {
  const row = await db.selectFrom('ledger_persons').select('id').where('id_number', '=', idNumber).where('id', '<>', exceptPersonId).executeTakeFirst();
  return row?.id;
}

export interface PersonColumns {
  name?: string;
  name_initials?: string;
  id_number?: string | null;
  sex?: 'male' | 'female' | null;
  birth_date?: string | null;
  phone?: string | null;
  region_code?: string;
  region_path?: string;
  dwelling_id?: string | null;
  household_id?: string | null;
}

export async function updatePersonColumns(db: Executor, personId: string, columns: PersonColumns): Promise<void> {
  await db
    .updateTable('ledger_persons')
    .set({ ...columns, updated_at: new Date() })
    .where('id', '=', personId)
    .execute();
}

/** A committee in scope by its code or its exact name (undefined when none, or when the name is not unique). */
export async function findCommitteeRegion(db: Executor, scope: Scope, codeOrName: string): Promise<{ code: string; path: string } | undefined> {
  const rows = await db
    .selectFrom('regions as r')
    .select(['r.code', 'r.path'])
    .where((eb) => eb.or([eb('r.code', '=', codeOrName), eb('r.name', '=', codeOrName)]))
    .where('r.level', '=', 'committee')
    .where(scopeCondition(sql.ref('r.path'), scope))
    .limit(2)
    .execute();
  return rows.length === 1 ? rows[0] : undefined;
}

// ---- 一数一源 configuration ------------------------------------------------------------------------

export interface AuthorityEntry {
  field: string;
  source: string;
  updatedAt: Date;
}

export async function listAuthority(db: Executor): Promise<AuthorityEntry[]> {
  const rows = await db.selectFrom('ledger_field_authority').select(['field', 'source_name', 'updated_at']).orderBy('field').execute();
  return rows.map((r) => ({ field: r.field, source: r.source_name, updatedAt: r.updated_at }));
}

/** Sets a field's authoritative source; answers the source it had (undefined when it had none). */
export async function setAuthority(db: Executor, field: string, source: string): Promise<string | undefined> {
  const before = await db.selectFrom('ledger_field_authority').select('source_name').where('field', '=', field).forUpdate().executeTakeFirst();
  await db
    .insertInto('ledger_field_authority')
    .values({ field, source_name: source })
    .onConflict((oc) => oc.column('field').doUpdateSet({ source_name: source, updated_at: new Date() }))
    .execute();
  return before?.source_name;
}

export async function insertAuthorityChange(db: Executor, c: { field: string; oldSource: string | null; newSource: string; reason: string; changedBy: string | null }): Promise<string> {
  const row = await db
    .insertInto('ledger_authority_changes')
    .values({ field: c.field, old_source: c.oldSource, new_source: c.newSource, reason: c.reason, changed_by: c.changedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface AuthorityChange {
  id: string;
  field: string;
  oldSource: string | null;
  newSource: string;
  reason: string;
  changedBy: string | null;
  changedAt: Date;
}

export async function listAuthorityChanges(db: Executor, limit: number): Promise<AuthorityChange[]> {
  const rows = await db
    .selectFrom('ledger_authority_changes as a')
    .leftJoin('users as u', 'u.id', 'a.changed_by')
    .select(['a.id', 'a.field', 'a.old_source', 'a.new_source', 'a.reason', 'u.display_name', 'a.changed_at'])
    .orderBy(sql`a.id`, 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, field: r.field, oldSource: r.old_source, newSource: r.new_source, reason: r.reason, changedBy: r.display_name, changedAt: r.changed_at }));
}

// ---- households and dwellings -------------------------------------------------------------------

export interface PlaceRow {
  id: string;
  regionCode: string;
  regionName: string;
  regionPath: string;
}

export async function findHousehold(db: Executor, scope: Scope, id: string): Promise<(PlaceRow & { householdNumber: string }) | undefined> {
  const row = await db
    .selectFrom('ledger_households as h')
    .innerJoin('regions as r', 'r.code', 'h.region_code')
    .select(['h.id', 'h.region_code', 'r.name as region_name', 'h.region_path', 'h.household_number'])
    .where('h.id', '=', id)
    .where(scopeCondition(sql.ref('h.region_path'), scope))
    .executeTakeFirst();
  return row && { id: row.id, regionCode: row.region_code, regionName: row.region_name, regionPath: row.region_path, householdNumber: row.household_number };
}

export interface DwellingRow extends PlaceRow {
  address: string;
  place: string;
  building: string | null;
  unit: string | null;
  room: string | null;
}

export async function findDwelling(db: Executor, scope: Scope, id: string): Promise<DwellingRow | undefined> {
  const row = await db
    .selectFrom('ledger_dwellings as d')
    .innerJoin('regions as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.region_code', 'r.name as region_name', 'd.region_path', 'd.address', 'd.place', 'd.building', 'd.unit', 'd.room'])
    .where('d.id', '=', id)
    .where(scopeCondition(sql.ref('d.region_path'), scope))
    .executeTakeFirst();
  return (
    row && { id: row.id, regionCode: row.region_code, regionName: row.region_name, regionPath: row.region_path, address: row.address, place: row.place, building: row.building, unit: row.unit, room: row.room }
  );
}

/** One field of several persons (relation to the head of household, for the household page). */
export async function fieldOfPersons(db: Executor, personIds: readonly string[], field: string): Promise<Map<string, string | null>> {
  if (personIds.length === 0) return new Map();
  const rows = await db.selectFrom('ledger_person_fields').select(['person_id', 'value']).where('person_id', 'in', personIds).where('field', '=', field).execute();
  return new Map(rows.map((r) => [r.person_id, r.value]));
}
