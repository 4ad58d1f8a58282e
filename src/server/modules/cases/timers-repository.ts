import { sql, type Selectable, type SqlBool } from 'kysely';
import type { Executor } from '../../platform/db/index.ts';
import type { CaseTimerTable } from '../../platform/db/schema.ts';

export type TimerRow = Selectable<CaseTimerTable>;
export type TimerKind = 'stage' | 'handling';

export interface TimerValues {
  stage: string;
  clock: string;
  startedAt: Date;
  warnAt: Date;
  dueAt: Date;
  escalateAt: Date;
  provisional: boolean;
}

/** Starts (or restarts) a case's clock of one kind; what it fired before is forgotten. */
export async function putTimer(db: Executor, caseId: string, kind: TimerKind, t: TimerValues): Promise<void> {
  const values = {
    stage: t.stage,
    clock: t.clock,
    started_at: t.startedAt,
    warn_at: t.warnAt,
    due_at: t.dueAt,
    escalate_at: t.escalateAt,
    provisional: t.provisional,
    warned_at: null,
    overdue_at: null,
    escalated_at: null,
    paused_at: null,
  };
  await db
    .insertInto('case_timers')
    .values({ case_id: caseId, kind, ...values })
    .onConflict((oc) => oc.columns(['case_id', 'kind']).doUpdateSet(values))
    .execute();
}

export async function findTimer(db: Executor, caseId: string, kind: TimerKind): Promise<TimerRow | undefined> {
  return db.selectFrom('case_timers').selectAll().where('case_id', '=', caseId).where('kind', '=', kind).executeTakeFirst();
}

/** The running clocks of some cases, grouped by case. */
export async function timersOf(db: Executor, caseIds: readonly string[]): Promise<Map<string, TimerRow[]>> {
  const byCase = new Map<string, TimerRow[]>();
  if (caseIds.length === 0) return byCase;
  const rows = await db.selectFrom('case_timers').selectAll().where('case_id', 'in', caseIds).orderBy('kind', 'desc').execute();
  for (const row of rows) byCase.set(row.case_id, [...(byCase.get(row.case_id) ?? []), row]);
  return byCase;
}

export async function updateTimer(
  db: Executor,
  caseId: string,
  kind: TimerKind,
  patch: Partial<Pick<TimerRow, 'warn_at' | 'due_at' | 'escalate_at' | 'warned_at' | 'overdue_at' | 'escalated_at' | 'paused_at' | 'provisional'>>,
): Promise<void> {
  await db.updateTable('case_timers').set(patch).where('case_id', '=', caseId).where('kind', '=', kind).execute();
}

export async function deleteTimer(db: Executor, caseId: string, kind?: TimerKind): Promise<void> {
  let query = db.deleteFrom('case_timers').where('case_id', '=', caseId);
  if (kind) query = query.where('kind', '=', kind);
  await query.execute();
}

export interface DueTimer extends TimerRow {
  number: string;
  status: string;
  region_path: string;
  handling_level_path: string;
}

/**
 * Running timers with a step due at `now` (warning, overdue or escalation not yet fired), locked
 * for the caller's transaction; rows another instance is firing are skipped, and once it commits
 * its markers exclude them here: each step fires once across instances.
 */
export async function claimDueTimers(db: Executor, now: Date, limit: number): Promise<DueTimer[]> {
  return db
    .selectFrom('case_timers as t')
    .innerJoin('cases as c', 'c.id', 't.case_id')
    .selectAll('t')
    .select(['c.number', 'c.status', 'c.region_path', 'c.handling_level_path'])
    .where('t.paused_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('t.warned_at', 'is', null), eb('t.warn_at', '<=', now)]),
        eb.and([eb('t.overdue_at', 'is', null), eb('t.due_at', '<=', now)]),
        eb.and([eb('t.escalated_at', 'is', null), eb('t.escalate_at', '<=', now)]),
      ]),
    )
    .orderBy('t.due_at')
    .limit(limit)
    .forUpdate('t')
    .skipLocked()
    .execute();
}

/**
 * Cases (aliased `c`) whose handling clock ran past its deadline before it stopped, if it stopped.
 * Written as `id = any(array(…))`, not `exists (…)`: the overdue clocks are few (only open cases
 * have clocks), so they are collected once and their cases fetched by primary key. With `exists`
 * the planner cannot estimate the clock condition and, at district scope, joined by reading every
 * case (a sequential scan of the whole table, measured in bench/cases.ts).
 */
export const overdueCondition = sql<SqlBool>`c.id = any(array(select t.case_id from case_timers t where t.kind = 'handling' and t.due_at < coalesce(t.paused_at, now())))`;

/** Cases (aliased `c`) whose running desk clock is `stage`. */
export const inStage = (stage: string) => sql<SqlBool>`exists (select 1 from case_timers t where t.case_id = c.id and t.kind = 'stage' and t.stage = ${stage})`;

/** The nearest running deadline of a case (aliased `c`), for sorting a dispatch board. */
export const nextDeadline = sql<Date | null>`(select min(t.due_at) from case_timers t where t.case_id = c.id and t.paused_at is null)`;
