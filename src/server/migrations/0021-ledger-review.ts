import { sql, type Kysely } from 'kysely';

/**
 * The committee ledger's review (issue #5 items 2, 7, 8): resolving 一数一源 conflicts and changing
 * the authoritative source of a field.
 *
 * - ledger_field_history gains the reviewer's outcomes: `accepted` (the proposed value was taken),
 *   `rejected` (the proposed value was turned down, the current one kept) and `verified` (a value
 *   checked on a visit, source 社工走访), with the reviewer's note and who decided.
 * - ledger_conflicts keeps the value the review settled on and the reviewer's note.
 * - ledger_authority_changes: who changed which field's authoritative source, when, from what to
 *   what and why; ledger_field_authority itself only holds the current choice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table ledger_field_history drop constraint ledger_field_history_outcome_check`.execute(db);
  await sql`
    alter table ledger_field_history add constraint ledger_field_history_outcome_check
      check (outcome in ('set','confirmed','replaced','conflict','accepted','rejected','verified'))`.execute(db);
  await sql`alter table ledger_field_history add column note text check (length(note) <= 500)`.execute(db);
  await sql`alter table ledger_field_history add column decided_by uuid references users(id)`.execute(db);

  await sql`alter table ledger_conflicts add column resolved_value text`.execute(db);
  await sql`alter table ledger_conflicts add column resolution_note text check (length(resolution_note) <= 500)`.execute(db);
  await sql`alter table ledger_conflicts add constraint ledger_conflicts_resolution_check check (resolution is null or resolution in ('keep','accept','verified'))`.execute(db);
  await sql`create index ledger_conflicts_open_field on ledger_conflicts (field, proposed_source) where status = 'open'`.execute(db);

  await sql`
    create table ledger_authority_changes (
      id bigserial primary key,
      field text not null,
      old_source text references ledger_sources(name),
      new_source text not null references ledger_sources(name),
      reason text not null check (length(reason) between 2 and 200),
      changed_by uuid references users(id),
      changed_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index ledger_authority_changes_field on ledger_authority_changes (field, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists ledger_authority_changes`.execute(db);
  await sql`drop index if exists ledger_conflicts_open_field`.execute(db);
  await sql`alter table ledger_conflicts drop constraint if exists ledger_conflicts_resolution_check`.execute(db);
  await sql`alter table ledger_conflicts drop column if exists resolution_note`.execute(db);
  await sql`alter table ledger_conflicts drop column if exists resolved_value`.execute(db);
  await sql`alter table ledger_field_history drop column if exists decided_by`.execute(db);
  await sql`alter table ledger_field_history drop column if exists note`.execute(db);
  await sql`alter table ledger_field_history drop constraint ledger_field_history_outcome_check`.execute(db);
  await sql`alter table ledger_field_history add constraint ledger_field_history_outcome_check check (outcome in ('set','confirmed','replaced','conflict'))`.execute(db);
}
