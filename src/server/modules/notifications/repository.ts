import { sql, type Selectable, type SqlBool } from 'kysely';
import type { Role } from '../../../shared/roles.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { NotificationTable } from '../../platform/db/schema.ts';

export type NotificationRow = Selectable<NotificationTable>;

export interface NewNotification {
  userId: string;
  kind: string;
  eventId: string;
  caseId: string | null;
  params: Record<string, unknown>;
}

/** Idempotent on (recipient, source event): a redelivered event notifies nobody twice. */
export async function insertNotifications(db: Executor, rows: readonly NewNotification[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insertInto('notifications')
    .values(rows.map((r) => ({ user_id: r.userId, kind: r.kind, event_id: r.eventId, case_id: r.caseId, params: JSON.stringify(r.params) })))
    .onConflict((oc) => oc.columns(['user_id', 'event_id']).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

export async function listNotifications(db: Executor, userId: string, options: { unreadOnly: boolean; before?: string; limit: number }): Promise<NotificationRow[]> {
  let query = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (options.unreadOnly) query = query.where('read_at', 'is', null);
  if (options.before) query = query.where('id', '<', options.before);
  return query.orderBy('id', 'desc').limit(options.limit).execute();
}

export async function unreadCount(db: Executor, userId: string): Promise<number> {
  const row = await db.selectFrom('notifications').select(sql<string>`count(*)`.as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks the user's own notifications read (the given ids, or all); returns how many changed. */
export async function markRead(db: Executor, userId: string, ids: readonly string[] | 'all', at: Date): Promise<number> {
  let query = db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') {
    if (ids.length === 0) return 0;
    query = query.where('id', 'in', ids);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface RecipientQuery {
  roles: readonly Role[];
  /** Assignments exactly at this level (a desk is the desk of its own level). */
  atPath?: string;
  /** Assignments whose scope contains this place (the committee of a case). */
  covering?: string;
  /** Handlers of these units. */
  departmentIds?: readonly string[];
}

/** The active users holding an assignment that matches; one row per user. */
export async function recipients(db: Executor, q: RecipientQuery): Promise<string[]> {
  if (q.roles.length === 0 || (q.departmentIds && q.departmentIds.length === 0)) return [];
  let query = db
    .selectFrom('role_assignments as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select('a.user_id')
    .distinct()
    .where('u.status', '=', 'active')
    .where('a.role', 'in', q.roles);
  if (q.atPath) query = query.where(sql<SqlBool>`a.region_path = ${q.atPath}::ltree`);
  if (q.covering) query = query.where(sql<SqlBool>`a.region_path @> ${q.covering}::ltree`);
  if (q.departmentIds) query = query.where('a.department_id', 'in', q.departmentIds);
  return (await query.execute()).map((r) => r.user_id);
}
