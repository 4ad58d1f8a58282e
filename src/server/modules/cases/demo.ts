import type { CallType, CaseStatus } from '../../../shared/cases.ts';
import type { Urgency } from '../../../shared/time-limits.ts';
import { mulberry32 } from '../../../shared/random.ts';
import { systemActor, type UserActor } from '../../platform/actor.ts';
import { UNRESTRICTED } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { CommandContext, Platform } from '../../platform/platform.ts';
import { shanghaiDate, shanghaiTime } from '../calendar/deadline.ts';
import { findDepartmentByCode } from '../departments/repository.ts';
import { demoActor, ensureDemoAccounts, type DemoAccount } from '../identity/demo.ts';
import { DEMO_API_KEY, hashApiKey, seedDemoKey, submitServiceRequest } from '../open311/commands.ts';
import { findKeyByHash } from '../open311/repository.ts';
import { findRegion } from '../regions/repository.ts';
import { reportCase, suggestedUnit, transitionCase, type CaseChannel } from './commands.ts';
import {
  CALLERS,
  DEMO_STREETS,
  DEMO_TOPICS,
  DENY_REASONS,
  ESCALATE_REASONS,
  EXTENSION_REASONS,
  HOTLINE_CLOSINGS,
  HOTLINE_OPENINGS,
  NOTES,
  PATROL_OPENINGS,
  RATING_COMMENTS,
  REJECT_REASONS,
  REOPEN_REASONS,
  RETURN_REASONS,
  STAFF_OPENINGS,
  SUSPENSION_REASONS,
  TRANSFER_REASONS,
  VERIFY_FAILURES,
  type DemoStreet,
  type DemoTopic,
} from './demo-data.ts';
import { caseById, existingDescriptions, type CaseRow } from './repository.ts';
import { clockCalendarFor, sweepDeadlines } from './timers.ts';
import type { CaseCommand } from './workflow.ts';

/**
 * The synthetic demo of an operations centre's month (演示数据): about 150 cases over the last
 * 30 days in 陆家嘴街道 and two neighbouring streets, reported through the app, the 12345 hotline,
 * Open311, patrols and staff, and walked through the loop by the demo accounts — each step through
 * the real commands (`reportCase`, `submitServiceRequest`, `transitionCase`), back-dated with
 * `ctx.now`, so timelines, clocks, audit entries, events and notifications are what the real loop
 * writes. Then the deadline sweep runs once at the real now (warnings, overdue, 督办) and the event
 * bus is drained (notifications).
 *
 * Reproducible: the plan is a pure function of a fixed seed (mulberry32), so two fresh databases get
 * the same cases — descriptions, categories, channels, outcomes — only dated relative to today.
 * Idempotent: a planned case whose description is already stored is skipped (so a second start adds
 * nothing, and an interrupted first start is completed on the next).
 */

export const DEMO_SEED = 20261130;

// ─────────────────────────────────────────────────────────────────────────── randomness

export { mulberry32 };

class Dice {
  constructor(private readonly next: () => number) {}
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weight(item), 0);
    let r = this.next() * total;
    for (const item of items) {
      r -= weight(item);
      if (r < 0) return item;
    }
    return this.pick(items);
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

// ─────────────────────────────────────────────────────────────────────────── accounts

const LUJIAZUI = DEMO_STREETS.lujiazui.code;
const MEIYUAN_1 = '310115005001';
const HUIHAO = '310115005002';
const WEIFANG_1 = '310115004001';

/**
 * The demo's cast beyond the one-per-role accounts: a handler for each unit the demo's cases go
 * to, the desks of the two neighbouring streets and two more residents. Same demo password; names
 * marked 演示.
 */
