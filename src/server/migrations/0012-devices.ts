import { sql, type Kysely } from 'kysely';

/**
 * IoT devices (issue #4, first slice): the registry. One credential per device, stored only as the
 * SHA-256 of its token. `rejected_count`, `last_seen_at` and `last_values` are written by ingestion
 * (a later slice); the registry shows them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table devices (
      id uuid primary key default gen_random_uuid(),
      profile text not null check (profile in ('smoke','gas','water-meter','door-magnet','lift','fire-lane','fire-tank','bin','parking','gate','camera-ai')),
      name text not null check (length(name) between 1 and 100),
      region_code text not null references regions(code),
      region_path ltree not null,
      lat double precision check (lat between -90 and 90),
      lng double precision check (lng between -180 and 180),
      owner text check (length(owner) <= 100),
      installed_on date,
      expected_interval_s integer not null check (expected_interval_s between 10 and 604800),
      state text not null default 'active' check (state in ('active','maintenance','retired')),
      token_hash text not null unique,
      rejected_count integer not null default 0 check (rejected_count >= 0),
      last_seen_at timestamptz,
      last_values jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((lat is null) = (lng is null))
    )`.execute(db);
  await sql`create index devices_region_path on devices using gist (region_path)`.execute(db);
  await sql`create index devices_created on devices (created_at desc, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists devices`.execute(db);
}
