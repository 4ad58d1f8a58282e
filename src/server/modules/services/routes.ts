import type { Locale } from '../../../shared/i18n/locale.ts';
import { maskIdNumber, maskName } from '../../../shared/mask.ts';
import { ageOn, describeRule, UPTAKE_STATUSES, type UptakeStatus } from '../../../shared/services.ts';
import { authorize, can, scopeOf, UNRESTRICTED } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import type { Executor } from '../../platform/db/index.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { localeOf, withErrors, ErrorResponse } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { findRegion } from '../regions/repository.ts';
import { explainMatches } from './explain.ts';
import { changeService, checkRule, createService, grantProxy, linkResident, logVisit, moveUptake, reevaluateService, shanghaiDay, withdrawProxy } from './commands.ts';
import {
  activeProxy,
  findMatch,
  findMatchOf,
  findService,
  linkOfPerson,
  linkOfUser,
  listMatches,
  listServices,
  listVersions,
  matchesOfPerson,
  personByIdentity,
  personInScope,
  proxiesOfPerson,
  regionLookup,
  residentUser,
  uptakeFigures,
  uptakeHistory,
  visitsOf,
  type MatchRow,
  type Service,
  type ServiceInput,
} from './repository.ts';
import {
  ActBody,
  ConfirmLinkBody,
  Created,
  DeclineBody,
  EligibleList,
  EligibleQuery,
  EvaluateResult,
  IdParams,
  LinkView,
  MatchDetail,
  MatchParams,
  Menu,
  MenuQuery,
  NoBody,
  ProxyList,
  ResidentProxyBody,
  RuleTestBody,
  RuleTestResult,
  ServiceBody,
  ServiceDetail,
  ServiceList,
  ServiceParams,
  StatusBody,
  UptakeFigures,
  UptakeQuery,
  UptakeState,
  VerifyBody,
  VisitBody,
  Worklist,
  WorklistQuery,
  WrittenProxyBody,
} from './schemas.ts';
import type { Static } from 'typebox';

function presentSummary(s: Service, locale: Locale) {
  return {
    id: s.id, code: s.code, name: locale === 'en' && s.nameEn ? s.nameEn : s.name, nameEn: s.nameEn, category: s.category, department: s.department,
    description: s.description, howToApply: s.howToApply, documents: s.documents, autoGrant: s.autoGrant, validFrom: s.validFrom, validTo: s.validTo,
    regionCode: s.regionCode, regionName: s.regionName, version: s.version, enabled: s.enabled, ruleText: describeRule(s.rule, locale), updatedAt: s.updatedAt.toISOString(),
  };
}

