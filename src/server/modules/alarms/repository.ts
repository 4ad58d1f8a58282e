import { sql, type Insertable, type SqlBool, type Updateable } from 'kysely';
import type { AlarmCaseMode, AlarmSeverity, AlarmState, AlarmTypeId } from '../../../shared/alarms.ts';
import { scopeCondition, type Scope } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { AlarmTable } from '../../platform/db/schema.ts';

/** The only code that touches the alarm tables. Reads of alarms take the caller's scope and the kinds their role sees. */

export interface AlarmView {
  scope: Scope;
  kinds: ReadonlyArray<'process' | 'maintenance'>;
}

export interface Alarm {
  id: string;
  deviceId: string;
  deviceName: string;
  deviceLat: number | null;
  deviceLng: number | null;
  type: AlarmTypeId;
  severity: AlarmSeverity;
  kind: 'process' | 'maintenance';
  latched: boolean;
  regionCode: string;
  regionName: string;
  regionPath: string;
  conditionActive: boolean;
  active: boolean;
  acknowledged: boolean;
  shelvedUntil: Date | null;
  state: AlarmState;
  repeatCount: number;
  escalationLevel: number;
  firstAt: Date;
  lastAt: Date;
  rtnAt: Date | null;
  ackedAt: Date | null;
  caseMode: AlarmCaseMode;
  recheck: 'pending' | 'confirmed' | 'dismissed' | null;
  caseId: string | null;
  caseNumber: string | null;
  detail: { 'zh-CN': string; en: string } | null;
  values: Record<string, unknown> | null;
}

function base(db: Executor, view: AlarmView) {
  return db
    .selectFrom('alarms as a')
    .innerJoin('devices as d', 'd.id', 'a.device_id')
    .innerJoin('regions as r', 'r.code', 'a.region_code')
    .leftJoin('cases as c', 'c.id', 'a.case_id')
    .where(scopeCondition(sql.ref('a.region_path'), view.scope))
    .where('a.kind', 'in', [...view.kinds]);
}

const columns = [
  'a.id',
  'a.device_id',
  'd.name as device_name',
  'd.lat as device_lat',
  'd.lng as device_lng',
  'a.type',
  'a.severity',
  'a.kind',
  'a.latched',
  'a.region_code',
  'r.name as region_name',
  'a.region_path',
  'a.condition_active',
  'a.active',
  'a.acknowledged',
  'a.shelved_until',
  'a.state',
  'a.repeat_count',
  'a.escalation_level',
  'a.first_at',
  'a.last_at',
  'a.rtn_at',
  'a.acked_at',
  'a.case_mode',
  'a.recheck',
  'a.case_id',
  'c.number as case_number',
  'a.detail',
  'a.values',
] as const;

type Row = {
  id: string;
  device_id: string;
  device_name: string;
  device_lat: number | null;
  device_lng: number | null;
  type: string;
  severity: string;
  kind: string;
  latched: boolean;
  region_code: string;
  region_name: string;
  region_path: string;
  condition_active: boolean;
  active: boolean;
  acknowledged: boolean;
  shelved_until: Date | null;
  state: string;
  repeat_count: number;
  escalation_level: number;
  first_at: Date;
  last_at: Date;
  rtn_at: Date | null;
  acked_at: Date | null;
  case_mode: string;
  recheck: string | null;
  case_id: string | null;
  case_number: string | null;
  detail: unknown;
  values: unknown;
};

const objectOrNull = <T>(value: unknown): T | null => (typeof value === 'object' && value !== null ? (value as T) : null);

function present(row: Row): Alarm {
  return {
    id: row.id,
    deviceId: row.device_id,
    deviceName: row.device_name,
    deviceLat: row.device_lat,
    deviceLng: row.device_lng,
    type: row.type as AlarmTypeId,
    severity: row.severity as AlarmSeverity,
    kind: row.kind as Alarm['kind'],
    latched: row.latched,
    regionCode: row.region_code,
    regionName: row.region_name,
    regionPath: row.region_path,
    conditionActive: row.condition_active,
    active: row.active,
    acknowledged: row.acknowledged,
    shelvedUntil: row.shelved_until,
    state: row.state as AlarmState,
    repeatCount: row.repeat_count,
    escalationLevel: row.escalation_level,
    firstAt: row.first_at,
    lastAt: row.last_at,
    rtnAt: row.rtn_at,
    ackedAt: row.acked_at,
    caseMode: row.case_mode as AlarmCaseMode,
    recheck: row.recheck as Alarm['recheck'],
    caseId: row.case_id,
    caseNumber: row.case_number,
    detail: objectOrNull(row.detail),
    values: objectOrNull(row.values),
  };
}

