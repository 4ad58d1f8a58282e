import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { maskPhone } from '../../../shared/mask.ts';
import { authorize, inScope, requireUser, scopeOf, type Scope } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import { SESSION_COOKIE } from '../../platform/auth/plugin.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import type { UserRow } from '../../platform/db/schema.ts';
import { findDepartment } from '../departments/repository.ts';
import { findRegion } from '../regions/repository.ts';
import {
  changeOwnPassword,
  createUser,
  grantAssignment,
  login,
  logout,
  resetPassword,
  revealPhone,
  setUserStatus,
  switchScope,
  unlockUser,
  withdrawAssignment,
  type AssignmentInput,
} from './commands.ts';
import { assignmentsOfUsers, findAssignment, findUserById, listUsers } from './repository.ts';
import {
  AssignmentInput as AssignmentInputSchema,
  AssignmentParams,
  ChangePasswordBody,
  CreateUserBody,
  LoginBody,
  LoginResponse,
  Me,
  ResetPasswordBody,
  RevealBody,
  RevealResponse,
  StatusBody,
  SwitchScopeBody,
  UserIdParams,
  UserList,
  UserListQuery,
  UserSchema,
} from './schemas.ts';

export function identityRoutes(app: App, platform: Platform): void {
  const { db, permissions, config } = platform;

  const me = (actor: UserActor) => ({
    user: { id: actor.userId, username: actor.username, displayName: actor.displayName },
    assignment: actor.assignment,
    assignments: actor.assignments,
    permissions: permissions.permissionsOf(actor.assignment.role),
  });

  const setCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: config.secureCookies,
      maxAge: config.sessionTtlHours * 3600,
    });

  const auth = ['auth'];
  app.post(
    '/auth/login',
    {
      config: { public: true, rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: { tags: auth, summary: 'Sign in with username and password', security: [], body: LoginBody, response: withErrors({ 200: LoginResponse, 423: ErrorResponse }) },
    },
    async (request, reply) => {
      const { token, actor } = await login(platform, {
        username: request.body.username,
        password: request.body.password,
        clientIp: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
      });
      setCookie(reply, token);
      return { token, expiresInHours: config.sessionTtlHours, user: me(actor) };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: auth, summary: 'End this session (the token stops working at once)', response: withErrors({ 204: Type.Null() }) } },
    async (request, reply) => {
      const actor = requireUser(request.actor);
      await platform.transaction(actor, (ctx) => logout({ ...ctx, actor }), { requestId: request.id });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get('/me', { schema: { tags: auth, summary: 'Who am I: user, active scope, all scopes, permissions', response: withErrors({ 200: Me }) } }, async (request) =>
    me(requireUser(request.actor)),
  );

  app.put(
    '/me/scope',
    { schema: { tags: auth, summary: 'Switch the active role assignment (scope) of this session', body: SwitchScopeBody, response: withErrors({ 200: Me }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      await platform.transaction(actor, (ctx) => switchScope({ ...ctx, actor }, request.body.assignmentId), { requestId: request.id });
      const active = actor.assignments.find((a) => a.id === request.body.assignmentId)!;
      return me({ ...actor, assignment: active });
    },
  );

  app.post(
    '/me/password',
    { schema: { tags: auth, summary: 'Change my password; signs out my other sessions', body: ChangePasswordBody, response: withErrors({ 204: Type.Null(), 422: ErrorResponse }) } },
    async (request, reply) => {
      const actor = requireUser(request.actor);
      const user = await findUserById(db, { kind: 'all' }, actor.userId);
      if (!user) throw new AppError('NOT_FOUND');
      await platform.transaction(actor, (ctx) => changeOwnPassword({ ...ctx, actor }, user, request.body, config.passwordHashCost), { requestId: request.id });
      return reply.code(204).send(null);
    },
  );

  // ── Accounts administration ───────────────────────────────────────────────
  const tags = ['users'];

  async function presentUsers(users: UserRow[]) {
    const assignments = await assignmentsOfUsers(db, users.map((u) => u.id));
    return users.map((u) => ({
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      phone: u.phone ? maskPhone(u.phone) : null,
      status: u.status,
      lockedUntil: u.locked_until && u.locked_until.getTime() > Date.now() ? u.locked_until.toISOString() : null,
      createdAt: u.created_at.toISOString(),
      assignments: assignments.get(u.id) ?? [],
    }));
  }

  async function loadUser(scope: Scope, id: string): Promise<UserRow> {
    const user = await findUserById(db, scope, id);
    if (!user) throw new AppError('NOT_FOUND');
    return user;
  }

  /** Resolves an assignment request against the caller's scope: regions and departments outside it are "not found". */
  async function resolveAssignment(scope: Scope, input: { role: AssignmentInput['role']; regionCode: string; departmentId?: string | undefined }): Promise<AssignmentInput> {
    const region = await findRegion(db, scope, input.regionCode);
    if (!region) throw new AppError('NOT_FOUND', { field: 'regionCode' });
    let department: AssignmentInput['department'] = null;
    if (input.departmentId) {
      const found = await findDepartment(db, scope, input.departmentId);
      if (!found) throw new AppError('NOT_FOUND', { field: 'departmentId' });
      department = { id: found.id, regionPath: found.regionPath };
    }
    return { role: input.role, region, department };
  }

  const guard = (request: FastifyRequest, permission: string) => {
    const actor = authorize(permissions, request.actor, permission);
    return { actor, scope: scopeOf(actor) };
  };

  app.get('/users', { schema: { tags, summary: 'Accounts with a role inside your scope', querystring: UserListQuery, response: withErrors({ 200: UserList }) } }, async (request) => {
    const { scope } = guard(request, 'user.read');
    const q = request.query;
    const page = await listUsers(db, scope, { q: q.q, role: q.role, regionCode: q.region, limit: q.limit ?? 50, offset: q.offset ?? 0 });
    return { items: await presentUsers(page.items), total: page.total };
  });

  app.get('/users/:id', { schema: { tags, summary: 'One account (phone masked)', params: UserIdParams, response: withErrors({ 200: UserSchema }) } }, async (request) => {
    const { scope } = guard(request, 'user.read');
    const [user] = await presentUsers([await loadUser(scope, request.params.id)]);
    return user!;
  });

  app.post(
    '/users',
    { schema: { tags, summary: 'Create an account with its first role assignment', body: CreateUserBody, response: withErrors({ 201: UserSchema, 409: ErrorResponse, 422: ErrorResponse }) } },
    async (request, reply) => {
      const { actor, scope } = guard(request, 'user.manage');
      const assignment = await resolveAssignment(scope, request.body.assignment);
      const id = await platform.transaction(
        actor,
        (ctx) => createUser(ctx, { ...request.body, phone: request.body.phone ?? null, assignment }, config.passwordHashCost),
        { requestId: request.id },
      );
      const [user] = await presentUsers([await loadUser(scope, id)]);
      return reply.code(201).send(user!);
    },
  );

  app.post(
    '/users/:id/assignments',
    { schema: { tags, summary: 'Grant a role in a region inside your scope', params: UserIdParams, body: AssignmentInputSchema, response: withErrors({ 201: UserSchema, 409: ErrorResponse, 422: ErrorResponse }) } },
    async (request, reply) => {
      const { actor, scope } = guard(request, 'user.manage');
      const user = await loadUser(scope, request.params.id);
      const assignment = await resolveAssignment(scope, request.body);
      await platform.transaction(actor, (ctx) => grantAssignment(ctx, user.id, assignment), { requestId: request.id });
      const [view] = await presentUsers([user]);
      return reply.code(201).send(view!);
    },
  );

  app.delete(
    '/users/:id/assignments/:assignmentId',
    { schema: { tags, summary: 'Withdraw a role assignment (its sessions fall back to another scope)', params: AssignmentParams, response: withErrors({ 200: UserSchema, 422: ErrorResponse }) } },
    async (request) => {
      const { actor, scope } = guard(request, 'user.manage');
      const user = await loadUser(scope, request.params.id);
      const assignment = await findAssignment(db, user.id, request.params.assignmentId);
      if (!assignment || !inScope(scope, assignment.region_path)) throw new AppError('NOT_FOUND');
      await platform.transaction(actor, (ctx) => withdrawAssignment(ctx, user.id, assignment), { requestId: request.id });
      const [view] = await presentUsers([user]);
      return view!;
    },
  );

  app.put(
    '/users/:id/status',
    { schema: { tags, summary: 'Disable (signs out everywhere) or re-enable an account', params: UserIdParams, body: StatusBody, response: withErrors({ 200: UserSchema }) } },
    async (request) => {
      const { actor, scope } = guard(request, 'user.manage');
      const user = await loadUser(scope, request.params.id);
      if (user.id === actor.userId) throw new AppError('FORBIDDEN', { reason: 'cannot change your own status' });
      await platform.transaction(actor, (ctx) => setUserStatus(ctx, user, request.body.status), { requestId: request.id });
      const [view] = await presentUsers([await loadUser(scope, user.id)]);
      return view!;
    },
  );

  app.post(
    '/users/:id/unlock',
    { schema: { tags, summary: 'Lift a lockout after failed sign-ins', params: UserIdParams, response: withErrors({ 200: UserSchema }) } },
    async (request) => {
      const { actor, scope } = guard(request, 'user.manage');
      const user = await loadUser(scope, request.params.id);
      await platform.transaction(actor, (ctx) => unlockUser(ctx, user), { requestId: request.id });
      const [view] = await presentUsers([await loadUser(scope, user.id)]);
      return view!;
    },
  );

  app.put(
    '/users/:id/password',
    { schema: { tags, summary: 'Set a new password for an account (signs it out everywhere)', params: UserIdParams, body: ResetPasswordBody, response: withErrors({ 204: Type.Null(), 422: ErrorResponse }) } },
    async (request, reply) => {
      const { actor, scope } = guard(request, 'user.manage');
      const user = await loadUser(scope, request.params.id);
      await platform.transaction(actor, (ctx) => resetPassword(ctx, user, request.body.password, config.passwordHashCost), { requestId: request.id });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/users/:id/reveal',
    { schema: { tags, summary: 'Show a full personal-data field, with a reason (audited)', params: UserIdParams, body: RevealBody, response: withErrors({ 200: RevealResponse, 422: ErrorResponse }) } },
    async (request) => {
      const { actor, scope } = guard(request, 'user.revealPersonalData');
      const user = await loadUser(scope, request.params.id);
      const value = await platform.transaction(actor, (ctx) => revealPhone(ctx, user, request.body.reason, actor.assignment.regionPath), { requestId: request.id });
      return { field: 'phone' as const, value };
    },
  );
}
