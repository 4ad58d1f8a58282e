import type { ClockType, TimeLimit } from '../../../shared/time-limits.ts';
import { AppError } from '../../platform/errors.ts';

/**
 * Deadline arithmetic on the working calendar. Pure functions over an in-memory calendar; no
 * database, no clock, no dependence on the server's time zone.
 *
 * Time: every instant is a `Date` (an absolute point in time). Working days and working hours are
 * Shanghai wall-clock (Asia/Shanghai, UTC+8 all year, no daylight saving since 1991), computed
 * with explicit UTC+8 arithmetic on epoch milliseconds, never with the process's local time zone.
 *
 * The four clocks (src/shared/time-limits.ts):
 * - emergency_working_hours: N continuous hours (nights, weekends and holidays included);
 * - working_hours: N hours counted only inside the working periods of working days; a report at
 *   17:30 with 1 hour uses 30 minutes that day and is due 30 minutes into the next working period;
 * - working_days: N whole working days counted from the next working day after the day of the
 *   start (次日起算, the 12345 practice: the day a case arrives is never counted, whatever the
 *   hour and whether or not it is a working day); due at the end of the working day (the end of the
 *   last working period, 18:00 by default) of the Nth such day;
 * - calendar_days: N × 24 hours.
 * A working day is Monday–Friday unless marked a holiday, or a Saturday/Sunday marked a working
 * day (调休). Whether a day works is only known for years with a schedule; asking about any other
 * year throws CALENDAR_YEAR_UNKNOWN naming the year, so a deadline is never silently guessed.
 * The continuous clocks need no calendar and never throw it.
 *
 * The warning time is when 80 % of the limit's time is used, measured on the limit's own clock
 * (working time for the working clocks; for working_days the budget is N full working days,
 * counted from the start of the first counted day).
 */

export type CalendarDayKind = 'holiday' | 'workday';

/** A working period of the day as entered: 'HH:MM' wall-clock, end may be '24:00'. */
export interface WorkingPeriod {
  start: string;
  end: string;
}

/** A working period in minutes after local midnight. */
export interface PeriodMinutes {
  start: number;
  end: number;
}

export interface WorkingCalendar {
  /** Years whose schedule is known. */
  readonly years: ReadonlySet<number>;
  /** 'YYYY-MM-DD' → holiday | workday, for days that differ from the weekday/weekend rule. */
  readonly days: ReadonlyMap<string, CalendarDayKind>;
  /** Working periods of a working day: ascending, non-overlapping, at least one. */
  readonly periods: readonly PeriodMinutes[];
}

export interface Deadline {
  deadline: Date;
  /** When 80 % of the limit's time has been used. */
  warnAt: Date;
}

export const WARNING_FRACTION = 0.8;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Asia/Shanghai: UTC+8, no daylight saving. */
export const SHANGHAI_UTC_OFFSET_MS = 8 * HOUR;

const CLOCK_TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/** 'HH:MM' → minutes after midnight ('24:00' → 1440); undefined when malformed. */
export function parseClockTime(value: string): number | undefined {
  const m = CLOCK_TIME.exec(value);
  if (!m) return undefined;
  return Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]);
}

/** Checks working hours (well-formed, each ending after it starts, ascending, non-overlapping) and converts them. */
export function parseWorkingHours(periods: readonly WorkingPeriod[]): PeriodMinutes[] {
  const result: PeriodMinutes[] = [];
  for (const period of periods) {
    const start = parseClockTime(period.start);
    const end = parseClockTime(period.end);
    const previous = result[result.length - 1];
    if (start === undefined || end === undefined || start >= end || (previous && start < previous.end)) {
      throw new AppError('CALENDAR_WORKING_HOURS_INVALID', { period });
    }
    result.push({ start, end });
  }
  if (result.length === 0) throw new AppError('CALENDAR_WORKING_HOURS_INVALID', { period: null });
  return result;
}

export function buildCalendar(input: {
  years: Iterable<number>;
  days: Iterable<{ date: string; kind: CalendarDayKind }>;
  workingHours: readonly WorkingPeriod[];
}): WorkingCalendar {
  return {
    years: new Set(input.years),
    days: new Map([...input.days].map((d) => [d.date, d.kind])),
    periods: parseWorkingHours(input.workingHours),
  };
}

// Days are numbered from 1970-01-01 in Shanghai wall-clock; day d starts at d × DAY − 8 h (UTC).

/** The Shanghai day number an instant falls on. */
function dayOf(ms: number): number {
  return Math.floor((ms + SHANGHAI_UTC_OFFSET_MS) / DAY);
}

