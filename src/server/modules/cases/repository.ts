import { sql, type SqlBool } from 'kysely';
import { CASE_ENDED_STATUSES, type CaseStatus } from '../../../shared/cases.ts';
import type { Role } from '../../../shared/roles.ts';
import { scopeCondition, type Scope } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { CaseTable } from '../../platform/db/schema.ts';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { inStage, nextDeadline, overdueCondition } from './timers-repository.ts';

export type CaseRow = Selectable<CaseTable>;

/**
 * Who is looking. Residents see the cases they reported and (where `followed` is asked for: the
 * case list and page, not the photos) the cases they follow; department handlers the cases their
 * unit handles or assists; everyone else the cases inside their region scope. Outside that, a
 * case does not exist for the caller (404).
 *
 * One deliberate exception lives in `duplicates/repository.ts`: the similar-cases search shows a
 * resident other people's open cases nearby, in a reduced form (no reporter, description
 * shortened and scrubbed of phone and ID numbers), so they can follow one instead of reporting it
 * again. Following then makes the case visible here, still without the reporter's personal data.
 */
export interface CaseViewer {
  scope: Scope;
  userId: string | null;
  role: Role | null;
  departmentId: string | null;
}

function visibleTo(viewer: CaseViewer, followed: boolean) {
  if (viewer.scope.kind === 'all') return sql<SqlBool>`true`;
  if (viewer.role === 'resident') {
    if (!followed) return sql<SqlBool>`c.reporter_user_id = ${viewer.userId}`;
    return sql<SqlBool>`(c.reporter_user_id = ${viewer.userId} or exists (select 1 from case_followers f where f.case_id = c.id and f.user_id = ${viewer.userId}))`;
  }
  if (viewer.role === 'department_handler') {
    if (!viewer.departmentId) return sql<SqlBool>`false`;
    return sql<SqlBool>`(c.main_unit_id = ${viewer.departmentId} or ${viewer.departmentId}::uuid = any(c.assisting_unit_ids))`;
  }
  return scopeCondition(sql.ref('c.region_path'), viewer.scope);
}

export async function nextCaseNumber(db: Executor, day: string): Promise<string> {
  const { rows } = await sql<{ n: string }>`select nextval('case_number_seq')::text as n`.execute(db);
  return `GZ${day.replaceAll('-', '')}-${rows[0]!.n.padStart(6, '0')}`;
}