export const DEMO_CASE_ACCOUNTS: DemoAccount[] = [
  { username: 'lj-yyzx', displayName: '演示·陆家嘴城运中心专员', phone: '19900000021', assignments: [{ role: 'department_handler', regionCode: LUJIAZUI, departmentCode: `${LUJIAZUI}-YYZX` }] },
  { username: 'lj-fgb', displayName: '演示·陆家嘴房管办专员', phone: '19900000022', assignments: [{ role: 'department_handler', regionCode: LUJIAZUI, departmentCode: `${LUJIAZUI}-FGB` }] },
  { username: 'wy-meiyuan', displayName: '演示·梅园物业客服', phone: '19900000023', assignments: [{ role: 'department_handler', regionCode: MEIYUAN_1, departmentCode: `${MEIYUAN_1}-WY01` }] },
  { username: 'wy-huihao', displayName: '演示·汇豪物业客服', phone: '19900000024', assignments: [{ role: 'department_handler', regionCode: HUIHAO, departmentCode: `${HUIHAO}-WY01` }] },
  { username: 'qu-lhsr', displayName: '演示·区绿化市容局', phone: '19900000025', assignments: [{ role: 'department_handler', regionCode: '310115', departmentCode: '310115-LHSR' }] },
  { username: 'qu-ga', displayName: '演示·公安浦东分局', phone: '19900000026', assignments: [{ role: 'department_handler', regionCode: '310115', departmentCode: '310115-GA' }] },
  { username: 'qu-sw', displayName: '演示·区水务局', phone: '19900000027', assignments: [{ role: 'department_handler', regionCode: '310115', departmentCode: '310115-SW' }] },
  { username: 'qu-mz', displayName: '演示·区民政局', phone: '19900000028', assignments: [{ role: 'department_handler', regionCode: '310115', departmentCode: '310115-MZ' }] },
  { username: 'wf-cgzd', displayName: '演示·潍坊城管执法中队', phone: '19900000029', assignments: [{ role: 'department_handler', regionCode: DEMO_STREETS.weifang.code, departmentCode: `${DEMO_STREETS.weifang.code}-CGZD` }] },
  { username: 'tq-cgzd', displayName: '演示·塘桥城管执法中队', phone: '19900000030', assignments: [{ role: 'department_handler', regionCode: DEMO_STREETS.tangqiao.code, departmentCode: `${DEMO_STREETS.tangqiao.code}-CGZD` }] },
  { username: 'wf-dispatcher', displayName: '演示·潍坊调度员', phone: '19900000031', assignments: [{ role: 'street_dispatcher', regionCode: DEMO_STREETS.weifang.code }] },
  { username: 'tq-dispatcher', displayName: '演示·塘桥调度员', phone: '19900000032', assignments: [{ role: 'street_dispatcher', regionCode: DEMO_STREETS.tangqiao.code }] },
  { username: 'resident-huihao', displayName: '演示·居民（汇豪天下）', phone: '19900000033', assignments: [{ role: 'resident', regionCode: HUIHAO }] },
  { username: 'resident-weifang', displayName: '演示·居民（潍坊一村）', phone: '19900000034', assignments: [{ role: 'resident', regionCode: WEIFANG_1 }] },
];

/** The handler account of each unit the demo dispatches to (department code → username). */
const UNIT_HANDLERS: Record<string, string> = {
  [`${LUJIAZUI}-CGZD`]: 'handler',
  ...Object.fromEntries(DEMO_CASE_ACCOUNTS.flatMap((a) => a.assignments.flatMap((x) => (x.departmentCode ? [[x.departmentCode, a.username]] : [])))),
};

const DESK_OF_STREET: Record<string, string> = { [LUJIAZUI]: 'dispatcher', [DEMO_STREETS.weifang.code]: 'wf-dispatcher', [DEMO_STREETS.tangqiao.code]: 'tq-dispatcher' };
/** Residents with the app, by committee. */
const APP_RESIDENTS: Record<string, string> = { [MEIYUAN_1]: 'resident', [HUIHAO]: 'resident-huihao', [WEIFANG_1]: 'resident-weifang' };

// ─────────────────────────────────────────────────────────────────────────── the plan

/** Who takes a step: resolved against the case as it is when the step runs. */
type Who = 'desk' | 'unit' | 'reporter' | 'verifier';

/** A workflow command as the plan knows it: units by department code, `dispatch` without one takes the suggestion. */
type PlanCommand =
  | Exclude<CaseCommand, { action: 'dispatch' } | { action: 'transfer' }>
  | { action: 'dispatch'; unitCode?: string }
  | { action: 'transfer'; unitCode?: string; reason: string };

interface PlanStep {
  who: Who;
  /** Minutes after the previous step. */
  after: number;
  command: PlanCommand;
}

