import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the dispatch board on a large case table (issue #3 measurements; `npm run bench --
 * cases` loads 1,000,000 cases and shows the plans with BENCH_EXPLAIN=1).
 * - cases_open_region_path: the open cases of a scope (not closed, rejected or merged). Nearly every case is closed, so with the full
 *   GiST index on region_path "active" at street scope read every case of the street (about 23,000
 *   heap rows for 950 open ones at 1M cases, 150 ms on PostgreSQL) and "status=reported" intersected
 *   the street's 23,000 index entries with the status index; this one holds the open cases only (the
 *   planner uses it for any open status: `status = 'reported'` implies `status not in (…)`).
 * - cases_created: newest first (the console's default list and every list without a sort) without
 *   sorting the whole scope; the order matches the query's `created_at desc, id`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index cases_open_region_path on cases using gist (region_path) where status not in ('closed', 'rejected', 'merged')`.execute(db);
  await sql`create index cases_created on cases (created_at desc, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists cases_created`.execute(db);
  await sql`drop index if exists cases_open_region_path`.execute(db);
}