export async function findAlarm(db: Executor, view: AlarmView, id: string, options: { forUpdate?: boolean } = {}): Promise<Alarm | undefined> {
  let query = base(db, view).select(columns).where('a.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('a');
  const row = await query.executeTakeFirst();
  return row && present(row);
}

/** Unscoped, for the platform's own work (jobs, the case loop). */
export async function alarmById(db: Executor, id: string, options: { forUpdate?: boolean } = {}): Promise<Alarm | undefined> {
  return findAlarm(db, { scope: { kind: 'all' }, kinds: ['process', 'maintenance'] }, id, options);
}

export interface AlarmFilter {
  states?: readonly AlarmState[];
  type?: string;
  /** Alarms in this region or below it. */
  regionCode?: string;
  deviceId?: string;
  caseId?: string;
  limit: number;
  offset: number;
}

const SEVERITY_RANK = sql<number>`case a.severity when 'critical' then 0 when 'major' then 1 when 'minor' then 2 else 3 end`;
const UNACKNOWLEDGED_FIRST = sql<number>`case when a.state in ('active_unack','rtn_unack') then 0 else 1 end`;

/** Unacknowledged first, then the most severe, then the newest. */
export async function listAlarms(db: Executor, view: AlarmView, filter: AlarmFilter): Promise<{ items: Alarm[]; total: number }> {
  let query = base(db, view);
  if (filter.states?.length) query = query.where('a.state', 'in', [...filter.states]);
  if (filter.type) query = query.where('a.type', '=', filter.type);
  if (filter.deviceId) query = query.where('a.device_id', '=', filter.deviceId);
  if (filter.caseId) query = query.where('a.case_id', '=', filter.caseId);
  if (filter.regionCode) {
    const code = filter.regionCode;
    query = query.where(sql<SqlBool>`a.region_path <@ (select p.path from regions p where p.code = ${code})`);
  }
  const [rows, count] = await Promise.all([
    query.select(columns).orderBy(UNACKNOWLEDGED_FIRST).orderBy(SEVERITY_RANK).orderBy('a.last_at', 'desc').orderBy('a.id').limit(filter.limit).offset(filter.offset).execute(),
    query.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(present), total: Number(count.n) };
}

export interface FloodGroup {
  type: AlarmTypeId;
  committeeCode: string | null;
  committeeName: string | null;
  count: number;
  newestAt: Date;
  newestId: string;
}

/** How many alarms were raised in the view since `since`, and, grouped by type and committee, which. */
export async function recentAlarmGroups(db: Executor, view: AlarmView, since: Date): Promise<{ total: number; groups: FloodGroup[] }> {
  const committee = sql<string>`subpath(a.region_path, 0, least(3, nlevel(a.region_path)))`;
  const rows = await db
    .selectFrom('alarms as a')
    .where(scopeCondition(sql.ref('a.region_path'), view.scope))
    .where('a.kind', 'in', [...view.kinds])
    .where('a.first_at', '>=', since)
    .select([
      'a.type',
      committee.as('committee_path'),
      sql<string>`count(*)`.as('n'),
      sql<Date>`max(a.first_at)`.as('newest_at'),
      sql<string>`(array_agg(a.id order by a.first_at desc))[1]`.as('newest_id'),
    ])
    .groupBy(['a.type', committee])
    .orderBy(sql`count(*)`, 'desc')
    .execute();
  const paths = [...new Set(rows.map((r) => r.committee_path))];
  const regions = paths.length
    ? await db.selectFrom('regions').select(['code', 'name', sql<string>`path::text`.as('path')]).where(sql<SqlBool>`path::text in (${sql.join(paths)})`).execute()
    : [];
  const byPath = new Map(regions.map((r) => [r.path, r]));
  return {
    total: rows.reduce((sum, r) => sum + Number(r.n), 0),
    groups: rows.map((r) => ({
      type: r.type as AlarmTypeId,
      committeeCode: byPath.get(r.committee_path)?.code ?? null,
      committeeName: byPath.get(r.committee_path)?.name ?? null,
      count: Number(r.n),
      newestAt: new Date(r.newest_at),
      newestId: r.newest_id,
    })),
  };
}

export async function updateAlarm(db: Executor, id: string, patch: Updateable<AlarmTable>): Promise<AlarmState> {
  const row = await db.updateTable('alarms').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returning('state').executeTakeFirstOrThrow();
  return row.state as AlarmState;
}

export interface NewAlarmEvent {
  alarmId: string;
  action: string;
  fromState: string | null;
  toState: string;
  actorUserId: string | null;
  actorName: string;
  note: string | null;
  details: Record<string, unknown>;
  at?: Date;
}

export async function insertAlarmEvents(db: Executor, events: readonly NewAlarmEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('alarm_events')
    .values(
      events.map((e) => ({
        alarm_id: e.alarmId,
        action: e.action,
        from_state: e.fromState,
        to_state: e.toState,
        actor_user_id: e.actorUserId,
        actor_name: e.actorName,
        note: e.note,
        details: JSON.stringify(e.details),
        ...(e.at ? { at: e.at } : {}),
      })),
    )
    .execute();
}

export async function alarmHistory(db: Executor, alarmId: string) {
  return db.selectFrom('alarm_events').selectAll().where('alarm_id', '=', alarmId).orderBy('id').execute();
}

// ── signals ─────────────────────────────────────────────────────────────────

export interface DeviceFacts {
  id: string;
  name: string;
  state: string;
  regionCode: string;
  regionPath: string;
  /** Inside a maintenance window or drill now (for the device itself or a region around it). */
  inWindow: boolean;
}

export async function deviceFacts(db: Executor, deviceIds: readonly string[], now: Date): Promise<Map<string, DeviceFacts>> {
  if (deviceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('devices as d')
    .select([
      'd.id',
      'd.name',
      'd.state',
      'd.region_code',
      'd.region_path',
      sql<boolean>`exists (select 1 from alarm_windows w where w.starts_at <= ${now} and w.ends_at > ${now} and (w.device_id = d.id or d.region_path <@ w.region_path))`.as('in_window'),
    ])
    .where('d.id', 'in', [...deviceIds])
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, state: r.state, regionCode: r.region_code, regionPath: r.region_path, inWindow: r.in_window }]));
}