export type DemoOutcome =
  | 'closed'
  | 'closed_rework'
  | 'closed_extended'
  | 'closed_denied'
  | 'closed_returned'
  | 'closed_transferred'
  | 'reopened'
  | 'reopened_closed'
  | 'rejected'
  | 'reported'
  | 'registered'
  | 'escalated'
  | 'escalated_dispatched'
  | 'dispatched'
  | 'dispatched_stale'
  | 'in_progress'
  | 'in_progress_overdue'
  | 'extension_pending'
  | 'suspension_pending'
  | 'suspended'
  | 'handled'
  | 'rework';

/** How many cases end in each outcome (150 in all). */
const OUTCOMES: Record<DemoOutcome, number> = {
  closed: 52,
  closed_rework: 5,
  closed_extended: 4,
  closed_denied: 2,
  closed_returned: 3,
  closed_transferred: 3,
  reopened: 3,
  reopened_closed: 2,
  rejected: 9,
  reported: 12,
  registered: 5,
  escalated: 2,
  escalated_dispatched: 1,
  dispatched: 8,
  dispatched_stale: 2,
  in_progress: 12,
  in_progress_overdue: 4,
  extension_pending: 3,
  suspension_pending: 1,
  suspended: 3,
  handled: 10,
  rework: 4,
};

/** The status each outcome leaves the case in (the demo's own check, and the test's). */
export const STATUS_OF_OUTCOME: Record<DemoOutcome, CaseStatus> = {
  closed: 'closed',
  closed_rework: 'closed',
  closed_extended: 'closed',
  closed_denied: 'closed',
  closed_returned: 'closed',
  closed_transferred: 'closed',
  reopened: 'registered',
  reopened_closed: 'closed',
  rejected: 'rejected',
  reported: 'reported',
  registered: 'registered',
  escalated: 'registered',
  escalated_dispatched: 'in_progress',
  dispatched: 'dispatched',
  dispatched_stale: 'dispatched',
  in_progress: 'in_progress',
  in_progress_overdue: 'in_progress',
  extension_pending: 'in_progress',
  suspension_pending: 'in_progress',
  suspended: 'suspended',
  handled: 'handled',
  rework: 'in_progress',
};

export interface PlannedCase {
  description: string;
  categoryCode: string;
  /** The category the report comes in with (null: left to the desk). */
  reportedCategory: string | null;
  urgency: Urgency;
  regionCode: string;
  streetCode: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  channel: CaseChannel;
  hotline: { callerName: string; callerPhone: string; callType: CallType; confidential: boolean } | null;
  /** Username of the reporter and the region of the assignment it reports through. */
  reporter: { username: string; regionCode?: string };
  outcome: DemoOutcome;
  /** When it was reported: days ago at a time of day, or minutes before its last step ran up to now. */
  when: { daysAgo: number; time: string } | { minutesAgo: number };
  steps: PlanStep[];
}

const PACE_MINUTES: Record<DemoTopic['pace'], [number, number]> = { hours: [45, 300], days: [300, 2600], week: [2600, 8000] };

function fill(template: string, dice: Dice, street: DemoStreet): string {
  return template
    .replaceAll('{n}', String(dice.int(1, 48)))
    .replaceAll('{m}', String(dice.int(1, 48)))
    .replaceAll('{r}', `${dice.int(1, 6)}0${dice.int(1, 4)}`)
    .replaceAll('{road}', dice.pick(street.roads));
}

/** What a patrol or a camera does not see: what goes on behind doors, and questions and suggestions. */
const NOT_SEEN_ON_PATROL = new Set(['C0201', 'C0203', 'C0204', 'C0205', 'C0206', 'C0401', 'C0403', 'C0404', 'C0501', 'C0502', 'C0504', 'C0505']);

/** Topics the street's operations centre handles (a wrong first unit for them is the 城管中队). */
const OPERATIONS_TOPICS = new Set(['C0501', 'C0504', 'C0505', 'E0110', 'B0114', 'B0118']);

const firstPerson = (text: string) => /我|楼上|隔壁|楼下/.test(text);

