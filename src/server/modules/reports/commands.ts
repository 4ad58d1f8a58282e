import { sql } from 'kysely';
import type { Locale } from '../../../shared/i18n/locale.ts';
import type { ReportDefinition, ReportFormat } from '../../../shared/reports.ts';
import type { Role } from '../../../shared/roles.ts';
import { systemActor, type UserActor } from '../../platform/actor.ts';
import { recordChange, type CommandContext, type Platform } from '../../platform/platform.ts';
import { buildReport, parseDefinition, type ReportTable, type Viewer } from './engine.ts';
import { claimDueSchedules, findTemplate, insertRun, insertSchedule, insertTemplateVersion, setNextRun, setScheduleActive, type ScheduleRow, type TemplateRow } from './repository.ts';
import { reportXlsx } from './xlsx.ts';

/** Where and for whom a report is generated. */
export interface ReportTarget {
  template: TemplateRow;
  regionCode: string;
  regionName: string;
  regionPath: string;
  viewer: Viewer;
  /** 制表人 as printed on the form. */
  generatedBy: string;
  locale: Locale;
}

export interface GeneratedReport {
  table: ReportTable;
  asOf: string;
  generatedAt: Date;
  json: ReturnType<typeof reportJson>;
  fileName: string;
}

const shanghaiDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

function reportJson(target: ReportTarget, table: ReportTable, asOf: string, generatedAt: Date) {
  return {
    template: { code: target.template.code, version: target.template.version, name: target.template.name },
    title: table.title,
    region: { code: target.regionCode, name: target.regionName },
    asOf,
    generatedAt: generatedAt.toISOString(),
    generatedBy: target.generatedBy,
    columns: table.columns.map((c) => ({ key: c.key, label: c.label })),
    rows: table.rows,
    rowCount: table.rowCount,
  };
}

/** Runs the template's one query in the caller's transaction and shapes the result. */
async function generate(ctx: CommandContext, target: ReportTarget): Promise<GeneratedReport> {
  const def = parseDefinition(target.template.definition);
  const table = await buildReport(ctx.trx, def, { scope: { kind: 'paths', paths: [target.regionPath] }, regionPath: target.regionPath, regionName: target.regionName }, target.viewer, target.locale);
  const generatedAt = ctx.now ?? new Date();
  const asOf = shanghaiDay(generatedAt);
  return { table, asOf, generatedAt, json: reportJson(target, table, asOf, generatedAt), fileName: `${target.template.name}-${target.regionName}-${asOf}` };
}

async function render(report: GeneratedReport, target: ReportTarget, format: ReportFormat): Promise<Buffer> {
  if (format === 'json') return Buffer.from(JSON.stringify(report.json));
  return reportXlsx(report.table, { regionName: target.regionName, asOf: report.asOf, generatedBy: target.generatedBy, generatedAt: report.generatedAt, templateLabel: `${target.template.code} v${target.template.version}` }, target.locale);
}

const auditDetails = (target: ReportTarget, report: GeneratedReport, format: ReportFormat) => ({
  template: target.template.code,
  version: target.template.version,
  region: target.regionCode,
  rows: report.table.rowCount,
  format,
  sensitive: report.table.sensitive,
  unmasked: report.table.unmasked,
});

/** A report straight to the caller (GET /api/reports/:template); every export is audited: who, template, region, rows. */
export async function exportReport(ctx: CommandContext, target: ReportTarget, format: ReportFormat): Promise<{ report: GeneratedReport; file: Buffer | null }> {
  const report = await generate(ctx, target);
  const file = format === 'xlsx' ? await render(report, target, format) : null;
  await recordChange(ctx, { audit: { action: 'report.export', objectType: 'report_template', objectId: target.template.id, regionPath: target.regionPath, details: auditDetails(target, report, format) } });
  return { report, file };
}

/** A report kept as a run (its file stays downloadable); scheduled runs are also published to their department and webhooks. */
export async function createRun(
  ctx: CommandContext,
  target: ReportTarget,
  format: ReportFormat,
  origin: { userId: string | null; scheduleId: string | null; departmentId: string | null },
): Promise<{ id: string; rows: number }> {
  const report = await generate(ctx, target);
  const file = await render(report, target, format);
  const id = await insertRun(ctx.trx, {
    templateId: target.template.id,
    templateCode: target.template.code,
    templateVersion: target.template.version,
    templateName: target.template.name,
    regionCode: target.regionCode,
    regionPath: target.regionPath,
    format,
    rowCount: report.table.rowCount,
    sensitive: report.table.sensitive,
    scheduleId: origin.scheduleId,
    departmentId: origin.departmentId,
    createdBy: origin.userId,
    createdByName: target.generatedBy,
    fileName: `${report.fileName}.${format}`,
    file,
  });
  const payload = {
    runId: id,
    template: target.template.code,
    version: target.template.version,
    name: target.template.name,
    regionCode: target.regionCode,
    regionName: target.regionName,
    rows: report.table.rowCount,
    format,
    downloadUrl: `/api/reports/runs/${id}/file`,
    scheduleId: origin.scheduleId,
    departmentId: origin.departmentId,
  };
  await recordChange(ctx, {
    audit: { action: 'report.run', objectType: 'report_run', objectId: id, regionPath: target.regionPath, details: { ...auditDetails(target, report, format), scheduleId: origin.scheduleId, departmentId: origin.departmentId } },
    ...(origin.scheduleId ? { event: { type: 'report.published', aggregateType: 'report_run', aggregateId: id, regionPath: target.regionPath, payload } } : {}),
  });
  return { id, rows: report.table.rowCount };
}

