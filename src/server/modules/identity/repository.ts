import { sql } from 'kysely';
import { scopeCondition, type Scope } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { UserRow } from '../../platform/db/schema.ts';

/** Users are "in scope" when at least one of their role assignments lies inside the scope. */
function userInScope(scope: Scope) {
  return sql<boolean>`exists (select 1 from role_assignments sa where sa.user_id = u.id and ${scopeCondition(sql.ref('sa.region_path'), scope)})`;
}

export async function findUserForLogin(db: Executor, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
}

export async function findUserById(db: Executor, scope: Scope, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users as u').selectAll('u').where('u.id', '=', id).where(userInScope(scope)).executeTakeFirst();
}

export async function usernameTaken(db: Executor, username: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
  return row !== undefined;
}

export interface UserListFilter {
  q?: string;
  role?: string;
  regionCode?: string;
  limit: number;
  offset: number;
}

export async function listUsers(db: Executor, scope: Scope, filter: UserListFilter): Promise<{ items: UserRow[]; total: number }> {
  let query = db.selectFrom('users as u').where(userInScope(scope));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('u.username', 'ilike', pattern), eb('u.display_name', 'like', pattern)]));
  }
  if (filter.role || filter.regionCode) {
    query = query.where(({ exists, selectFrom }) => {
      let inner = selectFrom('role_assignments as fa').select(sql`1`.as('one')).whereRef('fa.user_id', '=', 'u.id');
      if (filter.role) inner = inner.where('fa.role', '=', filter.role);
      if (filter.regionCode) inner = inner.where('fa.region_code', '=', filter.regionCode);
      return exists(inner);
    });
  }
  const [items, count] = await Promise.all([
    query.selectAll('u').orderBy('u.username').limit(filter.limit).offset(filter.offset).execute(),
    query.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export async function insertUser(
  db: Executor,
  row: { username: string; displayName: string; phone: string | null; passwordHash: string },
): Promise<string> {
  const inserted = await db
    .insertInto('users')
    .values({ username: row.username, display_name: row.displayName, phone: row.phone, password_hash: row.passwordHash })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function insertAssignment(
  db: Executor,
  row: { userId: string; role: string; regionCode: string; regionPath: string; departmentId: string | null },
): Promise<string> {
  const inserted = await db
    .insertInto('role_assignments')
    .values({ user_id: row.userId, role: row.role, region_code: row.regionCode, region_path: row.regionPath, department_id: row.departmentId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findAssignment(db: Executor, userId: string, assignmentId: string) {
  return db.selectFrom('role_assignments').selectAll().where('user_id', '=', userId).where('id', '=', assignmentId).executeTakeFirst();
}

export async function countAssignments(db: Executor, userId: string): Promise<number> {
  const row = await db.selectFrom('role_assignments').select(sql<string>`count(*)`.as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteAssignment(db: Executor, assignmentId: string): Promise<void> {
  await db.deleteFrom('role_assignments').where('id', '=', assignmentId).execute();
}

export async function recordLoginFailure(db: Executor, userId: string, maxFailures: number, lockMinutes: number): Promise<{ locked: boolean }> {
  const row = await db
    .updateTable('users')
    .set({
      failed_login_count: sql`failed_login_count + 1`,
      locked_until: sql`case when failed_login_count + 1 >= ${maxFailures} then now() + ${lockMinutes} * interval '1 minute' else locked_until end`,
    })
    .where('id', '=', userId)
    .returning(['failed_login_count'])
    .executeTakeFirstOrThrow();
  return { locked: row.failed_login_count >= maxFailures };
}

export async function recordLoginSuccess(db: Executor, userId: string, newHash?: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ failed_login_count: 0, locked_until: null, ...(newHash ? { password_hash: newHash } : {}) })
    .where('id', '=', userId)
    .execute();
}

export async function updateUser(
  db: Executor,
  userId: string,
  patch: { displayName?: string; phone?: string | null; status?: string; passwordHash?: string; unlock?: boolean },
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash, password_changed_at: new Date() } : {}),
      ...(patch.unlock ? { failed_login_count: 0, locked_until: null } : {}),
    })
    .where('id', '=', userId)
    .execute();
}

export interface AssignmentView {
  id: string;
  role: string;
  regionCode: string;
  regionName: string;
  regionPath: string;
  departmentId: string | null;
  departmentName: string | null;
}

/** Role assignments of several users in one query, keyed by user id. */
export async function assignmentsOfUsers(db: Executor, userIds: readonly string[]): Promise<Map<string, AssignmentView[]>> {
  const byUser = new Map<string, AssignmentView[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom('role_assignments as a')
    .innerJoin('regions as r', 'r.code', 'a.region_code')
    .leftJoin('departments as d', 'd.id', 'a.department_id')
    .select(['a.user_id', 'a.id', 'a.role', 'a.region_code', 'r.name as region_name', 'a.region_path', 'a.department_id', 'd.name as department_name'])
    .where('a.user_id', 'in', userIds)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  for (const row of rows) {
    byUser.get(row.user_id)?.push({
      id: row.id,
      role: row.role,
      regionCode: row.region_code,
      regionName: row.region_name,
      regionPath: row.region_path,
      departmentId: row.department_id,
      departmentName: row.department_name,
    });
  }
  return byUser;
}
