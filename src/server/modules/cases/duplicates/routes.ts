import { CASE_STATUSES, DUPLICATE_MAX_RESULTS, DUPLICATE_MIN_SCORE, DUPLICATE_WINDOW_DAYS, type CaseStatus } from '../../../../shared/cases.ts';
import { classCodeOf } from '../../../../shared/categories.ts';
import { gcj02ToWgs84 } from '../../../../shared/geo.ts';
import { authorize, scopeOf, type Scope } from '../../../platform/access.ts';
import type { UserActor } from '../../../platform/actor.ts';
import { AppError } from '../../../platform/errors.ts';
import { ErrorResponse, withErrors } from '../../../platform/http.ts';
import type { App } from '../../../platform/module.ts';
import type { Platform } from '../../../platform/platform.ts';
import { currentCategory, listCategories } from '../../categories/repository.ts';
import { serviceOf } from '../../classifier/manifest.ts';
import { insidePudong } from '../../open311/policy.ts';
import { findRegion } from '../../regions/repository.ts';
import { CaseIdParams, FollowBody, FollowState, SimilarCases, SimilarCasesBody } from '../schemas.ts';
import { followCase, unfollowCase } from './commands.ts';
import { followersOf, largestRadiusInClass, similarCandidates } from './repository.ts';
import { featureSimilarity, haversineMeters, publicDescription, rankSimilar, textFeatures } from './similarity.ts';

/** How many recent candidates the text is compared with (newest first). */
const CANDIDATE_POOL = 200;

/** Residents (and units, which see cases by unit, not by region) get the reduced, privacy-safe list. */
const reducedFor = (actor: UserActor) => actor.assignment.role === 'resident' || actor.assignment.role === 'department_handler';

/** Where a resident may see similar cases and follow them: their own street (a case across the road may be in the next committee). */
function similarScope(actor: UserActor): Scope {
  if (actor.assignment.role !== 'resident') return scopeOf(actor);
  return { kind: 'paths', paths: [actor.assignment.regionPath.split('.').slice(0, 2).join('.')] };
}

export function duplicateRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;
  const tags = ['cases'];

  app.post(
    '/cases/similar',
    {
      schema: {
        tags,
        summary: 'Open cases like a report being written ("is this your problem?"): same category nearby, recent, ranked by text similarity',
        body: SimilarCasesBody,
        response: withErrors({ 200: SimilarCases, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'case.read');
      const body = request.body;
      const isResident = actor.assignment.role === 'resident';
      const region = await findRegion(db, scopeOf(actor), body.regionCode ?? actor.assignment.regionCode);
      if (!region) throw new AppError('NOT_FOUND', { field: 'regionCode' });
      if ((body.lat === undefined) !== (body.lng === undefined)) throw new AppError('VALIDATION_FAILED', [{ path: '/lat', rule: 'pair', message: 'lat and lng come together' }]);
      let position: { lat: number; lng: number } | null = null;
      if (body.lat !== undefined && body.lng !== undefined) {
        position = body.coordSystem === 'gcj02' ? gcj02ToWgs84(body.lat, body.lng) : { lat: body.lat, lng: body.lng };
        if (!insidePudong(position.lat, position.lng)) throw new AppError('LOCATION_OUTSIDE_DISTRICT');
      }

      // the report's category, or the class of the best suggestion from its text
      let category: { code: string } | { classCode: string };
      let radiusM: number | null;
      let maxRadiusM: number;
      if (body.categoryCode) {
        const chosen = await currentCategory(db, body.categoryCode);
        if (!chosen || !chosen.selectable || (isResident && chosen.residentSelectable !== true)) throw new AppError('CATEGORY_NOT_SELECTABLE', { categoryCode: body.categoryCode });
        category = { code: chosen.code };
        radiusM = chosen.duplicateRadiusM ?? 0;
        maxRadiusM = radiusM;
      } else {
        const leaves = await listCategories(db, { level: 'leaf', selectable: true, ...(isResident ? { residentSelectable: true } : {}) });
        const model = await serviceOf(platform).current();
        const best = model.suggest(body.description, leaves.map((c) => c.code))[0]?.label;
        if (!best) return { items: [] };
        category = { classCode: classCodeOf(best) };
        radiusM = null;
        maxRadiusM = await largestRadiusInClass(db, category.classCode);
      }
      if (maxRadiusM <= 0) return { items: [] }; // 0 = no duplicate search (personal matters)

      // a grid or building counts as its committee: without coordinates, "the same place" is the committee
      const placePath = region.regionPath.split('.').slice(0, 3).join('.');
      const rows = await similarCandidates(db, {
        category,
        radiusM,
        maxRadiusM,
        placePath,
        position,
        since: new Date(Date.now() - DUPLICATE_WINDOW_DAYS * 86_400_000),
        scope: similarScope(actor),
        excludeConfidential: reducedFor(actor),
        // a resident is not offered their own earlier report to "follow"; the desk sees everything
        ...(actor.assignment.role === 'resident' ? { excludeReporterId: actor.userId } : {}),
        limit: CANDIDATE_POOL,
      });
      const mine = textFeatures(body.description);
      const ranked = rankSimilar(
        rows.map((r) => ({
          row: r,
          radiusM: r.radius_m,
          createdAt: r.created_at,
          score: featureSimilarity(mine, textFeatures(r.description)),
          distanceMeters: position && r.lat !== null && r.lng !== null ? haversineMeters(position, { lat: r.lat, lng: r.lng }) : null,
        })),
        DUPLICATE_MIN_SCORE,
        DUPLICATE_MAX_RESULTS,
      );
      const reduced = reducedFor(actor);
      return {
        items: ranked.map(({ row, score, distanceMeters }) => ({
          id: row.id,
          number: row.number,
          description: reduced ? publicDescription(row.description) : row.description,
          categoryName: row.category_name ?? '',
          status: (CASE_STATUSES as readonly string[]).includes(row.status) ? (row.status as CaseStatus) : 'reported',
          createdAt: row.created_at.toISOString(),
          distanceMeters: distanceMeters === null ? null : Math.round(distanceMeters),
          followers: row.followers,
          score: Math.round(score * 1000) / 1000,
        })),
      };
    },
  );

  const followState = async (actor: UserActor, id: string) => {
    const { counts, following } = await followersOf(db, [id], actor.userId);
    return { following: following.has(id), followers: counts.get(id) ?? 0 };
  };

  app.post(
    '/cases/:id/follow',
    {
      schema: {
        tags,
        summary: 'Follow an open case (关注): hear its outcome; residents may follow open cases in their own street',
        params: CaseIdParams,
        body: FollowBody,
        response: withErrors({ 200: FollowState, 409: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'case.read');
      await platform.transaction(actor, (ctx) => followCase({ ...ctx, actor }, request.params.id), { requestId: request.id });
      return followState(actor, request.params.id);
    },
  );

  app.delete(
    '/cases/:id/follow',
    { schema: { tags, summary: 'Stop following a case', params: CaseIdParams, response: withErrors({ 200: FollowState }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'case.read');
      await platform.transaction(actor, (ctx) => unfollowCase({ ...ctx, actor }, request.params.id), { requestId: request.id });
      return followState(actor, request.params.id);
    },
  );
}