/** The outcome's steps after the report; `unitCode` is a wrong first unit for return/transfer stories. */
function stepsFor(outcome: DemoOutcome, topic: DemoTopic, plan: { canRate: boolean; wrongUnit: string | undefined; urgency: Urgency; nextScore: () => number }, dice: Dice): PlanStep[] {
  const [lo, hi] = PACE_MINUTES[topic.pace];
  const work = () => dice.int(lo, hi);
  const register: PlanStep = { who: 'desk', after: dice.int(5, 45), command: { action: 'register', categoryCode: topic.code, urgency: plan.urgency } };
  const dispatch = (unitCode?: string): PlanStep => ({ who: 'desk', after: dice.int(2, 25), command: { action: 'dispatch', ...(unitCode ? { unitCode } : {}) } });
  const accept = (): PlanStep => ({ who: 'unit', after: dice.int(10, 90), command: { action: 'accept' } });
  const note = (): PlanStep => ({ who: 'unit', after: dice.int(20, Math.max(30, Math.floor(lo * 0.8))), command: { action: 'note', text: dice.pick(NOTES) } });
  const handled = (after = work()): PlanStep => ({ who: 'unit', after, command: { action: 'handled', result: dice.pick(topic.results) } });
  const verify = (passed: boolean): PlanStep => ({
    who: 'verifier',
    after: dice.int(60, 1200),
    command: passed ? { action: 'verify', passed: true } : { action: 'verify', passed: false, reason: dice.pick(VERIFY_FAILURES) },
  });
  const rate = (): PlanStep[] => {
    if (!plan.canRate || dice.chance(0.25)) return [];
    const score = plan.nextScore();
    return [{ who: 'reporter', after: dice.int(10, 600), command: { action: 'rate', score, ...(dice.chance(0.7) ? { comment: dice.pick(RATING_COMMENTS[score] ?? []) } : {}) } }];
  };
  const maybeNote = () => (dice.chance(0.45) ? [note()] : []);
  const loop = (): PlanStep[] => [register, dispatch(), accept(), ...maybeNote(), handled()];

  switch (outcome) {
    case 'closed':
      return [...loop(), verify(true), ...rate()];
    case 'closed_rework':
      return [...loop(), verify(false), { who: 'unit', after: dice.int(60, 900), command: { action: 'handled', result: `已返工：${dice.pick(topic.results)}` } }, verify(true), ...rate()];
    case 'closed_extended':
      return [
        register,
        dispatch(),
        accept(),
        { who: 'unit', after: dice.int(60, 600), command: { action: 'extend', reason: dice.pick(EXTENSION_REASONS) } },
        { who: 'desk', after: dice.int(20, 240), command: { action: 'approve' } },
        handled(),
        verify(true),
        ...rate(),
      ];
    case 'closed_denied':
      return [
        register,
        dispatch(),
        accept(),
        { who: 'unit', after: dice.int(30, 300), command: { action: 'extend', reason: dice.pick(EXTENSION_REASONS) } },
        { who: 'desk', after: dice.int(20, 120), command: { action: 'deny', reason: dice.pick(DENY_REASONS) } },
        handled(dice.int(lo, Math.max(lo + 1, Math.floor(hi / 2)))),
        verify(true),
        ...rate(),
      ];
    case 'closed_returned':
      return [
        register,
        dispatch(plan.wrongUnit),
        { who: 'unit', after: dice.int(15, 120), command: { action: 'return', reason: dice.pick(RETURN_REASONS) } },
        dispatch(),
        accept(),
        handled(),
        verify(true),
        ...rate(),
      ];
    case 'closed_transferred':
      return [
        register,
        dispatch(plan.wrongUnit),
        { who: 'desk', after: dice.int(15, 90), command: { action: 'transfer', reason: dice.pick(TRANSFER_REASONS) } },
        accept(),
        handled(),
        verify(true),
        ...rate(),
      ];
    case 'reopened':
      return [...loop(), verify(true), { who: 'reporter', after: dice.int(1440, 4000), command: { action: 'reopen', reason: dice.pick(REOPEN_REASONS) } }];
    case 'reopened_closed':
      return [
        ...loop(),
        verify(true),
        { who: 'reporter', after: dice.int(1440, 4000), command: { action: 'reopen', reason: dice.pick(REOPEN_REASONS) } },
        dispatch(),
        accept(),
        handled(),
        verify(true),
        ...rate(),
      ];
    case 'rejected':
      return [{ who: 'desk', after: dice.int(10, 90), command: { action: 'reject', reason: dice.pick(REJECT_REASONS) } }];
    case 'reported':
      return [];
    case 'registered':
      return [register];
    case 'escalated':
      return [register, { who: 'desk', after: dice.int(30, 240), command: { action: 'escalate', reason: dice.pick(ESCALATE_REASONS) } }];
    case 'escalated_dispatched':
      return [register, { who: 'desk', after: dice.int(30, 240), command: { action: 'escalate', reason: dice.pick(ESCALATE_REASONS) } }, dispatch(), accept(), note()];
    case 'dispatched':
    case 'dispatched_stale':
      return [register, dispatch()];
    case 'in_progress':
      return [register, dispatch(), accept(), ...maybeNote()];
    case 'in_progress_overdue':
      return [register, dispatch(), accept(), note()];
    case 'extension_pending':
      return [register, dispatch(), accept(), { who: 'unit', after: dice.int(60, 600), command: { action: 'extend', reason: dice.pick(EXTENSION_REASONS) } }];
    case 'suspension_pending':
      return [register, dispatch(), accept(), { who: 'unit', after: dice.int(60, 600), command: { action: 'suspend', reason: dice.pick(SUSPENSION_REASONS) } }];
    case 'suspended':
      return [
        register,
        dispatch(),
        accept(),
        note(),
        { who: 'unit', after: dice.int(60, 900), command: { action: 'suspend', reason: dice.pick(SUSPENSION_REASONS) } },
        { who: 'desk', after: dice.int(30, 600), command: { action: 'approve' } },
      ];
    case 'handled':
      return [...loop()];
    case 'rework':
      return [...loop(), verify(false), ...maybeNote()];
  }
}

