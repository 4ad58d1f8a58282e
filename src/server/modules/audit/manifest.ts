import { Type } from 'typebox';
import { requirePermission, requireUser, scopeOf } from '../../platform/access.ts';
import { verifyAuditChain } from '../../platform/audit.ts';
import { definePermissions } from '../../platform/access.ts';
import { withErrors } from '../../platform/http.ts';
import { defineModule, type App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { listAuditEntries } from './repository.ts';

const auditPermissions = definePermissions({
  'audit.read': ['admin'],
  'audit.verify': ['admin'],
});

const AuditEntry = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actorUserId: Type.Union([Type.String(), Type.Null()]),
  actorUsername: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.Union([Type.String(), Type.Null()]),
  regionPath: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  details: Type.Unknown(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  hash: Type.String(),
});

const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ maxLength: 80, description: 'Exact action, or a prefix ending in "." (e.g. "user.")' })),
    actor: Type.Optional(Type.String({ maxLength: 64, description: 'Username' })),
    objectType: Type.Optional(Type.String({ maxLength: 40 })),
    objectId: Type.Optional(Type.String({ maxLength: 80 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    before: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'Cursor: the nextBefore of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

const AuditPage = Type.Object({ items: Type.Array(AuditEntry), nextBefore: Type.Union([Type.String(), Type.Null()]) });

const Verification = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  lastHash: Type.String(),
  firstBroken: Type.Optional(Type.Object({ id: Type.String(), problem: Type.String(), expected: Type.String(), found: Type.String() })),
});

function auditRoutes(app: App, platform: Platform): void {
  const tags = ['audit'];
  app.get('/audit', { schema: { tags, summary: 'Audit log entries inside your scope, newest first', querystring: AuditQuery, response: withErrors({ 200: AuditPage }) } }, async (request) => {
    const actor = requireUser(request.actor);
    requirePermission(platform.permissions, actor, 'audit.read');
    const limit = request.query.limit ?? 50;
    const topLevel = !actor.assignment.regionPath.includes('.');
    const rows = await listAuditEntries(platform.db, scopeOf(actor), topLevel, { ...request.query, limit });
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actorUserId: r.actor_user_id,
        actorUsername: r.actor_username,
        actorRole: r.actor_role,
        action: r.action,
        objectType: r.object_type,
        objectId: r.object_id,
        regionPath: r.region_path,
        reason: r.reason,
        details: r.details,
        requestId: r.request_id,
        hash: r.hash,
      })),
      nextBefore: rows.length === limit ? rows[rows.length - 1]!.id : null,
    };
  });

  app.get('/audit/verify', { schema: { tags, summary: 'Recompute the hash chain and report the first broken entry', response: withErrors({ 200: Verification }) } }, async (request) => {
    const actor = requireUser(request.actor);
    requirePermission(platform.permissions, actor, 'audit.verify');
    return verifyAuditChain(platform.db);
  });
}

export const auditModule = defineModule({ name: 'audit', permissions: auditPermissions, routes: auditRoutes });
