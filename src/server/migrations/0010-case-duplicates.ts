import { sql, type Kysely } from 'kysely';

/**
 * Duplicates, following, merge and unmerge (issue #3 item 5).
 * - cases.status gains `merged` (a duplicate merged into a master); `merged_into_id` points at the
 *   master; `report_count` is how many reports the case stands for (1 + the reports merged into it),
 *   the priority the board sorts by (`sort=priority`).
 * - case_followers: people told about a case they did not report (they followed it, or their own
 *   report was merged into it). `source` says which.
 * - case_merges: one row per merge, kept after an unmerge (`unmerged_at`), holding what unmerge
 *   needs to undo it exactly: the status the duplicate had, the followers the merge added to the
 *   master and the reports it added to its count.
 * The duplicate-search radius is already a versioned attribute of every leaf
 * (category_versions.duplicate_radius_m, migration 0003), editable through PATCH /api/categories.
 * (0009 is reserved for another change in progress.)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table cases drop constraint cases_status_check`.execute(db);
  await sql`
    alter table cases
      add constraint cases_status_check check (status in ('reported','registered','rejected','dispatched','in_progress','handled','suspended','closed','merged')),
      add column merged_into_id uuid references cases(id),
      add column report_count integer not null default 1 check (report_count >= 1),
      add constraint cases_merged_consistent check ((status = 'merged') = (merged_into_id is not null)),
      add constraint cases_not_merged_into_self check (merged_into_id <> id)`.execute(db);
  await sql`create index cases_merged_into on cases (merged_into_id) where merged_into_id is not null`.execute(db);
  // the similar-cases search: open cases of the last weeks, by category
  await sql`create index cases_open_by_category on cases (category_code, created_at) where status not in ('closed','rejected','merged')`.execute(db);

  await sql`
    create table case_followers (
      case_id uuid not null references cases(id),
      user_id uuid not null references users(id),
      source text not null check (source in ('follow','merge')),
      created_at timestamptz not null default now(),
      primary key (case_id, user_id)
    )`.execute(db);
  await sql`create index case_followers_user on case_followers (user_id)`.execute(db);

  await sql`
    create table case_merges (
      id uuid primary key default gen_random_uuid(),
      master_id uuid not null references cases(id),
      duplicate_id uuid not null references cases(id),
      merged_at timestamptz not null default now(),
      merged_by uuid references users(id),
      previous_status text not null check (previous_status in ('reported','registered')),
      followers_added uuid[] not null default '{}',
      reports_added integer not null check (reports_added >= 1),
      unmerged_at timestamptz,
      unmerged_by uuid references users(id),
      check (master_id <> duplicate_id)
    )`.execute(db);
  // a duplicate is merged into at most one master at a time
  await sql`create unique index case_merges_active on case_merges (duplicate_id) where unmerged_at is null`.execute(db);
  await sql`create index case_merges_master on case_merges (master_id) where unmerged_at is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0010-case-duplicates is not reversible');
}
