import { sql, type Kysely } from 'kysely';

/**
 * IoT ingestion (issue #4): the time series, liveness and rejection counters.
 *
 * `device_readings` takes every accepted message in batches. It has no foreign key to `devices`
 * (devices are retired, never deleted, and a key check per row costs throughput at thousands of
 * rows a second); retention deletes by `received_at`. A device's own message id (`msgId` in the
 * payload) is unique per device, so a message delivered twice (QoS 1 redelivery, a device that
 * retries over HTTP) is stored and evaluated once.
 *
 * On `devices`: `connectivity` is unknown until the first message or will, then online/offline;
 * `rejected_count` (0012) counts malformed messages, `unauthorised_count` messages with a wrong
 * credential or for another device's topic that named this device.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table device_readings (
      id bigint generated always as identity primary key,
      device_id uuid not null,
      kind text not null check (kind in ('telemetry','event')),
      observed_at timestamptz not null,
      received_at timestamptz not null default now(),
      msg_id text check (length(msg_id) between 1 and 64),
      "values" jsonb not null
    )`.execute(db);
  await sql`create index device_readings_device_time on device_readings (device_id, observed_at desc)`.execute(db);
  await sql`create unique index device_readings_dedup on device_readings (device_id, msg_id) where msg_id is not null`.execute(db);
  await sql`create index device_readings_received on device_readings (received_at)`.execute(db);

  await sql`
    alter table devices
      add column connectivity text not null default 'unknown' check (connectivity in ('unknown','online','offline')),
      add column connectivity_changed_at timestamptz,
      add column unauthorised_count integer not null default 0 check (unauthorised_count >= 0),
      add column last_rejection jsonb`.execute(db);
  // The liveness sweep looks for online devices whose next message is overdue.
  await sql`create index devices_online_seen on devices (last_seen_at) where connectivity = 'online'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists devices_online_seen`.execute(db);
  await sql`alter table devices drop column connectivity, drop column connectivity_changed_at, drop column unauthorised_count, drop column last_rejection`.execute(db);
  await sql`drop table if exists device_readings`.execute(db);
}