export async function insertCase(db: Executor, row: Insertable<CaseTable>): Promise<string> {
  const inserted = await db.insertInto('cases').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateCase(db: Executor, id: string, patch: Updateable<CaseTable>): Promise<void> {
  await db.updateTable('cases').set({ updated_at: new Date(), ...patch }).where('id', '=', id).execute();
}

/**
 * The case, locked for the caller's transaction when `forUpdate`; undefined when not visible.
 * `followed`: a resident also finds the cases they follow (the case page; photos do not ask).
 */
export async function findCase(db: Executor, viewer: CaseViewer, id: string, options: { forUpdate?: boolean; followed?: boolean } = {}): Promise<CaseRow | undefined> {
  let query = db.selectFrom('cases as c').selectAll('c').where('c.id', '=', id).where(visibleTo(viewer, options.followed ?? false));
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface CaseFilter {
  status?: CaseStatus;
  regionCode?: string;
  categoryCode?: string;
  overdue?: boolean;
  stage?: string;
  urgency?: string;
  unitId?: string;
  channel?: string;
  text?: string;
  active?: boolean;
  sort?: 'newest' | 'deadline' | 'priority';
  limit: number;
  offset: number;
}

/**
 * Lists count their matches up to this many: past it the exact number helps nobody and costs a scan
 * of the whole scope (388 ms on PostgreSQL, 2.3 s on PGlite for a district of 1,000,000 cases).
 */
export const COUNT_CAP = 10_000;

export async function listCases(db: Executor, viewer: CaseViewer, filter: CaseFilter): Promise<{ items: CaseRow[]; total: number; totalCapped: boolean }> {
  // a resident's "my reports" holds the cases they follow too
  let query = db.selectFrom('cases as c').where(visibleTo(viewer, true));
  if (filter.status) query = query.where('c.status', '=', filter.status);
  if (filter.categoryCode) query = query.where('c.category_code', '=', filter.categoryCode);
  if (filter.regionCode) {
    const code = filter.regionCode;
    query = query.where(sql<SqlBool>`c.region_path <@ (select path from regions where code = ${code})`);
  }
  if (filter.overdue !== undefined) query = query.where(filter.overdue ? overdueCondition : sql<SqlBool>`not ${overdueCondition}`);
  if (filter.stage) query = query.where(inStage(filter.stage));
  if (filter.urgency) query = query.where('c.urgency', '=', filter.urgency);
  if (filter.unitId) query = query.where('c.main_unit_id', '=', filter.unitId);
  if (filter.channel) query = query.where('c.channel', '=', filter.channel);
  if (filter.active) query = query.where('c.status', 'not in', [...CASE_ENDED_STATUSES]);
  if (filter.text) {
    const text = filter.text.trim();
    const pattern = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) => eb.or([eb('c.number', '=', text.toUpperCase()), eb('c.description', 'like', pattern)]));
  }
  let ordered = query.selectAll('c');
  ordered =
    filter.sort === 'deadline'
      ? ordered.orderBy(sql`${nextDeadline} asc nulls last`).orderBy('c.created_at')
      : filter.sort === 'priority'
        ? // the more reports a case stands for (merged duplicates), the higher it sits; then the nearest deadline
          ordered.orderBy('c.report_count', 'desc').orderBy(sql`${nextDeadline} asc nulls last`).orderBy('c.created_at')
        : ordered.orderBy('c.created_at', 'desc');
  const [items, count] = await Promise.all([
    ordered.orderBy('c.id').limit(filter.limit).offset(filter.offset).execute(),
    db
      .selectFrom(query.select(sql`1`.as('one')).limit(COUNT_CAP + 1).as('capped'))
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const n = Number(count.n);
  return { items, total: Math.min(n, COUNT_CAP), totalCapped: n > COUNT_CAP };
}

export async function insertCaseEvent(
  db: Executor,
  row: {
    caseId: string;
    action: string;
    fromStatus: string | null;
    toStatus: string;
    actorUserId: string | null;
    actorName: string;
    actorRole: string | null;
    note: string | null;
    details: Record<string, unknown>;
    /** Default: the database's now(). */
    at?: Date;
  },
): Promise<void> {
  await db
    .insertInto('case_events')
    .values({
      case_id: row.caseId,
      action: row.action,
      from_status: row.fromStatus,
      to_status: row.toStatus,
      actor_user_id: row.actorUserId,
      actor_name: row.actorName,
      actor_role: row.actorRole,
      note: row.note,
      details: JSON.stringify(row.details),
      ...(row.at ? { at: row.at } : {}),
    })
    .execute();
}

export async function listCaseEvents(db: Executor, caseId: string) {
  return db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

/**
 * Routing: the department of a kind that serves a place, nearest level first (a street's 城管执法中队
 * before the district's 城管执法局).
 */
export async function routeToDepartment(db: Executor, kind: string, regionPath: string): Promise<{ id: string; name: string } | undefined> {
  return db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('kind', '=', kind)
    .where(sql<SqlBool>`region_path @> ${regionPath}::ltree`)
    .orderBy(sql`nlevel(region_path)`, 'desc')
    .orderBy('code')
    .limit(1)
    .executeTakeFirst();
}

/** Department names for presenting a case. */
export async function departmentNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('departments').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Which of these descriptions some case already has (the demo seed's idempotency check). */
export async function existingDescriptions(db: Executor, descriptions: readonly string[]): Promise<Set<string>> {
  if (descriptions.length === 0) return new Set();
  const rows = await db.selectFrom('cases').select('description').distinct().where('description', 'in', descriptions).execute();
  return new Set(rows.map((r) => r.description));
}

/** A case by id regardless of who asks: for the platform's own work (subscribers, sweeps), never for a request. */
export async function caseById(db: Executor, id: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases as c').selectAll('c').where('c.id', '=', id).executeTakeFirst();
}

export interface AutoDispatchRule {
  categoryCode: string;
  minScore: number;
  updatedAt: Date;
}

const toRule = (r: { category_code: string; min_score: string; updated_at: Date }): AutoDispatchRule => ({ categoryCode: r.category_code, minScore: Number(r.min_score), updatedAt: r.updated_at });

export async function listAutoDispatchRules(db: Executor): Promise<AutoDispatchRule[]> {
  return (await db.selectFrom('auto_dispatch_rules').select(['category_code', 'min_score', 'updated_at']).orderBy('category_code').execute()).map(toRule);
}

export async function findAutoDispatchRule(db: Executor, categoryCode: string): Promise<AutoDispatchRule | undefined> {
  const row = await db.selectFrom('auto_dispatch_rules').select(['category_code', 'min_score', 'updated_at']).where('category_code', '=', categoryCode).executeTakeFirst();
  return row ? toRule(row) : undefined;
}

export async function putAutoDispatchRule(db: Executor, categoryCode: string, minScore: number, userId: string | null): Promise<void> {
  const values = { min_score: minScore, updated_by: userId, updated_at: new Date() };
  await db
    .insertInto('auto_dispatch_rules')
    .values({ category_code: categoryCode, ...values })
    .onConflict((oc) => oc.column('category_code').doUpdateSet(values))
    .execute();
}

export async function deleteAutoDispatchRule(db: Executor, categoryCode: string): Promise<boolean> {
  const result = await db.deleteFrom('auto_dispatch_rules').where('category_code', '=', categoryCode).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
