import { sql } from 'kysely';
import type { Executor, Tx } from '../../platform/db/index.ts';
import type { CalendarDayKind, WorkingPeriod } from './deadline.ts';

/**
 * The only code that touches the calendar tables. The calendar is installation-wide (no region
 * scope); routes check the permissions.
 */

export interface CalendarYear {
  year: number;
  source: string;
  updatedAt: Date;
  updatedBy: string | null;
}

export interface CalendarYearSummary extends CalendarYear {
  holidays: number;
  workdays: number;
}

export interface CalendarDay {
  date: string;
  kind: CalendarDayKind;
  name: string | null;
}

export interface CalendarSettings {
  workingHours: WorkingPeriod[];
  updatedAt: Date;
  updatedBy: string | null;
}

const dateText = sql<string>`to_char(d.date, 'YYYY-MM-DD')`.as('date');

function asKind(kind: string): CalendarDayKind {
  if (kind !== 'holiday' && kind !== 'workday') throw new Error(`calendar_days.kind ${kind}`);
  return kind;
}

function asWorkingHours(value: unknown): WorkingPeriod[] {
  if (!Array.isArray(value) || !value.every((p) => typeof p === 'object' && p !== null && typeof p.start === 'string' && typeof p.end === 'string')) {
    throw new Error('calendar_settings.working_hours is malformed');
  }
  return value.map((p: WorkingPeriod) => ({ start: p.start, end: p.end }));
}

/** The calendar's change counter: cheap to read, bumped by every write. */
export async function calendarVersion(db: Executor): Promise<string> {
  const row = await db.selectFrom('calendar_settings').select('version').where('id', '=', 1).executeTakeFirstOrThrow();
  return String(row.version);
}

/** Locks the settings row until the transaction ends (serialises calendar writers) without changing anything. */
export async function lockCalendar(trx: Tx): Promise<void> {
  await trx.selectFrom('calendar_settings').select('id').where('id', '=', 1).forUpdate().execute();
}

/**
 * Bumps the change counter and locks the settings row until the transaction ends: every calendar
 * write calls this first, so concurrent writers (two instances seeding, two admins saving) queue.
 */
export async function bumpCalendarVersion(trx: Tx): Promise<void> {
  await trx
    .updateTable('calendar_settings')
    .set({ version: sql<string>`version + 1` })
    .where('id', '=', 1)
    .execute();
}

export async function listCalendarYears(db: Executor): Promise<CalendarYearSummary[]> {
  const rows = await db
    .selectFrom('calendar_years as y')
    .leftJoin('users as u', 'u.id', 'y.updated_by')
    .select([
      'y.year',
      'y.source',
      'y.updated_at',
      'u.username',
      sql<string>`(select count(*) from calendar_days d where d.year = y.year and d.kind = 'holiday')`.as('holidays'),
      sql<string>`(select count(*) from calendar_days d where d.year = y.year and d.kind = 'workday')`.as('workdays'),
    ])
    .orderBy('y.year')
    .execute();
  return rows.map((r) => ({ year: r.year, source: r.source, updatedAt: r.updated_at, updatedBy: r.username, holidays: Number(r.holidays), workdays: Number(r.workdays) }));
}

export async function findCalendarYear(db: Executor, year: number): Promise<CalendarYear | undefined> {
  const row = await db
    .selectFrom('calendar_years as y')
    .leftJoin('users as u', 'u.id', 'y.updated_by')
    .select(['y.year', 'y.source', 'y.updated_at', 'u.username'])
    .where('y.year', '=', year)
    .executeTakeFirst();
  return row && { year: row.year, source: row.source, updatedAt: row.updated_at, updatedBy: row.username };
}

export async function listCalendarDays(db: Executor, year: number): Promise<CalendarDay[]> {
  const rows = await db.selectFrom('calendar_days as d').select([dateText, 'd.kind', 'd.name']).where('d.year', '=', year).orderBy('d.date').execute();
  return rows.map((r) => ({ date: r.date, kind: asKind(r.kind), name: r.name }));
}

export async function knownCalendarYears(db: Executor): Promise<number[]> {
  const rows = await db.selectFrom('calendar_years').select('year').orderBy('year').execute();
  return rows.map((r) => r.year);
}

/** Creates or overwrites a year and replaces all of its days. */
export async function replaceCalendarYear(trx: Tx, input: { year: number; source: string; updatedBy: string | null; days: readonly CalendarDay[] }): Promise<void> {
  await trx
    .insertInto('calendar_years')
    .values({ year: input.year, source: input.source, updated_by: input.updatedBy, updated_at: new Date() })
    .onConflict((oc) => oc.column('year').doUpdateSet({ source: input.source, updated_by: input.updatedBy, updated_at: new Date() }))
    .execute();
  await trx.deleteFrom('calendar_days').where('year', '=', input.year).execute();
  if (input.days.length > 0) {
    await trx
      .insertInto('calendar_days')
      .values(input.days.map((d) => ({ date: d.date, year: input.year, kind: d.kind, name: d.name })))
      .execute();
  }
}

export async function getCalendarSettings(db: Executor): Promise<CalendarSettings> {
  const row = await db
    .selectFrom('calendar_settings as s')
    .leftJoin('users as u', 'u.id', 's.updated_by')
    .select(['s.working_hours', 's.updated_at', 'u.username'])
    .where('s.id', '=', 1)
    .executeTakeFirstOrThrow();
  return { workingHours: asWorkingHours(row.working_hours), updatedAt: row.updated_at, updatedBy: row.username };
}

export async function setWorkingHours(trx: Tx, workingHours: readonly WorkingPeriod[], updatedBy: string | null): Promise<void> {
  await trx
    .updateTable('calendar_settings')
    .set({ working_hours: JSON.stringify(workingHours.map((p) => ({ start: p.start, end: p.end }))), updated_by: updatedBy, updated_at: new Date() })
    .where('id', '=', 1)
    .execute();
}

/** Everything deadline arithmetic needs: the known years, their exceptional days, the working hours. */
export async function loadCalendarData(db: Executor): Promise<{ years: number[]; days: Array<{ date: string; kind: CalendarDayKind }>; workingHours: WorkingPeriod[] }> {
  const years = await knownCalendarYears(db);
  const days = await db.selectFrom('calendar_days as d').select([dateText, 'd.kind']).orderBy('d.date').execute();
  const settings = await getCalendarSettings(db);
  return { years, days: days.map((d) => ({ date: d.date, kind: asKind(d.kind) })), workingHours: settings.workingHours };
}
