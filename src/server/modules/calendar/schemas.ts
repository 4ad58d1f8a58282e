import { Type } from 'typebox';
import { CLOCK_TYPES } from '../../../shared/time-limits.ts';

export const CalendarYearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2099, description: 'Calendar year, e.g. 2027' }) });

export const CalendarDayKind = Type.Union([Type.Literal('holiday'), Type.Literal('workday')], {
  description: 'holiday: a day off (even on a weekday); workday: a weekend day worked (调休)',
});

const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 instant (UTC)' });

export const CalendarDaySchema = Type.Object(
  {
    date: Type.String({ format: 'date', description: 'YYYY-MM-DD (Asia/Shanghai)' }),
    kind: CalendarDayKind,
    name: Type.Union([Type.String(), Type.Null()], { description: 'e.g. 国庆节' }),
  },
  { additionalProperties: false },
);

export const CalendarYearSummary = Type.Object(
  {
    year: Type.Integer(),
    source: Type.String({ description: 'chinese-days@<version> when imported from the package, manual when entered by an administrator' }),
    holidays: Type.Integer({ description: 'Number of holiday days (weekend days inside a holiday period included)' }),
    workdays: Type.Integer({ description: 'Number of adjusted working weekend days (调休)' }),
    updatedAt: Instant,
    updatedBy: Type.Union([Type.String(), Type.Null()], { description: 'Username; null for the import' }),
  },
  { additionalProperties: false },
);

export const CalendarYearList = Type.Object({ items: Type.Array(CalendarYearSummary) }, { additionalProperties: false });

export const CalendarYearDetail = Type.Object(
  {
    year: Type.Integer(),
    source: Type.String(),
    updatedAt: Instant,
    updatedBy: Type.Union([Type.String(), Type.Null()]),
    days: Type.Array(CalendarDaySchema, { description: 'Days that differ from “Monday–Friday work, weekend off”, by date' }),
  },
  { additionalProperties: false },
);

export const ReplaceCalendarYearBody = Type.Object(
  {
    days: Type.Array(
      Type.Object(
        {
          date: Type.String({ format: 'date', description: 'YYYY-MM-DD inside the year' }),
          kind: CalendarDayKind,
          name: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Null()])),
        },
        { additionalProperties: false },
      ),
      { maxItems: 366 },
    ),
  },
  { additionalProperties: false },
);

export const WorkingPeriodSchema = Type.Object(
  {
    start: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, Asia/Shanghai' }),
    end: Type.String({ pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$', description: 'HH:MM, after start' }),
  },
  { additionalProperties: false },
);

export const CalendarSettingsSchema = Type.Object(
  {
    workingHours: Type.Array(WorkingPeriodSchema, { description: 'Working periods of a working day, ascending' }),
    updatedAt: Instant,
    updatedBy: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const UpdateCalendarSettingsBody = Type.Object(
  { workingHours: Type.Array(WorkingPeriodSchema, { minItems: 1, maxItems: 6, description: 'Ascending, non-overlapping, within the day' }) },
  { additionalProperties: false },
);

export const DeadlineBody = Type.Object(
  {
    start: Type.String({ format: 'date-time', description: 'When the clock starts, ISO 8601 with offset, e.g. 2026-02-13T17:30:00+08:00' }),
    amount: Type.Number({ exclusiveMinimum: 0, maximum: 10000, description: 'Hours for the hour clocks, whole days for the day clocks' }),
    clock: Type.Union(CLOCK_TYPES.map((c) => Type.Literal(c))),
  },
  { additionalProperties: false },
);

export const DeadlineResponse = Type.Object(
  {
    deadline: Instant,
    warnAt: Type.String({ format: 'date-time', description: 'When 80 % of the limit is used' }),
  },
  { additionalProperties: false },
);
