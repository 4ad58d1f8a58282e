import { sql, type Kysely } from 'kysely';

/**
 * IoT coverage (issue #4 item 9): how many devices of each profile a committee or a building should
 * have. A norm set for a region applies to every committee or building below it unless a deeper
 * region sets its own; the module seeds the district-wide defaults.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table coverage_norms (
      id uuid primary key default gen_random_uuid(),
      region_code text not null references regions(code),
      region_path ltree not null,
      profile text not null check (profile in ('smoke','gas','water-meter','door-magnet','lift','fire-lane','fire-tank','bin','parking','gate','camera-ai')),
      unit text not null check (unit in ('committee','building')),
      expected integer not null check (expected between 0 and 1000),
      updated_at timestamptz not null default now(),
      unique (region_code, profile, unit)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists coverage_norms`.execute(db);
}
