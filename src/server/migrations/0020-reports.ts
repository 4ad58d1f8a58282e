import { sql, type Kysely } from 'kysely';

/**
 * Reports that write themselves (多表合一, issue #5 item 6).
 *
 * - report_templates: a template is data (the definition, validated by the API's schema), versioned:
 *   saving a template under a code adds a version, runs keep the version they used. The shipped
 *   templates are seeded as version 1 with `builtin`.
 * - report_runs: one generated report, its file kept for download (bytea: department forms are
 *   small next to the ledger), with who, when, for which region and how many rows.
 * - report_schedules: a template generated for a region every month on a day, pushed to a
 *   department's inbox and to the webhooks that listen for `report.published`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table report_templates (
      id uuid primary key default gen_random_uuid(),
      code text not null check (code ~ '^[a-z][a-z0-9_-]{1,59}$'),
      version integer not null check (version >= 1),
      name text not null check (length(name) between 1 and 80),
      definition jsonb not null,
      builtin boolean not null default false,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      unique (code, version)
    )`.execute(db);

  await sql`
    create table report_schedules (
      id uuid primary key default gen_random_uuid(),
      template_code text not null,
      region_code text not null references regions(code),
      region_path ltree not null,
      day_of_month integer not null check (day_of_month between 1 and 28),
      hour integer not null check (hour between 0 and 23),
      department_id uuid references departments(id),
      active boolean not null default true,
      next_run_at timestamptz not null,
      created_by uuid not null references users(id),
      created_role text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index report_schedules_due on report_schedules (next_run_at) where active`.execute(db);
  await sql`create index report_schedules_region on report_schedules using gist (region_path)`.execute(db);

  await sql`
    create table report_runs (
      id uuid primary key default gen_random_uuid(),
      template_id uuid not null references report_templates(id),
      template_code text not null,
      template_version integer not null,
      template_name text not null,
      region_code text not null references regions(code),
      region_path ltree not null,
      format text not null check (format in ('xlsx','json')),
      row_count integer not null,
      sensitive boolean not null,
      schedule_id uuid references report_schedules(id),
      department_id uuid references departments(id),
      created_by uuid references users(id),
      created_by_name text not null,
      created_at timestamptz not null default now(),
      file_name text not null,
      file bytea not null
    )`.execute(db);
  await sql`create index report_runs_region on report_runs using gist (region_path)`.execute(db);
  await sql`create index report_runs_created on report_runs (created_at desc, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['report_runs', 'report_schedules', 'report_templates']) await sql`drop table if exists ${sql.table(table)}`.execute(db);
}
