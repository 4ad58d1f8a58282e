import { sql, type SqlBool } from 'kysely';
import { scopeCondition, type Scope } from '../../../platform/access.ts';
import type { Executor } from '../../../platform/db/index.ts';
import type { Evidence, LinkRecord } from './compare.ts';

/** The only code that touches the linkage tables (and moves ledger rows between persons on a merge). */

// ---- runs ----------------------------------------------------------------------------------------

export interface LinkageRun {
  id: string;
  trigger: string;
  status: 'running' | 'done' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  pairs: number;
  autoMerged: number;
  queued: number;
  message: string | null;
}

/** One linkage run at a time across instances: the run holds this lock until its transaction ends. */
export async function lockLinkage(db: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('gongzhi.ledger.linkage'))`.execute(db);
}

export async function insertRun(db: Executor, trigger: string, since: Date | null): Promise<string> {
  const row = await db.insertInto('ledger_linkage_runs').values({ trigger, since, finished_at: null, message: null }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function finishRun(db: Executor, id: string, outcome: { status: 'done' | 'failed'; pairs: number; autoMerged: number; queued: number; message: string | null }): Promise<void> {
  await db
    .updateTable('ledger_linkage_runs')
    .set({ status: outcome.status, pairs: outcome.pairs, auto_merged: outcome.autoMerged, queued: outcome.queued, message: outcome.message, finished_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** When the last finished run started: persons changed since then are the ones to compare. */
export async function lastRunStart(db: Executor): Promise<Date | null> {
  const row = await db.selectFrom('ledger_linkage_runs').select('started_at').where('status', '=', 'done').orderBy(sql`id`, 'desc').limit(1).executeTakeFirst();
  return row?.started_at ?? null;
}

export async function latestRun(db: Executor): Promise<LinkageRun | null> {
  const r = await db.selectFrom('ledger_linkage_runs').selectAll().orderBy(sql`id`, 'desc').limit(1).executeTakeFirst();
  return r
    ? { id: r.id, trigger: r.trigger, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at, pairs: r.pairs, autoMerged: r.auto_merged, queued: r.queued, message: r.message }
    : null;
}

/**
 * Whether linkage has work it has not done yet: an import still running, or one that finished
 * after the last finished run started (its `ledger.import_finished` event not yet handled).
 */
export async function linkageBacklog(db: Executor): Promise<{ importsRunning: number; importsWaiting: number }> {
  const { rows } = await sql<{ running: string; waiting: string }>`
    select
      (select count(*) from ledger_imports where status = 'running') as running,
      (select count(*) from ledger_imports where status = 'done' and finished_at >= coalesce(
        (select max(started_at) from ledger_linkage_runs where status = 'done'), '-infinity'::timestamptz)) as waiting`.execute(db);
  return { importsRunning: Number(rows[0]!.running), importsWaiting: Number(rows[0]!.waiting) };
}

// ---- blocking ------------------------------------------------------------------------------------

/**
 * Candidate pairs by blocking: persons who share a phone number, a birth date and the initial of
 * their name's pinyin, a dwelling, or a name and birth year; in the same district; at least one
 * changed since `since`; never two persons who both have an ID number (one person per number);
 * never a pair already decided or queued. Each block is an index-backed equi-join, so the work
 * grows with the block sizes, not with the square of the ledger.
 */
export async function blockedPairs(db: Executor, since: Date | null): Promise<Array<{ a: string; b: string }>> {
  const changed = since === null ? sql<SqlBool>`true` : sql<SqlBool>`(p.updated_at >= ${since} or q.updated_at >= ${since})`;
  const join = (on: ReturnType<typeof sql>) => sql`
    select p.id as a, q.id as b from ledger_persons p join ledger_persons q on ${on} and p.id < q.id
    where ${changed} and (p.id_number is null or q.id_number is null)
      and subpath(p.region_path, 0, 1) = subpath(q.region_path, 0, 1)`;
  const { rows } = await sql<{ a: string; b: string }>`
    select distinct c.a, c.b from (
      ${join(sql`q.phone = p.phone`)}
      union all ${join(sql`q.birth_date = p.birth_date and left(q.name_initials, 1) = left(p.name_initials, 1)`)}
      union all ${join(sql`q.dwelling_id = p.dwelling_id`)}
      union all ${join(sql`q.name = p.name and extract(year from q.birth_date) = extract(year from p.birth_date)`)}
    ) c
    where not exists (select 1 from ledger_match_candidates m where m.person_a = c.a and m.person_b = c.b)`.execute(db);
  return rows;
}

export interface LinkPerson extends LinkRecord {
  id: string;
  regionPath: string;
  createdAt: Date;
  /** The person holds a record of the source authoritative for names (the register). */
  authoritative: boolean;
}

export async function linkPersons(db: Executor, ids: readonly string[]): Promise<Map<string, LinkPerson>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{
    id: string; name: string; birth_date: string | null; sex: 'male' | 'female' | null; phone: string | null; id_number: string | null;
    dwelling_id: string | null; region_path: string; created_at: Date; address: string | null; authoritative: boolean;
  }>`
    select p.id, p.name, to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, p.sex, p.phone, p.id_number, p.dwelling_id, p.region_path, p.created_at,
      (select f.value from ledger_person_fields f where f.person_id = p.id and f.field = 'residence_address') as address,
      exists (select 1 from ledger_source_records s where s.person_id = p.id
              and s.source_name = (select a.source_name from ledger_field_authority a where a.field = 'name')) as authoritative
    from ledger_persons p where p.id = any(${ids}::uuid[])`.execute(db);
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, name: r.name, birthDate: r.birth_date, sex: r.sex, phone: r.phone, idNumber: r.id_number, dwellingId: r.dwelling_id, address: r.address, regionPath: r.region_path, createdAt: r.created_at, authoritative: r.authoritative },
    ]),
  );
}

// ---- candidates ----------------------------------------------------------------------------------

export interface NewCandidate {
  a: string;
  b: string;
  regionPath: string;
  score: number;
  evidence: Evidence;
  status: 'pending' | 'merged';
  automatic: boolean;
}

export async function insertCandidates(db: Executor, rows: readonly NewCandidate[]): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const { rows: ids } = await sql<{ id: string; person_a: string; person_b: string }>`
    insert into ledger_match_candidates (person_a, person_b, region_path, score, evidence, status, automatic, decided_at)
    select * from unnest(${rows.map((r) => r.a)}::uuid[], ${rows.map((r) => r.b)}::uuid[], ${rows.map((r) => r.regionPath)}::ltree[],
      ${rows.map((r) => r.score)}::real[], ${rows.map((r) => JSON.stringify(r.evidence))}::jsonb[], ${rows.map((r) => r.status)}::text[],
      ${rows.map((r) => r.automatic)}::boolean[], ${rows.map((r) => (r.status === 'merged' ? new Date().toISOString() : null))}::timestamptz[])
    on conflict (person_a, person_b) do nothing
    returning id, person_a, person_b`.execute(db);
  return new Map(ids.map((r) => [`${r.person_a} ${r.person_b}`, r.id]));
}

export interface Candidate {
  id: string;
  personA: string;
  personB: string;
  regionPath: string;
  score: number;
  evidence: Evidence;
  status: 'pending' | 'merged' | 'rejected' | 'stale';
  createdAt: Date;
}

function presentCandidate(r: { id: string; person_a: string; person_b: string; region_path: string; score: number; evidence: unknown; status: Candidate['status']; created_at: Date }): Candidate {
  return { id: r.id, personA: r.person_a, personB: r.person_b, regionPath: r.region_path, score: Number(r.score), evidence: r.evidence as Evidence, status: r.status, createdAt: r.created_at };
}

/** A candidate is in scope when both its persons are: a reviewer never sees a person outside their scope. */
function candidateInScope(scope: Scope) {
  return sql<SqlBool>`${scopeCondition(sql.ref('m.region_path'), scope)}
    and exists (select 1 from ledger_persons pa where pa.id = m.person_a and ${scopeCondition(sql.ref('pa.region_path'), scope)})
    and exists (select 1 from ledger_persons pb where pb.id = m.person_b and ${scopeCondition(sql.ref('pb.region_path'), scope)})`;
}

export async function listPendingCandidates(db: Executor, scope: Scope, page: { limit: number; offset: number }): Promise<{ items: Candidate[]; total: number }> {
  const base = db.selectFrom('ledger_match_candidates as m').where('m.status', '=', 'pending').where(candidateInScope(scope));
  const [rows, total] = await Promise.all([
    base.select(['m.id', 'm.person_a', 'm.person_b', 'm.region_path', 'm.score', 'm.evidence', 'm.status', 'm.created_at']).orderBy('m.score', 'desc').orderBy(sql`m.id`).limit(page.limit).offset(page.offset).execute(),
    base.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(presentCandidate), total: Number(total.n) };
}

export async function findCandidate(db: Executor, scope: Scope, id: string, lock = false): Promise<Candidate | undefined> {
  let query = db.selectFrom('ledger_match_candidates as m').select(['m.id', 'm.person_a', 'm.person_b', 'm.region_path', 'm.score', 'm.evidence', 'm.status', 'm.created_at']).where(sql<SqlBool>`m.id = ${id}::bigint`).where(candidateInScope(scope));
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && presentCandidate(row);
}

export async function decideCandidates(db: Executor, ids: readonly string[], status: 'merged' | 'rejected' | 'stale', by: string | null): Promise<void> {
  if (ids.length === 0) return;
  await sql`update ledger_match_candidates set status = ${status}, decided_at = now(), decided_by = ${by} where id = any(${ids}::bigint[])`.execute(db);
}

/** Two persons are two people: the pair is remembered as rejected, whether it was a candidate before or not. */
export async function rememberApart(db: Executor, x: string, y: string, regionPath: string, by: string | null): Promise<void> {
  const [a, b] = [x, y].sort() as [string, string];
  await sql`
    insert into ledger_match_candidates (person_a, person_b, region_path, score, evidence, status, decided_at, decided_by)
    values (${a}, ${b}, ${regionPath}::ltree, 0, '{}'::jsonb, 'rejected', now(), ${by})
    on conflict (person_a, person_b) do update set status = 'rejected', decided_at = now(), decided_by = ${by}`.execute(db);
}

/** Pending candidates that name persons merged away: they are proposed again with the survivor on the next run. */
export async function staleCandidatesOf(db: Executor, absorbed: readonly string[]): Promise<void> {
  if (absorbed.length === 0) return;
  await sql`update ledger_match_candidates set status = 'stale', decided_at = now()
    where status = 'pending' and (person_a = any(${absorbed}::uuid[]) or person_b = any(${absorbed}::uuid[]))`.execute(db);
}

export async function pendingCount(db: Executor, scope: Scope, regionPath: string | null): Promise<number> {
  let query = db.selectFrom('ledger_match_candidates as m').select(sql<string>`count(*)`.as('n')).where('m.status', '=', 'pending').where(candidateInScope(scope));
  if (regionPath !== null) query = query.where(sql<SqlBool>`m.region_path <@ ${regionPath}::ltree`);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

// ---- merges --------------------------------------------------------------------------------------

export interface FieldRow {
  person_id: string;
  field: string;
  value: string | null;
  source_name: string;
  observed_at: string;
  history_id: string;
}

/** What a merge must restore on undo, as it was just before the merge. */
export interface MergeSnapshot {
  survivor: Record<string, unknown>;
  absorbed: Record<string, unknown>;
  survivorFields: FieldRow[];
  absorbedFields: FieldRow[];
  recordIds: string[];
  historyIds: string[];
  conflictIds: string[];
  /** Conflicts the merge opened (the absorbed person's values the authority did not take). */
  openedConflictIds: string[];
}

/** Both persons' rows and fields and what hangs off the absorbed one, for each pair, in one statement. */
export async function snapshotPairs(db: Executor, pairs: ReadonlyArray<{ survivor: string; absorbed: string }>): Promise<Map<string, Omit<MergeSnapshot, 'openedConflictIds'>>> {
  if (pairs.length === 0) return new Map();
  const { rows } = await sql<{ absorbed_id: string; snapshot: Omit<MergeSnapshot, 'openedConflictIds'> }>`
    select m.absorbed as absorbed_id, jsonb_build_object(
      'survivor', (select to_jsonb(p) from ledger_persons p where p.id = m.survivor),
      'absorbed', (select to_jsonb(p) from ledger_persons p where p.id = m.absorbed),
      'survivorFields', coalesce((select jsonb_agg(to_jsonb(f) order by f.field) from ledger_person_fields f where f.person_id = m.survivor), '[]'),
      'absorbedFields', coalesce((select jsonb_agg(to_jsonb(f) order by f.field) from ledger_person_fields f where f.person_id = m.absorbed), '[]'),
      'recordIds', coalesce((select jsonb_agg(s.id::text) from ledger_source_records s where s.person_id = m.absorbed), '[]'),
      'historyIds', coalesce((select jsonb_agg(h.id::text) from ledger_field_history h where h.person_id = m.absorbed), '[]'),
      'conflictIds', coalesce((select jsonb_agg(c.id::text) from ledger_conflicts c where c.person_id = m.absorbed), '[]')
    ) as snapshot
    from unnest(${pairs.map((p) => p.survivor)}::uuid[], ${pairs.map((p) => p.absorbed)}::uuid[]) as m(survivor, absorbed)`.execute(db);
  return new Map(rows.map((r) => [r.absorbed_id, r.snapshot]));
}

/** Moves the absorbed persons' source records, history and conflicts to their survivors. */
export async function moveToSurvivors(db: Executor, pairs: ReadonlyArray<{ survivor: string; absorbed: string }>): Promise<void> {
  if (pairs.length === 0) return;
  const survivors = pairs.map((p) => p.survivor);
  const absorbed = pairs.map((p) => p.absorbed);
  for (const table of ['ledger_source_records', 'ledger_field_history', 'ledger_conflicts'] as const) {
    await sql`update ${sql.table(table)} t set person_id = m.survivor
      from unnest(${survivors}::uuid[], ${absorbed}::uuid[]) as m(survivor, absorbed) where t.person_id = m.absorbed`.execute(db);
  }
}

/** Removes the absorbed persons once nothing points at them (their rows live on in the merge snapshot). */
export async function deletePersons(db: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`delete from ledger_person_fields where person_id = any(${ids}::uuid[])`.execute(db);
  await sql`delete from ledger_persons where id = any(${ids}::uuid[])`.execute(db);
}

export async function replaceFields(db: Executor, personIds: readonly string[], rows: readonly FieldRow[]): Promise<void> {
  if (personIds.length > 0) await sql`delete from ledger_person_fields where person_id = any(${personIds}::uuid[])`.execute(db);
  if (rows.length === 0) return;
  await sql`
    insert into ledger_person_fields (person_id, field, value, source_name, observed_at, history_id)
    select * from unnest(${rows.map((r) => r.person_id)}::uuid[], ${rows.map((r) => r.field)}::text[], ${rows.map((r) => r.value)}::text[],
      ${rows.map((r) => r.source_name)}::text[], ${rows.map((r) => r.observed_at)}::timestamptz[], ${rows.map((r) => r.history_id)}::bigint[])`.execute(db);
}

export interface PersonColumns {
  id: string;
  name: string;
  nameInitials: string;
  idNumber: string | null;
  sex: string | null;
  birthDate: string | null;
  phone: string | null;
  dwellingId: string | null;
  householdId: string | null;
}

export async function updatePersonColumns(db: Executor, rows: readonly PersonColumns[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    update ledger_persons p set name = u.name, name_initials = u.initials, id_number = u.id_number, sex = u.sex, birth_date = u.birth_date,
      phone = u.phone, dwelling_id = u.dwelling_id, household_id = u.household_id, updated_at = ${at}
    from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.nameInitials)}::text[],
      ${rows.map((r) => r.idNumber)}::text[], ${rows.map((r) => r.sex)}::text[], ${rows.map((r) => r.birthDate)}::date[], ${rows.map((r) => r.phone)}::text[],
      ${rows.map((r) => r.dwellingId)}::uuid[], ${rows.map((r) => r.householdId)}::uuid[])
      as u(id, name, initials, id_number, sex, birth_date, phone, dwelling_id, household_id)
    where p.id = u.id`.execute(db);
}

