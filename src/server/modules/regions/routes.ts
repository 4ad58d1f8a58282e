import { Type } from 'typebox';
import { requirePermission, requireUser, scopeOf } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { createLocalRegion, removeLocalRegion, renameLocalRegion } from './commands.ts';
import { countDescendants, findRegion, listAncestors, listChildren, regionVisible, searchRegions, type Region } from './repository.ts';
import { CreateRegionBody, RegionCodeParams, RegionDetail, RegionSearchQuery, RegionSummary, RenameRegionBody } from './schemas.ts';

const summary = (r: Region) => ({ code: r.code, name: r.name, level: r.level, kind: r.kind, parentCode: r.parentCode, childCount: r.childCount, source: r.source });

export function regionRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;
  const tags = ['regions'];

  async function load(scope: ReturnType<typeof scopeOf>, code: string): Promise<Region> {
    const region = await findRegion(db, scope, code);
    if (!region) throw new AppError('NOT_FOUND');
    return region;
  }

  app.get(
    '/regions/search',
    { schema: { tags, summary: 'Search regions by name or code inside your scope', querystring: RegionSearchQuery, response: withErrors({ 200: Type.Array(RegionSummary) }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      requirePermission(permissions, actor, 'region.read');
      return (await searchRegions(db, scopeOf(actor), request.query.q, request.query.limit ?? 20)).map(summary);
    },
  );

  app.get(
    '/regions/:code',
    { schema: { tags, summary: 'One region with its ancestors and descendant counts', params: RegionCodeParams, response: withErrors({ 200: RegionDetail }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      requirePermission(permissions, actor, 'region.read');
      const scope = scopeOf(actor);
      const region = await load(scope, request.params.code);
      const [ancestors, descendants] = await Promise.all([listAncestors(db, scope, region.regionPath), countDescendants(db, region.regionPath)]);
      return { ...summary(region), path: region.regionPath, ancestors, descendants };
    },
  );

  app.get(
    '/regions/:code/children',
    { schema: { tags, summary: 'Direct children of a region (a district’s streets, a street’s committees…)', params: RegionCodeParams, response: withErrors({ 200: Type.Array(RegionSummary) }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      requirePermission(permissions, actor, 'region.read');
      const scope = scopeOf(actor);
      if (!(await regionVisible(db, scope, request.params.code))) throw new AppError('NOT_FOUND');
      return (await listChildren(db, scope, request.params.code)).map(summary);
    },
  );

  app.post(
    '/regions/:code/children',
    { schema: { tags, summary: 'Add a grid or building under a committee (or a building under a grid)', params: RegionCodeParams, body: CreateRegionBody, response: withErrors({ 201: RegionSummary, 409: ErrorResponse, 422: ErrorResponse }) } },
    async (request, reply) => {
      const actor = requireUser(request.actor);
      const scope = scopeOf(actor);
      const parent = await load(scope, request.params.code);
      requirePermission(permissions, actor, 'region.manage');
      const code = await platform.transaction(actor, (ctx) => createLocalRegion(ctx, parent, request.body), { requestId: request.id });
      return reply.code(201).send(summary(await load(scope, code)));
    },
  );

  app.patch(
    '/regions/:code',
    { schema: { tags, summary: 'Rename a grid or building', params: RegionCodeParams, body: RenameRegionBody, response: withErrors({ 200: RegionSummary, 422: ErrorResponse }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      const scope = scopeOf(actor);
      const region = await load(scope, request.params.code);
      requirePermission(permissions, actor, 'region.manage');
      await platform.transaction(actor, (ctx) => renameLocalRegion(ctx, region, request.body.name), { requestId: request.id });
      return summary(await load(scope, region.code));
    },
  );

  app.delete(
    '/regions/:code',
    { schema: { tags, summary: 'Remove an unused grid or building', params: RegionCodeParams, response: withErrors({ 204: Type.Null(), 409: ErrorResponse, 422: ErrorResponse }) } },
    async (request, reply) => {
      const actor = requireUser(request.actor);
      const scope = scopeOf(actor);
      const region = await load(scope, request.params.code);
      requirePermission(permissions, actor, 'region.manage');
      await platform.transaction(actor, (ctx) => removeLocalRegion(ctx, region), { requestId: request.id });
      return reply.code(204).send(null);
    },
  );
}
