import { sql, type Kysely } from 'kysely';

/**
 * Record linkage for the committee ledger (issue #5 item 5).
 *
 * - ledger_match_candidates: a pair of persons that may be one, with its score and the evidence per
 *   feature; `pending` ones wait for review, `rejected` ones are remembered so they are never proposed
 *   again, `merged` ones point at their merge, `stale` ones lost a person to another merge.
 * - ledger_merges: one person absorbed into another, with everything needed to undo it exactly:
 *   both persons' rows and current fields as they were, and the ids of the source records, history
 *   rows and conflicts that moved, and of the conflicts the merge opened.
 * - ledger_linkage_runs: when linkage ran and what it did, for the status endpoint.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ledger_match_candidates (
      id bigserial primary key,
      person_a uuid not null,
      person_b uuid not null,
      region_path ltree not null,
      score real not null,
      evidence jsonb not null,
      status text not null default 'pending' check (status in ('pending','merged','rejected','stale')),
      automatic boolean not null default false,
      created_at timestamptz not null default now(),
      decided_at timestamptz,
      decided_by uuid references users(id),
      check (person_a < person_b),
      unique (person_a, person_b)
    )`.execute(db);
  await sql`create index ledger_match_candidates_pending on ledger_match_candidates using gist (region_path) where status = 'pending'`.execute(db);
  await sql`create index ledger_match_candidates_b on ledger_match_candidates (person_b)`.execute(db);

  await sql`
    create table ledger_merges (
      id bigserial primary key,
      candidate_id bigint references ledger_match_candidates(id),
      -- no foreign keys to persons: a survivor may itself be absorbed later, and undo re-creates the absorbed one
      survivor_id uuid not null,
      absorbed_id uuid not null,
      region_path ltree not null,
      score real,
      automatic boolean not null,
      snapshot jsonb not null,
      merged_by uuid references users(id),
      merged_at timestamptz not null,
      undone_at timestamptz,
      undone_by uuid references users(id)
    )`.execute(db);
  await sql`create index ledger_merges_survivor on ledger_merges (survivor_id, id)`.execute(db);
  await sql`create index ledger_merges_region on ledger_merges using gist (region_path)`.execute(db);

  await sql`
    create table ledger_linkage_runs (
      id bigserial primary key,
      trigger text not null,
      status text not null default 'running' check (status in ('running','done','failed')),
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      since timestamptz,
      pairs integer not null default 0,
      auto_merged integer not null default 0,
      queued integer not null default 0,
      message text
    )`.execute(db);

  // blocking keys the self-joins use (birth date, dwelling and name are indexed by 0017)
  await sql`create index ledger_persons_phone on ledger_persons (phone) where phone is not null`.execute(db);
  await sql`create index ledger_persons_updated on ledger_persons (updated_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists ledger_persons_updated`.execute(db);
  await sql`drop index if exists ledger_persons_phone`.execute(db);
  for (const table of ['ledger_linkage_runs', 'ledger_merges', 'ledger_match_candidates']) await sql`drop table if exists ${sql.table(table)}`.execute(db);
}
