import { sql, type Kysely } from 'kysely';

/**
 * The working calendar (工作日历): which years have a known holiday schedule, the holidays and
 * adjusted working weekend days (调休) of those years, and the installation's working hours.
 * Installation-wide, not region-scoped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row. `version` goes up with every change to the calendar, so app instances can tell
  // cheaply whether the calendar they hold in memory is still current.
  await sql`
    create table calendar_settings (
      id smallint primary key default 1 check (id = 1),
      working_hours jsonb not null,
      version bigint not null default 1,
      updated_at timestamptz not null default now(),
      updated_by uuid references users(id) on delete set null
    )`.execute(db);
  await sql`
    insert into calendar_settings (id, working_hours)
    values (1, '[{"start":"08:00","end":"12:00"},{"start":"14:00","end":"18:00"}]'::jsonb)`.execute(db);

  // A year is known once its schedule was imported (source chinese-days@version) or entered by an
  // administrator (source manual). Deadlines that need an unknown year are refused.
  await sql`
    create table calendar_years (
      year integer primary key check (year between 1900 and 2999),
      source text not null check (source = 'manual' or source like 'chinese-days@%'),
      updated_at timestamptz not null default now(),
      updated_by uuid references users(id) on delete set null
    )`.execute(db);

  // Days that differ from the rule "Monday to Friday work, Saturday and Sunday rest".
  await sql`
    create table calendar_days (
      date date primary key,
      year integer not null references calendar_years(year) on delete cascade,
      kind text not null check (kind in ('holiday','workday')),
      name text check (name is null or length(name) between 1 and 50),
      check (extract(year from date)::integer = year)
    )`.execute(db);
  await sql`create index calendar_days_year on calendar_days (year, date)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0002-calendar is not reversible');
}
