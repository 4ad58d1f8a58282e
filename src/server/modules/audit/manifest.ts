import { requirePermission, requireUser, scopeOf } from '../../platform/access.ts';
import { verifyAuditChain } from '../../platform/audit.ts';
import { definePermissions } from '../../platform/access.ts';
import { withErrors } from '../../platform/http.ts';
import { defineModule, type App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { listAuditEntries } from './repository.ts';
import { AuditPage, AuditQuery, Verification } from './schemas.ts';

export const auditPermissions = definePermissions({
  'audit.read': ['admin'],
  'audit.verify': ['admin'],
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