export async function serviceRoutes(app: App, platform: Platform): Promise<void> {
  const { db, permissions } = platform;
  const tags = ['services'];
  const today = () => shanghaiDay();

  async function regionIn(actor: UserActor, code: string | undefined): Promise<{ code: string; path: string } | null> {
    if (!code) return null;
    const region = await findRegion(db, scopeOf(actor), code);
    if (!region) throw new AppError('NOT_FOUND', { region: code });
    return { code: region.code, path: region.regionPath };
  }

  async function loadService(actor: UserActor, id: string, trx: Executor = db): Promise<Service> {
    const service = await findService(trx, scopeOf(actor), id);
    if (!service) throw new AppError('NOT_FOUND');
    return service;
  }

  async function inputOf(actor: UserActor, body: Static<typeof ServiceBody>): Promise<{ input: ServiceInput; regionPath: string }> {
    const region = (await regionIn(actor, body.regionCode ?? actor.assignment.regionCode))!;
    return {
      regionPath: region.path,
      input: {
        code: body.code, name: body.name.trim(), nameEn: body.nameEn ?? '', category: body.category, department: body.department.trim(), description: body.description ?? '',
        howToApply: body.howToApply ?? '', documents: body.documents, autoGrant: body.autoGrant, validFrom: body.validFrom ?? null, validTo: body.validTo ?? null,
        regionCode: region.code, enabled: body.enabled ?? true, rule: body.rule, examples: body.examples,
      },
    };
  }

  async function detailOf(service: Service, locale: Locale) {
    const regions = await regionLookup(db, [service.rule], service.examples.flatMap((e) => (e.person.region ? [e.person.region] : [])));
    const { outcomes } = await checkRule(db, service, service.regionPath).catch(() => ({ outcomes: [] }));
    const versions = await listVersions(db, service.id);
    return {
      ...presentSummary(service, locale),
      rule: service.rule,
      rules: [{ version: service.version, rule: service.rule, text: describeRule(service.rule, locale, regions) }],
      examples: service.examples,
      exampleOutcomes: outcomes,
      versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt.toISOString(), ruleText: describeRule(v.snapshot.rule, locale) })),
    };
  }

  /** Why each match holds, computed from the same facts the SQL read (never stale). */
  const reasonsOf = (matches: MatchRow[], locale: Locale) => explainMatches(db, matches, locale, today());

  // ---- the catalogue ----

  app.get('/services', { schema: { tags, summary: 'The service and policy catalogue that concerns the caller’s region', response: withErrors({ 200: ServiceList }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'services.read');
    const locale = localeOf(request);
    return { items: (await listServices(db, scopeOf(actor))).map((s) => presentSummary(s, locale)) };
  });

  app.get('/services/:id', { schema: { tags, summary: 'A service with its eligibility rule, its examples (run) and its versions', params: IdParams, response: withErrors({ 200: ServiceDetail }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'services.read');
    return detailOf(await loadService(actor, request.params.id), localeOf(request));
  });

  app.post(
    '/services',
    { schema: { tags, summary: 'Add a service with its eligibility rule; the rule must pass its examples', body: ServiceBody, response: withErrors({ 201: Created, 409: ErrorResponse, 422: ErrorResponse }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'services.manage');
      const { input, regionPath } = await inputOf(actor, request.body);
      try {
        const id = await platform.transaction(actor, (ctx) => createService(ctx, input, regionPath), { requestId: request.id });
        return reply.code(201).send({ id });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('SERVICE_CODE_TAKEN');
        throw error;
      }
    },
  );

  app.put(
    '/services/:id',
    { schema: { tags, summary: 'Change a service or its rule: a new version; matching follows', params: IdParams, body: ServiceBody, response: withErrors({ 200: ServiceDetail, 409: ErrorResponse, 422: ErrorResponse }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'services.manage');
      const { input, regionPath } = await inputOf(actor, request.body);
      try {
        await platform.transaction(
          actor,
          async (ctx) => {
            const service = await findService(ctx.trx, scopeOf(actor), request.params.id, { forUpdate: true });
            if (!service) throw new AppError('NOT_FOUND');
            await changeService(ctx, service, input, regionPath);
          },
          { requestId: request.id },
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('SERVICE_CODE_TAKEN');
        throw error;
      }
      return detailOf(await loadService(actor, request.params.id), localeOf(request));
    },
  );

  app.post(
    '/services/rules/test',
    { schema: { tags, summary: 'Run a rule on its examples without saving (the rule editor runs this live)', body: RuleTestBody, response: withErrors({ 200: RuleTestResult, 422: ErrorResponse }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'services.manage');
      const region = (await regionIn(actor, request.body.regionCode ?? actor.assignment.regionCode))!;
      const { outcomes, regions } = await checkRule(db, { rule: request.body.rule, examples: request.body.examples, code: request.body.code ?? 'draft' }, region.path);
      return { ruleText: describeRule(request.body.rule, localeOf(request), regions), passed: outcomes.every((o) => o.passed), outcomes };
    },
  );

  app.post(
    '/services/:id/evaluate',
    { schema: { tags, summary: 'Re-evaluate a service over every resident of its region now (otherwise events and the daily job do it)', params: IdParams, body: NoBody, response: withErrors({ 200: EvaluateResult }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'services.manage');
      const service = await loadService(actor, request.params.id);
      return platform.transaction(actor, (ctx) => reevaluateService(ctx, service.id, { kind: 'all' }, today()), { requestId: request.id });
    },
  );

  app.get(
    '/services/:id/eligible',
    { schema: { tags, summary: 'Residents eligible for a service in the caller’s scope or one region of it (masked)', params: IdParams, querystring: EligibleQuery, response: withErrors({ 200: EligibleList }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'services.eligible.read');
      const service = await loadService(actor, request.params.id);
      const region = await regionIn(actor, request.query.region);
      const page = await listMatches(db, { scope: scopeOf(actor), regionPath: region?.path ?? null, serviceId: service.id, limit: request.query.limit ?? 50, offset: request.query.offset ?? 0 });
      const day = today();
      return {
        total: page.total,
        items: page.items.map((m) => ({
          personId: m.personId, name: maskName(m.personName), idNumber: m.idNumber ? maskIdNumber(m.idNumber) : null, age: m.birthDate ? ageOn(m.birthDate, day) : null,
          regionCode: m.regionPath.split('.').pop()!, regionName: m.regionName, status: m.status,
        })),
      };
    },
  );

  // ---- the worklist (待走访) ----

  async function presentWork(actor: UserActor, matches: MatchRow[], locale: Locale) {
    const personal = can(permissions, actor, 'ledger.personal.read');
    const reasons = await reasonsOf(matches, locale);
    const day = today();
    return matches.map((m) => ({
      matchId: m.id, serviceId: m.serviceId, serviceName: m.serviceName, personId: m.personId,
      name: personal ? m.personName : maskName(m.personName), idNumber: m.idNumber ? maskIdNumber(m.idNumber) : null,
      age: m.birthDate ? ageOn(m.birthDate, day) : null, address: personal ? m.address : null, regionName: m.regionName,
      status: m.status, statusAt: m.statusAt.toISOString(), followUpOn: m.followUpOn, lastVisitOn: m.lastVisitOn, lastOutcome: m.lastOutcome, reasons: reasons.get(m.id) ?? [],
    }));
  }

  app.get(
    '/services/worklist',
    { schema: { tags, summary: '待走访: eligible residents of the caller’s committee not yet reached, applications waiting, follow-ups due', querystring: WorklistQuery, response: withErrors({ 200: Worklist }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'services.worklist');
      const region = await regionIn(actor, request.query.region);
      const view = request.query.view ?? 'open';
      const statuses: UptakeStatus[] | undefined = view === 'all' ? undefined : view === 'unreached' ? ['matched'] : ['matched', 'applied'];
      const page = await listMatches(db, {
        scope: scopeOf(actor), regionPath: region?.path ?? null, ...(request.query.service ? { serviceId: request.query.service } : {}),
        ...(statuses ? { statuses } : {}), ...(view === 'open' ? { dueOn: today() } : {}), limit: request.query.limit ?? 50, offset: request.query.offset ?? 0,
      });
      return { total: page.total, items: await presentWork(actor, page.items, localeOf(request)) };
    },
  );

  async function loadMatch(actor: UserActor, id: string, trx: Executor = db, forUpdate = false): Promise<MatchRow> {
    const match = await findMatch(trx, scopeOf(actor), id, { forUpdate });
    if (!match) throw new AppError('NOT_FOUND');
    return match;
  }

  async function matchDetail(actor: UserActor, id: string, locale: Locale) {
    const match = await loadMatch(actor, id);
    const [item] = await presentWork(actor, [match], locale);
    const visits = await visitsOf(db, match.id);
    const history = await uptakeHistory(db, match.id);
    return {
      item: item!,
      declineReason: match.declineReason,
      visits: visits.map((v) => ({ visitedOn: v.visited_on!, outcome: v.outcome, note: v.note, followUpOn: v.follow_up_on, worker: v.worker })),
      history: history.map((h) => ({ from: h.from_status, to: h.to_status, reason: h.reason, actor: h.actor, onBehalfOf: h.on_behalf_of, at: h.at.toISOString() })),
    };
  }

  app.get('/services/matches/:id', { schema: { tags, summary: 'One resident’s match: why, visits, uptake history', params: MatchParams, response: withErrors({ 200: MatchDetail }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'services.worklist');
    return matchDetail(actor, request.params.id, localeOf(request));
  });

  app.post(
    '/services/matches/:id/visits',
    { schema: { tags, summary: 'Log a 走访: date, outcome (an uptake step or not_home), note, follow-up date', params: MatchParams, body: VisitBody, response: withErrors({ 201: MatchDetail, 409: ErrorResponse, 422: ErrorResponse }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'services.worklist');
      const b = request.body;
      if (b.visitedOn > today()) throw new AppError('VALIDATION_FAILED', [{ path: '/visitedOn', rule: 'notFuture', message: 'a visit cannot be in the future' }]);
      if (b.followUpOn && b.followUpOn < b.visitedOn) throw new AppError('VALIDATION_FAILED', [{ path: '/followUpOn', rule: 'afterVisit', message: 'the follow-up comes after the visit' }]);
      await platform.transaction(
        actor,
        async (ctx) => logVisit(ctx, await loadMatch(actor, request.params.id, ctx.trx, true), { visitedOn: b.visitedOn, outcome: b.outcome, note: b.note?.trim() || null, followUpOn: b.followUpOn ?? null, declineReason: b.declineReason?.trim() || null }),
        { requestId: request.id },
      );
      return reply.code(201).send(await matchDetail(actor, request.params.id, localeOf(request)));
    },
  );

  app.post(
    '/services/matches/:id/status',
    { schema: { tags, summary: 'Move the uptake: informed, applied, received, declined (with a reason)', params: MatchParams, body: StatusBody, response: withErrors({ 200: UptakeState, 409: ErrorResponse, 422: ErrorResponse }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'services.worklist');
      const status = request.body.status;
      await platform.transaction(actor, async (ctx) => moveUptake(ctx, await loadMatch(actor, request.params.id, ctx.trx, true), status, { reason: request.body.reason ?? null, via: 'worklist' }), { requestId: request.id });
      return { matchId: request.params.id, status };
    },
  );

  app.get('/services/uptake', { schema: { tags, summary: 'Uptake per service in the caller’s scope or one region of it', querystring: UptakeQuery, response: withErrors({ 200: UptakeFigures }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'services.eligible.read');
    const region = await regionIn(actor, request.query.region);
    const rows = await uptakeFigures(db, scopeOf(actor), region?.path ?? null);
    const by = new Map<string, { serviceId: string; code: string; name: string } & Record<UptakeStatus, number>>();
    for (const r of rows) {
      const item = by.get(r.id) ?? { serviceId: r.id, code: r.code, name: r.name, matched: 0, informed: 0, applied: 0, received: 0, declined: 0 };
      item[r.status] = Number(r.n);
      by.set(r.id, item);
    }
    return {
      items: [...by.values()].map((i) => {
        const total = UPTAKE_STATUSES.reduce((sum, s) => sum + i[s], 0);
        return { ...i, total, reachedRate: total ? Number(((total - i.matched) / total).toFixed(4)) : null };
      }),
    };
  });

  // ---- 实名核验: the resident's account linked to their ledger person ----

  app.get('/me/link', { schema: { tags, summary: 'Whether the caller is verified (linked to their ledger person), and whom they may act for (代办)', response: withErrors({ 200: LinkView }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'services.menu');
    const link = await linkOfUser(db, actor.userId);
    const actingFor = await db
      .selectFrom('service_proxies as x')
      .innerJoin('ledger_persons as p', 'p.id', 'x.person_id')
      .select(['x.person_id', 'p.name', 'x.relation'])
      .where('x.agent_user_id', '=', actor.userId)
      .where('x.revoked_at', 'is', null)
      .execute();
    return {
      linked: link !== undefined, method: link?.method ?? null, since: link?.createdAt.toISOString() ?? null,
      actingFor: actingFor.map((a) => ({ personId: a.person_id, name: maskName(a.name), relation: a.relation })),
    };
  });

  app.post(
    '/me/link',
    { schema: { tags, summary: '实名核验: the resident gives their name and ID number; matched against the ledger of their committee; audited', body: VerifyBody, response: withErrors({ 200: LinkView, 409: ErrorResponse, 422: ErrorResponse }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'services.menu');
      if (actor.assignment.role !== 'resident') throw new AppError('FORBIDDEN');
      await platform.transaction(
        actor,
        async (ctx) => {
          if (await linkOfUser(ctx.trx, actor.userId)) throw new AppError('SERVICES_ALREADY_LINKED');
          const person = await personByIdentity(ctx.trx, actor.assignment.regionPath, request.body.name.trim(), request.body.idNumber.toUpperCase());
          if (!person) throw new AppError('SERVICES_VERIFY_FAILED');
          if (await linkOfPerson(ctx.trx, person.id)) throw new AppError('SERVICES_ALREADY_LINKED');
          await linkResident(ctx, { userId: actor.userId, personId: person.id, regionPath: person.regionPath, method: 'self' });
        },
        { requestId: request.id },
      );
      return { linked: true, method: 'self' as const, since: new Date().toISOString(), actingFor: [] };
    },
  );

  app.post(
    '/services/links',
    { schema: { tags, summary: 'A social worker confirms in person that a resident account belongs to a ledger person; audited', body: ConfirmLinkBody, response: withErrors({ 201: Created, 409: ErrorResponse }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'services.worklist');
      const scope = scopeOf(actor);
      await platform.transaction(
        actor,
        async (ctx) => {
          const person = await personInScope(ctx.trx, scope, request.body.personId);
          const user = await residentUser(ctx.trx, scope, request.body.username.trim());
          if (!person || !user) throw new AppError('NOT_FOUND');
          if ((await linkOfUser(ctx.trx, user.id)) || (await linkOfPerson(ctx.trx, person.id))) throw new AppError('SERVICES_ALREADY_LINKED');
          await linkResident(ctx, { userId: user.id, personId: person.id, regionPath: person.regionPath, method: 'worker' });
        },
        { requestId: request.id },
      );
      return reply.code(201).send({ id: request.body.personId });
    },
  );

  // ---- the menu (递菜单) ----

  /** Whose menu: the caller's own (verified), or with `for` a person who authorised the caller (代办). */
  async function actingAs(actor: UserActor, forId: string | undefined, trx: Executor = db): Promise<{ personId: string; onBehalfOf: string | null } | null> {
    if (forId) {
      if (!(await activeProxy(trx, forId, actor.userId))) throw new AppError('NOT_FOUND');
      return { personId: forId, onBehalfOf: forId };
    }
    const link = await linkOfUser(trx, actor.userId);
    return link ? { personId: link.personId, onBehalfOf: null } : null;
  }

  app.get(
    '/me/menu',
    { schema: { tags, summary: '你可能可以享受…: the services the resident qualifies for, why, and how far they are; [] until verified', querystring: MenuQuery, response: withErrors({ 200: Menu }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'services.menu');
      const who = await actingAs(actor, request.query.for);
      if (!who) return [];
      const locale = localeOf(request);
      const matches = await matchesOfPerson(db, who.personId);
      const reasons = await reasonsOf(matches, locale);
      const services = new Map((await listServices(db, UNRESTRICTED)).map((s) => [s.id, s]));
      return matches.flatMap((m) => {
        const s = services.get(m.serviceId);
        if (!s) return [];
        return [{
          serviceId: s.id, name: locale === 'en' && s.nameEn ? s.nameEn : s.name, reasons: reasons.get(m.id) ?? [], status: m.status, matchId: m.id,
          category: s.category, department: s.department, description: s.description, howToApply: s.howToApply, documents: s.documents, autoGrant: s.autoGrant,
        }];
      });
    },
  );

  async function residentStep(actor: UserActor, serviceId: string, forId: string | undefined, to: UptakeStatus, reason: string | null, requestId: string) {
    return platform.transaction(
      actor,
      async (ctx) => {
        const who = await actingAs(actor, forId, ctx.trx);
        if (!who) throw new AppError('SERVICES_NOT_LINKED');
        const match = await findMatchOf(ctx.trx, who.personId, serviceId);
        if (!match || (!match.eligible && match.status === 'matched')) throw new AppError('NOT_FOUND');
        if (match.status !== to) await moveUptake(ctx, match, to, { reason, onBehalfOf: who.onBehalfOf, via: 'menu' });
        return { matchId: match.id, status: to };
      },
      { requestId },
    );
  }

  app.post(
    '/me/menu/:serviceId/apply',
    { schema: { tags, summary: '申请 (or 确认享受 for 免申即享): the worker sees it on the worklist; `for` when acting for someone (代办)', params: ServiceParams, body: ActBody, response: withErrors({ 200: UptakeState, 409: ErrorResponse }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'services.menu');
      return residentStep(actor, request.params.serviceId, request.body.for, 'applied', null, request.id);
    },
  );

  app.post(
    '/me/menu/:serviceId/decline',
    { schema: { tags, summary: '不需要, with a reason', params: ServiceParams, body: DeclineBody, response: withErrors({ 200: UptakeState, 409: ErrorResponse, 422: ErrorResponse }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'services.menu');
      return residentStep(actor, request.params.serviceId, request.body.for, 'declined', request.body.reason, request.id);
    },
  );

  // ---- 代办 ----

  const presentProxies = async (personId: string) => ({
    items: (await proxiesOfPerson(db, personId)).map((p) => ({ id: p.id, personId: p.personId, agentName: p.agentName, relation: p.relation, basis: p.basis, createdAt: p.createdAt.toISOString() })),
  });

  app.get('/me/proxies', { schema: { tags, summary: 'Who may act for me (代办)', response: withErrors({ 200: ProxyList }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'services.menu');
    const link = await linkOfUser(db, actor.userId);
    if (!link) throw new AppError('SERVICES_NOT_LINKED');
    return presentProxies(link.personId);
  });

  app.post(
    '/me/proxies',
    { schema: { tags, summary: 'Authorise a family member’s or a social worker’s account to act for me (代办); audited', body: ResidentProxyBody, response: withErrors({ 201: Created, 409: ErrorResponse }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'services.menu');
      const id = await platform.transaction(
        actor,
        async (ctx) => {
          const link = await linkOfUser(ctx.trx, actor.userId);
          if (!link) throw new AppError('SERVICES_NOT_LINKED');
          return grantProxy(ctx, { personId: link.personId, regionPath: actor.assignment.regionPath, agentUsername: request.body.agentUsername, relation: request.body.relation, basis: 'resident', note: null });
        },
        { requestId: request.id },
      );
      return reply.code(201).send({ id });
    },
  );

  app.delete('/me/proxies/:id', { schema: { tags, summary: 'Withdraw an authorisation', params: IdParams, response: withErrors({ 200: ProxyList }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'services.menu');
    const link = await linkOfUser(db, actor.userId);
    if (!link) throw new AppError('SERVICES_NOT_LINKED');
    await platform.transaction(actor, (ctx) => withdrawProxy(ctx, { id: request.params.id, personId: link.personId, regionPath: actor.assignment.regionPath }), { requestId: request.id });
    return presentProxies(link.personId);
  });

  app.post(
    '/services/proxies',
    { schema: { tags, summary: 'Record a written authorisation (书面委托) for a resident of the caller’s committee; audited', body: WrittenProxyBody, response: withErrors({ 201: Created, 409: ErrorResponse }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'services.worklist');
      const id = await platform.transaction(
        actor,
        async (ctx) => {
          const person = await personInScope(ctx.trx, scopeOf(actor), request.body.personId);
          if (!person) throw new AppError('NOT_FOUND');
          return grantProxy(ctx, { personId: person.id, regionPath: person.regionPath, agentUsername: request.body.agentUsername, relation: request.body.relation, basis: 'written', note: request.body.note?.trim() || null });
        },
        { requestId: request.id },
      );
      return reply.code(201).send({ id });
    },
  );
}