/** `deviceId/type` of the types taken out of service for these devices. */
export async function outOfServiceTypes(db: Executor, deviceIds: readonly string[]): Promise<Set<string>> {
  if (deviceIds.length === 0) return new Set();
  const rows = await db.selectFrom('alarm_out_of_service').select(['device_id', 'type']).where('device_id', 'in', [...deviceIds]).execute();
  return new Set(rows.map((r) => `${r.device_id}/${r.type}`));
}

/** The open (not cleared) alarms of these devices, by `deviceId/type`. */
export async function openAlarmStates(db: Executor, deviceIds: readonly string[]): Promise<Map<string, AlarmState>> {
  if (deviceIds.length === 0) return new Map();
  const rows = await db.selectFrom('alarms').select(['device_id', 'type', 'state']).where('device_id', 'in', [...deviceIds]).where('state', '<>', 'cleared').execute();
  return new Map(rows.map((r) => [`${r.device_id}/${r.type}`, r.state as AlarmState]));
}

export interface SignalledAlarm {
  id: string;
  deviceId: string;
  type: string;
  state: AlarmState;
  inserted: boolean;
}

/**
 * Raises or counts alarms in one statement: a new row per (device, type) without an open alarm,
 * otherwise the open one counts the repeats (an unacknowledged alarm that had returned to normal
 * becomes active again; a latched one stays active whatever the condition does).
 */
