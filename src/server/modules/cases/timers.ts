import { STAGE_OF_STATUS, type CaseStage, type CaseStatus } from '../../../shared/cases.ts';
import type { TimeLimit, Urgency } from '../../../shared/time-limits.ts';
import { systemActor } from '../../platform/actor.ts';
import type { Executor, Tx } from '../../platform/db/index.ts';
import { recordChange, type Platform } from '../../platform/platform.ts';
import { addClockTime, clockTimeIn, computeDeadline, limitDuration, shanghaiYear, withAssumedYears, type WorkingCalendar } from '../calendar/deadline.ts';
import { workingCalendar } from '../calendar/store.ts';
import { findCategoryVersion } from '../categories/repository.ts';
import { insertCaseEvent, updateCase } from './repository.ts';
import { claimDueTimers, deleteTimer, findTimer, putTimer, updateTimer, type DueTimer, type TimerKind } from './timers-repository.ts';
import type { ClockType } from '../../../shared/time-limits.ts';

/**
 * The short limits of the desk stages (立案, 派遣, 签收, 核查), by urgency. A 特急 case runs on the
 * continuous emergency clock: nights and holidays count. The handling limit (处置) is the category's.
 */
export const STAGE_LIMITS: Record<Exclude<CaseStage, 'handle'>, Record<Urgency, TimeLimit>> = {
  register: { normal: { amount: 2, clock: 'working_hours' }, urgent: { amount: 1, clock: 'working_hours' }, critical: { amount: 0.5, clock: 'emergency_working_hours' } },
  dispatch: { normal: { amount: 2, clock: 'working_hours' }, urgent: { amount: 1, clock: 'working_hours' }, critical: { amount: 0.5, clock: 'emergency_working_hours' } },
  accept: { normal: { amount: 2, clock: 'working_hours' }, urgent: { amount: 1, clock: 'working_hours' }, critical: { amount: 0.5, clock: 'emergency_working_hours' } },
  verify: { normal: { amount: 1, clock: 'working_days' }, urgent: { amount: 4, clock: 'working_hours' }, critical: { amount: 2, clock: 'emergency_working_hours' } },
};

/** An overdue case is escalated for supervision (督办) after another half of its limit. */
export const ESCALATE_AFTER_FRACTION = 0.5;

/** The calendar case clocks count on: the published years, then assumed plain weeks (see withAssumedYears). */
export interface ClockCalendar {
  calendar: WorkingCalendar;
  assumed: ReadonlySet<number>;
}

export function clockCalendar(calendar: WorkingCalendar): ClockCalendar {
  return withAssumedYears(calendar);
}

const countsOnAssumedYear = (cal: ClockCalendar, ...instants: Date[]) => instants.some((i) => cal.assumed.has(shanghaiYear(i)));

function timerFor(stage: CaseStage, limit: TimeLimit, start: Date, cal: ClockCalendar) {
  const { deadline, warnAt } = computeDeadline(start, limit, cal.calendar);
  const escalateAt = addClockTime(deadline, limitDuration(limit, cal.calendar) * ESCALATE_AFTER_FRACTION, limit.clock, cal.calendar);
  return { stage, clock: limit.clock, startedAt: start, warnAt, dueAt: deadline, escalateAt, provisional: countsOnAssumedYear(cal, escalateAt) };
}

export interface ClockChange {
  caseId: string;
  /** null: the case was just reported. */
  from: CaseStatus | null;
  to: CaseStatus;
  urgency: Urgency;
  now: Date;
  /** Set when the case (re)enters handling with a fresh limit: registration and reopening. */
  handlingLimit?: TimeLimit;
  /** The desk stage's clock starts again although the status stays (a transfer: the new unit gets its own time to accept). */
  restartStage?: boolean;
  /** An approved extension: this much more time on the handling clock, in the limit's unit. */
  extension?: { amount: number; clock: ClockType };
}

/**
 * Keeps a case's clocks in step with a transition, in the transition's transaction; returns the
 * handling deadline to mirror on the case (undefined: unchanged, null: none).
 */
export async function moveClocks(trx: Tx, cal: ClockCalendar, change: ClockChange): Promise<{ deadlineAt: Date | null; warnAt: Date | null } | undefined> {
  const { caseId, from, to, now } = change;
  let mirror: { deadlineAt: Date | null; warnAt: Date | null } | undefined;

  if (from !== to || change.restartStage) {
    const stage = STAGE_OF_STATUS[to];
    if (stage && stage !== 'handle') await putTimer(trx, caseId, 'stage', timerFor(stage, STAGE_LIMITS[stage][change.urgency], now, cal));
    else await deleteTimer(trx, caseId, 'stage');
  }

  if (change.handlingLimit) {
    const timer = timerFor('handle', change.handlingLimit, now, cal);
    await putTimer(trx, caseId, 'handling', timer);
    mirror = { deadlineAt: timer.dueAt, warnAt: timer.warnAt };
  }
  const handling = change.handlingLimit ? undefined : await findTimer(trx, caseId, 'handling');
  const calendar = cal.calendar;
  if (handling) {
    const clock = handling.clock as ClockType;
    if (to === 'closed' || to === 'rejected' || to === 'merged') {
      await deleteTimer(trx, caseId, 'handling');
      mirror = { deadlineAt: handling.due_at, warnAt: handling.warn_at };
    } else if ((to === 'handled' || to === 'suspended') && !handling.paused_at) {
      // the unit does not hold the case while it waits for verification or is suspended
      await updateTimer(trx, caseId, 'handling', { paused_at: now });
    } else if (to === 'in_progress' && handling.paused_at) {
      const held = clockTimeIn(handling.paused_at, now, clock, calendar);
      mirror = await shiftHandling(trx, caseId, handling, held, cal, now, { paused_at: null });
    } else if (change.extension) {
      const extra = limitDuration({ amount: change.extension.amount, clock: change.extension.clock }, calendar);
      mirror = await shiftHandling(trx, caseId, handling, extra, cal, now, {});
    }
  }
  return mirror;
}

