import { sql, type Kysely } from 'kysely';

/** Cases (工单/案件) and their timeline. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence case_number_seq`.execute(db);
  await sql`
    create table cases (
      id uuid primary key default gen_random_uuid(),
      number text not null unique,
      status text not null check (status in ('reported','registered','rejected','dispatched','in_progress','handled','suspended','closed')),
      channel text not null check (channel in ('resident_app','hotline','patrol','iot','open311','staff')),
      description text not null check (length(description) between 1 and 2000),
      category_code text references categories(code),
      category_version integer,
      urgency text not null default 'normal' check (urgency in ('normal','urgent','critical')),
      region_code text not null references regions(code),
      region_path ltree not null,
      handling_level_path ltree not null,
      lat double precision check (lat between -90 and 90),
      lng double precision check (lng between -180 and 180),
      address text,
      reporter_user_id uuid references users(id),
      main_unit_id uuid references departments(id),
      assisting_unit_ids uuid[] not null default '{}',
      verification text not null default 'reporter',
      pending_request text check (pending_request in ('extension','suspension')),
      registered_at timestamptz,
      deadline_at timestamptz,
      warn_at timestamptz,
      rework_count integer not null default 0,
      rating integer check (rating between 1 and 5),
      rating_comment text,
      closed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      foreign key (category_code, category_version) references category_versions (code, version)
    )`.execute(db);
  await sql`create index cases_region_path on cases using gist (region_path)`.execute(db);
  await sql`create index cases_status on cases (status, created_at)`.execute(db);
  await sql`create index cases_main_unit on cases (main_unit_id) where main_unit_id is not null`.execute(db);
  await sql`create index cases_reporter on cases (reporter_user_id) where reporter_user_id is not null`.execute(db);

  await sql`
    create table case_events (
      id bigint generated always as identity primary key,
      case_id uuid not null references cases(id),
      action text not null,
      from_status text,
      to_status text not null,
      actor_user_id uuid references users(id),
      actor_name text not null,
      actor_role text,
      note text,
      details jsonb not null default '{}',
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index case_events_case on case_events (case_id, id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0005-cases is not reversible');
}