export async function upsertAlarms(db: Executor, rows: ReadonlyArray<Insertable<AlarmTable>>): Promise<SignalledAlarm[]> {
  if (rows.length === 0) return [];
  const result = await db
    .insertInto('alarms')
    .values([...rows])
    .onConflict((oc) =>
      oc
        .columns(['device_id', 'type'])
        .where(sql<SqlBool>`state <> 'cleared'`)
        .doUpdateSet({
          condition_active: sql`excluded.condition_active`,
          active: sql`case when alarms.latched then true else excluded.active end`,
          repeat_count: sql`alarms.repeat_count + excluded.repeat_count`,
          last_at: sql`greatest(alarms.last_at, excluded.last_at)`,
          rtn_at: sql`case when excluded.condition_active then alarms.rtn_at else excluded.rtn_at end`,
          severity: sql`excluded.severity`,
          source: sql`excluded.source`,
          values: sql`coalesce(excluded."values", alarms."values")`,
          detail: sql`coalesce(excluded.detail, alarms.detail)`,
          updated_at: sql`now()`,
        }),
    )
    .returning(['id', 'device_id', 'type', 'state', sql<boolean>`(xmax = 0)`.as('inserted')])
    .execute();
  return result.map((r) => ({ id: r.id, deviceId: r.device_id, type: r.type, state: r.state as AlarmState, inserted: r.inserted }));
}

/** The condition of these open alarms returned to normal (a latched alarm stays active until reset). */
export async function returnAlarmsToNormal(db: Executor, rows: ReadonlyArray<{ deviceId: string; type: string; at: Date }>): Promise<SignalledAlarm[]> {
  if (rows.length === 0) return [];
  const values = sql.join(rows.map((r) => sql`(${r.deviceId}::uuid, ${r.type}::text, ${r.at}::timestamptz)`));
  const result = await sql<{ id: string; device_id: string; type: string; state: string }>`
    update alarms as a
       set condition_active = false,
           active = a.latched and a.active,
           rtn_at = v.at,
           last_at = greatest(a.last_at, v.at),
           updated_at = now()
      from (values ${values}) as v(device_id, type, at)
     where a.device_id = v.device_id and a.type = v.type and a.state <> 'cleared' and a.condition_active
    returning a.id, a.device_id, a.type, a.state`.execute(db);
  return result.rows.map((r) => ({ id: r.id, deviceId: r.device_id, type: r.type, state: r.state as AlarmState, inserted: false }));
}

// ── settings ───────────────────────────────────────────────────────────────

export async function caseModeOverrides(db: Executor): Promise<Map<string, AlarmCaseMode>> {
  const rows = await db.selectFrom('alarm_type_settings').select(['type', 'case_mode']).execute();
  return new Map(rows.map((r) => [r.type, r.case_mode as AlarmCaseMode]));
}

export async function putCaseMode(db: Executor, type: string, mode: AlarmCaseMode, userId: string): Promise<void> {
  await db
    .insertInto('alarm_type_settings')
    .values({ type, case_mode: mode, updated_by: userId })
    .onConflict((oc) => oc.column('type').doUpdateSet({ case_mode: mode, updated_by: userId, updated_at: new Date() }))
    .execute();
}

export async function escalationMinutes(db: Executor): Promise<Map<AlarmSeverity, number | null>> {
  const rows = await db.selectFrom('alarm_escalation_settings').select(['severity', 'minutes']).execute();
  return new Map(rows.map((r) => [r.severity as AlarmSeverity, r.minutes]));
}

export async function putEscalationMinutes(db: Executor, severity: AlarmSeverity, minutes: number | null, userId: string): Promise<void> {
  await db.updateTable('alarm_escalation_settings').set({ minutes, updated_by: userId, updated_at: new Date() }).where('severity', '=', severity).execute();
}

export async function categoryOfType(db: Executor, type: string): Promise<string | undefined> {
  return (await db.selectFrom('alarm_type_categories').select('category_code').where('type', '=', type).executeTakeFirst())?.category_code;
}

