import { sql, type Kysely } from 'kysely';

/**
 * Time limits, notifications and the hotline's intake fields (issue #3 items 3, 7, 8).
 * - case_timers: the running clocks of a case (the current stage's and the handling deadline),
 *   each with the instants it warns, falls overdue and is escalated; the sweep marks what it fired,
 *   so timers survive restarts and fire once across instances.
 * - notifications: one row per recipient and source event (idempotent fan-out from the outbox).
 * - webhooks and their deliveries, sent from the outbox with retries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table cases
      add column caller_name text check (length(caller_name) <= 50),
      add column caller_phone text check (length(caller_phone) <= 30),
      add column call_type text check (call_type in ('consult','help','complaint','suggestion')),
      add column confidential boolean not null default false,
      add column handled_at timestamptz,
      add column suspended_at timestamptz,
      add column requested_extension numeric check (requested_extension > 0)`.execute(db);
  await sql`create index cases_deadline on cases (deadline_at) where deadline_at is not null and status not in ('closed','rejected')`.execute(db);

  await sql`
    create table case_timers (
      case_id uuid not null references cases(id),
      kind text not null check (kind in ('stage','handling')),
      stage text not null check (stage in ('register','dispatch','accept','handle','verify')),
      clock text not null,
      started_at timestamptz not null,
      warn_at timestamptz not null,
      due_at timestamptz not null,
      escalate_at timestamptz not null,
      warned_at timestamptz,
      overdue_at timestamptz,
      escalated_at timestamptz,
      paused_at timestamptz,
      provisional boolean not null default false,
      primary key (case_id, kind)
    )`.execute(db);
  // The sweep's three questions, each one indexed range scan over running timers.
  await sql`create index case_timers_warn on case_timers (warn_at) where warned_at is null and paused_at is null`.execute(db);
  await sql`create index case_timers_due on case_timers (due_at) where overdue_at is null and paused_at is null`.execute(db);
  await sql`create index case_timers_escalate on case_timers (escalate_at) where escalated_at is null and paused_at is null`.execute(db);

  await sql`
    create table notifications (
      id bigint generated always as identity primary key,
      user_id uuid not null references users(id),
      kind text not null,
      event_id uuid not null,
      case_id uuid references cases(id),
      params jsonb not null default '{}',
      created_at timestamptz not null default now(),
      read_at timestamptz,
      unique (user_id, event_id)
    )`.execute(db);
  await sql`create index notifications_user on notifications (user_id, id desc)`.execute(db);
  await sql`create index notifications_unread on notifications (user_id) where read_at is null`.execute(db);

  await sql`
    create table webhooks (
      id uuid primary key default gen_random_uuid(),
      url text not null check (url ~ '^https?://'),
      description text not null default '',
      event_types text[] not null,
      region_path ltree not null,
      secret text not null,
      active boolean not null default true,
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table webhook_deliveries (
      id bigint generated always as identity primary key,
      webhook_id uuid not null references webhooks(id),
      event_id uuid not null,
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      claimed_until timestamptz,
      delivered_at timestamptz,
      failed_at timestamptz,
      last_status integer,
      last_error text,
      created_at timestamptz not null default now(),
      unique (webhook_id, event_id)
    )`.execute(db);
  await sql`create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where delivered_at is null and failed_at is null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0006-case-time is not reversible');
}
