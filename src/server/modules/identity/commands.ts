import { isRole, ROLES_WITH_DEPARTMENT, type Role } from '../../../shared/roles.ts';
import { maskPhone } from '../../../shared/mask.ts';
import { pathWithin } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import { systemActor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit.ts';
import { hashPassword, needsRehash, newSessionToken, passwordProblem, verifyPassword } from '../../platform/auth/password.ts';
import { createSession, loadAssignments, revokeSession, revokeUserSessions, setActiveAssignment } from '../../platform/auth/sessions.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { recordChange, type CommandContext, type Platform } from '../../platform/platform.ts';
import type { UserRow } from '../../platform/db/schema.ts';
import {
  countAssignments,
  deleteAssignment,
  findUserForLogin,
  insertAssignment,
  insertUser,
  recordLoginFailure,
  recordLoginSuccess,
  updateUser,
  usernameTaken,
} from './repository.ts';

/** A scrypt hash of a random string: verifying against it costs what a real check costs. */
let dummyHash: Promise<string> | undefined;

export interface LoginResult {
  token: string;
  actor: UserActor;
}

/**
 * Checks a password and opens a session. Unknown usernames cost the same time as known ones.
 * Consecutive failures lock the account for a while; every outcome on a real account is audited.
 */
export async function login(
  platform: Platform,
  input: { username: string; password: string; clientIp: string | null; userAgent: string | null; requestId: string },
): Promise<LoginResult> {
  const { config, db } = platform;
  const user = await findUserForLogin(db, input.username);
  if (!user) {
    dummyHash ??= hashPassword(crypto.randomUUID(), config.passwordHashCost);
    await verifyPassword(input.password, await dummyHash);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (user.locked_until && user.locked_until.getTime() > Date.now()) throw new AppError('ACCOUNT_LOCKED', { lockedUntil: user.locked_until.toISOString() });
  const valid = await verifyPassword(input.password, user.password_hash);
  if (!valid) {
    const { locked } = await db.transaction().execute(async (trx) => {
      const outcome = await recordLoginFailure(trx, user.id, config.loginMaxFailures, config.loginLockMinutes);
      await recordAudit(trx, systemActor('auth'), {
        action: outcome.locked ? 'auth.locked' : 'auth.login_failed',
        objectType: 'user',
        objectId: user.id,
        details: { username: user.username, clientIp: input.clientIp },
        requestId: input.requestId,
      });
      return outcome;
    });
    throw new AppError(locked ? 'ACCOUNT_LOCKED' : 'INVALID_CREDENTIALS');
  }
  if (user.status !== 'active') throw new AppError('ACCOUNT_DISABLED');
  const assignments = await loadAssignments(db, user.id);
  // Resume the scope the user last switched to, if they still hold it; else their first assignment.
  const first = assignments.find((a) => a.id === user.preferred_assignment_id) ?? assignments[0];
  if (!first) throw new AppError('ACCOUNT_DISABLED', { reason: 'no role assignment' });
  const rehash = needsRehash(user.password_hash, config.passwordHashCost) ? await hashPassword(input.password, config.passwordHashCost) : undefined;
  const { token, tokenHash } = newSessionToken();
  const actor: UserActor = { kind: 'user', userId: user.id, username: user.username, displayName: user.display_name, sessionId: '', assignment: first, assignments };
  await platform.transaction(
    actor,
    async (ctx) => {
      await recordLoginSuccess(ctx.trx, user.id, rehash);
      actor.sessionId = await createSession(ctx.trx, { userId: user.id, tokenHash, kind: 'cookie', assignmentId: first.id, ttlHours: config.sessionTtlHours, clientIp: input.clientIp, userAgent: input.userAgent });
      await recordChange(ctx, {
        audit: { action: 'auth.login', objectType: 'session', objectId: actor.sessionId, details: { clientIp: input.clientIp } },
        event: { type: 'user.logged_in', aggregateType: 'user', aggregateId: user.id, payload: { sessionId: actor.sessionId } },
      });
    },
    { requestId: input.requestId },
  );
  return { token, actor };
}

export async function logout(ctx: CommandContext & { actor: UserActor }): Promise<void> {
  await revokeSession(ctx.trx, ctx.actor.sessionId);
  await recordChange(ctx, { audit: { action: 'auth.logout', objectType: 'session', objectId: ctx.actor.sessionId } });
}

export async function switchScope(ctx: CommandContext & { actor: UserActor }, assignmentId: string): Promise<void> {
  const target = ctx.actor.assignments.find((a) => a.id === assignmentId);
  if (!target) throw new AppError('NOT_FOUND');
  await setActiveAssignment(ctx.trx, { id: ctx.actor.sessionId, userId: ctx.actor.userId }, assignmentId);
  await recordChange(ctx, {
    audit: { action: 'auth.switch_scope', objectType: 'session', objectId: ctx.actor.sessionId, regionPath: target.regionPath, details: { role: target.role, regionCode: target.regionCode } },
  });
}

export async function changeOwnPassword(
  ctx: CommandContext & { actor: UserActor },
  user: UserRow,
  input: { currentPassword: string; newPassword: string },
  cost: number,
): Promise<void> {
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) throw new AppError('WRONG_PASSWORD');
  if (passwordProblem(input.newPassword, user.username)) throw new AppError('WEAK_PASSWORD');
  await updateUser(ctx.trx, user.id, { passwordHash: await hashPassword(input.newPassword, cost) });
  const revoked = await revokeUserSessions(ctx.trx, user.id, ctx.actor.sessionId);
  await recordChange(ctx, {
    audit: { action: 'user.change_password', objectType: 'user', objectId: user.id, details: { otherSessionsRevoked: revoked } },
    event: { type: 'user.password_changed', aggregateType: 'user', aggregateId: user.id, payload: {} },
  });
}

export interface AssignmentInput {
  role: Role;
  region: { code: string; regionPath: string };
  department: { id: string; regionPath: string } | null;
}

function checkAssignment(input: AssignmentInput): void {
  if (ROLES_WITH_DEPARTMENT.has(input.role) && !input.department) throw new AppError('DEPARTMENT_REQUIRED');
  // A handler belongs to a department that serves the assignment's region: inside it or above it.
  if (input.department && !pathWithin(input.region.regionPath, input.department.regionPath) && !pathWithin(input.department.regionPath, input.region.regionPath)) {
    throw new AppError('DEPARTMENT_OUTSIDE_REGION');
  }
}

export async function createUser(
  ctx: CommandContext,
  input: { username: string; displayName: string; phone: string | null; password: string; assignment: AssignmentInput },
  cost: number,
): Promise<string> {
  if (passwordProblem(input.password, input.username)) throw new AppError('WEAK_PASSWORD');
  checkAssignment(input.assignment);
  if (await usernameTaken(ctx.trx, input.username)) throw new AppError('USERNAME_TAKEN');
  let userId: string;
  try {
    userId = await insertUser(ctx.trx, { username: input.username, displayName: input.displayName, phone: input.phone, passwordHash: await hashPassword(input.password, cost) });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('USERNAME_TAKEN', undefined, { cause: error });
    throw error;
  }
  const { role, region, department } = input.assignment;
  await insertAssignment(ctx.trx, { userId, role, regionCode: region.code, regionPath: region.regionPath, departmentId: department?.id ?? null });
  await recordChange(ctx, {
    audit: {
      action: 'user.create',
      objectType: 'user',
      objectId: userId,
      regionPath: region.regionPath,
      details: { username: input.username, displayName: input.displayName, phone: input.phone ? maskPhone(input.phone) : null, role, regionCode: region.code, departmentId: department?.id ?? null },
    },
    event: { type: 'user.created', aggregateType: 'user', aggregateId: userId, regionPath: region.regionPath, payload: { username: input.username, role, regionCode: region.code } },
  });
  return userId;
}

export async function grantAssignment(ctx: CommandContext, userId: string, input: AssignmentInput): Promise<string> {
  checkAssignment(input);
  let id: string;
  try {
    id = await insertAssignment(ctx.trx, { userId, role: input.role, regionCode: input.region.code, regionPath: input.region.regionPath, departmentId: input.department?.id ?? null });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('ASSIGNMENT_EXISTS', undefined, { cause: error });
    throw error;
  }
  await recordChange(ctx, {
    audit: { action: 'user.grant_role', objectType: 'user', objectId: userId, regionPath: input.region.regionPath, details: { assignmentId: id, role: input.role, regionCode: input.region.code, departmentId: input.department?.id ?? null } },
    event: { type: 'user.role_granted', aggregateType: 'user', aggregateId: userId, regionPath: input.region.regionPath, payload: { assignmentId: id, role: input.role, regionCode: input.region.code } },
  });
  return id;
}

export async function withdrawAssignment(ctx: CommandContext, userId: string, assignment: { id: string; role: string; region_code: string; region_path: string }): Promise<void> {
  if ((await countAssignments(ctx.trx, userId)) <= 1) throw new AppError('LAST_ASSIGNMENT');
  await deleteAssignment(ctx.trx, assignment.id);
  await recordChange(ctx, {
    audit: { action: 'user.withdraw_role', objectType: 'user', objectId: userId, regionPath: assignment.region_path, details: { assignmentId: assignment.id, role: assignment.role, regionCode: assignment.region_code } },
    event: { type: 'user.role_withdrawn', aggregateType: 'user', aggregateId: userId, regionPath: assignment.region_path, payload: { assignmentId: assignment.id, role: assignment.role } },
  });
}

export async function setUserStatus(ctx: CommandContext, user: UserRow, status: 'active' | 'disabled'): Promise<void> {
  if (user.status === status) return;
  await updateUser(ctx.trx, user.id, { status });
  const revoked = status === 'disabled' ? await revokeUserSessions(ctx.trx, user.id) : 0;
  await recordChange(ctx, {
    audit: { action: status === 'disabled' ? 'user.disable' : 'user.enable', objectType: 'user', objectId: user.id, details: { sessionsRevoked: revoked } },
    event: { type: status === 'disabled' ? 'user.disabled' : 'user.enabled', aggregateType: 'user', aggregateId: user.id, payload: {} },
  });
}

export async function unlockUser(ctx: CommandContext, user: UserRow): Promise<void> {
  await updateUser(ctx.trx, user.id, { unlock: true });
  await recordChange(ctx, { audit: { action: 'user.unlock', objectType: 'user', objectId: user.id } });
}

export async function resetPassword(ctx: CommandContext, user: UserRow, password: string, cost: number): Promise<void> {
  if (passwordProblem(password, user.username)) throw new AppError('WEAK_PASSWORD');
  await updateUser(ctx.trx, user.id, { passwordHash: await hashPassword(password, cost), unlock: true });
  const revoked = await revokeUserSessions(ctx.trx, user.id);
  await recordChange(ctx, {
    audit: { action: 'user.reset_password', objectType: 'user', objectId: user.id, details: { sessionsRevoked: revoked } },
    event: { type: 'user.password_changed', aggregateType: 'user', aggregateId: user.id, payload: {} },
  });
}

/** Full phone number for a stated reason. The read itself is the audited act. */
export async function revealPhone(ctx: CommandContext, user: UserRow, reason: string, regionPath: string | null): Promise<string | null> {
  if ([...reason.trim()].length < 4) throw new AppError('REASON_REQUIRED');
  await recordChange(ctx, {
    audit: { action: 'personal_data.reveal', objectType: 'user', objectId: user.id, regionPath, reason: reason.trim(), details: { fields: ['phone'] } },
  });
  return user.phone;
}

export function parseRole(value: string): Role {
  if (!isRole(value)) throw new AppError('VALIDATION_FAILED', [{ path: '/role', rule: 'enum' }]);
  return value;
}