/** Saves a definition as the next version of its template. */
export async function saveTemplate(ctx: CommandContext & { actor: UserActor }, input: { code: string; name: string; definition: ReportDefinition }): Promise<{ id: string; version: number }> {
  const saved = await insertTemplateVersion(ctx.trx, { ...input, createdBy: ctx.actor.userId });
  await recordChange(ctx, { audit: { action: 'report.template.save', objectType: 'report_template', objectId: saved.id, regionPath: null, details: { code: input.code, version: saved.version, name: input.name } } });
  return saved;
}

/** The first moment after `after` that is day `day`, `hour`:00 in Shanghai (UTC+8, no daylight saving). */
export function nextMonthlyRun(day: number, hour: number, after: Date): Date {
  const local = new Date(after.getTime() + 8 * 3600_000);
  let year = local.getUTCFullYear();
  let month = local.getUTCMonth();
  for (;;) {
    const candidate = new Date(Date.UTC(year, month, day, hour) - 8 * 3600_000);
    if (candidate.getTime() > after.getTime()) return candidate;
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
}

export async function createSchedule(
  ctx: CommandContext & { actor: UserActor },
  input: { templateCode: string; regionCode: string; regionPath: string; dayOfMonth: number; hour: number; departmentId: string | null },
  now: Date,
): Promise<string> {
  const id = await insertSchedule(ctx.trx, { ...input, nextRunAt: nextMonthlyRun(input.dayOfMonth, input.hour, now), createdBy: ctx.actor.userId, createdRole: ctx.actor.assignment.role });
  await recordChange(ctx, { audit: { action: 'report.schedule.create', objectType: 'report_schedule', objectId: id, regionPath: input.regionPath, details: { template: input.templateCode, dayOfMonth: input.dayOfMonth, hour: input.hour, departmentId: input.departmentId } } });
  return id;
}

export async function changeScheduleActive(ctx: CommandContext, schedule: ScheduleRow, active: boolean, now: Date): Promise<void> {
  await setScheduleActive(ctx.trx, schedule.id, active, nextMonthlyRun(schedule.dayOfMonth, schedule.hour, now));
  await recordChange(ctx, { audit: { action: active ? 'report.schedule.enable' : 'report.schedule.disable', objectType: 'report_schedule', objectId: schedule.id, regionPath: schedule.regionPath } });
}

/**
 * The schedules job: each due schedule, in its own transaction, generates its report with the
 * rights of the role that created it, keeps the run, publishes it and moves to the next month. A
 * schedule whose template can no longer run (unknown tag, rights withdrawn) still moves on, so
 * one broken schedule never blocks the others; the failure is in the log and the audit.
 */
export async function runDueSchedules(platform: Platform, now: Date): Promise<number> {
  const actor = systemActor('reports.schedules');
  let handled = 0;
  for (;;) {
    const done = await platform.transaction(actor, async (ctx) => {
      const [schedule] = await claimDueSchedules(ctx.trx, now, 1);
      if (!schedule) return false;
      await setNextRun(ctx.trx, schedule.id, nextMonthlyRun(schedule.dayOfMonth, schedule.hour, now));
      const template = await findTemplate(ctx.trx, schedule.templateCode);
      // a failed run rolls back to here, so the schedule still moves on and the failure is audited
      await sql`savepoint scheduled_report`.execute(ctx.trx);
      try {
        if (!template) throw new Error(`template ${schedule.templateCode} is gone`);
        const viewer = { personal: platform.permissions.allows(schedule.createdRole as Role, 'ledger.personal.read') };
        await createRun(
          { ...ctx, now },
          { template, regionCode: schedule.regionCode, regionName: schedule.regionName, regionPath: schedule.regionPath, viewer, generatedBy: `${schedule.createdByName}（定时报表）`, locale: 'zh-CN' },
          'xlsx',
          { userId: null, scheduleId: schedule.id, departmentId: schedule.departmentId },
        );
        await sql`release savepoint scheduled_report`.execute(ctx.trx);
      } catch (error) {
        await sql`rollback to savepoint scheduled_report`.execute(ctx.trx);
        platform.log.error({ err: error, schedule: schedule.id }, 'scheduled report failed');
        await recordChange(ctx, { audit: { action: 'report.schedule.failed', objectType: 'report_schedule', objectId: schedule.id, regionPath: schedule.regionPath, details: { error: error instanceof Error ? error.message : String(error) } } });
      }
      return true;
    });
    if (!done) return handled;
    handled += 1;
  }
}
