import { sql, type SqlBool, type Expression } from 'kysely';
import type { EligibilityRule, PersonFacts, RegionLookup, RuleExample, RuleNode, UptakeStatus, VisitOutcome } from '../../../shared/services.ts';
import { leavesOf } from '../../../shared/services.ts';
import { scopeCondition, type Scope } from '../../platform/access.ts';
import type { Executor, Tx } from '../../platform/db/index.ts';
import { compileRule, receivingCondition } from './sql.ts';

export interface Service {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  category: string;
  department: string;
  description: string;
  howToApply: string;
  documents: string[];
  autoGrant: boolean;
  validFrom: string | null;
  validTo: string | null;
  regionCode: string;
  regionPath: string;
  regionName: string;
  version: number;
  rule: EligibilityRule;
  examples: RuleExample[];
  enabled: boolean;
  updatedAt: Date;
}

export type ServiceInput = Omit<Service, 'id' | 'regionPath' | 'regionName' | 'version' | 'updatedAt'>;

const dateText = (column: string) => sql<string | null>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;

function serviceQuery(db: Executor) {
  return db
    .selectFrom('services as s')
    .innerJoin('regions as r', 'r.code', 's.region_code')
    .select([
      's.id', 's.code', 's.name', 's.name_en', 's.category', 's.department', 's.description', 's.how_to_apply', 's.documents', 's.auto_grant',
      dateText('s.valid_from').as('valid_from'), dateText('s.valid_to').as('valid_to'),
      's.region_code', 's.region_path', 'r.name as region_name', 's.version', 's.rule', 's.examples', 's.enabled', 's.updated_at',
    ]);
}
type ServiceRow = Awaited<ReturnType<ReturnType<typeof serviceQuery>['executeTakeFirstOrThrow']>>;
const presentService = (r: ServiceRow): Service => ({
  id: r.id, code: r.code, name: r.name, nameEn: r.name_en, category: r.category, department: r.department, description: r.description,
  howToApply: r.how_to_apply, documents: r.documents, autoGrant: r.auto_grant, validFrom: r.valid_from, validTo: r.valid_to,
  regionCode: r.region_code, regionPath: r.region_path, regionName: r.region_name, version: r.version,
  rule: r.rule as EligibilityRule, examples: r.examples as RuleExample[], enabled: r.enabled, updatedAt: r.updated_at,
});

/**
 * The services that concern a caller: those of a region above their own (the district's benefits
 * reach every committee) and those inside their scope (a street's own services, for its staff).
 */
function concerns(scope: Scope): Expression<SqlBool> {
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  return sql<SqlBool>`(${sql.join(scope.paths.map((p) => sql`(s.region_path @> ${p}::ltree or s.region_path <@ ${p}::ltree)`), sql` or `)})`;
}

export async function listServices(db: Executor, scope: Scope): Promise<Service[]> {
  const rows = await serviceQuery(db).where(concerns(scope)).orderBy('s.category').orderBy('s.code').execute();
  return rows.map(presentService);
}

export async function findService(db: Executor, scope: Scope, id: string, options: { forUpdate?: boolean } = {}): Promise<Service | undefined> {
  let q = serviceQuery(db).where('s.id', '=', id).where(concerns(scope));
  if (options.forUpdate) q = q.forUpdate('s');
  const row = await q.executeTakeFirst();
  return row && presentService(row);
}

export async function findServiceByCode(db: Executor, code: string): Promise<Service | undefined> {
  const row = await serviceQuery(db).where('s.code', '=', code).executeTakeFirst();
  return row && presentService(row);
}

const columnsOf = (input: ServiceInput, regionPath: string) => ({
  code: input.code, name: input.name, name_en: input.nameEn, category: input.category, department: input.department, description: input.description,
  how_to_apply: input.howToApply, documents: input.documents, auto_grant: input.autoGrant, valid_from: input.validFrom, valid_to: input.validTo,
  region_code: input.regionCode, region_path: regionPath, rule: JSON.stringify(input.rule), examples: JSON.stringify(input.examples), enabled: input.enabled,
});

