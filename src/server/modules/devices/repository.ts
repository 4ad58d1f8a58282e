import { sql, type Insertable, type Updateable } from 'kysely';
import { scopeCondition, type Scope } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { DeviceTable } from '../../platform/db/schema.ts';

/** The only code that touches the devices table. Every read takes the caller's scope. */

export interface Device {
  id: string;
  profile: string;
  name: string;
  regionCode: string;
  regionName: string;
  regionPath: string;
  lat: number | null;
  lng: number | null;
  owner: string | null;
  installedOn: string | null;
  expectedIntervalS: number;
  state: string;
  rejectedCount: number;
  lastSeenAt: Date | null;
  lastValues: Record<string, unknown> | null;
  /** Kept by ingestion from MQTT wills and the liveness sweep; `unknown` until the first message or will. */
  connectivity: StoredConnectivity;
  connectivityChangedAt: Date | null;
  unauthorisedCount: number;
  lastRejection: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
}

export type StoredConnectivity = 'unknown' | 'online' | 'offline';

export interface DeviceFilter {
  profile?: string;
  /** Devices in this region or below it. */
  regionCode?: string;
  state?: string;
  limit: number;
  offset: number;
}

function base(db: Executor, scope: Scope) {
  return db
    .selectFrom('devices as d')
    .innerJoin('regions as r', 'r.code', 'd.region_code')
    .where(scopeCondition(sql.ref('d.region_path'), scope));
}

const columns = [
  'd.id',
  'd.profile',
  'd.name',
  'd.region_code',
  'r.name as region_name',
  'd.region_path',
  'd.lat',
  'd.lng',
  'd.owner',
  'd.expected_interval_s',
  'd.state',
  'd.rejected_count',
  'd.last_seen_at',
  'd.last_values',
  'd.connectivity',
  'd.connectivity_changed_at',
  'd.unauthorised_count',
  'd.last_rejection',
  'd.created_at',
  'd.updated_at',
] as const;

/** `date` comes back as a string on both engines this way (node-postgres would make a local-midnight Date). */
const installedOn = sql<string | null>`to_char(d.installed_on, 'YYYY-MM-DD')`.as('installed_on');

const jsonObject = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

function present(row: {
  id: string;
  profile: string;
  name: string;
  region_code: string;
  region_name: string;
  region_path: string;
  lat: number | null;
  lng: number | null;
  owner: string | null;
  installed_on: string | null;
  expected_interval_s: number;
  state: string;
  rejected_count: number;
  last_seen_at: Date | null;
  last_values: unknown;
  connectivity: StoredConnectivity;
  connectivity_changed_at: Date | null;
  unauthorised_count: number;
  last_rejection: unknown;
  created_at: Date;
  updated_at: Date;
}): Device {
  return {
    id: row.id,
    profile: row.profile,
    name: row.name,
    regionCode: row.region_code,
    regionName: row.region_name,
    regionPath: row.region_path,
    lat: row.lat,
    lng: row.lng,
    owner: row.owner,
    installedOn: row.installed_on,
    expectedIntervalS: row.expected_interval_s,
    state: row.state,
    rejectedCount: row.rejected_count,
    lastSeenAt: row.last_seen_at,
    lastValues: jsonObject(row.last_values),
    connectivity: row.connectivity,
    connectivityChangedAt: row.connectivity_changed_at,
    unauthorisedCount: row.unauthorised_count,
    lastRejection: jsonObject(row.last_rejection),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The device, if it lies inside the scope; locked for the caller's transaction when `forUpdate`. */
export async function findDevice(db: Executor, scope: Scope, id: string, options: { forUpdate?: boolean } = {}): Promise<Device | undefined> {
  let query = base(db, scope).select([...columns, installedOn]).where('d.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('d');
  const row = await query.executeTakeFirst();
  return row && present(row);
}

export async function listDevices(db: Executor, scope: Scope, filter: DeviceFilter): Promise<{ items: Device[]; total: number }> {
  let query = base(db, scope);
  if (filter.profile) query = query.where('d.profile', '=', filter.profile);
  if (filter.state) query = query.where('d.state', '=', filter.state);
  if (filter.regionCode) {
    const code = filter.regionCode;
    query = query.where(sql<boolean>`d.region_path <@ (select p.path from regions p where p.code = ${code})`);
  }
  const [rows, count] = await Promise.all([
    query.select([...columns, installedOn]).orderBy('d.created_at', 'desc').orderBy('d.id').limit(filter.limit).offset(filter.offset).execute(),
    query.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(present), total: Number(count.n) };
}

export async function deviceExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('devices').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function insertDevice(db: Executor, row: Insertable<DeviceTable>): Promise<string> {
  const inserted = await db.insertInto('devices').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateDevice(db: Executor, id: string, patch: Updateable<DeviceTable>): Promise<void> {
  await db.updateTable('devices').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();
}

/** Only for tests and diagnostics: the stored hash of a device's token. */
export async function deviceTokenHash(db: Executor, id: string): Promise<string | undefined> {
  return (await db.selectFrom('devices').select('token_hash').where('id', '=', id).executeTakeFirst())?.token_hash;
}

export interface StoredReading {
  id: string;
  kind: 'telemetry' | 'event';
  observedAt: Date;
  receivedAt: Date;
  msgId: string | null;
  values: Record<string, unknown>;
}

export interface ReadingWindow {
  /** Observed at or after. */
  from?: Date;
  /** Observed before. */
  to?: Date;
  limit: number;
}

/**
 * A device's stored readings, newest observation first. The device is looked up through the
 * caller's scope in the same statement, so a device outside it has no readings (the route answers
 * 404 for it before asking). Served by `device_readings_device_time`.
 */
export async function listReadings(db: Executor, scope: Scope, deviceId: string, window: ReadingWindow): Promise<StoredReading[]> {
  let query = db
    .selectFrom('device_readings as dr')
    .select(['dr.id', 'dr.kind', 'dr.observed_at', 'dr.received_at', 'dr.msg_id', 'dr.values'])
    .where('dr.device_id', '=', deviceId)
    .where((eb) => eb.exists(base(db, scope).select('d.id').where('d.id', '=', deviceId)));
  if (window.from) query = query.where('dr.observed_at', '>=', window.from);
  if (window.to) query = query.where('dr.observed_at', '<', window.to);
  const rows = await query.orderBy('dr.observed_at', 'desc').orderBy('dr.id', 'desc').limit(window.limit).execute();
  return rows.map((r) => ({
    id: String(r.id),
    kind: r.kind,
    observedAt: r.observed_at,
    receivedAt: r.received_at,
    msgId: r.msg_id,
    values: jsonObject(r.values) ?? {},
  }));
}
