import type { Locale } from '../../../shared/i18n/locale.ts';
import { authorize, can, scopeOf } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, localeOf, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import { recordChange, type Platform } from '../../platform/platform.ts';
import { findDepartment } from '../departments/repository.ts';
import { listTags } from '../ledger/repository.ts';
import { findRegion } from '../regions/repository.ts';
import { changeScheduleActive, createRun, createSchedule, exportReport, saveTemplate, type ReportTarget } from './commands.ts';
import { buildReport, checkDefinition, parseDefinition, type Viewer } from './engine.ts';
import { findRun, findSchedule, findTemplate, listRuns, listSchedules, listTemplates, runFile, type RunRow, type ScheduleRow, type TemplateRow } from './repository.ts';
import {
  IdParams,
  PreviewBody,
  ReportJson,
  ReportQuery,
  RunBody,
  RunList,
  RunListQuery,
  RunView,
  SaveTemplateBody,
  ScheduleActiveBody,
  ScheduleBody,
  ScheduleList,
  ScheduleView,
  TemplateList,
  TemplateParams,
  TemplateSummary,
} from './schemas.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Codes the routes use as path segments; a template cannot take them. */
const RESERVED_CODES: ReadonlySet<string> = new Set(['runs', 'schedules', 'templates', 'preview']);
const PREVIEW_ROWS = 50;

