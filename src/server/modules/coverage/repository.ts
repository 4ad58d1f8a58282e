import { sql } from 'kysely';
import type { CoverageUnit } from '../../../shared/coverage.ts';
import type { Executor } from '../../platform/db/index.ts';

/** The only code of coverage that touches SQL. Every count is grouped by committee (depth 3 of the region tree). */

const COMMITTEE_DEPTH = 3;

export interface CommitteeRow {
  code: string;
  name: string;
  path: string;
  streetCode: string | null;
  buildings: number;
}

/** The committees inside `path` (or the committee itself), with how many buildings are registered under each. */
export async function committeesUnder(db: Executor, path: string): Promise<CommitteeRow[]> {
  const result = await sql<{ code: string; name: string; path: string; parent_code: string | null; buildings: string }>`
    select c.code, c.name, c.path::text as path, c.parent_code,
      (select count(*) from regions b where b.level = 'building' and b.path <@ c.path)::text as buildings
    from regions c
    where c.level = 'committee' and c.path <@ ${path}::ltree
    order by c.code`.execute(db);
  return result.rows.map((r) => ({ code: r.code, name: r.name, path: r.path, streetCode: r.parent_code, buildings: Number(r.buildings) }));
}

export interface DeviceCount {
  committeePath: string;
  profile: string;
  devices: number;
  online: number;
}

/** Devices in service (not retired) per committee and profile. */
export async function deviceCounts(db: Executor, path: string): Promise<DeviceCount[]> {
  const result = await sql<{ committee_path: string; profile: string; devices: string; online: string }>`
    select subpath(region_path, 0, ${COMMITTEE_DEPTH})::text as committee_path, profile,
      count(*)::text as devices, count(*) filter (where connectivity = 'online')::text as online
    from devices
    where state <> 'retired' and region_path <@ ${path}::ltree and nlevel(region_path) >= ${COMMITTEE_DEPTH}
    group by 1, 2`.execute(db);
  return result.rows.map((r) => ({ committeePath: r.committee_path, profile: r.profile, devices: Number(r.devices), online: Number(r.online) }));
}

export interface AlarmUse {
  committeePath: string;
  alarms: number;
  withCase: number;
  handled: number;
}

/**
 * Process alarms (not maintenance, not suppressed or out of service) raised since `since`, per
 * committee: how many led to a case, and how many of those cases were closed.
 */
export async function alarmUse(db: Executor, path: string, since: Date): Promise<AlarmUse[]> {
  const result = await sql<{ committee_path: string; alarms: string; with_case: string; handled: string }>`
    select subpath(a.region_path, 0, ${COMMITTEE_DEPTH})::text as committee_path,
      count(*)::text as alarms,
      count(a.case_id)::text as with_case,
      count(*) filter (where c.status = 'closed')::text as handled
    from alarms a
    left join cases c on c.id = a.case_id
    where a.kind = 'process' and not a.suppressed and not a.out_of_service
      and a.first_at >= ${since.toISOString()}::timestamptz
      and a.region_path <@ ${path}::ltree and nlevel(a.region_path) >= ${COMMITTEE_DEPTH}
    group by 1`.execute(db);
  return result.rows.map((r) => ({ committeePath: r.committee_path, alarms: Number(r.alarms), withCase: Number(r.with_case), handled: Number(r.handled) }));
}

export interface NormRow {
  id: string;
  regionCode: string;
  regionName: string;
  regionPath: string;
  profile: string;
  unit: CoverageUnit;
  expected: number;
  updatedAt: Date;
}

/** Norms set on `path`'s ancestors, itself and (with `below`) its descendants. */
export async function listNorms(db: Executor, path: string, below: boolean): Promise<NormRow[]> {
  const rows = await db
    .selectFrom('coverage_norms as n')
    .innerJoin('regions as r', 'r.code', 'n.region_code')
    .select(['n.id', 'n.region_code', 'r.name', sql<string>`n.region_path::text`.as('region_path'), 'n.profile', 'n.unit', 'n.expected', 'n.updated_at'])
    .where(below ? sql<boolean>`(n.region_path @> ${path}::ltree or n.region_path <@ ${path}::ltree)` : sql<boolean>`n.region_path @> ${path}::ltree`)
    .orderBy(sql`nlevel(n.region_path)`)
    .orderBy('n.profile')
    .execute();
  return rows.map((r) => ({ id: r.id, regionCode: r.region_code, regionName: r.name, regionPath: r.region_path, profile: r.profile, unit: r.unit, expected: r.expected, updatedAt: r.updated_at }));
}

export async function upsertNorm(db: Executor, norm: { regionCode: string; regionPath: string; profile: string; unit: CoverageUnit; expected: number }): Promise<{ previous: number | null }> {
  const before = await db.selectFrom('coverage_norms').select('expected').where('region_code', '=', norm.regionCode).where('profile', '=', norm.profile).where('unit', '=', norm.unit).forUpdate().executeTakeFirst();
  await db
    .insertInto('coverage_norms')
    .values({ region_code: norm.regionCode, region_path: norm.regionPath, profile: norm.profile, unit: norm.unit, expected: norm.expected })
    .onConflict((oc) => oc.columns(['region_code', 'profile', 'unit']).doUpdateSet({ expected: norm.expected, updated_at: sql`now()` }))
    .execute();
  return { previous: before?.expected ?? null };
}

export async function deleteNorm(db: Executor, norm: { regionCode: string; profile: string; unit: CoverageUnit }): Promise<boolean> {
  const result = await db.deleteFrom('coverage_norms').where('region_code', '=', norm.regionCode).where('profile', '=', norm.profile).where('unit', '=', norm.unit).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Seeds the district-wide norms once; a norm already there (edited by the district) is kept. */
export async function seedNorms(db: Executor, rootCode: string, norms: ReadonlyArray<{ profile: string; unit: CoverageUnit; expected: number }>): Promise<void> {
  const root = await db.selectFrom('regions').select(['code', sql<string>`path::text`.as('path')]).where('code', '=', rootCode).executeTakeFirst();
  if (!root || norms.length === 0) return;
  await db
    .insertInto('coverage_norms')
    .values(norms.map((n) => ({ region_code: root.code, region_path: root.path, profile: n.profile, unit: n.unit, expected: n.expected })))
    .onConflict((oc) => oc.columns(['region_code', 'profile', 'unit']).doNothing())
    .execute();
}