/** The instant of Shanghai midnight starting day d. */
function midnightOf(day: number): number {
  return day * DAY - SHANGHAI_UTC_OFFSET_MS;
}

function dateOfDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** The Shanghai calendar date ('YYYY-MM-DD') of an instant. */
export function shanghaiDate(instant: Date): string {
  return dateOfDay(dayOf(instant.getTime()));
}

/** The instant of a Shanghai wall-clock date and time ('2026-02-13', '17:30'). */
export function shanghaiTime(date: string, time = '00:00'): Date {
  const minutes = parseClockTime(time);
  const day = Date.parse(`${date}T00:00:00Z`);
  if (minutes === undefined || Number.isNaN(day)) throw new RangeError(`not a date and time: ${date} ${time}`);
  return new Date(day - SHANGHAI_UTC_OFFSET_MS + minutes * MINUTE);
}

/** Whether a date ('YYYY-MM-DD') is a working day; throws CALENDAR_YEAR_UNKNOWN for years without a schedule. */
export function isWorkingDate(calendar: WorkingCalendar, date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${date}`);
  return isWorkingDay(calendar, ms / DAY);
}

function isWorkingDay(calendar: WorkingCalendar, day: number): boolean {
  const date = new Date(day * DAY);
  const year = date.getUTCFullYear();
  if (!calendar.years.has(year)) throw new AppError('CALENDAR_YEAR_UNKNOWN', { year });
  const kind = calendar.days.get(dateOfDay(day));
  if (kind) return kind === 'workday';
  const weekday = date.getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

function nextWorkingDay(calendar: WorkingCalendar, after: number): number {
  let day = after + 1;
  while (!isWorkingDay(calendar, day)) day += 1;
  return day;
}

/** Working time of one working day, in milliseconds. */
export function dailyWorkingTime(calendar: WorkingCalendar): number {
  return calendar.periods.reduce((sum, p) => sum + (p.end - p.start) * MINUTE, 0);
}

/** The instant at which `amount` ms of working time have passed after `from`. */
function addWorkingTime(calendar: WorkingCalendar, from: number, amount: number): number {
  let remaining = amount;
  for (let day = dayOf(from); ; day += 1) {
    if (!isWorkingDay(calendar, day)) continue;
    const midnight = midnightOf(day);
    for (const period of calendar.periods) {
      const start = Math.max(midnight + period.start * MINUTE, from);
      const end = midnight + period.end * MINUTE;
      if (end <= start) continue;
      if (end - start >= remaining) return start + remaining;
      remaining -= end - start;
    }
  }
}

/** Working time (ms) inside [from, to). Only the days the interval touches must have a known schedule. */
function workingTimeIn(calendar: WorkingCalendar, from: number, to: number): number {
  let total = 0;
  for (let day = dayOf(from); midnightOf(day) < to; day += 1) {
    if (!isWorkingDay(calendar, day)) continue;
    const midnight = midnightOf(day);
    for (const period of calendar.periods) {
      const start = Math.max(midnight + period.start * MINUTE, from);
      const end = Math.min(midnight + period.end * MINUTE, to);
      if (end > start) total += end - start;
    }
  }
  return total;
}

function assertLimit(limit: TimeLimit): void {
  const whole = limit.clock === 'working_days' || limit.clock === 'calendar_days';
  if (!Number.isFinite(limit.amount) || limit.amount <= 0 || (whole && !Number.isInteger(limit.amount))) {
    throw new AppError('CALENDAR_LIMIT_INVALID', { amount: limit.amount, clock: limit.clock });
  }
}

function instant(value: Date): number {
  const ms = value.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid date');
  return ms;
}

/** The limit's whole time on its own clock, in milliseconds (N working days = N full working days). */
export function limitDuration(limit: TimeLimit, calendar: WorkingCalendar): number {
  assertLimit(limit);
  switch (limit.clock) {
    case 'emergency_working_hours':
    case 'working_hours':
      return Math.round(limit.amount * HOUR);
    case 'working_days':
      return limit.amount * dailyWorkingTime(calendar);
    case 'calendar_days':
      return limit.amount * DAY;
  }
}

/** When the clock of a working_days limit starts: the first working period of the first working day after the start's day. */
function workingDaysClockStart(calendar: WorkingCalendar, start: number): { firstDay: number; at: number } {
  const firstDay = nextWorkingDay(calendar, dayOf(start));
  return { firstDay, at: midnightOf(firstDay) + calendar.periods[0]!.start * MINUTE };
}

export function computeDeadline(start: Date, limit: TimeLimit, calendar: WorkingCalendar): Deadline {
  assertLimit(limit);
  const from = instant(start);
  const total = limitDuration(limit, calendar);
  const warnAfter = Math.round(total * WARNING_FRACTION);
  switch (limit.clock) {
    case 'emergency_working_hours':
    case 'calendar_days':
      return { deadline: new Date(from + total), warnAt: new Date(from + warnAfter) };
    case 'working_hours':
      return { deadline: new Date(addWorkingTime(calendar, from, total)), warnAt: new Date(addWorkingTime(calendar, from, warnAfter)) };
    case 'working_days': {
      const clock = workingDaysClockStart(calendar, from);
      let last = clock.firstDay;
      for (let n = 1; n < limit.amount; n += 1) last = nextWorkingDay(calendar, last);
      const endOfDay = calendar.periods[calendar.periods.length - 1]!.end;
      return { deadline: new Date(midnightOf(last) + endOfDay * MINUTE), warnAt: new Date(addWorkingTime(calendar, clock.at, warnAfter)) };
    }
  }
}

/**
 * How much of a limit's clock has run between `from` (the start the limit counts from) and `to`,
 * in milliseconds: continuous time for the continuous clocks, working time inside working periods
 * for working_hours, and for working_days the working time from the first counted day on (the
 * start's own day never counts). Compare with `limitDuration` for "how much of the limit is used":
 * at `computeDeadline(...).warnAt` it is 80 %, at the deadline 100 %.
 */
export function workingTimeBetween(from: Date, to: Date, clock: ClockType, calendar: WorkingCalendar): number {
  const a = instant(from);
  const b = instant(to);
  if (b <= a) return 0;
  switch (clock) {
    case 'emergency_working_hours':
    case 'calendar_days':
      return b - a;
    case 'working_hours':
      return workingTimeIn(calendar, a, b);
    case 'working_days': {
      if (b <= midnightOf(dayOf(a) + 1)) return 0; // still the start's own day: nothing counts yet
      const clockStart = workingDaysClockStart(calendar, a).at;
      return b > clockStart ? workingTimeIn(calendar, clockStart, b) : 0;
    }
  }
}

/** The share of a limit used at `at` (0 at the start, 0.8 at the warning, 1 at the deadline, above 1 when overdue). */
export function limitUsed(start: Date, limit: TimeLimit, at: Date, calendar: WorkingCalendar): number {
  return workingTimeBetween(start, at, limit.clock, calendar) / limitDuration(limit, calendar);
}

/**
 * Time on a limit's clock inside [from, to): what a suspension (挂账) or a wait for verification
 * holds back. Working time for the working clocks (a suspended working-days case gets back the
 * working hours it lost), continuous time for the others.
 */
export function clockTimeIn(from: Date, to: Date, clock: ClockType, calendar: WorkingCalendar): number {
  const a = instant(from);
  const b = instant(to);
  if (b <= a) return 0;
  return clock === 'working_hours' || clock === 'working_days' ? workingTimeIn(calendar, a, b) : b - a;
}

/** The instant `amount` ms of a limit's clock after `from` (see `clockTimeIn`). */
export function addClockTime(from: Date, amount: number, clock: ClockType, calendar: WorkingCalendar): Date {
  const a = instant(from);
  if (amount <= 0) return new Date(a);
  return new Date(clock === 'working_hours' || clock === 'working_days' ? addWorkingTime(calendar, a, amount) : a + amount);
}

/**
 * The calendar with the years after its last published one assumed to be plain Monday–Friday
 * weeks. The State Council publishes each year's holidays and 调休 in the autumn before it, so
 * a case clock started in late December may run into a year nobody has published yet; a running
 * case cannot refuse to start its clock, so it counts on this assumption and is marked provisional
 * (`assumed` names the years). Deadline queries of the calendar API stay strict.
 */
export function withAssumedYears(calendar: WorkingCalendar, count = 2): { calendar: WorkingCalendar; assumed: ReadonlySet<number> } {
  const last = Math.max(...calendar.years);
  const assumed = new Set(Array.from({ length: count }, (_, i) => last + 1 + i));
  return { calendar: { ...calendar, years: new Set([...calendar.years, ...assumed]) }, assumed };
}

/** The Shanghai calendar year of an instant. */
export function shanghaiYear(instant: Date): number {
  return Number(shanghaiDate(instant).slice(0, 4));
}
