import { sql } from 'kysely';
import type { DeviceProfileId, TelemetryValue } from '../../../shared/iot-profiles.ts';
import type { Executor } from '../../platform/db/index.ts';

/**
 * The only code of the ingestion that touches SQL. Every statement takes a whole batch: the
 * pipeline's cost is a fixed number of round trips per batch, not per message.
 */

/** What ingestion needs to know about a device: its credential and where its readings belong. */
export interface DeviceCredentials {
  id: string;
  profile: DeviceProfileId;
  regionCode: string;
  regionPath: string;
  state: 'active' | 'maintenance' | 'retired';
  tokenHash: string;
}

export async function findDeviceCredentials(db: Executor, ids: readonly string[]): Promise<DeviceCredentials[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('devices')
    .select(['id', 'profile', 'region_code', sql<string>`region_path::text`.as('region_path'), 'state', 'token_hash'])
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    profile: r.profile as DeviceProfileId,
    regionCode: r.region_code,
    regionPath: r.region_path,
    state: r.state as DeviceCredentials['state'],
    tokenHash: r.token_hash,
  }));
}

export interface NewReading {
  deviceId: string;
  kind: 'telemetry' | 'event';
  observedAt: Date;
  receivedAt: Date;
  msgId: string | null;
  values: Record<string, TelemetryValue>;
}

/**
 * Inserts a batch; a message id a device has used before is skipped (the partial unique index).
 * Returns, for every row stored, its index in `readings` and its id: ids are drawn from the
 * table's sequence alongside each row's ordinal, so the answer maps back exactly.
 */
export async function insertReadings(db: Executor, readings: readonly NewReading[]): Promise<Array<{ index: number; id: string }>> {
  if (readings.length === 0) return [];
  const result = await sql<{ ord: string; id: string }>`
    with input as (
      select nextval(pg_get_serial_sequence('device_readings', 'id')) as id, u.*
      from unnest(
        ${readings.map((r) => r.deviceId)}::uuid[],
        ${readings.map((r) => r.kind)}::text[],
        ${readings.map((r) => r.observedAt.toISOString())}::timestamptz[],
        ${readings.map((r) => r.receivedAt.toISOString())}::timestamptz[],
        ${readings.map((r) => r.msgId)}::text[],
        ${readings.map((r) => JSON.stringify(r.values))}::jsonb[]
      ) with ordinality as u(device_id, kind, observed_at, received_at, msg_id, vals, ord)
    ),
    stored as (
      insert into device_readings (id, device_id, kind, observed_at, received_at, msg_id, "values")
      overriding system value
      select id, device_id, kind, observed_at, received_at, msg_id, vals from input order by ord
      on conflict (device_id, msg_id) where msg_id is not null do nothing
      returning id
    )
    select input.ord::text as ord, input.id::text as id from input join stored using (id)`.execute(db);
  return result.rows.map((r) => ({ index: Number(r.ord) - 1, id: r.id }));
}

export interface LatestUpdate {
  deviceId: string;
  seenAt: Date;
  /** The newest values of each field in the batch (merged into what the device showed before). */
  values: Record<string, TelemetryValue>;
}

/**
 * Marks devices seen (online) and merges their newest values. Returns the devices that were
 * offline before, whose offline alarm must return to normal. Rows are locked in id order so that
 * two instances updating overlapping batches cannot deadlock.
 */
export async function markSeen(db: Executor, updates: readonly LatestUpdate[]): Promise<string[]> {
  if (updates.length === 0) return [];
  const result = await sql<{ id: string }>`
    with latest as (
      select * from unnest(
        ${updates.map((u) => u.deviceId)}::uuid[],
        ${updates.map((u) => u.seenAt.toISOString())}::timestamptz[],
        ${updates.map((u) => JSON.stringify(u.values))}::jsonb[]
      ) as l(device_id, seen_at, vals)
    ),
    before as (
      select d.id, d.connectivity from devices d join latest l on l.device_id = d.id order by d.id for update of d
    )
    update devices d set
      last_seen_at = greatest(d.last_seen_at, l.seen_at),
      last_values = coalesce(d.last_values, '{}'::jsonb) || l.vals,
      connectivity = 'online',
      connectivity_changed_at = case when d.connectivity = 'online' then d.connectivity_changed_at else l.seen_at end
    from latest l, before b
    where d.id = l.device_id and b.id = d.id
    returning d.id, b.connectivity as was`.execute(db);
  return (result.rows as Array<{ id: string; was: string }>).filter((r) => r.was === 'offline').map((r) => r.id);
}

/** Devices that said goodbye (MQTT last will "offline"): offline now. Returns those that were not offline already. */
export async function markOffline(db: Executor, deviceIds: readonly string[], at: Date): Promise<string[]> {
  if (deviceIds.length === 0) return [];
  const rows = await db
    .updateTable('devices')
    .set({ connectivity: 'offline', connectivity_changed_at: at })
    .where('id', 'in', [...deviceIds].sort())
    .where('connectivity', '!=', 'offline')
    .where('state', '!=', 'retired')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The liveness sweep: online devices silent for longer than `graceFactor` × their expected interval,
 * and devices never heard from that long after registration, become offline. Claims the rows with
 * SKIP LOCKED so that instances sweeping at once split them. Returns the devices now offline.
 */
export async function sweepSilentDevices(db: Executor, now: Date, graceFactor: number, limit: number): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with due as (
      select id from devices
      where state <> 'retired'
        and (
          (connectivity = 'online' and last_seen_at < ${now.toISOString()}::timestamptz - make_interval(secs => expected_interval_s * ${graceFactor}::double precision))
          or (connectivity = 'unknown' and created_at < ${now.toISOString()}::timestamptz - make_interval(secs => expected_interval_s * ${graceFactor}::double precision))
        )
      order by id
      limit ${limit}
      for update skip locked
    )
    update devices d set connectivity = 'offline', connectivity_changed_at = ${now.toISOString()}::timestamptz
    from due where d.id = due.id
    returning d.id`.execute(db);
  return result.rows.map((r) => r.id);
}

export interface RejectionCount {
  deviceId: string;
  malformed: number;
  unauthorised: number;
  last: { reason: string; message: string; at: string };
}

export async function addRejections(db: Executor, counts: readonly RejectionCount[]): Promise<void> {
  if (counts.length === 0) return;
  const sorted = [...counts].sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1));
  await sql`
    with c as (
      select * from unnest(
        ${sorted.map((c) => c.deviceId)}::uuid[],
        ${sorted.map((c) => c.malformed)}::int[],
        ${sorted.map((c) => c.unauthorised)}::int[],
        ${sorted.map((c) => JSON.stringify(c.last))}::jsonb[]
      ) as c(device_id, malformed, unauthorised, last)
    )
    update devices d set
      rejected_count = d.rejected_count + c.malformed,
      unauthorised_count = d.unauthorised_count + c.unauthorised,
      last_rejection = c.last
    from c where d.id = c.device_id`.execute(db);
}

/** Deletes readings received before `before`, at most `limit` of them (retention runs in slices). */
export async function deleteReadingsBefore(db: Executor, before: Date, limit: number): Promise<number> {
  const result = await sql`
    delete from device_readings where id in (
      select id from device_readings where received_at < ${before.toISOString()}::timestamptz order by received_at limit ${limit}
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