/** Moves the handling clock's unfired steps later by `amount` of its clock (resume, extension). */
async function shiftHandling(
  trx: Tx,
  caseId: string,
  timer: { clock: string; warn_at: Date; due_at: Date; escalate_at: Date; warned_at: Date | null; overdue_at: Date | null; escalated_at: Date | null },
  amount: number,
  cal: ClockCalendar,
  now: Date,
  extra: { paused_at?: null },
) {
  const clock = timer.clock as ClockType;
  const calendar = cal.calendar;
  const dueAt = addClockTime(timer.due_at, amount, clock, calendar);
  const escalateAt = addClockTime(timer.escalate_at, amount, clock, calendar);
  // a step that has fired stays fired unless the shift moves it into the future again
  const warnAt = addClockTime(timer.warn_at, amount, clock, calendar);
  await updateTimer(trx, caseId, 'handling', {
    ...extra,
    warn_at: warnAt,
    due_at: dueAt,
    escalate_at: escalateAt,
    warned_at: warnAt > now ? null : timer.warned_at,
    overdue_at: dueAt > now ? null : timer.overdue_at,
    escalated_at: escalateAt > now ? null : timer.escalated_at,
    provisional: countsOnAssumedYear(cal, escalateAt),
  });
  return { deadlineAt: dueAt, warnAt };
}

type Step = 'deadline_warning' | 'overdue' | 'supervise';

/** The furthest step that is due: after an outage the overdue notice replaces the warning it makes moot. */
function stepDue(t: DueTimer, now: Date): Step | undefined {
  if (!t.escalated_at && t.escalate_at <= now) return 'supervise';
  if (!t.overdue_at && t.due_at <= now) return 'overdue';
  if (!t.warned_at && t.warn_at <= now) return 'deadline_warning';
  return undefined;
}

const EVENT_OF_STEP: Record<Step, string> = { deadline_warning: 'case.deadline_warning', overdue: 'case.overdue', supervise: 'case.supervised' };

/**
 * One sweep over the running clocks: fires every warning (80 %), overdue flag and supervision
 * escalation that is due at `now`, each with a timeline entry, an audit entry and an event (the
 * notifications follow from the event). Returns how many steps fired.
 */
export async function sweepDeadlines(platform: Platform, now: Date, batch = 200): Promise<number> {
  let fired = 0;
  for (;;) {
    const count = await platform.transaction(systemActor('deadline-sweep'), async (ctx) => {
      const due = await claimDueTimers(ctx.trx, now, batch);
      for (const t of due) {
        const step = stepDue(t, now);
        if (!step) continue;
        const marks = {
          warned_at: t.warned_at ?? now,
          ...(step !== 'deadline_warning' ? { overdue_at: t.overdue_at ?? now } : {}),
          ...(step === 'supervise' ? { escalated_at: now } : {}),
        };
        await updateTimer(ctx.trx, t.case_id, t.kind as TimerKind, marks);
        await updateCase(ctx.trx, t.case_id, {});
        await insertCaseEvent(ctx.trx, {
          caseId: t.case_id,
          action: step,
          fromStatus: t.status,
          toStatus: t.status,
          actorUserId: null,
          actorName: '系统',
          actorRole: null,
          note: null,
          details: { stage: t.stage, clock: t.kind, dueAt: t.due_at.toISOString() },
        });
        const details = { number: t.number, stage: t.stage, timer: t.kind, dueAt: t.due_at.toISOString() };
        await recordChange(ctx, {
          audit: { action: `case.${step}`, objectType: 'case', objectId: t.case_id, regionPath: t.region_path, details },
          event: { type: EVENT_OF_STEP[step], aggregateType: 'case', aggregateId: t.case_id, regionPath: t.region_path, payload: details },
        });
      }
      return due.length;
    });
    fired += count;
    if (count < batch) return fired;
  }
}

/** The handling limit a case was registered under (its category version and urgency); none before registration. */
export async function registeredLimitOf(db: Executor, row: { category_code: string | null; category_version: number | null; urgency: string }): Promise<TimeLimit | undefined> {
  if (!row.category_code || row.category_version === null) return undefined;
  return (await findCategoryVersion(db, row.category_code, row.category_version))?.timeLimits?.[row.urgency as Urgency];
}

/** The calendar for clock arithmetic inside a transaction (cached by version). */
export async function clockCalendarFor(platform: Platform, trx: Executor): Promise<ClockCalendar> {
  return clockCalendar(await workingCalendar(platform.db, trx));
}