/** When an outcome's case was reported: closed histories spread over the month, open work recent. */
function whenFor(outcome: DemoOutcome, dice: Dice): PlannedCase['when'] {
  const daytime = () => `${String(dice.int(7, 20)).padStart(2, '0')}:${String(dice.int(0, 59)).padStart(2, '0')}`;
  switch (outcome) {
    case 'reported':
      return { minutesAgo: dice.int(3, 150) };
    case 'registered':
    case 'escalated':
    case 'dispatched':
      return { minutesAgo: dice.int(5, 240) };
    case 'dispatched_stale':
    case 'in_progress_overdue':
      return { daysAgo: dice.int(4, 8), time: daytime() };
    case 'in_progress':
    case 'extension_pending':
    case 'suspension_pending':
    case 'handled':
    case 'rework':
    case 'escalated_dispatched':
      return dice.chance(0.6) ? { minutesAgo: dice.int(10, 600) } : { daysAgo: dice.int(1, 3), time: daytime() };
    case 'suspended':
      return { daysAgo: dice.int(6, 20), time: daytime() };
    case 'reopened':
      return { daysAgo: dice.int(5, 12), time: daytime() };
    default:
      return { daysAgo: dice.int(2, 29), time: daytime() };
  }
}

/** The plan: a pure function of the seed. */
export function planDemoCases(seed = DEMO_SEED): PlannedCase[] {
  const dice = new Dice(mulberry32(seed));
  const outcomes = dice.shuffle(Object.entries(OUTCOMES).flatMap(([outcome, count]) => Array.from({ length: count }, () => outcome as DemoOutcome)));
  const used = new Set<string>();
  // Scores are dealt from a shuffled deck (mostly satisfied, every score present), not drawn, so
  // the demo shows the whole range however few cases end up rated.
  const deck = dice.shuffle([...Array<number>(12).fill(5), ...Array<number>(7).fill(4), 3, 3, 3, 2, 2, 1]);
  let dealt = 0;
  const nextScore = () => deck[dealt++ % deck.length]!;
  const streets = [DEMO_STREETS.lujiazui, DEMO_STREETS.weifang, DEMO_STREETS.tangqiao];
  const plans: PlannedCase[] = [];

  for (const outcome of outcomes) {
    // 陆家嘴 has about 80 % of the cases; stories that need its extra units stay there.
    const needsLujiazui = outcome === 'closed_returned' || outcome === 'closed_transferred';
    const street = needsLujiazui ? DEMO_STREETS.lujiazui : dice.weighted(streets, (s) => (s === DEMO_STREETS.lujiazui ? 80 : 10));
    const committee = dice.weighted(street.committees, (c) => c.weight).code;
    const inLujiazui = street === DEMO_STREETS.lujiazui;
    const inCompound = committee === MEIYUAN_1 || committee === HUIHAO;
    const resident = APP_RESIDENTS[committee];
    const channel: CaseChannel = dice.weighted<CaseChannel>(['resident_app', 'hotline', 'open311', 'patrol', 'staff'], (c) =>
      c === 'resident_app' ? (resident ? 45 : 0) : c === 'hotline' ? 30 : c === 'open311' ? 12 : c === 'patrol' ? 14 : 8,
    );
    const seen = channel === 'patrol' || channel === 'staff';
    const topics = DEMO_TOPICS.filter(
      (t) => (t.where === 'any' || (t.where === 'lujiazui' && inLujiazui) || (t.where === 'compounds' && inCompound)) && !(seen && NOT_SEEN_ON_PATROL.has(t.code)),
    );
    const topic = dice.weighted(topics, (t) => t.weight);
    const callType: CallType = topic.code === 'C0504' ? 'consult' : topic.code === 'C0505' ? 'suggestion' : topic.code === 'C0502' || topic.code === 'C0203' ? 'help' : 'complaint';
    // patrols and staff write what they saw, not "my neighbour…"
    const templates = channel === 'patrol' || channel === 'staff' ? topic.reports.filter((r) => !firstPerson(r)) : topic.reports;
    let text = '';
    for (let attempt = 0; attempt < 20 && (text === '' || used.has(text)); attempt += 1) {
      const base = fill(dice.pick(templates.length ? templates : topic.reports), dice, street);
      text =
        channel === 'hotline'
          ? callType === 'consult' || callType === 'suggestion'
            ? `市民来电：${base}。`
            : `${dice.pick(HOTLINE_OPENINGS)}${base}${dice.pick(HOTLINE_CLOSINGS)}`
          : channel === 'patrol'
            ? `${dice.pick(PATROL_OPENINGS)}${base}`
            : channel === 'staff'
              ? `${dice.pick(STAFF_OPENINGS)}${base}`
              : base;
    }
    if (used.has(text)) continue;
    used.add(text);

    let reporter: PlannedCase['reporter'];
    switch (channel) {
      case 'resident_app':
        reporter = { username: resident! };
        break;
      case 'hotline':
        reporter = { username: 'operator' };
        break;
      case 'open311':
        reporter = { username: 'open311-demo' };
        break;
      case 'patrol':
        reporter = committee === MEIYUAN_1 ? { username: dice.pick(['worker', 'head']), regionCode: MEIYUAN_1 } : committee === HUIHAO ? { username: 'head', regionCode: HUIHAO } : { username: DESK_OF_STREET[street.code]! };
        break;
      default:
        reporter = { username: DESK_OF_STREET[street.code]! };
    }
    const urgency: Urgency = topic.code === 'C0502' || topic.code === 'C0204' || topic.code === 'E0406' ? 'urgent' : dice.chance(0.06) ? 'urgent' : 'normal';
    const coordinates = channel === 'resident_app' || channel === 'open311' || channel === 'patrol';
    const wrongUnit = needsLujiazui ? (OPERATIONS_TOPICS.has(topic.code) ? `${LUJIAZUI}-CGZD` : `${LUJIAZUI}-YYZX`) : undefined;
    plans.push({
      description: text,
      categoryCode: topic.code,
      reportedCategory: channel === 'hotline' && dice.chance(0.3) ? null : topic.code,
      urgency,
      regionCode: committee,
      streetCode: street.code,
      address: channel === 'resident_app' || channel === 'staff' ? null : `${text.match(/\d+号楼/)?.[0] ?? dice.pick(street.roads)}`,
      lat: coordinates ? Number((street.box.lat[0] + dice.float() * (street.box.lat[1] - street.box.lat[0])).toFixed(6)) : null,
      lng: coordinates ? Number((street.box.lng[0] + dice.float() * (street.box.lng[1] - street.box.lng[0])).toFixed(6)) : null,
      channel,
      hotline: channel === 'hotline' ? { callerName: dice.pick(CALLERS), callerPhone: `1390000${String(dice.int(0, 9999)).padStart(4, '0')}`, callType, confidential: dice.chance(0.15) } : null,
      reporter,
      outcome,
      when: whenFor(outcome, dice),
      steps: stepsFor(outcome, topic, { canRate: channel === 'resident_app' || channel === 'hotline', wrongUnit, urgency, nextScore }, dice),
    });
  }
  return plans;
}

