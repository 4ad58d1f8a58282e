import type { UserActor } from '../../platform/actor.ts';
import { requirePermission, requireUser } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { changeWorkingHours, replaceYearSchedule } from './commands.ts';
import { computeDeadline } from './deadline.ts';
import { findCalendarYear, getCalendarSettings, listCalendarDays, listCalendarYears } from './repository.ts';
import {
  CalendarSettingsSchema,
  CalendarYearDetail,
  CalendarYearList,
  CalendarYearParams,
  DeadlineBody,
  DeadlineResponse,
  ReplaceCalendarYearBody,
  UpdateCalendarSettingsBody,
} from './schemas.ts';
import { workingCalendar } from './store.ts';

export function calendarRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;
  const tags = ['calendar'];

  /** The calendar belongs to the whole installation: only an administrator at the top of the region tree changes it. */
  function requireManager(actor: UserActor): void {
    requirePermission(permissions, actor, 'calendar.manage');
    if (actor.assignment.regionPath.includes('.')) throw new AppError('FORBIDDEN', { permission: 'calendar.manage', scope: 'installation' });
  }

  async function yearDetail(year: number) {
    const found = await findCalendarYear(db, year);
    if (!found) throw new AppError('NOT_FOUND', { year });
    const days = await listCalendarDays(db, year);
    return { year: found.year, source: found.source, updatedAt: found.updatedAt.toISOString(), updatedBy: found.updatedBy, days };
  }

  async function settings() {
    const s = await getCalendarSettings(db);
    return { workingHours: s.workingHours, updatedAt: s.updatedAt.toISOString(), updatedBy: s.updatedBy };
  }

  app.get(
    '/calendar/years',
    { schema: { tags, summary: 'Years with a known holiday schedule, their source and counts', response: withErrors({ 200: CalendarYearList }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      requirePermission(permissions, actor, 'calendar.read');
      const years = await listCalendarYears(db);
      return { items: years.map((y) => ({ year: y.year, source: y.source, holidays: y.holidays, workdays: y.workdays, updatedAt: y.updatedAt.toISOString(), updatedBy: y.updatedBy })) };
    },
  );

  app.get(
    '/calendar/years/:year',
    { schema: { tags, summary: 'One year’s holidays and adjusted working days (调休)', params: CalendarYearParams, response: withErrors({ 200: CalendarYearDetail }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      requirePermission(permissions, actor, 'calendar.read');
      return yearDetail(request.params.year);
    },
  );

  app.put(
    '/calendar/years/:year',
    {
      schema: {
        tags,
        summary: 'Replace a year’s schedule (e.g. enter next year once the State Council publishes it)',
        params: CalendarYearParams,
        body: ReplaceCalendarYearBody,
        response: withErrors({ 200: CalendarYearDetail, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = requireUser(request.actor);
      requireManager(actor);
      const { year } = request.params;
      await platform.transaction(actor, (ctx) => replaceYearSchedule(ctx, year, request.body.days), { requestId: request.id });
      return yearDetail(year);
    },
  );

  app.get(
    '/calendar/settings',
    { schema: { tags, summary: 'Working hours of a working day', response: withErrors({ 200: CalendarSettingsSchema }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      requirePermission(permissions, actor, 'calendar.read');
      return settings();
    },
  );

  app.put(
    '/calendar/settings',
    { schema: { tags, summary: 'Change the working hours', body: UpdateCalendarSettingsBody, response: withErrors({ 200: CalendarSettingsSchema, 422: ErrorResponse }) } },
    async (request) => {
      const actor = requireUser(request.actor);
      requireManager(actor);
      await platform.transaction(actor, (ctx) => changeWorkingHours(ctx, request.body.workingHours), { requestId: request.id });
      return settings();
    },
  );

  app.post(
    '/calendar/deadline',
    {
      schema: {
        tags,
        summary: 'Preview the deadline and 80 % warning time of a time limit started at a given instant',
        body: DeadlineBody,
        response: withErrors({ 200: DeadlineResponse, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = requireUser(request.actor);
      requirePermission(permissions, actor, 'calendar.read');
      const { start, amount, clock } = request.body;
      const result = computeDeadline(new Date(start), { amount, clock }, await workingCalendar(db));
      return { deadline: result.deadline.toISOString(), warnAt: result.warnAt.toISOString() };
    },
  );
}
