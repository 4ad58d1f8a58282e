import { sql, type Kysely } from 'kysely';

/**
 * IoT rules (issue #4). The built-in rules live in code (`src/shared/rules.ts`); the database holds
 * what regions and devices change: overrides of a built-in rule by its key, and custom rules.
 *
 * - `device_rules`: one row per key and scope (a street or committee, or one device). The most
 *   specific row wins: device, then the deepest region, then the built-in default.
 * - `device_rule_versions`: every version of every row, kept after an override is removed (no
 *   foreign key, on purpose: removing an override must not erase its history).
 * - `device_rule_generation`: one row, bumped by every rule change, so that each instance's rule
 *   cache notices changes made elsewhere with one primary-key read per batch. Its `id` names this
 *   database, which keeps caches of several databases in one process apart (tests).
 * - `device_rule_state`: per device and rule key, whether the alarm was last signalled active and
 *   since when a duration condition has held. Written only on transitions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table device_rules (
      id uuid primary key default gen_random_uuid(),
      key text not null check (key ~ '^[a-z0-9][a-z0-9-]{1,47}$'),
      profile text not null,
      region_code text references regions(code),
      region_path ltree not null,
      device_id uuid references devices(id),
      definition jsonb not null,
      enabled boolean not null default true,
      version integer not null default 1 check (version >= 1),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      updated_by uuid references users(id),
      check ((region_code is null) <> (device_id is null))
    )`.execute(db);
  await sql`create unique index device_rules_region_key on device_rules (key, region_code) where device_id is null`.execute(db);
  await sql`create unique index device_rules_device_key on device_rules (key, device_id) where device_id is not null`.execute(db);
  await sql`create index device_rules_region_path on device_rules using gist (region_path)`.execute(db);

  await sql`
    create table device_rule_versions (
      rule_id uuid not null,
      version integer not null,
      change text not null check (change in ('create','update','delete')),
      definition jsonb not null,
      enabled boolean not null,
      note text check (length(note) <= 200),
      changed_at timestamptz not null default now(),
      changed_by uuid references users(id),
      primary key (rule_id, version)
    )`.execute(db);

  await sql`create table device_rule_generation (id uuid primary key default gen_random_uuid(), generation bigint not null default 0)`.execute(db);
  await sql`insert into device_rule_generation default values`.execute(db);

  await sql`
    create table device_rule_state (
      device_id uuid not null,
      rule_key text not null,
      active boolean not null,
      since timestamptz,
      changed_at timestamptz not null,
      primary key (device_id, rule_key)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists device_rule_state`.execute(db);
  await sql`drop table if exists device_rule_generation`.execute(db);
  await sql`drop table if exists device_rule_versions`.execute(db);
  await sql`drop table if exists device_rules`.execute(db);
}