export async function insertService(trx: Tx, input: ServiceInput, regionPath: string): Promise<string> {
  const row = await trx.insertInto('services').values(columnsOf(input, regionPath)).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** A change is a new version: the row holds the current one, service_versions every one. */
export async function updateService(trx: Tx, id: string, input: ServiceInput, regionPath: string): Promise<number> {
  const row = await trx
    .updateTable('services')
    .set({ ...columnsOf(input, regionPath), version: sql`version + 1`, updated_at: new Date(), evaluated_on: null })
    .where('id', '=', id)
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

export async function insertVersion(trx: Tx, serviceId: string, version: number, snapshot: ServiceInput, userId: string | null): Promise<void> {
  await trx.insertInto('service_versions').values({ service_id: serviceId, version, snapshot: JSON.stringify(snapshot), created_by: userId }).execute();
}

export async function listVersions(db: Executor, serviceId: string): Promise<Array<{ version: number; createdAt: Date; snapshot: ServiceInput }>> {
  const rows = await db.selectFrom('service_versions').select(['version', 'created_at', 'snapshot']).where('service_id', '=', serviceId).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ version: r.version, createdAt: r.created_at, snapshot: r.snapshot as ServiceInput }));
}

/** The regions a rule (or several) names, with their paths and names; unknown codes are left out. */
export async function regionLookup(db: Executor, rules: RuleNode[], extra: string[] = []): Promise<RegionLookup> {
  const codes = [...new Set([...rules.flatMap(leavesOf).flatMap((l) => (l.kind === 'region' ? [l.region] : [])), ...extra])];
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('regions').select(['code', 'path', 'name']).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, { path: r.path, name: r.name }]));
}

export async function knownTags(db: Executor): Promise<Set<string>> {
  return new Set((await db.selectFrom('ledger_tags').select('code').execute()).map((r) => r.code));
}

/** Which persons a re-evaluation covers: all under the service's region, one region, or some persons. */
export type PersonFilter = { kind: 'all' } | { kind: 'region'; path: string } | { kind: 'persons'; ids: readonly string[] };

const filterSql = (filter: PersonFilter, alias: 'p' | 'm'): Expression<SqlBool> => {
  const id = alias === 'p' ? sql.ref('p.id') : sql.ref('m.person_id');
  if (filter.kind === 'all') return sql<SqlBool>`true`;
  if (filter.kind === 'region') return sql<SqlBool>`${sql.ref(`${alias}.region_path`)} <@ ${filter.path}::ltree`;
  return sql<SqlBool>`${id} = any(${sql.val([...filter.ids])}::uuid[])`;
};

/** The whole condition "eligible for the service on the day": its region, its validity, its rule, not already receiving it. */
export function eligibilityCondition(service: Service, day: string, regions: RegionLookup): Expression<SqlBool> {
  const valid = service.enabled && (service.validFrom === null || service.validFrom <= day) && (service.validTo === null || service.validTo >= day);
  if (!valid) return sql<SqlBool>`false`;
  return sql<SqlBool>`(p.region_path <@ ${service.regionPath}::ltree and ${compileRule(service.rule, day, regions)} and not ${receivingCondition(service.code, sql`${day}::date`)})`;
}

/**
 * Re-evaluates one service over the persons of the filter, set-based: newly eligible persons get a
 * match (`matched`), persons who are no longer eligible keep their row with `eligible = false` (their
 * uptake history stays), persons eligible again become eligible again with their status.
 */
/**
 * Matches one service over some persons on a day, in one statement. Answers the counts, and the
 * persons with a resident account (实名核验) who have just become eligible and have not applied,
 * received or declined it before: they are told (递菜单). The CTEs all read the state before the
 * statement, so `newly` sees who was eligible until now.
 */