// ─────────────────────────────────────────────────────────────────────────── running it

const MINUTE = 60_000;

/** The instant of each step: the report, then every step `after` minutes later, all before `now`. */
function timesOf(plan: PlannedCase, now: Date): Date[] {
  const total = plan.steps.reduce((sum, s) => sum + s.after, 0);
  const latest = now.getTime() - MINUTE - total * MINUTE;
  let start: number;
  if ('minutesAgo' in plan.when) start = latest - plan.when.minutesAgo * MINUTE;
  else {
    start = shanghaiTime(shanghaiDate(new Date(now.getTime() - plan.when.daysAgo * 86_400_000)), plan.when.time).getTime();
    while (start > latest) start -= 86_400_000;
  }
  const times = [new Date(start)];
  for (const step of plan.steps) times.push(new Date(times[times.length - 1]!.getTime() + step.after * MINUTE));
  return times;
}

interface Cast {
  actor(username: string, regionCode?: string): Promise<UserActor>;
  unitId(code: string): Promise<string>;
  handlerOfUnit(unitId: string): Promise<UserActor>;
}

/** The people and units of the demo, looked up once, through the seeding transaction. */
function castOf(db: Executor): Cast {
  const actors = new Map<string, Promise<UserActor>>();
  const units = new Map<string, string>();
  const unitCodes = new Map<string, string>();
  const actor = (username: string, regionCode?: string) => {
    const key = `${username}@${regionCode ?? ''}`;
    let found = actors.get(key);
    if (!found) {
      found = demoActor(db, username, regionCode);
      actors.set(key, found);
    }
    return found;
  };
  const unitId = async (code: string) => {
    let id = units.get(code);
    if (!id) {
      const found = await findDepartmentByCode(db, code);
      if (!found) throw new Error(`demo unit ${code} missing`);
      id = found.id;
      units.set(code, id);
      unitCodes.set(id, code);
    }
    return id;
  };
  return {
    actor,
    unitId,
    async handlerOfUnit(id) {
      if (!unitCodes.has(id)) for (const code of Object.keys(UNIT_HANDLERS)) await unitId(code);
      const code = unitCodes.get(id);
      const username = code ? UNIT_HANDLERS[code] : undefined;
      if (!username) throw new Error(`the demo has no handler for unit ${code ?? id}`);
      return actor(username);
    },
  };
}

