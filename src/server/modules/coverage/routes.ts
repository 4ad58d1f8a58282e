import { Type } from 'typebox';
import { DEVICE_PROFILES, type DeviceProfileId } from '../../../shared/iot-profiles.ts';
import { authorize, scopeOf } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, localeOf, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import { recordChange, type Platform } from '../../platform/platform.ts';
import type { Executor } from '../../platform/db/index.ts';
import { findRegion, listChildren } from '../regions/repository.ts';
import { coverageReport, type Gap } from './report.ts';
import { deleteNorm, listNorms, upsertNorm } from './repository.ts';
import { CoverageQuery, CoverageReportSchema, DeleteNormQuery, NormList, NormsQuery, PutNormBody } from './schemas.ts';

const tags = ['coverage'];

async function regionInScope(db: Executor, actor: UserActor, code: string | undefined) {
  const region = await findRegion(db, scopeOf(actor), code ?? actor.assignment.regionCode);
  if (!region) throw new AppError('NOT_FOUND');
  return region;
}

export function coverageRoutes(app: App, platform: Platform): void {
  const { permissions } = platform;

  app.get(
    '/coverage',
    {
      schema: {
        tags,
        summary: 'Device coverage and use of a region (default: the caller’s own): per-profile coverage against the norms, online rate, blind spots, application rate',
        querystring: CoverageQuery,
        response: withErrors({ 200: CoverageReportSchema }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'coverage.read');
      const region = await regionInScope(platform.db, actor, request.query.region);
      const children = region.level === 'committee' ? [] : await listChildren(platform.db, scopeOf(actor), region.code);
      const days = request.query.days ?? 30;
      const report = await coverageReport(platform.db, region, children, new Date(Date.now() - days * 86_400_000));
      const locale = localeOf(request);
      const named = (g: Gap) => ({ ...g, profileName: DEVICE_PROFILES[g.profile].name[locale] });
      return {
        ...report,
        since: report.since.toISOString(),
        profiles: report.profiles.map((p) => ({ ...p, profileName: DEVICE_PROFILES[p.profile].name[locale] })),
        units: report.units.map((u) => ({ ...u, gaps: u.gaps.map(named) })),
        blindSpots: { total: report.blindSpots.total, items: report.blindSpots.items.map((b) => ({ ...b, gaps: b.gaps.map(named) })) },
      };
    },
  );

  app.get(
    '/coverage/norms',
    { schema: { tags, summary: 'The coverage norms that apply to a region (set on it or above it) and those set below it', querystring: NormsQuery, response: withErrors({ 200: NormList }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'coverage.read');
      const region = await regionInScope(platform.db, actor, request.query.region);
      const norms = await listNorms(platform.db, region.regionPath, true);
      return { items: norms.map((n) => ({ regionCode: n.regionCode, regionName: n.regionName, profile: n.profile as DeviceProfileId, unit: n.unit, expected: n.expected, updatedAt: n.updatedAt.toISOString() })) };
    },
  );

  app.put(
    '/coverage/norms',
    { schema: { tags, summary: 'Set how many devices of a profile a committee or a building of this region should have (overrides the norm of the regions above)', body: PutNormBody, response: withErrors({ 200: Type.Object({ ok: Type.Literal(true) }) }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'coverage.manage');
      const b = request.body;
      await platform.transaction(
        actor,
        async (ctx) => {
          const region = await regionInScope(ctx.trx, actor, b.regionCode);
          if (region.level !== 'district' && region.level !== 'street' && region.level !== 'committee') throw new AppError('VALIDATION_FAILED', { field: 'regionCode' });
          const { previous } = await upsertNorm(ctx.trx, { regionCode: region.code, regionPath: region.regionPath, profile: b.profile, unit: b.unit, expected: b.expected });
          await recordChange(ctx, {
            audit: { action: 'coverage.norm.set', objectType: 'region', objectId: region.code, regionPath: region.regionPath, details: { profile: b.profile, unit: b.unit, expected: b.expected, previous } },
            event: { type: 'coverage.norm_set', aggregateType: 'region', aggregateId: region.code, regionPath: region.regionPath, payload: { profile: b.profile, unit: b.unit, expected: b.expected } },
          });
        },
        { requestId: request.id },
      );
      return { ok: true as const };
    },
  );

  app.delete(
    '/coverage/norms',
    {
      schema: {
        tags,
        summary: 'Remove a region’s own norm so that the one of the region above applies again (the district’s norms can only be set, e.g. to 0)',
        querystring: DeleteNormQuery,
        response: withErrors({ 200: Type.Object({ ok: Type.Literal(true) }), 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'coverage.manage');
      const q = request.query;
      await platform.transaction(
        actor,
        async (ctx) => {
          const region = await regionInScope(ctx.trx, actor, q.region);
          if (region.code === platform.config.rootRegionCode) throw new AppError('COVERAGE_ROOT_NORM');
          if (!(await deleteNorm(ctx.trx, { regionCode: region.code, profile: q.profile, unit: q.unit }))) throw new AppError('NOT_FOUND');
          await recordChange(ctx, {
            audit: { action: 'coverage.norm.remove', objectType: 'region', objectId: region.code, regionPath: region.regionPath, details: { profile: q.profile, unit: q.unit } },
            event: { type: 'coverage.norm_removed', aggregateType: 'region', aggregateId: region.code, regionPath: region.regionPath, payload: { profile: q.profile, unit: q.unit } },
          });
        },
        { requestId: request.id },
      );
      return { ok: true as const };
    },
  );
}
