import { sql, type SqlBool } from 'kysely';
import { CASE_ENDED_STATUSES } from '../../../../shared/cases.ts';
import { scopeCondition, type Scope } from '../../../platform/access.ts';
import type { Executor } from '../../../platform/db/index.ts';
import { boundingBox } from './similarity.ts';

/**
 * SQL of duplicates, following and merging: `case_followers`, `case_merges` and the
 * similar-cases search over `cases`.
 *
 * THE PRIVACY EXCEPTION. Everywhere else a resident sees only their own reports (and the cases
 * they follow). `similarCandidates` is the one query that shows a resident other people's cases:
 * open cases of the same category nearby, so that they can follow one instead of reporting the
 * same problem again. It returns no reporter, caller or contact column, skips confidential hotline
 * cases for residents, and is limited to the resident's own street; the route shortens the
 * description and scrubs phone and ID numbers from it before a resident sees it.
 */

export interface SimilarQuery {
  /** The exact category, or a class (3 characters: every leaf in it). */
  category: { code: string } | { classCode: string };
  /** The radius of the new report's category; null: each candidate's own category radius. */
  radiusM: number | null;
  /** Largest radius that can apply (for the bounding box). */
  maxRadiusM: number;
  /** The committee (or the region given) of the new report: the place without coordinates. */
  placePath: string;
  position: { lat: number; lng: number } | null;
  since: Date;
  /** Who may see the candidates: the viewer's region scope, or a resident's street. */
  scope: Scope;
  excludeConfidential: boolean;
  excludeId?: string;
  /** The person asking: their own reports are not offered to them as "someone else's" problem. */
  excludeReporterId?: string;
  limit: number;
}

export interface SimilarCandidate {
  id: string;
  number: string;
  description: string;
  status: string;
  created_at: Date;
  lat: number | null;
  lng: number | null;
  category_name: string | null;
  radius_m: number;
  followers: number;
}

/**
 * Open cases (not closed, rejected or merged) created since `since`, of the category (or class),
 * inside the scope, and near the place: within the bounding box of the largest radius when both
 * have coordinates (the exact distance is checked by the caller), in the same committee otherwise.
 * Newest first, at most `limit`.
 */
export async function similarCandidates(db: Executor, q: SimilarQuery): Promise<SimilarCandidate[]> {
  const categoryCondition =
    'code' in q.category ? sql<SqlBool>`c.category_code = ${q.category.code}` : sql<SqlBool>`c.category_code like ${`${q.category.classCode}%`}`;
  const samePlace = sql<SqlBool>`c.region_path <@ ${q.placePath}::ltree`;
  let near = samePlace;
  if (q.position) {
    const box = boundingBox(q.position, q.maxRadiusM);
    near = sql<SqlBool>`(case when c.lat is null or c.lng is null then ${samePlace}
      else c.lat between ${box.minLat} and ${box.maxLat} and c.lng between ${box.minLng} and ${box.maxLng} end)`;
  }
  const radius = q.radiusM === null ? sql<number>`v.duplicate_radius_m` : sql<number>`${q.radiusM}::integer`;
  let query = db
    .selectFrom('cases as c')
    .leftJoin('category_versions as v', (join) => join.onRef('v.code', '=', 'c.category_code').onRef('v.version', '=', 'c.category_version'))
    .select([
      'c.id',
      'c.number',
      'c.description',
      'c.status',
      'c.created_at',
      'c.lat',
      'c.lng',
      'v.name as category_name',
      sql<number>`coalesce(${radius}, 0)`.as('radius_m'),
      sql<string>`(select count(*) from case_followers f where f.case_id = c.id)`.as('followers'),
    ])
    .where('c.status', 'not in', [...CASE_ENDED_STATUSES])
    .where('c.created_at', '>=', q.since)
    .where(categoryCondition)
    .where(near)
    .where(scopeCondition(sql.ref('c.region_path'), q.scope))
    .where(sql<SqlBool>`coalesce(${radius}, 0) > 0`);
  if (q.excludeConfidential) query = query.where('c.confidential', '=', false);
  if (q.excludeId) query = query.where('c.id', '<>', q.excludeId);
  if (q.excludeReporterId) query = query.where((eb) => eb.or([eb('c.reporter_user_id', 'is', null), eb('c.reporter_user_id', '<>', q.excludeReporterId!)]));
  const rows = await query.orderBy('c.created_at', 'desc').orderBy('c.id').limit(q.limit).execute();
  return rows.map((r) => ({ ...r, radius_m: Number(r.radius_m), followers: Number(r.followers) }));
}

/** The largest duplicate radius among the current versions of a class's leaves. */
export async function largestRadiusInClass(db: Executor, classCode: string): Promise<number> {
  const row = await db
    .selectFrom('categories as c')
    .innerJoin('category_versions as v', (join) => join.onRef('v.code', '=', 'c.code').onRef('v.version', '=', 'c.current_version'))
    .select(sql<number | null>`max(v.duplicate_radius_m)`.as('r'))
    .where('c.parent_code', '=', classCode)
    .executeTakeFirst();
  return Number(row?.r ?? 0);
}