/** Who verifies: the reporter when the rule lets a person do it, the committee when it has a demo account, else the desk. */
async function verifierOf(cast: Cast, row: CaseRow, reporter: UserActor, desk: () => Promise<UserActor>): Promise<UserActor> {
  const committee = row.region_code === MEIYUAN_1 || row.region_code === HUIHAO ? await cast.actor('head', row.region_code) : undefined;
  if (row.verification === 'reporter' && (reporter.assignment.role === 'resident' ? reporter.username !== 'open311-demo' : reporter.assignment.role === 'district_operator')) return reporter;
  if ((row.verification === 'committee' || row.verification === 'reporter') && committee) return committee;
  return desk();
}

async function runPlan(ctx: CommandContext, platform: Platform, cast: Cast, plan: PlannedCase, now: Date, apiKeyId: string): Promise<void> {
  const times = timesOf(plan, now);
  const reporter = await cast.actor(plan.reporter.username, plan.reporter.regionCode);
  const region = await findRegion(ctx.trx, UNRESTRICTED, plan.regionCode);
  if (!region) throw new Error(`demo region ${plan.regionCode} missing`);
  const unitIds = new Map<string, string>();
  for (const step of plan.steps) {
    if ((step.command.action === 'dispatch' || step.command.action === 'transfer') && step.command.unitCode) unitIds.set(step.command.unitCode, await cast.unitId(step.command.unitCode));
  }

  const as = (actor: UserActor, at: Date): CommandContext & { actor: UserActor } => ({ ...ctx, actor, now: at });
  let caseId: string;
  if (plan.channel === 'open311') {
    const submitted = await submitServiceRequest(as(reporter, times[0]!), platform, {
      apiKeyId,
      serviceCode: plan.reportedCategory ?? plan.categoryCode,
      description: plan.description,
      place: { code: region.code, name: region.name, level: region.level, regionPath: region.regionPath },
      lat: plan.lat,
      lng: plan.lng,
      addressString: plan.address,
      addressId: region.code,
      mediaUrl: null,
      contact: { email: null, firstName: null, lastName: null, phone: null, deviceId: null, accountId: null },
    });
    caseId = submitted.caseId;
  } else {
    caseId = await reportCase(as(reporter, times[0]!), platform, {
      description: plan.description,
      categoryCode: plan.reportedCategory,
      urgency: 'normal',
      region: { code: region.code, regionPath: region.regionPath },
      lat: plan.lat,
      lng: plan.lng,
      address: plan.address,
      channel: plan.channel,
      hotline: plan.hotline,
    });
  }

  for (const [i, step] of plan.steps.entries()) {
    const at = times[i + 1]!;
    const row = await caseById(ctx.trx, caseId);
    if (!row) throw new Error('demo case vanished');
    const desk = () => cast.actor(row.handling_level_path.split('.').length <= 1 ? 'operator' : DESK_OF_STREET[plan.streetCode]!);
    let actor: UserActor;
    switch (step.who) {
      case 'desk':
        actor = await desk();
        break;
      case 'unit':
        if (!row.main_unit_id) throw new Error(`demo step ${step.command.action} without a unit`);
        actor = await cast.handlerOfUnit(row.main_unit_id);
        break;
      case 'reporter':
        actor = reporter;
        break;
      case 'verifier':
        actor = await verifierOf(cast, row, reporter, desk);
        break;
    }
    const c = step.command;
    const stepCtx = as(actor, at);
    let command: CaseCommand;
    if (c.action === 'dispatch') {
      command = { action: 'dispatch', mainUnitId: c.unitCode ? unitIds.get(c.unitCode)! : await suggestedUnit(stepCtx, row) };
    } else if (c.action === 'transfer') {
      command = { action: 'transfer', mainUnitId: c.unitCode ? unitIds.get(c.unitCode)! : await suggestedUnit(stepCtx, row), reason: c.reason };
    } else command = c;
    await transitionCase(stepCtx, platform, row, command);
  }
  const final = await caseById(ctx.trx, caseId);
  if (final?.status !== STATUS_OF_OUTCOME[plan.outcome]) throw new Error(`demo case "${plan.description}" ended ${final?.status}, planned ${STATUS_OF_OUTCOME[plan.outcome]}`);
}

