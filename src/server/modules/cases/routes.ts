import type { FastifyRequest } from 'fastify';
import { authorize, pathWithin, scopeOf } from '../../platform/access.ts';
import { maskName, maskPhone, scrubPersonalData } from '../../../shared/mask.ts';
import { DESK_ROLES, type CallType, type CaseStage } from '../../../shared/cases.ts';
import { caseViewerOf } from './duplicates/commands.ts';
import { caseNumbers, followersOf, mergedReportsOf } from './duplicates/repository.ts';
import { publicDescription } from './duplicates/similarity.ts';
import { listCasePhotos } from './photos/repository.ts';
import { gcj02ToWgs84 } from '../../../shared/geo.ts';
import { timersOf } from './timers-repository.ts';
import type { UserActor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { listCategories } from '../categories/repository.ts';
import { serviceOf } from '../classifier/manifest.ts';
import { findRegion } from '../regions/repository.ts';
import { caseActorOf, removeAutoDispatchRule, reportCase, revealCaller, setAutoDispatchRule, stateOf, suggestedUnit, transitionCase, type CaseChannel } from './commands.ts';
import { departmentNames, findCase, listAutoDispatchRules, listCaseEvents, listCases, type CaseRow } from './repository.ts';
import {
  AutoDispatchBody,
  AutoDispatchRules,
  CaseDetail,
  CaseIdParams,
  CaseList,
  CaseListQuery,
  CategoryCodeParams,
  ReportCaseBody,
  RevealCallerBody,
  RevealCallerResponse,
  TransitionBody,
} from './schemas.ts';
import { allowedActions, type CaseCommand } from './workflow.ts';
import type { Static } from 'typebox';

const PUBLIC_PLACE_IN_PUDONG = { minLat: 30.85, maxLat: 31.4, minLng: 121.45, maxLng: 122.05 };

/** The dispatch desk of the case's level or above: sees a confidential caller. */
function isDeskViewer(actor: UserActor, row: CaseRow): boolean {
  return DESK_ROLES.has(actor.assignment.role) && pathWithin(row.region_path, actor.assignment.regionPath);
}

/** A resident looking at a case someone else reported (they follow it): the reduced view. */
function isFollowerView(actor: UserActor, row: CaseRow): boolean {
  return actor.assignment.role === 'resident' && row.reporter_user_id !== actor.userId;
}

/** The flat transition body → a typed command; a field the action needs is required here. */
function commandOf(body: Static<typeof TransitionBody>, defaultUnit: () => Promise<string>): Promise<CaseCommand> {
  const need = <T>(value: T | undefined, field: string): T => {
    if (value === undefined) throw new AppError('VALIDATION_FAILED', [{ path: `/${field}`, rule: 'required', message: `${body.action} needs ${field}` }]);
    return value;
  };
  const b = body;
  switch (b.action) {
    case 'register':
      return Promise.resolve({ action: 'register', categoryCode: need(b.categoryCode, 'categoryCode'), urgency: b.urgency ?? 'normal' });
    case 'dispatch':
      return (b.mainUnitId ? Promise.resolve(b.mainUnitId) : defaultUnit()).then((mainUnitId) => ({ action: 'dispatch', mainUnitId, assistingUnitIds: b.assistingUnitIds ?? [] }));
    case 'transfer':
      return Promise.resolve({ action: 'transfer', mainUnitId: need(b.mainUnitId, 'mainUnitId'), reason: need(b.reason, 'reason') });
    case 'accept':
    case 'approve':
    case 'resume':
      return Promise.resolve({ action: b.action });
    case 'extend':
      return Promise.resolve({ action: 'extend', reason: need(b.reason, 'reason'), ...(b.amount !== undefined ? { amount: b.amount } : {}) });
    case 'followup':
      return Promise.resolve({
        action: 'followup',
        reached: need(b.reached, 'reached'),
        ...(b.score !== undefined ? { score: b.score } : {}),
        ...(b.comment ? { comment: b.comment } : {}),
      });
    case 'reject':
    case 'return':
    case 'escalate':
    case 'suspend':
    case 'deny':
    case 'reopen':
      return Promise.resolve({ action: b.action, reason: need(b.reason, 'reason') });
    case 'note':
      return Promise.resolve({ action: 'note', text: need(b.text, 'text') });
    case 'handled':
      return Promise.resolve({ action: 'handled', result: need(b.result, 'result') });
    case 'verify':
      return Promise.resolve({ action: 'verify', passed: need(b.passed, 'passed'), ...(b.reason ? { reason: b.reason } : {}) });
    case 'rate':
      return Promise.resolve({ action: 'rate', score: need(b.score, 'score'), ...(b.comment ? { comment: b.comment } : {}) });
    case 'merge':
      return Promise.resolve({ action: 'merge', masterId: need(b.masterId, 'masterId') });
    case 'unmerge':
      // the status to return to comes from the merge record
      return Promise.resolve({ action: 'unmerge' });
  }
}

export function caseRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;
  const tags = ['cases'];

  async function present(rows: CaseRow[], actor: UserActor) {
    const unitIds = [...new Set(rows.flatMap((r) => [...(r.main_unit_id ? [r.main_unit_id] : []), ...r.assisting_unit_ids]))];
    const names = await departmentNames(db, unitIds);
    const regionCodes = [...new Set(rows.map((r) => r.region_code))];
    const regions = regionCodes.length ? await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', regionCodes).execute() : [];
    const regionName = new Map(regions.map((r) => [r.code, r.name]));
    const categoryKeys = rows.filter((r) => r.category_code && r.category_version !== null);
    const categories = categoryKeys.length
      ? await db
          .selectFrom('category_versions')
          .select(['code', 'version', 'name'])
          .where((eb) => eb.or(categoryKeys.map((r) => eb.and([eb('code', '=', r.category_code!), eb('version', '=', r.category_version!)]))))
          .execute()
      : [];
    const categoryName = new Map(categories.map((c) => [`${c.code}@${c.version}`, c.name]));
    const clocksOf = await timersOf(db, rows.map((r) => r.id));
    const follows = await followersOf(db, rows.map((r) => r.id), actor.userId);
    const masters = await caseNumbers(db, [...new Set(rows.flatMap((r) => (r.merged_into_id ? [r.merged_into_id] : [])))]);
    const now = new Date();
    const caseActor = caseActorOf(actor);
    return rows.map((r) => {
      const state = stateOf(r);
      const clocks = (clocksOf.get(r.id) ?? []).map((t) => ({
        kind: t.kind as 'stage' | 'handling',
        stage: t.stage as CaseStage,
        clock: t.clock,
        startedAt: t.started_at.toISOString(),
        warnAt: t.warn_at.toISOString(),
        dueAt: t.due_at.toISOString(),
        pausedAt: t.paused_at?.toISOString() ?? null,
        warned: t.warned_at !== null,
        overdue: t.due_at < (t.paused_at ?? now),
        escalated: t.escalated_at !== null,
        provisional: t.provisional,
      }));
      // A confidential caller is known to the dispatch desk only; the number is masked for everyone until revealed.
      // A resident who follows someone else's case sees it without that person's words unscrubbed, contact or rating comment.
      const follower = isFollowerView(actor, r);
      const callerVisible = !follower && r.channel === 'hotline' && (r.caller_phone !== null || r.caller_name !== null) && (!r.confidential || isDeskViewer(actor, r));
      return {
        id: r.id,
        number: r.number,
        status: state.status,
        channel: r.channel,
        description: follower ? scrubPersonalData(r.description) : r.description,
        categoryCode: r.category_code,
        categoryName: r.category_code ? (categoryName.get(`${r.category_code}@${r.category_version}`) ?? null) : null,
        categoryVersion: r.category_version,
        urgency: r.urgency,
        regionCode: r.region_code,
        regionName: regionName.get(r.region_code) ?? r.region_code,
        lat: r.lat,
        lng: r.lng,
        address: r.address,
        mainUnit: r.main_unit_id ? { id: r.main_unit_id, name: names.get(r.main_unit_id) ?? '' } : null,
        assistingUnits: r.assisting_unit_ids.map((id) => ({ id, name: names.get(id) ?? '' })),
        registeredAt: r.registered_at?.toISOString() ?? null,
        deadlineAt: r.deadline_at?.toISOString() ?? null,
        warnAt: r.warn_at?.toISOString() ?? null,
        overdue: clocks.some((c) => c.kind === 'handling' && c.overdue),
        clocks,
        handledAt: r.handled_at?.toISOString() ?? null,
        callType: (r.call_type as CallType | null) ?? null,
        caller: callerVisible ? { name: r.caller_name, phone: r.caller_phone ? maskPhone(r.caller_phone) : null } : null,
        confidential: r.confidential,
        pendingRequest: r.pending_request,
        requestedExtension: r.requested_extension !== null ? Number(r.requested_extension) : null,
        reworkCount: r.rework_count,
        rating: r.rating,
        ratingComment: follower ? null : r.rating_comment,
        closedAt: r.closed_at?.toISOString() ?? null,
        createdAt: r.created_at.toISOString(),
        allowedActions: allowedActions(state, caseActor),
        reportCount: r.report_count,
        followers: follows.counts.get(r.id) ?? 0,
        following: follows.following.has(r.id),
        mergedInto: r.merged_into_id ? { id: r.merged_into_id, number: masters.get(r.merged_into_id) ?? '' } : null,
      };
    });
  }

  async function detail(actor: UserActor, id: string) {
    const row = await findCase(db, caseViewerOf(actor), id, { followed: true });
    if (!row) throw new AppError('NOT_FOUND');
    const [view] = await present([row], actor);
    const timeline = await listCaseEvents(db, id);
    const follower = isFollowerView(actor, row);
    return {
      ...view!,
      mergedReports: await mergedReports(actor, row.id),
      timeline: timeline.map((e) => {
        // a follower does not see other residents' names or words on the timeline
        const otherResident = follower && e.actor_role === 'resident' && e.actor_user_id !== actor.userId;
        return {
          action: e.action,
          fromStatus: e.from_status,
          toStatus: e.to_status,
          actorName: otherResident ? maskName(e.actor_name) : e.actor_name,
          actorRole: e.actor_role,
          note: otherResident ? null : e.note,
          details: e.details,
          at: e.at.toISOString(),
        };
      }),
    };
  }

  /** The duplicates merged into a case; their photos for whoever may see the duplicate itself, their words scrubbed for other residents. */
  async function mergedReports(actor: UserActor, masterId: string) {
    const rows = await mergedReportsOf(db, masterId);
    const out = [];
    for (const r of rows) {
      const visible = await findCase(db, caseViewerOf(actor), r.id);
      const photos = visible ? await listCasePhotos(db, r.id) : [];
      out.push({
        id: r.id,
        number: r.number,
        description: visible ? r.description : publicDescription(r.description),
        createdAt: r.created_at.toISOString(),
        mergedAt: r.merged_at.toISOString(),
        photos: photos.map((p) => ({ id: p.id, stage: p.stage, url: `/api/photos/${p.id}`, thumbnailUrl: `/api/photos/${p.id}/thumbnail` })),
      });
    }
    return out;
  }

  const guard = (request: FastifyRequest, permission: string) => authorize(permissions, request.actor, permission);

  app.post(
    '/cases',
    { schema: { tags, summary: 'Report a case (resident app, hotline, patrol or staff)', body: ReportCaseBody, response: withErrors({ 201: CaseDetail, 422: ErrorResponse }) } },
    async (request, reply) => {
      const actor = guard(request, 'case.report');
      const body = request.body;
      const isResident = actor.assignment.role === 'resident';
      const region = await findRegion(db, scopeOf(actor), body.regionCode ?? actor.assignment.regionCode);
      if (!region) throw new AppError('NOT_FOUND', { field: 'regionCode' });
      if (region.level === 'district' || region.level === 'street') throw new AppError('VALIDATION_FAILED', [{ path: '/regionCode', rule: 'level', message: 'a case is placed in a committee, grid or building' }]);
      if ((body.lat === undefined) !== (body.lng === undefined)) throw new AppError('VALIDATION_FAILED', [{ path: '/lat', rule: 'pair', message: 'lat and lng come together' }]);
      let position: { lat: number; lng: number } | null = null;
      if (body.lat !== undefined && body.lng !== undefined) {
        position = body.coordSystem === 'gcj02' ? gcj02ToWgs84(body.lat, body.lng) : { lat: body.lat, lng: body.lng };
        const b = PUBLIC_PLACE_IN_PUDONG;
        if (position.lat < b.minLat || position.lat > b.maxLat || position.lng < b.minLng || position.lng > b.maxLng) throw new AppError('LOCATION_OUTSIDE_DISTRICT');
      }
      const channel: CaseChannel = isResident ? 'resident_app' : (body.channel ?? 'staff');
      const hotlineFields = body.caller !== undefined || body.callType !== undefined || body.confidential !== undefined;
      if (channel !== 'hotline' && hotlineFields) throw new AppError('VALIDATION_FAILED', [{ path: '/channel', rule: 'hotline', message: 'caller, callType and confidential belong to hotline reports' }]);
      if (channel === 'hotline') authorize(permissions, actor, 'case.hotline');
      if (channel === 'hotline' && !body.callType) throw new AppError('VALIDATION_FAILED', [{ path: '/callType', rule: 'required', message: 'a hotline report needs its call type' }]);
      // The classifier's best category for the text: used when the reporter gave none (the desk confirms or corrects
      // it at registration), and for auto-dispatch when it agrees with the category with enough confidence.
      const candidates = await listCategories(db, { level: 'leaf', selectable: true, ...(isResident ? { residentSelectable: true } : {}) });
      const model = await serviceOf(platform).current();
      const best = model.suggest(body.description, candidates.map((c) => c.code))[0];
      const suggestion = best ? { categoryCode: best.label, score: best.score } : null;
      const categoryCode = body.categoryCode ?? suggestion?.categoryCode ?? null;
      const id = await platform.transaction(
        actor,
        (ctx) =>
          reportCase({ ...ctx, actor }, platform, {
            description: body.description.trim(),
            categoryCode,
            urgency: body.urgency ?? 'normal',
            region,
            lat: position?.lat ?? null,
            lng: position?.lng ?? null,
            address: body.address ?? null,
            channel,
            suggestion,
            hotline: channel === 'hotline' ? { callerName: body.caller?.name ?? null, callerPhone: body.caller?.phone ?? null, callType: body.callType!, confidential: body.confidential ?? false } : null,
          }),
        { requestId: request.id },
      );
      return reply.code(201).send(await detail(actor, id));
    },
  );

  app.get('/cases', { schema: { tags, summary: 'Cases you can see, newest first', querystring: CaseListQuery, response: withErrors({ 200: CaseList }) } }, async (request) => {
    const actor = guard(request, 'case.read');
    const q = request.query;
    const page = await listCases(db, caseViewerOf(actor), {
      status: q.status,
      regionCode: q.region,
      categoryCode: q.category,
      overdue: q.overdue,
      stage: q.stage,
      urgency: q.urgency,
      unitId: q.unit,
      channel: q.channel,
      text: q.q,
      active: q.active,
      sort: q.sort,
      limit: q.limit ?? 50,
      offset: q.offset ?? 0,
    });
    return { items: await present(page.items, actor), total: page.total, totalCapped: page.totalCapped };
  });

  app.get('/cases/:id', { schema: { tags, summary: 'One case with its units, deadline, rating and timeline', params: CaseIdParams, response: withErrors({ 200: CaseDetail }) } }, async (request) => {
    const actor = guard(request, 'case.read');
    return detail(actor, request.params.id);
  });

  app.post(
    '/cases/:id/transitions',
    {
      schema: {
        tags,
        summary: 'Move a case along the loop: register, reject, dispatch, accept, return, transfer, escalate, note, extend, suspend, approve, deny, resume, handled, verify, rate, followup, reopen, merge, unmerge',
        params: CaseIdParams,
        body: TransitionBody,
        response: withErrors({ 200: CaseDetail, 409: ErrorResponse, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = guard(request, 'case.read');
      await platform.transaction(
        actor,
        async (ctx) => {
          const row = await findCase(ctx.trx, caseViewerOf(actor), request.params.id, { forUpdate: true, followed: true });
          if (!row) throw new AppError('NOT_FOUND');
          const command = await commandOf(request.body, () => suggestedUnit(ctx, row));
          await transitionCase({ ...ctx, actor }, platform, row, command);
        },
        { requestId: request.id },
      );
      return detail(actor, request.params.id);
    },
  );

  app.post(
    '/cases/:id/caller/reveal',
    {
      schema: {
        tags,
        summary: 'Show a hotline caller’s full callback number for 回访, with a reason (audited); confidential callers only to the desk',
        params: CaseIdParams,
        body: RevealCallerBody,
        response: withErrors({ 200: RevealCallerResponse, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = guard(request, 'case.revealCaller');
      const row = await findCase(db, caseViewerOf(actor), request.params.id);
      if (!row || row.channel !== 'hotline' || (row.confidential && !isDeskViewer(actor, row))) throw new AppError('NOT_FOUND');
      return platform.transaction(actor, (ctx) => revealCaller(ctx, row, request.body.reason), { requestId: request.id });
    },
  );

  async function autoDispatchRules() {
    const rules = await listAutoDispatchRules(db);
    const names = new Map((await listCategories(db, { level: 'leaf', includeInactive: true })).map((c) => [c.code, c.name]));
    return { items: rules.map((r) => ({ categoryCode: r.categoryCode, categoryName: names.get(r.categoryCode) ?? r.categoryCode, minScore: r.minScore, updatedAt: r.updatedAt.toISOString() })) };
  }
  /** Auto-dispatch is a district-wide policy: only administrators at the district may change it. */
  const districtAdmin = (request: FastifyRequest) => {
    const actor = guard(request, 'case.autoDispatch.manage');
    if (actor.assignment.regionPath.includes('.')) throw new AppError('FORBIDDEN', { reason: 'district administrators only' });
    return actor;
  };

  app.get(
    '/cases/auto-dispatch',
    { schema: { tags, summary: 'Categories the platform dispatches by itself, with the confidence each needs', response: withErrors({ 200: AutoDispatchRules }) } },
    async (request) => {
      guard(request, 'case.autoDispatch.read');
      return autoDispatchRules();
    },
  );

  app.put(
    '/cases/auto-dispatch/:code',
    {
      schema: {
        tags,
        summary: 'Let the platform register and dispatch reports of a category by itself when the classifier is at least this sure (district administrators)',
        params: CategoryCodeParams,
        body: AutoDispatchBody,
        response: withErrors({ 200: AutoDispatchRules, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = districtAdmin(request);
      await platform.transaction(actor, (ctx) => setAutoDispatchRule({ ...ctx, actor }, request.params.code, request.body.minScore), { requestId: request.id });
      return autoDispatchRules();
    },
  );

  app.delete(
    '/cases/auto-dispatch/:code',
    { schema: { tags, summary: 'Send reports of a category to the desk again', params: CategoryCodeParams, response: withErrors({ 200: AutoDispatchRules }) } },
    async (request) => {
      const actor = districtAdmin(request);
      await platform.transaction(actor, (ctx) => removeAutoDispatchRule({ ...ctx, actor }, request.params.code), { requestId: request.id });
      return autoDispatchRules();
    },
  );
}
