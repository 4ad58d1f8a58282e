import type { CalendarDay } from '../../types.ts';

/** Date arithmetic on 'YYYY-MM-DD' strings in UTC, so the browser's own time zone never shifts a day. */

const DAY_MS = 86_400_000;

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function ms(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export function addDays(date: string, days: number): string {
  return new Date(ms(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function mondayIndex(date: string): number {
  return (new Date(ms(date)).getUTCDay() + 6) % 7;
}

export function isWeekend(date: string): boolean {
  return mondayIndex(date) >= 5;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** Every date from `from` to `to`, both included (empty when `to` is before `from`). */
export function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length <= 366; d = addDays(d, 1)) out.push(d);
  return out;
}

export interface HolidayRange {
  name: string | null;
  from: string;
  to: string;
}

/** Consecutive holidays of the same name as one period (国庆节 10-01 … 10-07), as an editor shows them. */
export function holidayRanges(days: readonly CalendarDay[]): HolidayRange[] {
  const ranges: HolidayRange[] = [];
  for (const day of [...days].filter((d) => d.kind === 'holiday').sort((a, b) => a.date.localeCompare(b.date))) {
    const last = ranges[ranges.length - 1];
    if (last && last.name === day.name && addDays(last.to, 1) === day.date) last.to = day.date;
    else ranges.push({ name: day.name, from: day.date, to: day.date });
  }
  return ranges;
}

/** The wall-clock time in Shanghai now, 'YYYY-MM-DD HH:mm', whatever time zone the browser is in. */
export function shanghaiNow(): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date());
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
