import { sql, type Kysely } from 'kysely';

/**
 * IoT alarms (issue #4 items 7 and 8): one alarm per device and type while it is not cleared, its
 * history, maintenance windows and drills, types taken out of service per device, the
 * administrators' settings (case mode per type, escalation per severity), the alarm type → case
 * category mapping (seeded by the module, after the categories), and the emergency contacts of
 * devices that watch over elderly people living alone.
 *
 * `state` is derived, never written: from whether the alarm is active (its condition holds, or a
 * latched alarm was not reset), acknowledged, suppressed, out of service or shelved. The partial
 * unique index on (device, type) over the alarms not cleared is what `insert … on conflict` upserts
 * against, so two ingestion batches applying the same signal at once count one alarm twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table alarms (
      id uuid primary key default gen_random_uuid(),
      device_id uuid not null references devices(id),
      type text not null,
      severity text not null check (severity in ('critical','major','minor','warning')),
      kind text not null check (kind in ('process','maintenance')),
      latched boolean not null,
      region_code text not null references regions(code),
      region_path ltree not null,
      condition_active boolean not null,
      active boolean not null,
      acknowledged boolean not null default false,
      suppressed boolean not null default false,
      out_of_service boolean not null default false,
      shelved_until timestamptz,
      state text generated always as (
        case
          when not active and (acknowledged or suppressed or out_of_service) then 'cleared'
          when out_of_service then 'out_of_service'
          when suppressed then 'suppressed'
          when shelved_until is not null then 'shelved'
          when active and not acknowledged then 'active_unack'
          when active then 'active_ack'
          else 'rtn_unack'
        end
      ) stored,
      repeat_count integer not null default 1 check (repeat_count >= 1),
      escalation_level integer not null default 0 check (escalation_level >= 0),
      escalate_from timestamptz not null,
      first_at timestamptz not null,
      last_at timestamptz not null,
      rtn_at timestamptz,
      acked_at timestamptz,
      acked_by uuid references users(id),
      case_mode text not null check (case_mode in ('auto','recheck','none')),
      recheck text check (recheck in ('pending','confirmed','dismissed')),
      case_id uuid references cases(id),
      source jsonb not null,
      "values" jsonb,
      detail jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index alarms_open_per_device_type on alarms (device_id, type) where state <> 'cleared'`.execute(db);
  await sql`create index alarms_region_path on alarms using gist (region_path)`.execute(db);
  await sql`create index alarms_first_at on alarms (first_at desc)`.execute(db);
  await sql`create index alarms_case on alarms (case_id) where case_id is not null`.execute(db);
  // the escalation and unshelving jobs look only at these
  await sql`create index alarms_unacknowledged on alarms (escalate_from) where state in ('active_unack','rtn_unack')`.execute(db);
  await sql`create index alarms_shelved on alarms (shelved_until) where shelved_until is not null`.execute(db);

  await sql`
    create table alarm_events (
      id bigint generated always as identity primary key,
      alarm_id uuid not null references alarms(id),
      action text not null,
      from_state text,
      to_state text not null,
      actor_user_id uuid references users(id),
      actor_name text not null,
      note text,
      details jsonb not null default '{}',
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index alarm_events_alarm on alarm_events (alarm_id, id)`.execute(db);

  await sql`
    create table alarm_windows (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('maintenance','drill')),
      region_code text references regions(code),
      region_path ltree,
      device_id uuid references devices(id),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      reason text not null check (length(reason) between 1 and 200),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      check (ends_at > starts_at),
      check ((device_id is null) <> (region_path is null))
    )`.execute(db);
  await sql`create index alarm_windows_ends on alarm_windows (ends_at)`.execute(db);

  await sql`
    create table alarm_out_of_service (
      device_id uuid not null references devices(id),
      type text not null,
      reason text not null check (length(reason) between 1 and 200),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      primary key (device_id, type)
    )`.execute(db);

  await sql`
    create table alarm_type_settings (
      type text primary key,
      case_mode text not null check (case_mode in ('auto','recheck','none')),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table alarm_escalation_settings (
      severity text primary key check (severity in ('critical','major','minor','warning')),
      minutes integer check (minutes between 1 and 1440),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`insert into alarm_escalation_settings (severity, minutes) values ('critical', 5), ('major', 15), ('minor', 60), ('warning', null)`.execute(db);

  await sql`
    create table alarm_type_categories (
      type text primary key,
      category_code text not null references categories(code)
    )`.execute(db);

  await sql`
    create table device_emergency_contacts (
      device_id uuid primary key references devices(id),
      name text not null check (length(name) between 1 and 50),
      phone text not null check (phone ~ '^[0-9+-]{5,20}$'),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['device_emergency_contacts', 'alarm_type_categories', 'alarm_escalation_settings', 'alarm_type_settings', 'alarm_out_of_service', 'alarm_windows', 'alarm_events', 'alarms']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
