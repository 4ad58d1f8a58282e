import { sql, type Kysely } from 'kysely';

/**
 * Categories the district lets the platform dispatch on its own (issue #3 item 4): a report whose
 * text the classifier places in one of them with at least `min_score` confidence is registered and
 * dispatched to the routed unit at once; everything else waits for the desk.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table auto_dispatch_rules (
      category_code text primary key references categories(code),
      min_score numeric not null check (min_score >= 0.5 and min_score <= 1),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0009-auto-dispatch is not reversible');
}
