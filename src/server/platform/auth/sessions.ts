import { sql } from 'kysely';
import { isRole } from '../../../shared/roles.ts';
import type { RoleAssignment, UserActor } from '../actor.ts';
import type { Executor } from '../db/index.ts';
import { hashToken } from './password.ts';

/** Session storage: the only code that reads the sessions table. Stateless app instances share it. */

const SLIDE_AFTER_MS = 5 * 60 * 1000;

export async function loadAssignments(db: Executor, userId: string): Promise<RoleAssignment[]> {
  const rows = await db
    .selectFrom('role_assignments as a')
    .innerJoin('regions as r', 'r.code', 'a.region_code')
    .leftJoin('departments as d', 'd.id', 'a.department_id')
    .select(['a.id', 'a.role', 'a.region_code', 'a.region_path', 'r.name as region_name', 'a.department_id', 'd.name as department_name'])
    .where('a.user_id', '=', userId)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
  return rows.flatMap((row) =>
    isRole(row.role)
      ? [
          {
            id: row.id,
            role: row.role,
            regionCode: row.region_code,
            regionPath: row.region_path,
            regionName: row.region_name,
            departmentId: row.department_id,
            departmentName: row.department_name,
          },
        ]
      : [],
  );
}

export type SessionLookup =
  | { ok: true; actor: UserActor }
  | { ok: false; reason: 'unknown' | 'expired' | 'disabled' | 'no_role' };

/** One round trip: the session, its user and the user's role assignments (it runs on every request). */
export async function resolveSession(db: Executor, token: string, ttlHours: number): Promise<SessionLookup> {
  const session = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.user_id',
      's.active_assignment_id',
      's.expires_at',
      's.revoked_at',
      's.last_used_at',
      'u.username',
      'u.display_name',
      'u.status',
      sql<RoleAssignment[]>`coalesce((
        select json_agg(json_build_object(
          'id', a.id, 'role', a.role, 'regionCode', a.region_code, 'regionPath', a.region_path::text, 'regionName', r.name,
          'departmentId', a.department_id, 'departmentName', d.name) order by a.created_at, a.id)
        from role_assignments a
        join regions r on r.code = a.region_code
        left join departments d on d.id = a.department_id
        where a.user_id = s.user_id), '[]'::json)`.as('assignments'),
    ])
    .where('s.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!session || session.revoked_at) return { ok: false, reason: 'unknown' };
  const now = Date.now();
  if (session.expires_at.getTime() <= now) return { ok: false, reason: 'expired' };
  if (session.status !== 'active') return { ok: false, reason: 'disabled' };
  const assignments = session.assignments.filter((a) => isRole(a.role));
  const active = assignments.find((a) => a.id === session.active_assignment_id) ?? assignments[0];
  if (!active) return { ok: false, reason: 'no_role' };
  if (now - session.last_used_at.getTime() > SLIDE_AFTER_MS) {
    await db
      .updateTable('sessions')
      .set({ last_used_at: new Date(now), expires_at: new Date(now + ttlHours * 3600_000) })
      .where('id', '=', session.id)
      .execute();
  }
  return {
    ok: true,
    actor: {
      kind: 'user',
      userId: session.user_id,
      username: session.username,
      displayName: session.display_name,
      sessionId: session.id,
      assignment: active,
      assignments,
    },
  };
}

export async function createSession(
  db: Executor,
  input: { userId: string; tokenHash: string; kind: 'cookie' | 'bearer'; assignmentId: string; ttlHours: number; clientIp: string | null; userAgent: string | null },
): Promise<string> {
  const row = await db
    .insertInto('sessions')
    .values({
      user_id: input.userId,
      token_hash: input.tokenHash,
      kind: input.kind,
      active_assignment_id: input.assignmentId,
      expires_at: new Date(Date.now() + input.ttlHours * 3600_000),
      client_ip: input.clientIp,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function revokeSession(db: Executor, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: sql`now()` }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

export async function revokeUserSessions(db: Executor, userId: string, exceptSessionId?: string): Promise<number> {
  let query = db.updateTable('sessions').set({ revoked_at: sql`now()` }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Switches this session's scope and remembers it as the user's preferred one for the next sign-in. */
export async function setActiveAssignment(db: Executor, session: { id: string; userId: string }, assignmentId: string): Promise<void> {
  await db.updateTable('sessions').set({ active_assignment_id: assignmentId }).where('id', '=', session.id).execute();
  await db.updateTable('users').set({ preferred_assignment_id: assignmentId }).where('id', '=', session.userId).execute();
}
