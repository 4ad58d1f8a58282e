import { sql, type Kysely } from 'kysely';

/**
 * Proactive services (issue #6 items 1–3 and 代办): the catalogue with declarative eligibility
 * rules and their versions, the matches the rules find in the ledger (one row per service and
 * person, carrying the uptake state), 走访 visits, the uptake history, receipts (who already gets a
 * service), residents' verified links to their ledger person, and authorisations to act for a
 * resident (代办).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table services (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
      name text not null check (length(name) between 1 and 60),
      name_en text not null default '',
      category text not null,
      department text not null,
      description text not null default '',
      how_to_apply text not null default '',
      documents text[] not null default '{}',
      auto_grant boolean not null default false,
      valid_from date,
      valid_to date,
      region_code text not null references regions(code),
      region_path ltree not null,
      version integer not null default 1,
      rule jsonb not null,
      examples jsonb not null default '[]',
      enabled boolean not null default true,
      evaluated_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index services_region on services using gist (region_path)`.execute(db);

  await sql`
    create table service_versions (
      service_id uuid not null references services(id),
      version integer not null,
      snapshot jsonb not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      primary key (service_id, version)
    )`.execute(db);

  await sql`
    create table service_receipts (
      id bigserial primary key,
      person_id uuid not null references ledger_persons(id),
      service_code text not null,
      since date not null,
      until date,
      source text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index service_receipts_person on service_receipts (person_id, service_code)`.execute(db);

  await sql`
    create table service_matches (
      id bigserial primary key,
      service_id uuid not null references services(id),
      person_id uuid not null references ledger_persons(id),
      region_path ltree not null,
      version integer not null,
      eligible boolean not null default true,
      status text not null default 'matched' check (status in ('matched','informed','applied','received','declined')),
      status_at timestamptz not null default now(),
      decline_reason text,
      follow_up_on date,
      matched_at timestamptz not null default now(),
      evaluated_at timestamptz not null default now(),
      unique (service_id, person_id)
    )`.execute(db);
  await sql`create index service_matches_person on service_matches (person_id)`.execute(db);
  await sql`create index service_matches_region on service_matches using gist (region_path)`.execute(db);

  await sql`
    create table service_uptake_events (
      id bigserial primary key,
      match_id bigint not null references service_matches(id),
      from_status text,
      to_status text not null,
      reason text,
      actor_user_id uuid references users(id),
      on_behalf_of uuid references ledger_persons(id),
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index service_uptake_events_match on service_uptake_events (match_id, id)`.execute(db);

  await sql`
    create table service_visits (
      id bigserial primary key,
      match_id bigint not null references service_matches(id),
      person_id uuid not null references ledger_persons(id),
      region_path ltree not null,
      visited_on date not null,
      outcome text not null check (outcome in ('informed','applied','declined','not_home','received')),
      note text,
      follow_up_on date,
      worker_user_id uuid not null references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index service_visits_match on service_visits (match_id, id)`.execute(db);

  await sql`
    create table resident_links (
      user_id uuid primary key references users(id),
      person_id uuid not null unique references ledger_persons(id),
      method text not null check (method in ('self','worker')),
      confirmed_by uuid references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table service_proxies (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references ledger_persons(id),
      agent_user_id uuid not null references users(id),
      relation text not null check (length(relation) between 1 and 20),
      basis text not null check (basis in ('resident','written')),
      granted_by uuid not null references users(id),
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    )`.execute(db);
  await sql`create unique index service_proxies_active on service_proxies (person_id, agent_user_id) where revoked_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['service_proxies', 'resident_links', 'service_visits', 'service_uptake_events', 'service_matches', 'service_receipts', 'service_versions', 'services']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