export async function evaluateService(trx: Tx, service: Service, day: string, regions: RegionLookup, filter: PersonFilter): Promise<{ eligible: number; added: number; dropped: number; newlyEligibleResidents: string[] }> {
  const condition = eligibilityCondition(service, day, regions);
  const result = await sql<{ eligible: string; added: string; dropped: string; newly: string | null }>`
    with eligible as materialized (
      select p.id, p.region_path from ledger_persons p where ${filterSql(filter, 'p')} and ${condition}
    ), newly as (
      select e.id from eligible e
      where exists (select 1 from resident_links l where l.person_id = e.id)
        and not exists (
          select 1 from service_matches m
          where m.service_id = ${service.id}::uuid and m.person_id = e.id and (m.eligible or m.status in ('applied', 'received', 'declined')))
    ), upserted as (
      insert into service_matches (service_id, person_id, region_path, version)
      select ${service.id}::uuid, e.id, e.region_path, ${service.version}::int from eligible e
      on conflict (service_id, person_id) do update set eligible = true, version = excluded.version, region_path = excluded.region_path, evaluated_at = now()
      returning (xmax = 0) as inserted
    ), dropped as (
      update service_matches m set eligible = false, evaluated_at = now()
      where m.service_id = ${service.id}::uuid and m.eligible and ${filterSql(filter, 'm')}
        and not exists (select 1 from eligible e where e.id = m.person_id)
      returning 1
    )
    select (select count(*) from eligible) as eligible, (select count(*) from upserted where inserted) as added, (select count(*) from dropped) as dropped,
      (select string_agg(id::text, ',') from newly) as newly`.execute(trx);
  const row = result.rows[0]!;
  return { eligible: Number(row.eligible), added: Number(row.added), dropped: Number(row.dropped), newlyEligibleResidents: row.newly ? row.newly.split(',') : [] };
}

/** The resident accounts linked to persons (实名核验), by person. */
export async function residentAccountsOf(db: Executor, personIds: readonly string[]): Promise<Map<string, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await db.selectFrom('resident_links').select(['person_id', 'user_id']).where('person_id', 'in', [...personIds]).execute();
  return new Map(rows.map((r) => [r.person_id, r.user_id]));
}

/** Matches of some persons that are still open (eligible, matched or informed), of one service or made before a time: what to tell them about. */
export async function openMatchesOf(db: Executor, personIds: readonly string[], only: { serviceId?: string; matchedBefore?: Date } = {}): Promise<MatchRow[]> {
  if (personIds.length === 0) return [];
  let q = matchQuery(db).where('m.person_id', 'in', [...personIds]).where('m.eligible', '=', true).where('m.status', 'in', ['matched', 'informed']);
  if (only.serviceId) q = q.where('m.service_id', '=', only.serviceId);
  if (only.matchedBefore) q = q.where('m.matched_at', '<=', only.matchedBefore);
  const rows = await q.orderBy('s.category').orderBy('s.code').execute();
  return rows.map(presentMatch);
}

export async function markEvaluated(trx: Tx, serviceId: string, day: string): Promise<void> {
  await trx.updateTable('services').set({ evaluated_on: day }).where('id', '=', serviceId).execute();
}

export async function servicesToEvaluate(db: Executor, day: string): Promise<string[]> {
  const rows = await db.selectFrom('services').select('id').where((eb) => eb.or([eb('evaluated_on', 'is', null), eb('evaluated_on', '<', day)])).execute();
  return rows.map((r) => r.id);
}

export async function allServiceIds(db: Executor): Promise<string[]> {
  return (await db.selectFrom('services').select('id').execute()).map((r) => r.id);
}

/** What the evaluator needs to know of persons on a day (the same values the SQL condition reads). */
export async function loadFacts(db: Executor, personIds: readonly string[], day: string): Promise<Map<string, PersonFacts>> {
  const facts = new Map<string, PersonFacts>();
  if (personIds.length === 0) return facts;
  const ids = sql.val([...personIds]);
  const persons = await sql<{ id: string; birth_date: string | null; sex: 'male' | 'female' | null; region_path: string; dwelling_size: string | null; household_size: string }>`
    select p.id, to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, p.sex, p.region_path::text as region_path,
      case when p.dwelling_id is null then null else (select count(*) from ledger_persons o where o.dwelling_id = p.dwelling_id) end as dwelling_size,
      case when p.household_id is null then 1 else (select count(*) from ledger_persons h where h.household_id = p.household_id) end as household_size
    from ledger_persons p where p.id = any(${ids}::uuid[])`.execute(db);
  const tags = await sql<{ person_id: string; code: string; source_name: string; observed_on: string }>`
    select f.person_id, substr(f.field, 5) as code, f.source_name, to_char((f.observed_at at time zone 'Asia/Shanghai')::date, 'YYYY-MM-DD') as observed_on
    from ledger_person_fields f where f.person_id = any(${ids}::uuid[]) and f.field like 'tag.%' and f.value = 'yes'`.execute(db);
  const receipts = await sql<{ person_id: string; service_code: string }>`
    select r.person_id, r.service_code from service_receipts r
    where r.person_id = any(${ids}::uuid[]) and r.since <= ${day}::date and (r.until is null or r.until >= ${day}::date)`.execute(db);
  for (const p of persons.rows) {
    facts.set(p.id, {
      birthDate: p.birth_date,
      sex: p.sex,
      regionPath: p.region_path,
      dwellingSize: p.dwelling_size === null ? null : Number(p.dwelling_size),
      householdSize: Number(p.household_size),
      tags: new Map(tags.rows.filter((t) => t.person_id === p.id).map((t) => [t.code, { source: t.source_name, observedOn: t.observed_on }])),
      receiving: new Set(receipts.rows.filter((r) => r.person_id === p.id).map((r) => r.service_code)),
    });
  }
  return facts;
}

