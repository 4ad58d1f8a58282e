import type { Database, Executor } from '../../platform/db/index.ts';
import { buildCalendar, type WorkingCalendar } from './deadline.ts';
import { calendarVersion, loadCalendarData } from './repository.ts';

/**
 * The working calendar as deadline arithmetic needs it, cached in memory per database.
 *
 * Every calendar write bumps `calendar_settings.version` in its own transaction (the update locks
 * the row, so each committed state has its own number). A reader asks the database for that one
 * number (a primary-key lookup) and reloads the whole calendar (a few hundred rows) only when it
 * changed. That is correct across several app instances with no invalidation messages: an
 * instance whose copy is stale sees the new version on its next read.
 *
 * Only committed data is cached: a load outside a transaction is kept when the version is the
 * same before and after it (no write slipped in between). Inside a transaction the cached copy is
 * used when the transaction sees the same version; otherwise the calendar is read through the
 * transaction (which may hold its own uncommitted change) and not cached.
 */

interface Cached {
  version: string;
  calendar: WorkingCalendar;
}

const caches = new WeakMap<Database, Cached>();

/**
 * The current calendar. `db` is the platform's database (the cache key); pass `trx` to read
 * inside an open transaction.
 */
export async function workingCalendar(db: Database, trx?: Executor): Promise<WorkingCalendar> {
  const reader = trx ?? db;
  const version = await calendarVersion(reader);
  const cached = caches.get(db);
  if (cached && cached.version === version) return cached.calendar;
  const data = await loadCalendarData(reader);
  const calendar = buildCalendar(data);
  if (!reader.isTransaction) {
    if ((await calendarVersion(db)) === version) caches.set(db, { version, calendar });
  } else if (!refreshing.has(db)) {
    // Case commands always ask inside their transaction, so the committed copy must be filled from
    // outside one; not awaited: on the embedded database this query waits for the transaction's connection.
    refreshing.add(db);
    void workingCalendar(db)
      .catch(() => undefined)
      .finally(() => refreshing.delete(db));
  }
  return calendar;
}

const refreshing = new WeakSet<Database>();
