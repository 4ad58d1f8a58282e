import { sql, type Kysely } from 'kysely';

/** Platform core: regions, departments, identity, sessions, audit log, outbox. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists ltree`.execute(db);
  await sql`create extension if not exists pg_trgm`.execute(db);

  await sql`
    create table regions (
      code text primary key,
      parent_code text references regions(code),
      level text not null check (level in ('district','street','committee','grid','building')),
      kind text,
      name text not null check (length(name) between 1 and 100),
      path ltree not null unique,
      source text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index regions_path_gist on regions using gist (path)`.execute(db);
  await sql`create index regions_parent on regions (parent_code, code)`.execute(db);

  await sql`
    create table departments (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null,
      kind text not null,
      region_code text not null references regions(code),
      region_path ltree not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index departments_region_path on departments using gist (region_path)`.execute(db);

  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      username text not null,
      display_name text not null,
      phone text,
      password_hash text not null,
      status text not null default 'active' check (status in ('active','disabled')),
      failed_login_count integer not null default 0,
      locked_until timestamptz,
      password_changed_at timestamptz not null default now(),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index users_username_lower on users (lower(username))`.execute(db);

  await sql`
    create table role_assignments (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      role text not null,
      region_code text not null references regions(code),
      region_path ltree not null,
      department_id uuid references departments(id),
      -- clock_timestamp: assignments granted in one transaction keep their order (the first is the default scope)
      created_at timestamptz not null default clock_timestamp()
    )`.execute(db);
  await sql`create unique index role_assignments_unique on role_assignments (user_id, role, region_code, coalesce(department_id, '00000000-0000-0000-0000-000000000000'::uuid))`.execute(db);
  await sql`create index role_assignments_region_path on role_assignments using gist (region_path)`.execute(db);
  // The assignment a user last switched to: the next sign-in resumes it.
  await sql`alter table users add column preferred_assignment_id uuid references role_assignments(id) on delete set null`.execute(db);

  await sql`
    create table sessions (
      id uuid primary key default gen_random_uuid(),
      token_hash text not null unique,
      user_id uuid not null references users(id) on delete cascade,
      kind text not null check (kind in ('cookie','bearer')),
      active_assignment_id uuid references role_assignments(id) on delete set null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      client_ip text,
      user_agent text
    )`.execute(db);
  await sql`create index sessions_user on sessions (user_id)`.execute(db);

  // Append-only, hash-chained. Rows are written by platform/audit.ts under an advisory lock.
  await sql`
    create table audit_log (
      id bigint primary key,
      at timestamptz not null,
      actor_user_id uuid,
      actor_username text,
      actor_role text,
      action text not null,
      object_type text not null,
      object_id text,
      region_path ltree,
      reason text,
      details jsonb not null,
      request_id text,
      prev_hash text not null,
      hash text not null
    )`.execute(db);
  await sql`create sequence audit_log_id_seq as bigint owned by audit_log.id`.execute(db);
  await sql`create index audit_log_region_path on audit_log using gist (region_path)`.execute(db);
  await sql`create index audit_log_actor on audit_log (actor_user_id, id)`.execute(db);
  await sql`create index audit_log_object on audit_log (object_type, object_id)`.execute(db);
  await sql`
    create function audit_log_forbid_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger audit_log_no_update before update or delete on audit_log for each row execute function audit_log_forbid_change()`.execute(db);
  await sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_forbid_change()`.execute(db);

  await sql`
    create table outbox_events (
      id bigint generated always as identity primary key,
      event_id uuid not null unique,
      type text not null,
      aggregate_type text not null,
      aggregate_id text not null,
      region_path ltree,
      actor_user_id uuid,
      payload jsonb not null,
      occurred_at timestamptz not null,
      completed_at timestamptz
    )`.execute(db);
  await sql`create index outbox_events_pending on outbox_events (id) where completed_at is null`.execute(db);

  await sql`
    create table outbox_deliveries (
      event_id bigint not null references outbox_events(id),
      subscriber text not null,
      delivered_at timestamptz,
      attempts integer not null default 0,
      last_error text,
      next_attempt_at timestamptz,
      primary key (event_id, subscriber)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0001-core is not reversible');
}