/** Persons (of some) for whom the service's SQL condition holds; for the SQL/JS agreement check. */
export async function sqlEligible(db: Executor, service: Service, day: string, regions: RegionLookup, personIds: readonly string[]): Promise<Set<string>> {
  const rows = await sql<{ id: string }>`select p.id from ledger_persons p where p.id = any(${sql.val([...personIds])}::uuid[]) and ${eligibilityCondition(service, day, regions)}`.execute(db);
  return new Set(rows.rows.map((r) => r.id));
}

export interface MatchRow {
  id: string;
  serviceId: string;
  serviceCode: string;
  serviceName: string;
  personId: string;
  personName: string;
  idNumber: string | null;
  birthDate: string | null;
  address: string | null;
  regionPath: string;
  regionName: string;
  eligible: boolean;
  status: UptakeStatus;
  statusAt: Date;
  declineReason: string | null;
  followUpOn: string | null;
  lastVisitOn: string | null;
  lastOutcome: VisitOutcome | null;
}

function matchQuery(db: Executor) {
  return db
    .selectFrom('service_matches as m')
    .innerJoin('services as s', 's.id', 'm.service_id')
    .innerJoin('ledger_persons as p', 'p.id', 'm.person_id')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .select([
      'm.id', 'm.service_id', 's.code as service_code', 's.name as service_name', 'm.person_id', 'p.name as person_name', 'p.id_number',
      dateText('p.birth_date').as('birth_date'), 'm.region_path', 'r.name as region_name', 'm.eligible', 'm.status', 'm.status_at', 'm.decline_reason',
      dateText('m.follow_up_on').as('follow_up_on'),
      sql<string | null>`(select f.value from ledger_person_fields f where f.person_id = p.id and f.field = 'residence_address')`.as('address'),
      sql<string | null>`(select to_char(v.visited_on, 'YYYY-MM-DD') from service_visits v where v.match_id = m.id order by v.id desc limit 1)`.as('last_visit_on'),
      sql<VisitOutcome | null>`(select v.outcome from service_visits v where v.match_id = m.id order by v.id desc limit 1)`.as('last_outcome'),
    ]);
}
type MatchQueryRow = Awaited<ReturnType<ReturnType<typeof matchQuery>['executeTakeFirstOrThrow']>>;
const presentMatch = (r: MatchQueryRow): MatchRow => ({
  id: r.id, serviceId: r.service_id, serviceCode: r.service_code, serviceName: r.service_name, personId: r.person_id, personName: r.person_name,
  idNumber: r.id_number, birthDate: r.birth_date, address: r.address, regionPath: r.region_path, regionName: r.region_name, eligible: r.eligible,
  status: r.status, statusAt: r.status_at, declineReason: r.decline_reason, followUpOn: r.follow_up_on, lastVisitOn: r.last_visit_on, lastOutcome: r.last_outcome,
});

/** A person's menu: what they are eligible for now, and what they have taken up whatever the rule says today. */
export async function matchesOfPerson(db: Executor, personId: string): Promise<MatchRow[]> {
  const rows = await matchQuery(db)
    .where('m.person_id', '=', personId)
    .where((eb) => eb.or([eb('m.eligible', '=', true), eb('m.status', 'in', ['applied', 'received'])]))
    .orderBy('s.category').orderBy('s.code')
    .execute();
  return rows.map(presentMatch);
}

export async function findMatch(db: Executor, scope: Scope, id: string, options: { forUpdate?: boolean } = {}): Promise<MatchRow | undefined> {
  let q = matchQuery(db).where('m.id', '=', id).where(scopeCondition(sql.ref('m.region_path'), scope));
  if (options.forUpdate) q = q.forUpdate('m');
  const row = await q.executeTakeFirst();
  return row && presentMatch(row);
}