/** The cases module's demo seed: the synthetic month, unless `demoCases` is off (GONGZHI_DEMO_CASES=false). */
export async function seedDemoCases(platform: Platform): Promise<void> {
  if (platform.config.demoCases) await replayDemoCases(platform);
}

export interface DemoSeedResult {
  planned: number;
  created: number;
  fired: number;
}

/**
 * Replays the plan as of `now` (the real time by default). Skips cases already present; when it
 * created any, sweeps the deadlines at `now` and drains the event bus.
 */
export async function replayDemoCases(platform: Platform, options: { now?: Date; seed?: number } = {}): Promise<DemoSeedResult> {
  const plans = planDemoCases(options.seed ?? DEMO_SEED);
  const present = await existingDescriptions(platform.db, plans.map((p) => p.description));
  const todo = plans.filter((p) => !present.has(p.description));
  if (todo.length === 0) return { planned: plans.length, created: 0, fired: 0 };

  const now = options.now ?? new Date();
  const started = Date.now();
  await ensureDemoAccounts(platform, DEMO_CASE_ACCOUNTS, Math.min(platform.config.passwordHashCost, 10));
  await seedDemoKey(platform);
  const key = await findKeyByHash(platform.db, hashApiKey(DEMO_API_KEY));
  if (!key) throw new Error('demo Open311 key missing');
  // warm the calendar cache outside a transaction, so the clocks inside it do not reload the calendar
  await clockCalendarFor(platform, platform.db);

  // One transaction for the whole month: it commits completely or not at all, and the event bus
  // (which waits for the connection) starts delivering only once it is in. Each step inside is
  // its own command, run as the person who takes it (their actor, audited as them), at its time.
  await platform.transaction(systemActor('demo'), async (ctx) => {
    const cast = castOf(ctx.trx);
    for (const plan of todo) await runPlan(ctx, platform, cast, plan, now, key.id);
  });
  // Warnings, overdue flags and 督办 that fell due by now, as the scheduler's sweep would fire them.
  const fired = await sweepDeadlines(platform, now);
  platform.log.info({ created: todo.length, fired, ms: Date.now() - started }, 'demo month of cases seeded');
  return { planned: plans.length, created: todo.length, fired };
}
