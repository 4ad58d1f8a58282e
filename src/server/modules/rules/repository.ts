import { sql, type SqlBool } from 'kysely';
import type { DeviceProfileId, TelemetryValue } from '../../../shared/iot-profiles.ts';
import { shanghaiDayStart, type Compare, type Predicate, type RuleDefinition } from '../../../shared/rules.ts';
import { scopeCondition, type Scope } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { Reading } from '../telemetry/contracts.ts';
import type { RuleState } from './engine.ts';

/** The only code that touches the rule tables (and reads device_readings for the time-based rules). */

export interface StoredRule {
  id: string;
  key: string;
  profile: DeviceProfileId;
  regionCode: string | null;
  regionName: string | null;
  regionPath: string;
  deviceId: string | null;
  deviceName: string | null;
  definition: RuleDefinition;
  enabled: boolean;
  version: number;
  updatedAt: Date;
}

function ruleQuery(db: Executor) {
  return db
    .selectFrom('device_rules as dr')
    .leftJoin('regions as r', 'r.code', 'dr.region_code')
    .leftJoin('devices as d', 'd.id', 'dr.device_id')
    .select(['dr.id', 'dr.key', 'dr.profile', 'dr.region_code', 'r.name as region_name', 'dr.region_path', 'dr.device_id', 'd.name as device_name', 'dr.definition', 'dr.enabled', 'dr.version', 'dr.updated_at']);
}

