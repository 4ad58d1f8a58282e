import { AppError } from '../../platform/errors.ts';
import { recordChange, type CommandContext } from '../../platform/platform.ts';
import type { BundledSchedule } from './chinese-days.ts';
import { parseWorkingHours, type CalendarDayKind, type WorkingPeriod } from './deadline.ts';
import {
  bumpCalendarVersion,
  findCalendarYear,
  getCalendarSettings,
  knownCalendarYears,
  listCalendarDays,
  lockCalendar,
  replaceCalendarYear,
  setWorkingHours,
  type CalendarDay,
} from './repository.ts';

const userIdOf = (ctx: CommandContext): string | null => (ctx.actor.kind === 'user' ? ctx.actor.userId : null);

/**
 * Loads the years of the bundled schedule that the database does not know yet. Idempotent; a
 * year already present (imported earlier or entered by an administrator) is left as it is.
 */
export async function importBundledSchedule(ctx: CommandContext, schedule: BundledSchedule): Promise<{ years: number[] }> {
  await lockCalendar(ctx.trx); // instances seeding at once queue here; the second finds nothing missing
  const known = new Set(await knownCalendarYears(ctx.trx));
  const missing = [...schedule.years.keys()].filter((y) => !known.has(y)).sort((a, b) => a - b);
  if (missing.length === 0) return { years: [] };
  await bumpCalendarVersion(ctx.trx);
  let days = 0;
  for (const year of missing) {
    const list = schedule.years.get(year) ?? [];
    days += list.length;
    await replaceCalendarYear(ctx.trx, { year, source: schedule.source, updatedBy: null, days: list });
  }
  const summary = { source: schedule.source, years: missing, days };
  await recordChange(ctx, {
    audit: { action: 'calendar.import', objectType: 'calendar', objectId: schedule.source, details: summary },
    event: { type: 'calendar.imported', aggregateType: 'calendar', aggregateId: schedule.source, payload: summary },
  });
  return { years: missing };
}

function isWeekend(date: string): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Checks an administrator's schedule for a year; dates are already well-formed (schema). */
export function validateYearSchedule(year: number, days: ReadonlyArray<{ date: string; kind: CalendarDayKind; name?: string | null }>): CalendarDay[] {
  const seen = new Set<string>();
  const result: CalendarDay[] = [];
  for (const day of days) {
    if (Number(day.date.slice(0, 4)) !== year) throw new AppError('CALENDAR_DATE_OUTSIDE_YEAR', { date: day.date, year });
    if (seen.has(day.date)) throw new AppError('CALENDAR_DUPLICATE_DATE', { date: day.date });
    // 调休 moves work onto a weekend day; a weekday is a working day already.
    if (day.kind === 'workday' && !isWeekend(day.date)) throw new AppError('CALENDAR_WORKDAY_NOT_WEEKEND', { date: day.date });
    seen.add(day.date);
    const name = day.name?.trim();
    result.push({ date: day.date, kind: day.kind, name: name ? name : null });
  }
  return result.sort((a, b) => a.date.localeCompare(b.date));
}

function diff(before: readonly CalendarDay[], after: readonly CalendarDay[]): { added: string[]; removed: string[]; changed: string[] } {
  const old = new Map(before.map((d) => [d.date, d]));
  const next = new Map(after.map((d) => [d.date, d]));
  return {
    added: after.filter((d) => !old.has(d.date)).map((d) => d.date),
    removed: before.filter((d) => !next.has(d.date)).map((d) => d.date),
    changed: after.filter((d) => {
      const o = old.get(d.date);
      return o !== undefined && (o.kind !== d.kind || o.name !== d.name);
    }).map((d) => d.date),
  };
}

/** Replaces a year's schedule with one entered by an administrator (source `manual`). */
export async function replaceYearSchedule(
  ctx: CommandContext,
  year: number,
  input: ReadonlyArray<{ date: string; kind: CalendarDayKind; name?: string | null }>,
): Promise<void> {
  const days = validateYearSchedule(year, input);
  await bumpCalendarVersion(ctx.trx);
  const previous = await findCalendarYear(ctx.trx, year);
  const before = previous ? await listCalendarDays(ctx.trx, year) : [];
  await replaceCalendarYear(ctx.trx, { year, source: 'manual', updatedBy: userIdOf(ctx), days });
  const counts = { holidays: days.filter((d) => d.kind === 'holiday').length, workdays: days.filter((d) => d.kind === 'workday').length };
  await recordChange(ctx, {
    audit: {
      action: 'calendar.replace_year',
      objectType: 'calendar_year',
      objectId: String(year),
      details: { year, source: 'manual', previousSource: previous?.source ?? null, ...counts, ...diff(before, days) },
    },
    event: { type: 'calendar.year_replaced', aggregateType: 'calendar_year', aggregateId: String(year), payload: { year, source: 'manual', ...counts } },
  });
}

export async function changeWorkingHours(ctx: CommandContext, workingHours: readonly WorkingPeriod[]): Promise<void> {
  parseWorkingHours(workingHours);
  await bumpCalendarVersion(ctx.trx);
  const before = await getCalendarSettings(ctx.trx);
  const to = workingHours.map((p) => ({ start: p.start, end: p.end }));
  await setWorkingHours(ctx.trx, to, userIdOf(ctx));
  await recordChange(ctx, {
    audit: { action: 'calendar.set_working_hours', objectType: 'calendar_settings', objectId: 'working_hours', details: { from: before.workingHours, to } },
    event: { type: 'calendar.working_hours_changed', aggregateType: 'calendar_settings', aggregateId: 'working_hours', payload: { workingHours: to } },
  });
}
