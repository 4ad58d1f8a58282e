import { sql, type Kysely } from 'kysely';

/**
 * Open311 GeoReport v2: the API keys issued to integrations, and what an Open311 submission
 * carries beyond the case itself (its token, media URL, address id and the submitter's contact
 * data). Contact data is personal: it lives only here and is never part of a public response.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table open311_api_keys (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 100),
      key_hash text not null unique,
      key_prefix text not null,
      user_id uuid not null references users(id),
      created_at timestamptz not null default now(),
      created_by uuid references users(id),
      last_used_at timestamptz,
      revoked_at timestamptz,
      revoked_by uuid references users(id)
    )`.execute(db);
  await sql`create index open311_api_keys_user on open311_api_keys (user_id)`.execute(db);

  await sql`
    create table open311_requests (
      case_id uuid primary key references cases(id),
      token uuid not null unique default gen_random_uuid(),
      api_key_id uuid not null references open311_api_keys(id),
      address_id text,
      media_url text check (length(media_url) <= 2000),
      email text check (length(email) <= 254),
      first_name text check (length(first_name) <= 100),
      last_name text check (length(last_name) <= 100),
      phone text check (length(phone) <= 30),
      device_id text check (length(device_id) <= 200),
      account_id text check (length(account_id) <= 200),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index open311_requests_api_key on open311_requests (api_key_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0008-open311 is not reversible');
}
