import { sql, type Kysely } from 'kysely';

/**
 * Resident self-governance (issue #6 items 4–6): notices with read receipts, proposals (居民议事)
 * with supports, one vote per resident and accountability, volunteers and an append-only points
 * ledger with rewards.
 *
 * - notices: audience = a region (and everyone under it) plus optional ledger tag codes; tags are
 *   matched once a resident account is linked to a ledger person (see the README).
 * - proposal_votes: the primary key (proposal, voter) is what makes a vote single under concurrency.
 * - points_entries: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE); points_accounts
 *   holds the running balance, whose check constraint refuses a negative balance, and whose row
 *   lock orders concurrent awards and spends of one person.
 * - rewards.stock >= 0 is a constraint too: a redemption decrements with `stock > 0` in its WHERE.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table notices (
      id uuid primary key default gen_random_uuid(),
      title text not null check (length(title) between 1 and 80),
      body text not null check (length(body) between 1 and 4000),
      link text check (link is null or link ~ '^https?://'),
      region_code text not null references regions(code),
      region_path ltree not null,
      tags text[] not null default '{}',
      valid_from timestamptz not null,
      valid_until timestamptz,
      published_by uuid not null references users(id),
      publisher_name text not null,
      withdrawn_at timestamptz,
      created_at timestamptz not null default now(),
      check (valid_until is null or valid_until > valid_from)
    )`.execute(db);
  await sql`create index notices_region_path on notices using gist (region_path)`.execute(db);
  await sql`
    create table notice_reads (
      notice_id uuid not null references notices(id),
      user_id uuid not null references users(id),
      read_at timestamptz not null default now(),
      primary key (notice_id, user_id)
    )`.execute(db);

  await sql`
    create table proposal_thresholds (
      region_code text primary key references regions(code),
      region_path ltree not null,
      support_threshold integer not null check (support_threshold between 1 and 10000),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table proposals (
      id uuid primary key default gen_random_uuid(),
      title text not null check (length(title) between 1 and 80),
      description text not null check (length(description) between 1 and 4000),
      scope_code text not null references regions(code),
      scope_path ltree not null,
      scope_level text not null check (scope_level in ('committee','building')),
      committee_path ltree not null,
      origin text not null check (origin in ('resident','hotspot')),
      hotspot jsonb,
      proposer_user_id uuid not null references users(id),
      proposer_name text not null,
      status text not null check (status in ('discussion','threshold_met','voting','accepted','rejected','done')),
      support_threshold integer not null check (support_threshold >= 1),
      support_count integer not null default 0 check (support_count >= 0),
      vote_kind text check (vote_kind in ('yes_no','choices')),
      vote_options text[],
      vote_opens_at timestamptz,
      vote_closes_at timestamptz,
      result jsonb,
      responsible text,
      done_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index proposals_scope_path on proposals using gist (scope_path)`.execute(db);
  await sql`create index proposals_committee_path on proposals using gist (committee_path)`.execute(db);
  await sql`create index proposals_closing on proposals (vote_closes_at) where status = 'voting'`.execute(db);
  await sql`
    create table proposal_supports (
      proposal_id uuid not null references proposals(id),
      user_id uuid not null references users(id),
      created_at timestamptz not null default now(),
      primary key (proposal_id, user_id)
    )`.execute(db);
  await sql`
    create table proposal_comments (
      id uuid primary key default gen_random_uuid(),
      proposal_id uuid not null references proposals(id),
      user_id uuid not null references users(id),
      author_name text not null,
      body text not null check (length(body) between 1 and 1000),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index proposal_comments_proposal on proposal_comments (proposal_id, created_at)`.execute(db);
  await sql`
    create table proposal_votes (
      proposal_id uuid not null references proposals(id),
      user_id uuid not null references users(id),
      choice text not null,
      cast_at timestamptz not null default now(),
      constraint proposal_votes_one_per_resident primary key (proposal_id, user_id)
    )`.execute(db);
  await sql`
    create table proposal_milestones (
      id uuid primary key default gen_random_uuid(),
      proposal_id uuid not null references proposals(id),
      title text not null check (length(title) between 1 and 80),
      due_date date,
      done_at timestamptz,
      sort integer not null
    )`.execute(db);
  await sql`
    create table proposal_updates (
      id uuid primary key default gen_random_uuid(),
      proposal_id uuid not null references proposals(id),
      milestone_id uuid references proposal_milestones(id),
      note text not null check (length(note) between 1 and 1000),
      author_name text not null,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table volunteers (
      user_id uuid primary key references users(id),
      region_path ltree not null,
      skills text[] not null default '{}',
      availability text not null default '',
      party_member boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index volunteers_region_path on volunteers using gist (region_path)`.execute(db);
  await sql`
    create table volunteer_tasks (
      id uuid primary key default gen_random_uuid(),
      region_code text not null references regions(code),
      region_path ltree not null,
      kind text not null check (kind in ('general','visit_alone')),
      title text not null check (length(title) between 1 and 80),
      description text not null default '',
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      capacity integer not null check (capacity between 1 and 1000),
      points_per_hour integer not null check (points_per_hour between 0 and 100),
      created_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      check (ends_at > starts_at)
    )`.execute(db);
  await sql`create index volunteer_tasks_region_path on volunteer_tasks using gist (region_path)`.execute(db);
  await sql`
    create table volunteer_signups (
      task_id uuid not null references volunteer_tasks(id),
      user_id uuid not null references users(id),
      signed_up_at timestamptz not null default now(),
      checked_in_at timestamptz,
      checked_out_at timestamptz,
      hours numeric(5,1),
      primary key (task_id, user_id),
      check (checked_out_at is null or (checked_in_at is not null and checked_out_at >= checked_in_at))
    )`.execute(db);

  await sql`
    create table points_accounts (
      user_id uuid primary key references users(id),
      balance integer not null default 0 constraint points_balance_not_negative check (balance >= 0),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table points_entries (
      id bigserial primary key,
      user_id uuid not null references users(id),
      amount integer not null check (amount <> 0),
      balance_after integer not null check (balance_after >= 0),
      reason text not null check (reason in ('report','verify_fix','vote','volunteer','redeem')),
      source_id text not null,
      region_path ltree,
      note text,
      created_at timestamptz not null default now(),
      constraint points_entries_once unique (user_id, reason, source_id)
    )`.execute(db);
  await sql`create index points_entries_user on points_entries (user_id, id desc)`.execute(db);
  await sql`
    create function points_entries_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'points_entries is append-only' using errcode = 'P0001';
    end $$`.execute(db);
  await sql`create trigger points_entries_no_update before update or delete on points_entries for each row execute function points_entries_append_only()`.execute(db);
  await sql`create trigger points_entries_no_truncate before truncate on points_entries for each statement execute function points_entries_append_only()`.execute(db);

  await sql`
    create table rewards (
      id uuid primary key default gen_random_uuid(),
      region_code text not null references regions(code),
      region_path ltree not null,
      name text not null check (length(name) between 1 and 60),
      description text not null default '',
      cost integer not null check (cost between 1 and 100000),
      stock integer not null constraint rewards_stock_not_negative check (stock >= 0),
      active boolean not null default true,
      created_by uuid not null references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index rewards_region_path on rewards using gist (region_path)`.execute(db);
  await sql`
    create table redemptions (
      id uuid primary key default gen_random_uuid(),
      reward_id uuid not null references rewards(id),
      user_id uuid not null references users(id),
      code text not null unique,
      cost integer not null,
      region_path ltree not null,
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'redemptions',
    'rewards',
    'points_entries',
    'points_accounts',
    'volunteer_signups',
    'volunteer_tasks',
    'volunteers',
    'proposal_updates',
    'proposal_milestones',
    'proposal_votes',
    'proposal_comments',
    'proposal_supports',
    'proposals',
    'proposal_thresholds',
    'notice_reads',
    'notices',
  ]) {
    await sql`drop table if exists ${sql.ref(table)}`.execute(db);
  }
  await sql`drop function if exists points_entries_append_only()`.execute(db);
}