export async function openConflicts(
  db: Executor,
  rows: ReadonlyArray<{ personId: string; regionPath: string; field: string; currentValue: string | null; currentSource: string; proposedValue: string | null; proposedSource: string; historyId: string }>,
): Promise<Array<{ id: string; personId: string }>> {
  if (rows.length === 0) return [];
  const { rows: ids } = await sql<{ id: string; person_id: string }>`
    insert into ledger_conflicts (person_id, region_path, field, current_value, current_source, proposed_value, proposed_source, history_id)
    select * from unnest(${rows.map((r) => r.personId)}::uuid[], ${rows.map((r) => r.regionPath)}::ltree[], ${rows.map((r) => r.field)}::text[],
      ${rows.map((r) => r.currentValue)}::text[], ${rows.map((r) => r.currentSource)}::text[], ${rows.map((r) => r.proposedValue)}::text[],
      ${rows.map((r) => r.proposedSource)}::text[], ${rows.map((r) => r.historyId)}::bigint[])
    on conflict (person_id, field, proposed_source) where status = 'open' do nothing
    returning id::text, person_id`.execute(db);
  return ids.map((r) => ({ id: r.id, personId: r.person_id }));
}

export async function insertMerges(
  db: Executor,
  rows: ReadonlyArray<{ candidateId: string | null; survivor: string; absorbed: string; regionPath: string; score: number | null; automatic: boolean; snapshot: MergeSnapshot; by: string | null; at: Date }>,
): Promise<string[]> {
  if (rows.length === 0) return [];
  const { rows: ids } = await sql<{ id: string }>`
    insert into ledger_merges (candidate_id, survivor_id, absorbed_id, region_path, score, automatic, snapshot, merged_by, merged_at)
    select * from unnest(${rows.map((r) => r.candidateId)}::bigint[], ${rows.map((r) => r.survivor)}::uuid[], ${rows.map((r) => r.absorbed)}::uuid[],
      ${rows.map((r) => r.regionPath)}::ltree[], ${rows.map((r) => r.score)}::real[], ${rows.map((r) => r.automatic)}::boolean[],
      ${rows.map((r) => JSON.stringify(r.snapshot))}::jsonb[], ${rows.map((r) => r.by)}::uuid[], ${rows.map((r) => r.at.toISOString())}::timestamptz[])
    returning id::text`.execute(db);
  return ids.map((r) => r.id);
}