/** `filename*` (RFC 5987) carries the Chinese name; `filename` an ASCII fallback for old clients. */
function attachment(name: string): string {
  return `attachment; filename="report.${name.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function presentRun(r: RunRow) {
  return {
    id: r.id,
    template: r.templateCode,
    version: r.templateVersion,
    name: r.templateName,
    regionCode: r.regionCode,
    regionName: r.regionName,
    format: r.format,
    rows: r.rowCount,
    sensitive: r.sensitive,
    scheduleId: r.scheduleId,
    createdBy: r.createdByName,
    createdAt: r.createdAt.toISOString(),
    downloadUrl: `/api/reports/runs/${r.id}/file`,
  };
}

function presentSchedule(s: ScheduleRow) {
  return {
    id: s.id,
    template: s.templateCode,
    regionCode: s.regionCode,
    regionName: s.regionName,
    dayOfMonth: s.dayOfMonth,
    hour: s.hour,
    departmentId: s.departmentId,
    departmentName: s.departmentName,
    active: s.active,
    nextRunAt: s.nextRunAt.toISOString(),
    createdAt: s.createdAt.toISOString(),
  };
}

export function reportRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;
  const tags = ['reports'];

  const viewerOf = (actor: UserActor): Viewer => ({ personal: can(permissions, actor, 'ledger.personal.read') });

  /** A region in the caller's scope (their own by default); outside it answers 404 like a missing one. */
  async function regionOf(actor: UserActor, code: string | undefined) {
    const region = await findRegion(db, scopeOf(actor), code ?? actor.assignment.regionCode);
    if (!region) throw new AppError('NOT_FOUND', { region: code });
    return region;
  }

  async function templateOf(code: string, version?: number): Promise<TemplateRow> {
    const template = await findTemplate(db, code, version);
    if (!template) throw new AppError('NOT_FOUND', { template: code });
    return template;
  }

  async function targetOf(actor: UserActor, template: TemplateRow, regionCode: string | undefined, locale: Locale): Promise<ReportTarget> {
    const region = await regionOf(actor, regionCode);
    return { template, regionCode: region.code, regionName: region.name, regionPath: region.regionPath, viewer: viewerOf(actor), generatedBy: actor.displayName, locale };
  }

  app.get('/reports', { schema: { tags, summary: 'Report templates (latest version of each), shipped and designed', response: withErrors({ 200: TemplateList }) } }, async (request) => {
    authorize(permissions, request.actor, 'reports.read');
    const dictionary = new Map((await listTags(db)).map((t) => [t.code, t]));
    const items = (await listTemplates(db)).flatMap((t) => {
      try {
        const definition = parseDefinition(t.definition);
        return [{ code: t.code, version: t.version, name: t.name, builtin: t.builtin, kind: definition.kind, sensitive: checkDefinition(definition, dictionary).sensitive, versions: t.versions, createdAt: t.createdAt.toISOString(), definition }];
      } catch {
        // a stored template that no longer fits the dictionary is left out of the list, not fatal to it
        return [];
      }
    });
    return { items };
  });

  app.post(
    '/reports/templates',
    { schema: { tags, summary: 'Save a template: a new code starts at version 1, an existing code gets its next version', body: SaveTemplateBody, response: withErrors({ 201: TemplateSummary, 422: ErrorResponse }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'reports.design');
      const { code, name, definition } = request.body;
      if (RESERVED_CODES.has(code)) throw new AppError('REPORT_TEMPLATE_INVALID', { reason: `${code} is reserved` });
      const def = parseDefinition(definition);
      const { sensitive } = checkDefinition(def, new Map((await listTags(db)).map((t) => [t.code, t])));
      await platform.transaction(actor, (ctx) => saveTemplate({ ...ctx, actor }, { code, name: name.trim(), definition: def }), { requestId: request.id });
      const saved = await templateOf(code);
      return reply.code(201).send({ code, version: saved.version, name: saved.name, builtin: false, kind: def.kind, sensitive, versions: saved.version, createdAt: saved.createdAt.toISOString(), definition: def });
    },
  );

  app.post(
    '/reports/preview',
    { schema: { tags, summary: 'Preview a draft template for a region: the first 50 rows as JSON, nothing saved (audited like an export)', body: PreviewBody, response: withErrors({ 200: ReportJson, 422: ErrorResponse }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'reports.design');
      const def = parseDefinition(request.body.definition);
      const region = await regionOf(actor, request.body.region);
      const table = await buildReport(db, def, { scope: scopeOf(actor), regionPath: region.regionPath, regionName: region.name }, viewerOf(actor), localeOf(request));
      await platform.transaction(
        actor,
        async (ctx) => {
          await recordChange(ctx, { audit: { action: 'report.preview', objectType: 'report_template', objectId: null, regionPath: region.regionPath, details: { region: region.code, rows: table.rowCount, sensitive: table.sensitive } } });
        },
        { requestId: request.id },
      );
      const now = new Date();
      return {
        template: { code: 'draft', version: 0, name: def.title },
        title: def.title,
        region: { code: region.code, name: region.name },
        asOf: new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10),
        generatedAt: now.toISOString(),
        generatedBy: actor.displayName,
        columns: table.columns.map((c) => ({ key: c.key, label: c.label })),
        rows: table.rows.slice(0, PREVIEW_ROWS),
        rowCount: table.rowCount,
      };
    },
  );

  app.get('/reports/runs', { schema: { tags, summary: 'Report runs in the caller’s scope and those pushed to their department, newest first', querystring: RunListQuery, response: withErrors({ 200: RunList }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'reports.read');
    const runs = await listRuns(db, scopeOf(actor), actor.assignment.departmentId, { ...(request.query.template ? { template: request.query.template } : {}), limit: request.query.limit ?? 50 });
    return { items: runs.map(presentRun) };
  });

  app.get(
    '/reports/runs/:id/file',
    {
      schema: {
        tags,
        summary: 'Download a run’s file (XLSX or JSON); audited',
        params: IdParams,
        response: withErrors({ 200: { description: 'The report file', content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } }, 'application/json': { schema: { type: 'object' } } } } }),
      },
    },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'reports.read');
      const run = await findRun(db, scopeOf(actor), actor.assignment.departmentId, request.params.id);
      if (!run) throw new AppError('NOT_FOUND');
      // pushed to the caller's department on purpose by whoever scheduled it; otherwise the ledger's rules
      const pushedHere = run.departmentId !== null && run.departmentId === actor.assignment.departmentId;
      if (run.sensitive && !pushedHere && !viewerOf(actor).personal) throw new AppError('REPORT_SENSITIVE_FORBIDDEN');
      const file = await runFile(db, run.id);
      await platform.transaction(actor, (ctx) => recordChange(ctx, { audit: { action: 'report.download', objectType: 'report_run', objectId: run.id, regionPath: run.regionPath, details: { template: run.templateCode, rows: run.rowCount, pushed: pushedHere } } }), { requestId: request.id });
      return reply
        .type(run.format === 'xlsx' ? XLSX_TYPE : 'application/json; charset=utf-8')
        .header('content-disposition', attachment(run.fileName))
        .header('x-content-type-options', 'nosniff')
        .send(file);
    },
  );

  app.get('/reports/schedules', { schema: { tags, summary: 'Report schedules in the caller’s scope', response: withErrors({ 200: ScheduleList }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'reports.schedule');
    return { items: (await listSchedules(db, scopeOf(actor))).map(presentSchedule) };
  });

  app.post(
    '/reports/schedules',
    { schema: { tags, summary: 'Generate a template for a region every month on a day and push it to a department’s inbox and to webhooks (report.published)', body: ScheduleBody, response: withErrors({ 201: ScheduleView, 422: ErrorResponse }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'reports.schedule');
      const body = request.body;
      const template = await templateOf(body.template);
      const region = await regionOf(actor, body.region);
      const departmentId = body.departmentId ?? null;
      if (departmentId && !(await findDepartment(db, scopeOf(actor), departmentId))) throw new AppError('NOT_FOUND', { departmentId });
      // the creator must be able to see what the schedule will send
      const { sensitive } = checkDefinition(parseDefinition(template.definition), new Map((await listTags(db)).map((t) => [t.code, t])));
      if (sensitive && !viewerOf(actor).personal) throw new AppError('REPORT_SENSITIVE_FORBIDDEN');
      const id = await platform.transaction(
        actor,
        (ctx) => createSchedule({ ...ctx, actor }, { templateCode: template.code, regionCode: region.code, regionPath: region.regionPath, dayOfMonth: body.dayOfMonth, hour: body.hour ?? 8, departmentId }, new Date()),
        { requestId: request.id },
      );
      const saved = await findSchedule(db, scopeOf(actor), id);
      return reply.code(201).send(presentSchedule(saved!));
    },
  );

  app.post(
    '/reports/schedules/:id/active',
    { schema: { tags, summary: 'Pause or resume a schedule', params: IdParams, body: ScheduleActiveBody, response: withErrors({ 200: ScheduleView }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'reports.schedule');
      const schedule = await findSchedule(db, scopeOf(actor), request.params.id);
      if (!schedule) throw new AppError('NOT_FOUND');
      await platform.transaction(actor, (ctx) => changeScheduleActive(ctx, schedule, request.body.active, new Date()), { requestId: request.id });
      return presentSchedule((await findSchedule(db, scopeOf(actor), schedule.id))!);
    },
  );

  app.get(
    '/reports/:template',
    {
      schema: {
        tags,
        summary: 'Generate a report for a region in scope, as JSON or as the department’s XLSX form; audited',
        params: TemplateParams,
        querystring: ReportQuery,
        response: withErrors({ 200: { description: 'The report', content: { 'application/json': { schema: ReportJson }, [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } } } }),
      },
    },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'reports.read');
      const format = request.query.format ?? 'json';
      const template = await templateOf(request.params.template, request.query.version);
      const target = await targetOf(actor, template, request.query.region, localeOf(request));
      const { report, file } = await platform.transaction(actor, (ctx) => exportReport(ctx, target, format), { requestId: request.id });
      if (format === 'json') return reply.type('application/json; charset=utf-8').send(report.json);
      return reply.type(XLSX_TYPE).header('content-disposition', attachment(`${report.fileName}.xlsx`)).header('x-content-type-options', 'nosniff').send(file);
    },
  );

  app.post(
    '/reports/:template/runs',
    { schema: { tags, summary: 'Generate a report and keep it as a run (file downloadable later)', params: TemplateParams, body: RunBody, response: withErrors({ 201: RunView }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'reports.read');
      const template = await templateOf(request.params.template);
      const target = await targetOf(actor, template, request.body?.region, localeOf(request));
      const { id } = await platform.transaction(actor, (ctx) => createRun(ctx, target, request.body?.format ?? 'xlsx', { userId: actor.userId, scheduleId: null, departmentId: null }), { requestId: request.id });
      const run = await findRun(db, scopeOf(actor), actor.assignment.departmentId, id);
      return reply.code(201).send(presentRun(run!));
    },
  );
}