export async function findMatchOf(db: Executor, personId: string, serviceId: string): Promise<MatchRow | undefined> {
  const row = await matchQuery(db).where('m.person_id', '=', personId).where('m.service_id', '=', serviceId).executeTakeFirst();
  return row && presentMatch(row);
}

export interface MatchFilter {
  scope: Scope;
  regionPath: string | null;
  serviceId?: string;
  statuses?: readonly UptakeStatus[];
  /** Follow-ups due on or before this day, whatever their status (unless received or declined). */
  dueOn?: string;
  limit: number;
  offset: number;
}

export async function listMatches(db: Executor, f: MatchFilter): Promise<{ items: MatchRow[]; total: number }> {
  let q = matchQuery(db).where('m.eligible', '=', true).where(scopeCondition(sql.ref('m.region_path'), f.scope));
  if (f.regionPath) q = q.where(sql<SqlBool>`m.region_path <@ ${f.regionPath}::ltree`);
  if (f.serviceId) q = q.where('m.service_id', '=', f.serviceId);
  const statuses = f.statuses;
  const due = f.dueOn;
  if (statuses && due) q = q.where((eb) => eb.or([eb('m.status', 'in', statuses), eb.and([eb('m.follow_up_on', '<=', due), eb('m.status', 'not in', ['received', 'declined'])])]));
  else if (statuses) q = q.where('m.status', 'in', statuses);
  const total = await q.clearSelect().select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const rows = await q
    // applications first (someone is waiting), then who was never reached, then follow-ups by date
    .orderBy(sql`case m.status when 'applied' then 0 when 'matched' then 1 else 2 end`)
    .orderBy(sql`m.follow_up_on nulls last`)
    .orderBy('m.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { items: rows.map(presentMatch), total: Number(total.n) };
}

export async function setMatchStatus(trx: Tx, id: string, patch: { status?: UptakeStatus; declineReason?: string | null; followUpOn?: string | null }): Promise<void> {
  await trx
    .updateTable('service_matches')
    .set({
      ...(patch.status ? { status: patch.status, status_at: new Date() } : {}),
      ...(patch.declineReason !== undefined ? { decline_reason: patch.declineReason } : {}),
      ...(patch.followUpOn !== undefined ? { follow_up_on: patch.followUpOn } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function insertUptakeEvent(trx: Tx, e: { matchId: string; from: UptakeStatus; to: UptakeStatus; reason: string | null; actorUserId: string | null; onBehalfOf: string | null }): Promise<void> {
  await trx.insertInto('service_uptake_events').values({ match_id: e.matchId, from_status: e.from, to_status: e.to, reason: e.reason, actor_user_id: e.actorUserId, on_behalf_of: e.onBehalfOf }).execute();
}

export async function uptakeHistory(db: Executor, matchId: string) {
  return db
    .selectFrom('service_uptake_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.from_status', 'e.to_status', 'e.reason', 'u.display_name as actor', 'e.on_behalf_of', 'e.at'])
    .where('e.match_id', '=', matchId)
    .orderBy('e.id')
    .execute();
}

export async function insertVisit(trx: Tx, v: { matchId: string; personId: string; regionPath: string; visitedOn: string; outcome: VisitOutcome; note: string | null; followUpOn: string | null; workerUserId: string }): Promise<string> {
  const row = await trx
    .insertInto('service_visits')
    .values({ match_id: v.matchId, person_id: v.personId, region_path: v.regionPath, visited_on: v.visitedOn, outcome: v.outcome, note: v.note, follow_up_on: v.followUpOn, worker_user_id: v.workerUserId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function visitsOf(db: Executor, matchId: string) {
  return db
    .selectFrom('service_visits as v')
    .innerJoin('users as u', 'u.id', 'v.worker_user_id')
    .select([dateText('v.visited_on').as('visited_on'), 'v.outcome', 'v.note', dateText('v.follow_up_on').as('follow_up_on'), 'u.display_name as worker', 'v.created_at'])
    .where('v.match_id', '=', matchId)
    .orderBy('v.id')
    .execute();
}

export async function insertReceipt(trx: Tx, r: { personId: string; serviceCode: string; since: string; source: string }): Promise<void> {
  await trx.insertInto('service_receipts').values({ person_id: r.personId, service_code: r.serviceCode, since: r.since, source: r.source }).execute();
}

/** Uptake per service and status in a region: how many were found, reached, applied, receive, declined. */
export async function uptakeFigures(db: Executor, scope: Scope, regionPath: string | null) {
  let q = db
    .selectFrom('service_matches as m')
    .innerJoin('services as s', 's.id', 'm.service_id')
    .select(['s.id', 's.code', 's.name', 'm.status', sql<string>`count(*)`.as('n')])
    .where((eb) => eb.or([eb('m.eligible', '=', true), eb('m.status', 'in', ['applied', 'received'])]))
    .where(scopeCondition(sql.ref('m.region_path'), scope))
    .groupBy(['s.id', 's.code', 's.name', 'm.status']);
  if (regionPath) q = q.where(sql<SqlBool>`m.region_path <@ ${regionPath}::ltree`);
  return q.execute();
}

// ---- residents' links to their ledger person (实名核验) ----

export async function linkOfUser(db: Executor, userId: string): Promise<{ personId: string; method: 'self' | 'worker'; createdAt: Date } | undefined> {
  const row = await db.selectFrom('resident_links').select(['person_id', 'method', 'created_at']).where('user_id', '=', userId).executeTakeFirst();
  return row && { personId: row.person_id, method: row.method, createdAt: row.created_at };
}

export async function linkOfPerson(db: Executor, personId: string): Promise<string | undefined> {
  const row = await db.selectFrom('resident_links').select('user_id').where('person_id', '=', personId).executeTakeFirst();
  return row?.user_id;
}

/** The ledger person with this name and ID number inside a committee, for 实名核验. */
export async function personByIdentity(db: Executor, regionPath: string, name: string, idNumber: string): Promise<{ id: string; regionPath: string } | undefined> {
  const row = await db
    .selectFrom('ledger_persons as p')
    .select(['p.id', 'p.region_path'])
    .where('p.id_number', '=', idNumber)
    .where('p.name', '=', name)
    .where(sql<SqlBool>`p.region_path <@ ${regionPath}::ltree`)
    .executeTakeFirst();
  return row && { id: row.id, regionPath: row.region_path };
}

export async function personInScope(db: Executor, scope: Scope, id: string): Promise<{ id: string; name: string; regionPath: string } | undefined> {
  const row = await db.selectFrom('ledger_persons as p').select(['p.id', 'p.name', 'p.region_path']).where('p.id', '=', id).where(scopeCondition(sql.ref('p.region_path'), scope)).executeTakeFirst();
  return row && { id: row.id, name: row.name, regionPath: row.region_path };
}

export async function insertLink(trx: Tx, l: { userId: string; personId: string; method: 'self' | 'worker'; confirmedBy: string | null }): Promise<void> {
  await trx.insertInto('resident_links').values({ user_id: l.userId, person_id: l.personId, method: l.method, confirmed_by: l.confirmedBy }).execute();
}

/** A resident account in a scope, by username (a worker links it in person). */
export async function residentUser(db: Executor, scope: Scope, username: string): Promise<{ id: string; regionPath: string } | undefined> {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('role_assignments as a', 'a.user_id', 'u.id')
    .select(['u.id', 'a.region_path'])
    .where('u.username', '=', username)
    .where('a.role', '=', 'resident')
    .where(scopeCondition(sql.ref('a.region_path'), scope))
    .executeTakeFirst();
  return row && { id: row.id, regionPath: row.region_path };
}

export async function userByUsername(db: Executor, username: string): Promise<{ id: string; displayName: string } | undefined> {
  const row = await db.selectFrom('users').select(['id', 'display_name']).where('username', '=', username).executeTakeFirst();
  return row && { id: row.id, displayName: row.display_name };
}

// ---- 代办: authorisations to act for a resident ----

export interface Proxy {
  id: string;
  personId: string;
  agentUserId: string;
  agentName: string;
  relation: string;
  basis: 'resident' | 'written';
  createdAt: Date;
}

export async function insertProxy(trx: Tx, p: { personId: string; agentUserId: string; relation: string; basis: 'resident' | 'written'; grantedBy: string }): Promise<string> {
  const row = await trx
    .insertInto('service_proxies')
    .values({ person_id: p.personId, agent_user_id: p.agentUserId, relation: p.relation, basis: p.basis, granted_by: p.grantedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function proxyQuery(db: Executor) {
  return db
    .selectFrom('service_proxies as x')
    .innerJoin('users as u', 'u.id', 'x.agent_user_id')
    .select(['x.id', 'x.person_id', 'x.agent_user_id', 'u.display_name', 'x.relation', 'x.basis', 'x.created_at'])
    .where('x.revoked_at', 'is', null);
}
type ProxyRow = Awaited<ReturnType<ReturnType<typeof proxyQuery>['executeTakeFirstOrThrow']>>;
const presentProxy = (r: ProxyRow): Proxy => ({ id: r.id, personId: r.person_id, agentUserId: r.agent_user_id, agentName: r.display_name, relation: r.relation, basis: r.basis, createdAt: r.created_at });

export async function proxiesOfPerson(db: Executor, personId: string): Promise<Proxy[]> {
  return (await proxyQuery(db).where('x.person_id', '=', personId).orderBy('x.created_at').execute()).map(presentProxy);
}

export async function activeProxy(db: Executor, personId: string, agentUserId: string): Promise<Proxy | undefined> {
  const row = await proxyQuery(db).where('x.person_id', '=', personId).where('x.agent_user_id', '=', agentUserId).executeTakeFirst();
  return row && presentProxy(row);
}

export async function revokeProxy(trx: Tx, id: string, personId: string): Promise<boolean> {
  const res = await trx.updateTable('service_proxies').set({ revoked_at: new Date() }).where('id', '=', id).where('person_id', '=', personId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * Record linkage merged `absorbed` into `survivor`: the services' rows follow the human. A match of
 * the absorbed person for a service the survivor also matches hands its visits and uptake history
 * to the survivor's match; an account link or a 代办 authorisation the survivor already has wins.
 */
export async function moveServiceRecordsToSurvivors(db: Executor, pairs: ReadonlyArray<{ survivor: string; absorbed: string }>): Promise<void> {
  if (pairs.length === 0) return;
  const survivors = pairs.map((p) => p.survivor);
  const absorbed = pairs.map((p) => p.absorbed);
  const moves = sql`unnest(${survivors}::uuid[], ${absorbed}::uuid[]) as m(survivor, absorbed)`;
  // matches the survivor also has: their history goes to the survivor's match, then they go
  await sql`
    with twins as (
      select a.id as from_id, s.id as to_id
      from ${moves}
      join service_matches a on a.person_id = m.absorbed
      join service_matches s on s.person_id = m.survivor and s.service_id = a.service_id
    ),
    events as (update service_uptake_events e set match_id = t.to_id from twins t where e.match_id = t.from_id),
    visits as (update service_visits v set match_id = t.to_id from twins t where v.match_id = t.from_id)
    select count(*) from twins`.execute(db);
  await sql`
    delete from service_matches a using ${moves}
    where a.person_id = m.absorbed
      and exists (select 1 from service_matches s where s.person_id = m.survivor and s.service_id = a.service_id)
      and not exists (select 1 from service_uptake_events e where e.match_id = a.id)
      and not exists (select 1 from service_visits v where v.match_id = a.id)`.execute(db);
  await sql`update service_matches t set person_id = m.survivor from ${moves} where t.person_id = m.absorbed`.execute(db);
  for (const table of ['service_visits', 'service_receipts'] as const) {
    await sql`update ${sql.table(table)} t set person_id = m.survivor from ${moves} where t.person_id = m.absorbed`.execute(db);
  }
  await sql`update service_uptake_events t set on_behalf_of = m.survivor from ${moves} where t.on_behalf_of = m.absorbed`.execute(db);
  await sql`
    update service_proxies a set revoked_at = now() from ${moves}
    where a.person_id = m.absorbed and a.revoked_at is null
      and exists (select 1 from service_proxies s where s.person_id = m.survivor and s.agent_user_id = a.agent_user_id and s.revoked_at is null)`.execute(db);
  await sql`update service_proxies t set person_id = m.survivor from ${moves} where t.person_id = m.absorbed`.execute(db);
  await sql`
    delete from resident_links a using ${moves}
    where a.person_id = m.absorbed and exists (select 1 from resident_links s where s.person_id = m.survivor)`.execute(db);
  await sql`update resident_links t set person_id = m.survivor from ${moves} where t.person_id = m.absorbed`.execute(db);
}