export interface Merge {
  id: string;
  candidateId: string | null;
  survivorId: string;
  absorbedId: string;
  regionPath: string;
  score: number | null;
  automatic: boolean;
  snapshot: MergeSnapshot;
  mergedAt: Date;
  undoneAt: Date | null;
}

const mergeColumns = ['g.id', 'g.candidate_id', 'g.survivor_id', 'g.absorbed_id', 'g.region_path', 'g.score', 'g.automatic', 'g.snapshot', 'g.merged_at', 'g.undone_at'] as const;

function presentMerge(r: { id: string; candidate_id: string | null; survivor_id: string; absorbed_id: string; region_path: string; score: number | null; automatic: boolean; snapshot: unknown; merged_at: Date; undone_at: Date | null }): Merge {
  return {
    id: r.id, candidateId: r.candidate_id, survivorId: r.survivor_id, absorbedId: r.absorbed_id, regionPath: r.region_path, score: r.score === null ? null : Number(r.score),
    automatic: r.automatic, snapshot: r.snapshot as MergeSnapshot, mergedAt: r.merged_at, undoneAt: r.undone_at,
  };
}

/** A merge whose survivor is in scope. */
export async function findMerge(db: Executor, scope: Scope, id: string, lock = false): Promise<Merge | undefined> {
  let query = db
    .selectFrom('ledger_merges as g')
    .innerJoin('ledger_persons as p', 'p.id', 'g.survivor_id')
    .select(mergeColumns)
    .where(sql<SqlBool>`g.id = ${id}::bigint`)
    .where(scopeCondition(sql.ref('p.region_path'), scope));
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && presentMerge(row);
}

