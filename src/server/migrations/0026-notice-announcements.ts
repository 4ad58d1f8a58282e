import { sql, type Kysely } from 'kysely';

/**
 * Notices reach residents' 消息 when they start (issue #6 item 4): `announced_at` records that a
 * notice's recipients were told, once, so a notice scheduled for later is announced by the job
 * when its day comes and never twice. Notices published before this migration count as announced.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table notices add column announced_at timestamptz`.execute(db);
  await sql`update notices set announced_at = created_at`.execute(db);
  await sql`create index notices_unannounced on notices (valid_from) where announced_at is null and withdrawn_at is null`.execute(db);
}