// ---- followers ----

/** Adds followers (ignoring those already following); returns the ones actually added. */
export async function addFollowers(db: Executor, caseId: string, userIds: readonly string[], source: 'follow' | 'merge'): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .insertInto('case_followers')
    .values([...new Set(userIds)].map((user_id) => ({ case_id: caseId, user_id, source })))
    .onConflict((oc) => oc.columns(['case_id', 'user_id']).doNothing())
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** Removes followers; returns how many rows went. */
export async function removeFollowers(db: Executor, caseId: string, userIds: readonly string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const result = await db.deleteFrom('case_followers').where('case_id', '=', caseId).where('user_id', 'in', [...userIds]).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function followerIds(db: Executor, caseId: string): Promise<string[]> {
  const rows = await db.selectFrom('case_followers').select('user_id').where('case_id', '=', caseId).orderBy('created_at').orderBy('user_id').execute();
  return rows.map((r) => r.user_id);
}

/** Follower counts of some cases, and which of them `userId` follows. */
export async function followersOf(db: Executor, caseIds: readonly string[], userId: string | null): Promise<{ counts: Map<string, number>; following: Set<string> }> {
  const counts = new Map<string, number>();
  const following = new Set<string>();
  if (caseIds.length === 0) return { counts, following };
  const rows = await db
    .selectFrom('case_followers')
    .select(['case_id', sql<string>`count(*)`.as('n'), sql<boolean>`bool_or(user_id = ${userId})`.as('mine')])
    .where('case_id', 'in', [...caseIds])
    .groupBy('case_id')
    .execute();
  for (const r of rows) {
    counts.set(r.case_id, Number(r.n));
    if (r.mine) following.add(r.case_id);
  }
  return { counts, following };
}

// ---- merges ----

export interface MergeRecord {
  id: string;
  master_id: string;
  duplicate_id: string;
  merged_at: Date;
  previous_status: string;
  followers_added: string[];
  reports_added: number;
}

export async function insertMerge(
  db: Executor,
  row: { masterId: string; duplicateId: string; mergedBy: string; previousStatus: string; followersAdded: readonly string[]; reportsAdded: number },
): Promise<void> {
  await db
    .insertInto('case_merges')
    .values({
      master_id: row.masterId,
      duplicate_id: row.duplicateId,
      merged_by: row.mergedBy,
      previous_status: row.previousStatus,
      followers_added: [...row.followersAdded],
      reports_added: row.reportsAdded,
    })
    .execute();
}

/** The merge a duplicate is in now, if any. */
export async function activeMergeOf(db: Executor, duplicateId: string): Promise<MergeRecord | undefined> {
  return db
    .selectFrom('case_merges')
    .select(['id', 'master_id', 'duplicate_id', 'merged_at', 'previous_status', 'followers_added', 'reports_added'])
    .where('duplicate_id', '=', duplicateId)
    .where('unmerged_at', 'is', null)
    .executeTakeFirst();
}

export async function closeMerge(db: Executor, id: string, by: string, at: Date): Promise<void> {
  await db.updateTable('case_merges').set({ unmerged_at: at, unmerged_by: by }).where('id', '=', id).execute();
}

export async function hasMergedReports(db: Executor, masterId: string): Promise<boolean> {
  const row = await db.selectFrom('case_merges').select('id').where('master_id', '=', masterId).where('unmerged_at', 'is', null).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The reports merged into a master now, oldest first. */
export async function mergedReportsOf(db: Executor, masterId: string) {
  return db
    .selectFrom('case_merges as m')
    .innerJoin('cases as c', 'c.id', 'm.duplicate_id')
    .select(['c.id', 'c.number', 'c.description', 'c.created_at', 'c.reporter_user_id', 'c.confidential', 'm.merged_at'])
    .where('m.master_id', '=', masterId)
    .where('m.unmerged_at', 'is', null)
    .orderBy('c.created_at')
    .execute();
}

/** Case numbers by id (for pointers such as mergedInto). */
export async function caseNumbers(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('cases').select(['id', 'number']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.number]));
}

/** Hotline callback numbers of the reports merged into a master (they hear the outcome by SMS too). */
export async function mergedHotlineCallers(db: Executor, masterId: string): Promise<Array<{ number: string; phone: string }>> {
  const rows = await db
    .selectFrom('case_merges as m')
    .innerJoin('cases as c', 'c.id', 'm.duplicate_id')
    .select(['c.number', 'c.caller_phone'])
    .where('m.master_id', '=', masterId)
    .where('m.unmerged_at', 'is', null)
    .where('c.channel', '=', 'hotline')
    .where('c.caller_phone', 'is not', null)
    .execute();
  return rows.map((r) => ({ number: r.number, phone: r.caller_phone! }));
}

/** Case ids by number, inside what a viewer may see is checked by the caller (findCase). */
export async function caseIdByNumber(db: Executor, number: string): Promise<string | undefined> {
  const row = await db.selectFrom('cases').select('id').where('number', '=', number).executeTakeFirst();
  return row?.id;
}