export async function listMerges(db: Executor, scope: Scope, page: { limit: number; offset: number }): Promise<Merge[]> {
  const rows = await db
    .selectFrom('ledger_merges as g')
    .innerJoin('ledger_persons as p', 'p.id', 'g.survivor_id')
    .select(mergeColumns)
    .where('g.undone_at', 'is', null)
    .where(scopeCondition(sql.ref('p.region_path'), scope))
    .orderBy(sql`g.id`, 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(presentMerge);
}

/** A later merge into the same survivor that still stands: the earlier one cannot be undone before it. */
export async function laterMergeExists(db: Executor, merge: Merge): Promise<boolean> {
  const row = await sql<{ n: string }>`select count(*) as n from ledger_merges where survivor_id = ${merge.survivorId} and id > ${merge.id}::bigint and undone_at is null`.execute(db);
  return Number(row.rows[0]!.n) > 0;
}

export async function personUpdatedAt(db: Executor, id: string): Promise<Date | null> {
  const row = await db.selectFrom('ledger_persons').select('updated_at').where('id', '=', id).forUpdate().executeTakeFirst();
  return row?.updated_at ?? null;
}

/** Undoes a merge's moves: the absorbed person back from its snapshot, its records, history and conflicts back to it. */
export async function restoreMerge(db: Executor, merge: Merge, by: string | null): Promise<void> {
  const s = merge.snapshot;
  await sql`insert into ledger_persons select * from jsonb_populate_record(null::ledger_persons, ${JSON.stringify(s.absorbed)}::jsonb)`.execute(db);
  if (s.openedConflictIds.length > 0) await sql`delete from ledger_conflicts where id = any(${s.openedConflictIds}::bigint[])`.execute(db);
  const moves: Array<[string, string[]]> = [['ledger_source_records', s.recordIds], ['ledger_field_history', s.historyIds], ['ledger_conflicts', s.conflictIds]];
  for (const [table, ids] of moves) {
    if (ids.length > 0) await sql`update ${sql.table(table)} set person_id = ${merge.absorbedId} where id = any(${ids}::bigint[])`.execute(db);
  }
  await replaceFields(db, [merge.survivorId, merge.absorbedId], [...s.survivorFields, ...s.absorbedFields]);
  // the survivor's own row as it was, column by column (its id and what points at it stay)
  await sql`
    update ledger_persons p set name = o.name, name_initials = o.name_initials, id_number = o.id_number, sex = o.sex, birth_date = o.birth_date,
      phone = o.phone, dwelling_id = o.dwelling_id, household_id = o.household_id, region_code = o.region_code, region_path = o.region_path,
      updated_at = o.updated_at
    from jsonb_populate_record(null::ledger_persons, ${JSON.stringify(s.survivor)}::jsonb) o where p.id = ${merge.survivorId}`.execute(db);
  await sql`update ledger_merges set undone_at = now(), undone_by = ${by} where id = ${merge.id}::bigint`.execute(db);
}

// ---- links ---------------------------------------------------------------------------------------

/** Every record of a source with the person it is linked to, by id, a page at a time (keyset). */
export async function listLinks(db: Executor, scope: Scope, source: string, after: string | null, limit: number): Promise<Array<{ id: string; recordKey: string; personId: string | null }>> {
  let query = db
    .selectFrom('ledger_source_records as s')
    .select(['s.id', 's.record_key', 's.person_id'])
    .where('s.source_name', '=', source)
    .where(scopeCondition(sql.ref('s.region_path'), scope));
  if (after !== null) query = query.where(sql<SqlBool>`s.id > ${after}::bigint`);
  const rows = await query.orderBy(sql`s.id`).limit(limit).execute();
  return rows.map((r) => ({ id: r.id, recordKey: r.record_key, personId: r.person_id }));
}