export async function categoryMapping(db: Executor): Promise<Map<string, string>> {
  const rows = await db.selectFrom('alarm_type_categories').select(['type', 'category_code']).execute();
  return new Map(rows.map((r) => [r.type, r.category_code]));
}

/** Seeds the mapping for types without one; an administrator's later choice is never overwritten. */
export async function seedCategoryMapping(db: Executor, mapping: ReadonlyArray<{ type: string; categoryCode: string }>): Promise<void> {
  if (mapping.length === 0) return;
  const known = new Set((await db.selectFrom('categories').select('code').where('code', 'in', mapping.map((m) => m.categoryCode)).execute()).map((r) => r.code));
  const rows = mapping.filter((m) => known.has(m.categoryCode)).map((m) => ({ type: m.type, category_code: m.categoryCode }));
  if (rows.length) await db.insertInto('alarm_type_categories').values(rows).onConflict((oc) => oc.column('type').doNothing()).execute();
}

// ── escalation and shelving ────────────────────────────────────────────────

/** Unacknowledged alarms (not suppressed, shelved or out of service) whose next escalation fell due, claimed for this run. */
export async function claimDueEscalations(db: Executor, now: Date, limit: number): Promise<Array<{ id: string; level: number; state: AlarmState; regionPath: string; type: string; severity: string }>> {
  const rows = await db
    .selectFrom('alarms as a')
    .innerJoin('alarm_escalation_settings as s', 's.severity', 'a.severity')
    .select(['a.id', 'a.escalation_level', 'a.state', 'a.region_path', 'a.type', 'a.severity'])
    .where('a.state', 'in', ['active_unack', 'rtn_unack'])
    .where('a.kind', '=', 'process')
    .where('s.minutes', 'is not', null)
    .where(sql<SqlBool>`a.escalate_from + (s.minutes * (a.escalation_level + 1)) * interval '1 minute' <= ${now}`)
    .where('a.escalation_level', '<', 3)
    .orderBy('a.escalate_from')
    .limit(limit)
    .forUpdate('a')
    .skipLocked()
    .execute();
  return rows.map((r) => ({ id: r.id, level: r.escalation_level, state: r.state as AlarmState, regionPath: r.region_path, type: r.type, severity: r.severity }));
}

export async function claimExpiredShelves(db: Executor, now: Date, limit: number): Promise<Array<{ id: string; regionPath: string; state: AlarmState }>> {
  const rows = await db
    .selectFrom('alarms')
    .select(['id', 'region_path', 'state'])
    .where('shelved_until', '<=', now)
    .orderBy('shelved_until')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => ({ id: r.id, regionPath: r.region_path, state: r.state as AlarmState }));
}

// ── windows, out of service ────────────────────────────────────────────────

export interface AlarmWindow {
  id: string;
  kind: 'maintenance' | 'drill';
  regionCode: string | null;
  regionPath: string | null;
  deviceId: string | null;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  createdAt: Date;
}

