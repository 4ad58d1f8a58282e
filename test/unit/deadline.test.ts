import { afterEach, describe, expect, it } from 'vitest';
import type { ClockType, TimeLimit } from '../../src/shared/time-limits.ts';
import { AppError } from '../../src/server/platform/errors.ts';
import { loadBundledSchedule } from '../../src/server/modules/calendar/chinese-days.ts';
import {
  addClockTime,
  buildCalendar,
  clockTimeIn,
  computeDeadline,
  isWorkingDate,
  limitDuration,
  limitUsed,
  parseWorkingHours,
  shanghaiDate,
  shanghaiTime,
  shanghaiYear,
  withAssumedYears,
  workingTimeBetween,
  type CalendarDayKind,
  type WorkingCalendar,
} from '../../src/server/modules/calendar/deadline.ts';

/**
 * The 2025 and 2026 schedules as the State Council published them (国办发明电〔2024〕12号 and
 * 国办发明电〔2025〕7号), written out by hand; a test below checks them against chinese-days.
 */
const range = (from: string, to: string, name: string): Array<[string, CalendarDayKind, string]> => {
  const out: Array<[string, CalendarDayKind, string]> = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push([new Date(t).toISOString().slice(0, 10), 'holiday', name]);
  return out;
};
const work = (date: string, name: string): [string, CalendarDayKind, string] => [date, 'workday', name];

const SCHEDULE: Record<number, Array<[string, CalendarDayKind, string]>> = {
  2025: [
    ...range('2025-01-01', '2025-01-01', '元旦'),
    work('2025-01-26', '春节'), // Sunday
    ...range('2025-01-28', '2025-02-04', '春节'),
    work('2025-02-08', '春节'), // Saturday
    ...range('2025-04-04', '2025-04-06', '清明'),
    work('2025-04-27', '劳动节'), // Sunday
    ...range('2025-05-01', '2025-05-05', '劳动节'),
    ...range('2025-05-31', '2025-06-02', '端午'),
    work('2025-09-28', '国庆节'), // Sunday
    ...range('2025-10-01', '2025-10-05', '国庆节'),
    ...range('2025-10-06', '2025-10-06', '中秋'),
    ...range('2025-10-07', '2025-10-08', '国庆节'),
    work('2025-10-11', '国庆节'), // Saturday
  ],
  2026: [
    ...range('2026-01-01', '2026-01-03', '元旦'),
    work('2026-01-04', '元旦'), // Sunday
    work('2026-02-14', '春节'), // Saturday
    ...range('2026-02-15', '2026-02-23', '春节'),
    work('2026-02-28', '春节'), // Saturday
    ...range('2026-04-04', '2026-04-06', '清明'),
    ...range('2026-05-01', '2026-05-05', '劳动节'),
    work('2026-05-09', '劳动节'), // Saturday
    ...range('2026-06-19', '2026-06-21', '端午'),
    work('2026-09-20', '国庆节'), // Sunday
    ...range('2026-09-25', '2026-09-27', '中秋'),
    ...range('2026-10-01', '2026-10-07', '国庆节'),
    work('2026-10-10', '国庆节'), // Saturday
  ],
};

const DEFAULT_HOURS = [
  { start: '08:00', end: '12:00' },
  { start: '14:00', end: '18:00' },
];

function calendar(workingHours = DEFAULT_HOURS, years = [2025, 2026]): WorkingCalendar {
  return buildCalendar({ years, days: years.flatMap((y) => (SCHEDULE[y] ?? []).map(([date, kind]) => ({ date, kind }))), workingHours });
}