function present(row: {
  id: string;
  key: string;
  profile: string;
  region_code: string | null;
  region_name: string | null;
  region_path: string;
  device_id: string | null;
  device_name: string | null;
  definition: unknown;
  enabled: boolean;
  version: number;
  updated_at: Date;
}): StoredRule {
  return {
    id: row.id,
    key: row.key,
    profile: row.profile as DeviceProfileId,
    regionCode: row.region_code,
    regionName: row.region_name,
    regionPath: row.region_path,
    deviceId: row.device_id,
    deviceName: row.device_name,
    definition: row.definition as RuleDefinition,
    enabled: row.enabled,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

/** Which database this is and how often its rules have changed: one primary-key read. */
export async function ruleGeneration(db: Executor): Promise<{ databaseId: string; generation: string }> {
  const row = await db.selectFrom('device_rule_generation').select(['id', 'generation']).executeTakeFirstOrThrow();
  return { databaseId: row.id, generation: row.generation };
}

export async function bumpRuleGeneration(db: Executor): Promise<void> {
  await db.updateTable('device_rule_generation').set({ generation: sql`generation + 1` }).execute();
}

/** Every stored rule, for the evaluation cache (overrides are few: one per key and scope). */
export async function allStoredRules(db: Executor): Promise<StoredRule[]> {
  return (await ruleQuery(db).execute()).map(present);
}

/**
 * Stored rules a caller may see: inside the scope, or above it (a street's override applies to
 * the committees below it, so their staff see where their effective rule comes from).
 */
export function visibleCondition(scope: Scope) {
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  return sql<SqlBool>`(${scopeCondition(sql.ref('dr.region_path'), scope)} or dr.region_path @> array[${sql.join(scope.paths.map((p) => sql`${p}::ltree`))}])`;
}

export async function findStoredRule(db: Executor, scope: Scope, id: string, options: { forUpdate?: boolean } = {}): Promise<StoredRule | undefined> {
  let query = ruleQuery(db).where('dr.id', '=', id).where(visibleCondition(scope));
  if (options.forUpdate) query = query.forUpdate('dr');
  const row = await query.executeTakeFirst();
  return row && present(row);
}

/** Stored rules that apply at a region path (at it or above) or to one device, and those below it in the scope. */
export async function storedRulesAround(db: Executor, scope: Scope, path: string, profile?: string): Promise<StoredRule[]> {
  let query = ruleQuery(db)
    .where(visibleCondition(scope))
    .where(sql<SqlBool>`(dr.region_path @> ${path}::ltree or dr.region_path <@ ${path}::ltree)`);
  if (profile) query = query.where('dr.profile', '=', profile);
  return (await query.orderBy('dr.key').orderBy('dr.region_path').execute()).map(present);
}

export async function insertRule(
  db: Executor,
  row: { key: string; profile: string; regionCode: string | null; regionPath: string; deviceId: string | null; definition: RuleDefinition; enabled: boolean; userId: string | null },
): Promise<string> {
  const inserted = await db
    .insertInto('device_rules')
    .values({
      key: row.key,
      profile: row.profile,
      region_code: row.regionCode,
      region_path: row.regionPath,
      device_id: row.deviceId,
      definition: JSON.stringify(row.definition),
      enabled: row.enabled,
      updated_by: row.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateRule(db: Executor, id: string, patch: { definition: RuleDefinition; enabled: boolean; userId: string | null }): Promise<number> {
  const row = await db
    .updateTable('device_rules')
    .set({ definition: JSON.stringify(patch.definition), enabled: patch.enabled, updated_by: patch.userId, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

export async function deleteRule(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('device_rules').where('id', '=', id).execute();
}

export async function insertRuleVersion(
  db: Executor,
  row: { ruleId: string; version: number; change: 'create' | 'update' | 'delete'; definition: RuleDefinition; enabled: boolean; note: string | null; userId: string | null },
): Promise<void> {
  await db
    .insertInto('device_rule_versions')
    .values({ rule_id: row.ruleId, version: row.version, change: row.change, definition: JSON.stringify(row.definition), enabled: row.enabled, note: row.note, changed_by: row.userId })
    .execute();
}

export interface RuleVersion {
  version: number;
  change: 'create' | 'update' | 'delete';
  definition: RuleDefinition;
  enabled: boolean;
  note: string | null;
  changedAt: Date;
  changedBy: string | null;
}

export async function ruleVersions(db: Executor, ruleId: string): Promise<RuleVersion[]> {
  const rows = await db
    .selectFrom('device_rule_versions as v')
    .leftJoin('users as u', 'u.id', 'v.changed_by')
    .select(['v.version', 'v.change', 'v.definition', 'v.enabled', 'v.note', 'v.changed_at', 'u.username'])
    .where('v.rule_id', '=', ruleId)
    .orderBy('v.version', 'desc')
    .execute();
  return rows.map((r) => ({ version: r.version, change: r.change, definition: r.definition as RuleDefinition, enabled: r.enabled, note: r.note, changedAt: r.changed_at, changedBy: r.username }));
}

/* ---------------------------------------------------------------------------------------------
 * Evaluation state
 * ------------------------------------------------------------------------------------------- */

export const stateKey = (deviceId: string, ruleKey: string) => `${deviceId} ${ruleKey}`;

/**
 * Device ids as one parameter (a JSON array), however many: the one-minute job passes every
 * device in service, far beyond what a parameter list allows.
 */
const idList = (ids: readonly string[]) => sql<string>`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`;

/** The rule state of these devices, in one query. */
export async function loadRuleStates(db: Executor, deviceIds: readonly string[]): Promise<Map<string, RuleState>> {
  const states = new Map<string, RuleState>();
  if (deviceIds.length === 0) return states;
  const rows = await db.selectFrom('device_rule_state').select(['device_id', 'rule_key', 'active', 'since']).where(sql<SqlBool>`device_id in ${idList(deviceIds)}`).execute();
  for (const r of rows) states.set(stateKey(r.device_id, r.rule_key), { active: r.active, since: r.since });
  return states;
}

/** Writes changed states in one statement. */
export async function saveRuleStates(db: Executor, changes: ReadonlyArray<{ deviceId: string; ruleKey: string; state: RuleState }>, at: Date): Promise<void> {
  if (changes.length === 0) return;
  const rows = JSON.stringify(changes.map((c) => ({ device_id: c.deviceId, rule_key: c.ruleKey, active: c.state.active, since: c.state.since?.toISOString() ?? null, changed_at: at.toISOString() })));
  await sql`
    insert into device_rule_state (device_id, rule_key, active, since, changed_at)
    select x.device_id, x.rule_key, x.active, x.since, x.changed_at
    from jsonb_to_recordset(${rows}::jsonb) as x(device_id uuid, rule_key text, active boolean, since timestamptz, changed_at timestamptz)
    on conflict (device_id, rule_key) do update set active = excluded.active, since = excluded.since, changed_at = excluded.changed_at`.execute(db);
}

/* ---------------------------------------------------------------------------------------------
 * Devices and readings for the time-based rules and the dry run
 * ------------------------------------------------------------------------------------------- */

export interface DeviceRef {
  id: string;
  profile: DeviceProfileId;
  regionCode: string;
  regionPath: string;
  name: string;
  createdAt: Date;
}

const deviceColumns = ['d.id', 'd.profile', 'd.region_code', 'd.region_path', 'd.name', 'd.created_at'] as const;
const deviceRef = (r: { id: string; profile: string; region_code: string; region_path: string; name: string; created_at: Date }): DeviceRef => ({
  id: r.id,
  profile: r.profile as DeviceProfileId,
  regionCode: r.region_code,
  regionPath: r.region_path,
  name: r.name,
  createdAt: r.created_at,
});

/** Devices in service (not retired) of these profiles, for the one-minute job. */
export async function devicesInService(db: Executor, profiles: readonly string[]): Promise<DeviceRef[]> {
  if (profiles.length === 0) return [];
  const rows = await db.selectFrom('devices as d').select(deviceColumns).where('d.profile', 'in', [...profiles]).where('d.state', '<>', 'retired').execute();
  return rows.map(deviceRef);
}

/** Devices in the scope for a dry run: by id, or every device of the profile in a region. */
export async function devicesForDryRun(db: Executor, scope: Scope, profile: string, pick: { deviceIds: readonly string[] } | { regionCode: string }): Promise<DeviceRef[]> {
  let query = db.selectFrom('devices as d').select(deviceColumns).where(scopeCondition(sql.ref('d.region_path'), scope)).where('d.profile', '=', profile).where('d.state', '<>', 'retired');
  if ('deviceIds' in pick) query = query.where('d.id', 'in', [...pick.deviceIds]);
  else {
    const code = pick.regionCode;
    query = query.where(sql<SqlBool>`d.region_path <@ (select p.path from regions p where p.code = ${code})`);
  }
  return (await query.orderBy('d.name').limit(200).execute()).map(deviceRef);
}

/** A device in the scope (for overrides by device). */
export async function findDeviceRef(db: Executor, scope: Scope, id: string): Promise<DeviceRef | undefined> {
  const row = await db.selectFrom('devices as d').select(deviceColumns).where('d.id', '=', id).where(scopeCondition(sql.ref('d.region_path'), scope)).executeTakeFirst();
  return row && deviceRef(row);
}

/** Recorded readings of these devices in a period, in time order (the dry run replays them). */
export async function recordedReadings(db: Executor, devices: readonly DeviceRef[], from: Date, to: Date, limit: number): Promise<Reading[]> {
  if (devices.length === 0) return [];
  const byId = new Map(devices.map((d) => [d.id, d]));
  const rows = await db
    .selectFrom('device_readings')
    .select(['id', 'device_id', 'kind', 'observed_at', 'received_at', 'values'])
    .where('device_id', 'in', [...byId.keys()])
    .where('observed_at', '>=', from)
    .where('observed_at', '<', to)
    .orderBy('observed_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const d = byId.get(r.device_id)!;
    return { id: r.id, deviceId: r.device_id, profile: d.profile, regionCode: d.regionCode, regionPath: d.regionPath, kind: r.kind, observedAt: r.observed_at, receivedAt: r.received_at, values: r.values as Record<string, TelemetryValue> };
  });
}

/** The predicate as SQL over `r."values"`: jsonb compares numbers numerically and a missing field is null (not holding). */
function predicateSql(predicate: Predicate | Compare): ReturnType<typeof sql<SqlBool>> {
  switch (predicate.kind) {
    case 'compare': {
      const op = sql.raw(predicate.op === '==' ? '=' : predicate.op === '!=' ? '<>' : predicate.op);
      return sql<SqlBool>`coalesce(r."values" -> ${predicate.field} ${op} ${JSON.stringify(predicate.value)}::jsonb, false)`;
    }
    case 'all':
    case 'any':
      return sql<SqlBool>`(${sql.join(
        predicate.conditions.map((c) => predicateSql(c)),
        sql.raw(predicate.kind === 'all' ? ' and ' : ' or '),
      )})`;
  }
}

/**
 * For an absence rule: per device, the last reading at or before `now` matching the predicate
 * (any reading when null), or the device's registration when there is none. One query for all
 * the devices, one backward index scan each.
 */
export async function lastMatches(db: Executor, devices: readonly DeviceRef[], predicate: Predicate | null, now: Date): Promise<Map<string, Date>> {
  if (devices.length === 0) return new Map();
  const match = predicate ? predicateSql(predicate) : sql<SqlBool>`true`;
  const rows = await sql<{ id: string; last_at: Date }>`
    select d.id, coalesce(m.observed_at, d.created_at) as last_at
    from devices d
    left join lateral (
      select r.observed_at from device_readings r
      where r.device_id = d.id and r.observed_at <= ${now} and ${match}
      order by r.observed_at desc limit 1
    ) m on true
    where d.id in ${idList(devices.map((d) => d.id))}`.execute(db);
  return new Map(rows.rows.map((r) => [r.id, new Date(r.last_at)]));
}

/**
 * For a window-total rule: per device, the increase of a cumulative field from the last reading
 * before the window to the last reading inside it. Devices lacking either end are left out.
 */
export async function windowIncreases(db: Executor, devices: readonly DeviceRef[], field: string, window: { hours: number } | { calendarDay: true }, now: Date): Promise<Map<string, number>> {
  if (devices.length === 0) return new Map();
  const start = 'calendarDay' in window ? shanghaiDayStart(now) : new Date(now.getTime() - window.hours * 3600_000);
  const rows = await sql<{ id: string; increase: number }>`
    select d.id, (c.v - b.v)::float8 as increase
    from devices d
    join lateral (
      select (r."values" ->> ${field})::float8 as v from device_readings r
      where r.device_id = d.id and r.observed_at <= ${start} and r."values" ? ${field}
      order by r.observed_at desc limit 1
    ) b on true
    join lateral (
      select (r."values" ->> ${field})::float8 as v from device_readings r
      where r.device_id = d.id and r.observed_at > ${start} and r.observed_at <= ${now} and r."values" ? ${field}
      order by r.observed_at desc limit 1
    ) c on true
    where d.id in ${idList(devices.map((d) => d.id))}`.execute(db);
  return new Map(rows.rows.map((r) => [r.id, Number(r.increase)]));
}
