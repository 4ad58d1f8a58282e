import type { FastifyRequest } from 'fastify';
import { authorize, scopeOf } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { listCategories } from '../categories/repository.ts';
import { serviceOf } from '../classifier/manifest.ts';
import { findRegion } from '../regions/repository.ts';
import { caseActorOf, reportCase, stateOf, suggestedUnit, transitionCase, type CaseChannel } from './commands.ts';
import { departmentNames, findCase, listCaseEvents, listCases, type CaseRow, type CaseViewer } from './repository.ts';
import { CaseDetail, CaseIdParams, CaseList, CaseListQuery, ReportCaseBody, TransitionBody } from './schemas.ts';
import { allowedActions, type CaseCommand } from './workflow.ts';
import type { Static } from 'typebox';

const PUBLIC_PLACE_IN_PUDONG = { minLat: 30.85, maxLat: 31.4, minLng: 121.45, maxLng: 122.05 };

function viewerOf(actor: UserActor): CaseViewer {
  return { scope: scopeOf(actor), userId: actor.userId, role: actor.assignment.role, departmentId: actor.assignment.departmentId };
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
    case 'reject':
    case 'return':
    case 'escalate':
    case 'extend':
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
    const now = Date.now();
    const caseActor = caseActorOf(actor);
    return rows.map((r) => {
      const state = stateOf(r);
      return {
        id: r.id,
        number: r.number,
        status: state.status,
        channel: r.channel,
        description: r.description,
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
        overdue: r.deadline_at !== null && r.deadline_at.getTime() < now && !['closed', 'rejected'].includes(r.status),
        pendingRequest: r.pending_request,
        reworkCount: r.rework_count,
        rating: r.rating,
        ratingComment: r.rating_comment,
        closedAt: r.closed_at?.toISOString() ?? null,
        createdAt: r.created_at.toISOString(),
        allowedActions: allowedActions(state, caseActor),
      };
    });
  }

  async function detail(actor: UserActor, id: string) {
    const row = await findCase(db, viewerOf(actor), id);
    if (!row) throw new AppError('NOT_FOUND');
    const [view] = await present([row], actor);
    const timeline = await listCaseEvents(db, id);
    return {
      ...view!,
      timeline: timeline.map((e) => ({
        action: e.action,
        fromStatus: e.from_status,
        toStatus: e.to_status,
        actorName: e.actor_name,
        actorRole: e.actor_role,
        note: e.note,
        details: e.details,
        at: e.at.toISOString(),
      })),
    };
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
      if (body.lat !== undefined && body.lng !== undefined) {
        const b = PUBLIC_PLACE_IN_PUDONG;
        if (body.lat < b.minLat || body.lat > b.maxLat || body.lng < b.minLng || body.lng > b.maxLng) throw new AppError('LOCATION_OUTSIDE_DISTRICT');
      }
      const channel: CaseChannel = isResident ? 'resident_app' : (body.channel ?? 'staff');
      // Without a category the best suggestion from the text is used; the desk confirms or corrects it at registration.
      let categoryCode = body.categoryCode ?? null;
      if (!categoryCode) {
        const candidates = await listCategories(db, { level: 'leaf', selectable: true, ...(isResident ? { residentSelectable: true } : {}) });
        const model = await serviceOf(platform).current();
        categoryCode = model.suggest(body.description, candidates.map((c) => c.code))[0]?.label ?? null;
      }
      const id = await platform.transaction(
        actor,
        (ctx) =>
          reportCase({ ...ctx, actor }, {
            description: body.description.trim(),
            categoryCode,
            urgency: body.urgency ?? 'normal',
            region,
            lat: body.lat ?? null,
            lng: body.lng ?? null,
            address: body.address ?? null,
            channel,
          }),
        { requestId: request.id },
      );
      return reply.code(201).send(await detail(actor, id));
    },
  );

  app.get('/cases', { schema: { tags, summary: 'Cases you can see, newest first', querystring: CaseListQuery, response: withErrors({ 200: CaseList }) } }, async (request) => {
    const actor = guard(request, 'case.read');
    const q = request.query;
    const page = await listCases(db, viewerOf(actor), { status: q.status, regionCode: q.region, categoryCode: q.category, overdue: q.overdue, limit: q.limit ?? 50, offset: q.offset ?? 0 });
    return { items: await present(page.items, actor), total: page.total };
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
        summary: 'Move a case along the loop: register, reject, dispatch, accept, return, transfer, escalate, note, extend, suspend, approve, deny, resume, handled, verify, rate, reopen',
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
          const row = await findCase(ctx.trx, viewerOf(actor), request.params.id, { forUpdate: true });
          if (!row) throw new AppError('NOT_FOUND');
          const command = await commandOf(request.body, () => suggestedUnit(ctx, row));
          await transitionCase({ ...ctx, actor }, platform, row, command);
        },
        { requestId: request.id },
      );
      return detail(actor, request.params.id);
    },
  );
}