/** Shanghai wall-clock 'YYYY-MM-DD HH:MM' ⇄ instants, independent of the process time zone. */
const at = (text: string): Date => {
  const [date, time] = text.split(' ');
  return shanghaiTime(date!, time);
};
const show = (d: Date): string => {
  const local = new Date(d.getTime() + 8 * 3_600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}${local.slice(16, 19) === ':00' ? '' : local.slice(16, 19)}`;
};

interface Case {
  name: string;
  start: string;
  amount: number;
  clock: ClockType;
  deadline: string;
  warnAt: string;
}

const CASES: Case[] = [
  // working hours (工作时): only 08:00–12:00 and 14:00–18:00 of working days count
  { name: '17:30 + 1 h: 30 min today, 30 min next working morning', start: '2025-03-11 17:30', amount: 1, clock: 'working_hours', deadline: '2025-03-12 08:30', warnAt: '2025-03-12 08:18' },
  { name: 'Friday 17:30 + 1 h crosses the weekend', start: '2025-03-07 17:30', amount: 1, clock: 'working_hours', deadline: '2025-03-10 08:30', warnAt: '2025-03-10 08:18' },
  { name: 'before 08:00 the clock waits for the morning', start: '2025-03-11 07:00', amount: 2, clock: 'working_hours', deadline: '2025-03-11 10:00', warnAt: '2025-03-11 09:36' },
  { name: 'during lunch the clock waits for 14:00', start: '2025-03-11 12:30', amount: 1, clock: 'working_hours', deadline: '2025-03-11 15:00', warnAt: '2025-03-11 14:48' },
  { name: 'at 12:00 sharp nothing is left of the morning', start: '2025-03-11 12:00', amount: 1, clock: 'working_hours', deadline: '2025-03-11 15:00', warnAt: '2025-03-11 14:48' },
  { name: 'after 18:00 the clock starts next morning', start: '2025-03-11 19:00', amount: 1, clock: 'working_hours', deadline: '2025-03-12 09:00', warnAt: '2025-03-12 08:48' },
  { name: 'a deadline exactly at 18:00 stays on that day', start: '2025-03-11 14:00', amount: 4, clock: 'working_hours', deadline: '2025-03-11 18:00', warnAt: '2025-03-11 17:12' },
  { name: 'a full working day from 08:00 ends at 18:00', start: '2025-03-11 08:00', amount: 8, clock: 'working_hours', deadline: '2025-03-11 18:00', warnAt: '2025-03-11 16:24' },
  { name: 'a deadline exactly at 12:00 is not pushed past lunch', start: '2025-03-11 08:00', amount: 4, clock: 'working_hours', deadline: '2025-03-11 12:00', warnAt: '2025-03-11 11:12' },
  { name: 'reported on a holiday (国庆 2025) waits for the first working day', start: '2025-10-01 10:00', amount: 2, clock: 'working_hours', deadline: '2025-10-09 10:00', warnAt: '2025-10-09 09:36' },
  { name: 'a 调休 Saturday (2026-02-14) is a working day', start: '2026-02-13 17:00', amount: 2, clock: 'working_hours', deadline: '2026-02-14 09:00', warnAt: '2026-02-14 08:36' },
  { name: 'from the 调休 Saturday across 春节 2026 (02-15…02-23)', start: '2026-02-14 17:00', amount: 4, clock: 'working_hours', deadline: '2026-02-24 11:00', warnAt: '2026-02-24 10:12' },
  { name: 'across 春节 2025 (01-28…02-04)', start: '2025-01-27 16:00', amount: 8, clock: 'working_hours', deadline: '2025-02-05 16:00', warnAt: '2025-02-05 14:24' },
  { name: 'half an hour', start: '2025-03-11 11:50', amount: 0.5, clock: 'working_hours', deadline: '2025-03-11 14:20', warnAt: '2025-03-11 14:14' },
  { name: 'seconds are kept', start: '2025-03-11 10:00', amount: 1, clock: 'working_hours', deadline: '2025-03-11 11:00', warnAt: '2025-03-11 10:48' },

  // working days (工作日): counted from the next working day after the day of the start, due at 18:00
  { name: 'one working day: the next one, until 18:00', start: '2025-03-10 10:00', amount: 1, clock: 'working_days', deadline: '2025-03-11 18:00', warnAt: '2025-03-11 16:24' },
  { name: 'registered before work starts still counts from the next day', start: '2025-03-11 07:00', amount: 1, clock: 'working_days', deadline: '2025-03-12 18:00', warnAt: '2025-03-12 16:24' },
  { name: 'registered on a Saturday: Monday is day 1', start: '2025-03-15 10:00', amount: 1, clock: 'working_days', deadline: '2025-03-17 18:00', warnAt: '2025-03-17 16:24' },
  { name: '3 working days across a weekend', start: '2025-03-13 09:00', amount: 3, clock: 'working_days', deadline: '2025-03-18 18:00', warnAt: '2025-03-18 11:12' },
  { name: '5 working days across 国庆 2025, with the 调休 Saturday 10-11', start: '2025-09-30 15:00', amount: 5, clock: 'working_days', deadline: '2025-10-14 18:00', warnAt: '2025-10-13 18:00' },
  { name: '3 working days across 国庆 2026, ending on the 调休 Saturday 10-10', start: '2026-09-30 15:00', amount: 3, clock: 'working_days', deadline: '2026-10-10 18:00', warnAt: '2026-10-10 11:12' },
  { name: '3 working days across 春节 2026, the 调休 Saturday 02-14 counted', start: '2026-02-12 10:00', amount: 3, clock: 'working_days', deadline: '2026-02-24 18:00', warnAt: '2026-02-24 11:12' },
  { name: 'registered on the last day of 春节 2025', start: '2025-02-04 09:00', amount: 2, clock: 'working_days', deadline: '2025-02-06 18:00', warnAt: '2025-02-06 14:48' },

  // emergency hours (紧急工作时): continuous, holidays included
  { name: 'emergency hours run through a holiday night', start: '2025-10-01 22:00', amount: 4, clock: 'emergency_working_hours', deadline: '2025-10-02 02:00', warnAt: '2025-10-02 01:12' },
  { name: 'emergency 24 h across 春节 2026', start: '2026-02-16 09:00', amount: 24, clock: 'emergency_working_hours', deadline: '2026-02-17 09:00', warnAt: '2026-02-17 04:12' },

  // calendar days (自然日): N × 24 h
  { name: 'calendar days ignore the holiday', start: '2025-09-30 15:00', amount: 3, clock: 'calendar_days', deadline: '2025-10-03 15:00', warnAt: '2025-10-03 00:36' },
];

describe('deadline arithmetic on the working calendar', () => {
  const cal = calendar();

  it.each(CASES)('$name', (c) => {
    const limit: TimeLimit = { amount: c.amount, clock: c.clock };
    const start = c.name === 'seconds are kept' ? new Date(at(c.start).getTime() + 17_000) : at(c.start);
    const result = computeDeadline(start, limit, cal);
    if (c.name === 'seconds are kept') {
      expect(show(result.deadline)).toBe(`${c.deadline}:17`);
      return;
    }
    expect({ deadline: show(result.deadline), warnAt: show(result.warnAt) }).toEqual({ deadline: c.deadline, warnAt: c.warnAt });
    // the clock itself agrees: 80 % used at the warning, 100 % at the deadline
    expect(workingTimeBetween(start, result.warnAt, c.clock, cal)).toBe(Math.round(limitDuration(limit, cal) * 0.8));
    expect(workingTimeBetween(start, result.deadline, c.clock, cal)).toBe(limitDuration(limit, cal));
    expect(limitUsed(start, limit, result.deadline, cal)).toBe(1);
  });

  it('measures the time used on each clock', () => {
    // Friday 17:00 → Monday 09:00: 1 h on Friday, 1 h on Monday
    expect(workingTimeBetween(at('2025-03-07 17:00'), at('2025-03-10 09:00'), 'working_hours', cal)).toBe(2 * 3_600_000);
    // the lunch break and the night do not count
    expect(workingTimeBetween(at('2025-03-11 11:00'), at('2025-03-11 15:00'), 'working_hours', cal)).toBe(2 * 3_600_000);
    // working days: the start's own day never counts; the next working day from 08:00 does
    expect(workingTimeBetween(at('2025-03-10 09:00'), at('2025-03-10 17:00'), 'working_days', cal)).toBe(0);
    expect(workingTimeBetween(at('2025-03-10 09:00'), at('2025-03-11 10:00'), 'working_days', cal)).toBe(2 * 3_600_000);
    expect(workingTimeBetween(at('2025-03-10 09:00'), at('2025-03-08 09:00'), 'calendar_days', cal)).toBe(0);
    expect(workingTimeBetween(at('2025-10-01 00:00'), at('2025-10-08 00:00'), 'emergency_working_hours', cal)).toBe(7 * 86_400_000);
    expect(workingTimeBetween(at('2025-10-01 00:00'), at('2025-10-08 00:00'), 'working_hours', cal)).toBe(0);
    // overdue shows as more than the whole limit
    const limit: TimeLimit = { amount: 1, clock: 'working_hours' };
    expect(limitUsed(at('2025-03-11 17:30'), limit, at('2025-03-12 09:00'), cal)).toBe(1.5);
  });

  it('refuses to guess in a year without a schedule, naming the year', () => {
    const cases: Array<[string, TimeLimit, number]> = [
      ['2026-12-30 10:00', { amount: 5, clock: 'working_days' }, 2027],
      ['2026-12-31 17:00', { amount: 2, clock: 'working_hours' }, 2027],
      ['2024-06-03 10:00', { amount: 1, clock: 'working_hours' }, 2024],
      ['2025-01-01 10:00', { amount: 1, clock: 'working_hours' }, 2025], // checked against a calendar that knows only 2026
    ];
    const only2026 = calendar(DEFAULT_HOURS, [2026]);
    for (const [start, limit, year] of cases) {
      const cal2 = year === 2025 ? only2026 : cal;
      let thrown: unknown;
      try {
        computeDeadline(at(start), limit, cal2);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, start).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ code: 'CALENDAR_YEAR_UNKNOWN', status: 422, details: { year } });
      expect((thrown as Error).message).toContain(String(year));
    }
    expect(() => workingTimeBetween(at('2026-12-31 10:00'), at('2027-01-04 10:00'), 'working_hours', cal)).toThrow(/2027/);
    // a deadline that stays inside the known year is fine, and so are the continuous clocks
    expect(show(computeDeadline(at('2026-12-31 10:00'), { amount: 1, clock: 'working_hours' }, cal).deadline)).toBe('2026-12-31 11:00');
    expect(show(computeDeadline(at('2026-12-31 20:00'), { amount: 24, clock: 'emergency_working_hours' }, cal).deadline)).toBe('2027-01-01 20:00');
    expect(show(computeDeadline(at('2026-12-31 20:00'), { amount: 2, clock: 'calendar_days' }, cal).deadline)).toBe('2027-01-02 20:00');
    // the start's own day need not be known for working days (day 1 is the next working day)
    expect(show(computeDeadline(at('2024-12-31 10:00'), { amount: 1, clock: 'working_days' }, cal).deadline)).toBe('2025-01-02 18:00');
  });

  it('follows configured working hours', () => {
    const single = calendar([{ start: '09:00', end: '17:00' }]);
    expect(show(computeDeadline(at('2025-03-11 16:30'), { amount: 1, clock: 'working_hours' }, single).deadline)).toBe('2025-03-12 09:30');
    expect(show(computeDeadline(at('2025-03-11 10:00'), { amount: 1, clock: 'working_days' }, single).deadline)).toBe('2025-03-12 17:00');
    const split = calendar([{ start: '08:30', end: '11:30' }, { start: '13:00', end: '17:30' }]);
    expect(show(computeDeadline(at('2025-03-11 11:00'), { amount: 1, clock: 'working_hours' }, split).deadline)).toBe('2025-03-11 13:30');
    expect(show(computeDeadline(at('2025-03-11 11:00'), { amount: 2, clock: 'working_days' }, split).deadline)).toBe('2025-03-13 17:30');
    const late = calendar([{ start: '20:00', end: '24:00' }]);
    expect(show(computeDeadline(at('2025-03-11 23:00'), { amount: 2, clock: 'working_hours' }, late).deadline)).toBe('2025-03-12 21:00');
  });

  it('refuses invalid limits and working hours', () => {
    for (const limit of [{ amount: 0, clock: 'working_hours' }, { amount: -1, clock: 'calendar_days' }, { amount: 1.5, clock: 'working_days' }, { amount: Number.NaN, clock: 'working_hours' }] as TimeLimit[]) {
      expect(() => computeDeadline(at('2025-03-11 10:00'), limit, cal), JSON.stringify(limit)).toThrow(expect.objectContaining({ code: 'CALENDAR_LIMIT_INVALID' }));
    }
    const bad = [
      [],
      [{ start: '12:00', end: '08:00' }],
      [{ start: '08:00', end: '08:00' }],
      [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '18:00' }],
      [{ start: '14:00', end: '18:00' }, { start: '08:00', end: '12:00' }],
      [{ start: '8:00', end: '12:00' }],
      [{ start: '24:00', end: '24:00' }],
    ];
    for (const hours of bad) expect(() => parseWorkingHours(hours), JSON.stringify(hours)).toThrow(expect.objectContaining({ code: 'CALENDAR_WORKING_HOURS_INVALID' }));
    expect(parseWorkingHours([{ start: '08:00', end: '12:00' }, { start: '12:00', end: '24:00' }])).toEqual([{ start: 480, end: 720 }, { start: 720, end: 1440 }]);
  });

  describe('whatever the server time zone', () => {
    const original = process.env.TZ;
    afterEach(() => {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    });

    it.each(['America/New_York', 'Pacific/Kiritimati', 'UTC', 'Asia/Shanghai'])('computes the same deadlines with TZ=%s', (tz) => {
      process.env.TZ = tz;
      const offset = new Date('2025-07-01T00:00:00Z').getTimezoneOffset();
      expect(offset).toBe({ 'America/New_York': 240, 'Pacific/Kiritimati': -840, UTC: 0, 'Asia/Shanghai': -480 }[tz]);
      for (const c of CASES.filter((x) => x.name !== 'seconds are kept')) {
        const result = computeDeadline(at(c.start), { amount: c.amount, clock: c.clock }, cal);
        expect({ name: c.name, deadline: show(result.deadline), warnAt: show(result.warnAt) }).toEqual({ name: c.name, deadline: c.deadline, warnAt: c.warnAt });
      }
      // a fixed UTC instant: 2025-03-11T09:30:00Z is 17:30 in Shanghai
      expect(computeDeadline(new Date('2025-03-11T09:30:00Z'), { amount: 1, clock: 'working_hours' }, cal).deadline.toISOString()).toBe('2025-03-12T00:30:00.000Z');
      expect(shanghaiDate(new Date('2025-03-11T16:30:00Z'))).toBe('2025-03-12');
    });
  });
});

describe('the chinese-days package data', () => {
  const bundled = loadBundledSchedule();

  it('covers 2004 to 2026 and no later year', () => {
    expect(bundled.source).toBe('chinese-days@1.5.7');
    const years = [...bundled.years.keys()].sort();
    expect(years[0]).toBe(2004);
    expect(years[years.length - 1]).toBe(2026);
    expect(years).toHaveLength(23);
  });

  it.each([2025, 2026])('matches the hand-written %i schedule used above', (year) => {
    const expected = (SCHEDULE[year] ?? []).map(([date, kind, name]) => ({ date, kind, name })).sort((a, b) => a.date.localeCompare(b.date));
    expect(bundled.years.get(year)).toEqual(expected);
  });

  it('puts every 调休 working day on a weekend', () => {
    const cal = buildCalendar({ years: bundled.years.keys(), days: [...bundled.years.values()].flat(), workingHours: DEFAULT_HOURS });
    for (const day of [...bundled.years.values()].flat().filter((d) => d.kind === 'workday')) {
      expect([0, 6], day.date).toContain(new Date(`${day.date}T00:00:00Z`).getUTCDay());
      expect(isWorkingDate(cal, day.date)).toBe(true);
    }
    expect(isWorkingDate(cal, '2026-10-05')).toBe(false); // Monday in 国庆
    expect(isWorkingDate(cal, '2026-10-12')).toBe(true); // ordinary Monday
  });
});

describe('clock arithmetic for suspended and extended cases', () => {
  const cal = calendar();

  it('counts the working time a suspension holds back, and adds it back on the same clock', () => {
    // suspended Friday 2026-09-25 16:00 (中秋, a holiday) → resumed Wednesday 2026-09-30 10:00
    const from = shanghaiTime('2026-09-25', '16:00');
    const to = shanghaiTime('2026-09-30', '10:00');
    const held = clockTimeIn(from, to, 'working_hours', cal);
    // the holiday Friday and the weekend hold nothing back: Mon 28th 8 h + Tue 29th 8 h + Wed 30th 08–10 2 h
    expect(held / 3_600_000).toBe(18);
    expect(clockTimeIn(from, to, 'working_days', cal)).toBe(held);
    expect(clockTimeIn(from, to, 'emergency_working_hours', cal)).toBe(to.getTime() - from.getTime());
    // a deadline at Thursday 10-01 … 国庆 runs to 10-07; 10-08 is the next working day
    const due = shanghaiTime('2026-09-30', '18:00');
    expect(addClockTime(due, 3 * 3_600_000, 'working_hours', cal)).toEqual(shanghaiTime('2026-10-08', '11:00'));
    expect(addClockTime(due, 3 * 3_600_000, 'calendar_days', cal)).toEqual(new Date(due.getTime() + 3 * 3_600_000));
    expect(addClockTime(due, 0, 'working_hours', cal)).toEqual(due);
  });

  it('assumes plain Monday–Friday weeks after the last published year, and says which years it assumed', () => {
    expect(() => computeDeadline(shanghaiTime('2026-12-30', '10:00'), { amount: 3, clock: 'working_days' }, cal)).toThrow(AppError);
    const { calendar: extended, assumed } = withAssumedYears(cal);
    expect([...assumed]).toEqual([2027, 2028]);
    const { deadline } = computeDeadline(shanghaiTime('2026-12-30', '10:00'), { amount: 3, clock: 'working_days' }, extended);
    // 12-31 (Thu) is the first counted day (the start's own day never counts); 2027-01-01 (Fri) and 01-04 (Mon) follow on the assumption
    expect(deadline).toEqual(shanghaiTime('2027-01-04', '18:00'));
    expect(shanghaiYear(deadline)).toBe(2027);
  });
});