export async function insertWindow(db: Executor, row: { kind: string; regionCode: string | null; regionPath: string | null; deviceId: string | null; startsAt: Date; endsAt: Date; reason: string; createdBy: string | null }): Promise<string> {
  const inserted = await db
    .insertInto('alarm_windows')
    .values({ kind: row.kind, region_code: row.regionCode, region_path: row.regionPath, device_id: row.deviceId, starts_at: row.startsAt, ends_at: row.endsAt, reason: row.reason, created_by: row.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

function windows(db: Executor, scope: Scope) {
  const place = sql<string>`coalesce(w.region_path, d.region_path)`;
  return db
    .selectFrom('alarm_windows as w')
    .leftJoin('devices as d', 'd.id', 'w.device_id')
    .select(['w.id', 'w.kind', 'w.region_code', 'w.region_path', 'w.device_id', 'w.starts_at', 'w.ends_at', 'w.reason', 'w.created_at', place.as('place_path')])
    .where(scopeCondition(place, scope));
}

function presentWindow(r: {
  id: string;
  kind: string;
  region_code: string | null;
  device_id: string | null;
  starts_at: Date;
  ends_at: Date;
  reason: string;
  created_at: Date;
  place_path: string;
}): AlarmWindow {
  return {
    id: r.id,
    kind: r.kind as AlarmWindow['kind'],
    regionCode: r.region_code,
    regionPath: r.place_path,
    deviceId: r.device_id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    reason: r.reason,
    createdAt: r.created_at,
  };
}

/** Windows placed in the scope (a device window by its device's place), not yet over. */
export async function listWindows(db: Executor, scope: Scope, now: Date): Promise<AlarmWindow[]> {
  return (await windows(db, scope).where('w.ends_at', '>', now).orderBy('w.starts_at').execute()).map(presentWindow);
}

export async function findWindow(db: Executor, scope: Scope, id: string): Promise<AlarmWindow | undefined> {
  const row = await windows(db, scope).where('w.id', '=', id).executeTakeFirst();
  return row && presentWindow(row);
}

export async function deleteWindow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('alarm_windows').where('id', '=', id).execute();
}

export async function putOutOfService(db: Executor, deviceId: string, type: string, reason: string, userId: string): Promise<void> {
  await db
    .insertInto('alarm_out_of_service')
    .values({ device_id: deviceId, type, reason, created_by: userId })
    .onConflict((oc) => oc.columns(['device_id', 'type']).doUpdateSet({ reason, created_by: userId, created_at: new Date() }))
    .execute();
}

/** A device's alarm types out of service, with why, since when and by whom. */
export async function outOfServiceOfDevice(db: Executor, deviceId: string): Promise<Array<{ type: string; reason: string; since: Date; byName: string | null }>> {
  return db
    .selectFrom('alarm_out_of_service as o')
    .leftJoin('users as u', 'u.id', 'o.created_by')
    .select(['o.type', 'o.reason', 'o.created_at as since', 'u.display_name as byName'])
    .where('o.device_id', '=', deviceId)
    .orderBy('o.type')
    .execute();
}

export async function deleteOutOfService(db: Executor, deviceId: string, type: string): Promise<boolean> {
  const result = await db.deleteFrom('alarm_out_of_service').where('device_id', '=', deviceId).where('type', '=', type).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ── emergency contacts ──────────────────────────────────────────────────────

export async function emergencyContact(db: Executor, deviceId: string): Promise<{ name: string; phone: string } | undefined> {
  return db.selectFrom('device_emergency_contacts').select(['name', 'phone']).where('device_id', '=', deviceId).executeTakeFirst();
}

export async function putEmergencyContact(db: Executor, deviceId: string, contact: { name: string; phone: string } | null, userId: string | null): Promise<void> {
  if (!contact) {
    await db.deleteFrom('device_emergency_contacts').where('device_id', '=', deviceId).execute();
    return;
  }
  await db
    .insertInto('device_emergency_contacts')
    .values({ device_id: deviceId, name: contact.name, phone: contact.phone, updated_by: userId })
    .onConflict((oc) => oc.column('device_id').doUpdateSet({ name: contact.name, phone: contact.phone, updated_by: userId, updated_at: new Date() }))
    .execute();
}

// ── the platform's reporting account ───────────────────────────────────────

export async function userWithAssignment(db: Executor, username: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('role_assignments as a', 'a.user_id', 'u.id')
    .innerJoin('regions as r', 'r.code', 'a.region_code')
    .select(['u.id', 'u.username', 'u.display_name', 'a.id as assignment_id', 'a.role', 'a.region_code', 'a.region_path', 'r.name as region_name'])
    .where('u.username', '=', username)
    .executeTakeFirst();
}

/** The alarms that became this case (unscoped: the case loop's outcome is written back by the platform). */
export async function alarmsOfCase(db: Executor, caseId: string): Promise<Alarm[]> {
  const rows = await base(db, { scope: { kind: 'all' }, kinds: ['process', 'maintenance'] }).select(columns).where('a.case_id', '=', caseId).forUpdate('a').execute();
  return rows.map(present);
}

export async function alarmsExistFor(db: Executor, deviceIds: readonly string[]): Promise<boolean> {
  if (deviceIds.length === 0) return false;
  return (await db.selectFrom('alarms').select('id').where('device_id', 'in', [...deviceIds]).limit(1).executeTakeFirst()) !== undefined;
}
