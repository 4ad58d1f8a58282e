import type { CaseAction, CaseStatus } from '../../../shared/cases.ts';
import type { VerificationRule } from '../../../shared/categories.ts';
import { DESK_ROLES, REOPEN_WINDOW_DAYS } from '../../../shared/cases.ts';
import type { Role } from '../../../shared/roles.ts';
import type { Urgency } from '../../../shared/time-limits.ts';
import { pathWithin } from '../../platform/access.ts';
import { AppError } from '../../platform/errors.ts';

/**
 * The case state machine: which action may move a case from which status, who may take it,
 * and what it changes. Pure: commands load the case, ask `decide`, then persist the decision
 * together with its audit entry and event. An action that is not allowed changes nothing.
 */

export interface CaseState {
  status: CaseStatus;
  /** Where the case is (committee, grid or building path). */
  regionPath: string;
  /** The level whose desk handles it now; escalation (联勤联动) moves it up: 居村 → 街镇 → 区. */
  handlingLevelPath: string;
  reporterUserId: string | null;
  mainUnitId: string | null;
  assistingUnitIds: readonly string[];
  verification: VerificationRule;
  pendingRequest: 'extension' | 'suspension' | null;
  closedAt: Date | null;
  rating: number | null;
}

export interface CaseActor {
  /** null for the platform itself (auto-dispatch). */
  userId: string | null;
  /** `automation`: the platform acting on a rule an administrator set, never a person. */
  role: Role | 'automation';
  scopePath: string;
  departmentId: string | null;
}

/** The platform registering and dispatching a confidently classified report (auto-dispatch). */
export const AUTOMATION: CaseActor = { userId: null, role: 'automation', scopePath: '', departmentId: null };
const isAutomation = (actor: CaseActor) => actor.role === 'automation';

export type CaseCommand =
  | { action: 'register'; categoryCode: string; urgency: Urgency }
  | { action: 'reject'; reason: string }
  | { action: 'dispatch'; mainUnitId: string; assistingUnitIds?: readonly string[] }
  | { action: 'accept' }
  | { action: 'return'; reason: string }
  | { action: 'transfer'; mainUnitId: string; reason: string }
  | { action: 'escalate'; reason: string }
  | { action: 'note'; text: string }
  | { action: 'extend'; reason: string; amount?: number }
  | { action: 'suspend'; reason: string }
  | { action: 'approve' }
  | { action: 'deny'; reason: string }
  | { action: 'resume' }
  | { action: 'handled'; result: string }
  | { action: 'verify'; passed: boolean; reason?: string }
  | { action: 'rate'; score: number; comment?: string }
  | { action: 'followup'; reached: boolean; score?: number; comment?: string }
  | { action: 'reopen'; reason: string }
  /** This case (a duplicate) joins `masterId`; the command layer checks the master. */
  | { action: 'merge'; masterId: string }
  /** Back out of a merge, to the status the merge record kept (the command layer fills it in). */
  | { action: 'unmerge'; restoreTo?: CaseStatus };

export interface Decision {
  status: CaseStatus;
  changes: Partial<Pick<CaseState, 'handlingLevelPath' | 'mainUnitId' | 'assistingUnitIds' | 'pendingRequest' | 'closedAt' | 'rating'>>;
  /** Verification failed: the case goes back for rework (返工). */
  rework: boolean;
  /** Domain event type, e.g. `case.dispatched`. */
  event: string;
}

const COMMITTEE_ROLES: ReadonlySet<Role> = new Set<Role>(['committee_head', 'social_worker']);

/** The dispatch desk of the level that holds the case (or a level above it, supervising). */
function isDesk(actor: CaseActor, state: CaseState): boolean {
  return actor.role !== 'automation' && DESK_ROLES.has(actor.role) && pathWithin(state.handlingLevelPath, actor.scopePath) && pathWithin(state.regionPath, actor.scopePath);
}
const isMainUnit = (actor: CaseActor, state: CaseState) => actor.role === 'department_handler' && actor.departmentId !== null && actor.departmentId === state.mainUnitId;
const isAssisting = (actor: CaseActor, state: CaseState) =>
  actor.role === 'department_handler' && actor.departmentId !== null && state.assistingUnitIds.includes(actor.departmentId);
const isReporter = (actor: CaseActor, state: CaseState) => state.reporterUserId !== null && actor.userId === state.reporterUserId;
const isCommittee = (actor: CaseActor, state: CaseState) => actor.role !== 'automation' && COMMITTEE_ROLES.has(actor.role) && pathWithin(state.regionPath, actor.scopePath);

/** Who verifies a handled case, by the category's rule; the desk can always step in. */
function mayVerify(actor: CaseActor, state: CaseState): boolean {
  if (isDesk(actor, state)) return true;
  switch (state.verification) {
    case 'reporter':
      return isReporter(actor, state) || isCommittee(actor, state);
    case 'committee':
      return isCommittee(actor, state);
    case 'patrol':
      // 监督员: the committee's grid staff walk past and check; a reporter's word is not enough
      return isCommittee(actor, state);
    case 'none':
      return false;
  }
}

const ACTIVE: readonly CaseStatus[] = ['reported', 'registered', 'dispatched', 'in_progress', 'handled', 'suspended'];
/** A duplicate is merged before it is dispatched: later, a unit already holds it. */
export const MERGEABLE: readonly CaseStatus[] = ['reported', 'registered'];

interface Rule {
  from: readonly CaseStatus[];
  who: (actor: CaseActor, state: CaseState) => boolean;
  /** A further condition on the case (a pending request, a rating not yet given, the reopen window), and why it fails. */
  when?: { holds: (state: CaseState, now: Date) => boolean; otherwise: string };
}

const noPendingRequest = { holds: (s: CaseState) => s.pendingRequest === null, otherwise: 'a request is pending approval' };
const somethingPending = { holds: (s: CaseState) => s.pendingRequest !== null, otherwise: 'nothing is pending approval' };
const withinReopenWindow = {
  holds: (s: CaseState, now: Date) => now.getTime() - (s.closedAt?.getTime() ?? now.getTime()) <= REOPEN_WINDOW_DAYS * 86_400_000,
  otherwise: `more than ${REOPEN_WINDOW_DAYS} days after closing`,
};

const RULES: Record<CaseAction, Rule> = {
  register: { from: ['reported'], who: (a, s) => isDesk(a, s) || isAutomation(a) },
  reject: { from: ['reported'], who: isDesk },
  dispatch: { from: ['registered'], who: (a, s) => isDesk(a, s) || isAutomation(a) },
  accept: { from: ['dispatched'], who: isMainUnit },
  return: { from: ['dispatched', 'in_progress'], who: isMainUnit },
  transfer: { from: ['dispatched', 'in_progress'], who: isDesk },
  escalate: { from: ['registered', 'dispatched', 'in_progress'], who: (a, s) => isDesk(a, s) || isMainUnit(a, s) },
  note: { from: ACTIVE, who: (a, s) => isDesk(a, s) || isMainUnit(a, s) || isAssisting(a, s) || isCommittee(a, s) },
  extend: { from: ['in_progress'], who: isMainUnit, when: noPendingRequest },
  suspend: { from: ['in_progress'], who: isMainUnit, when: noPendingRequest },
  approve: { from: ['in_progress'], who: isDesk, when: somethingPending },
  deny: { from: ['in_progress'], who: isDesk, when: somethingPending },
  resume: { from: ['suspended'], who: (a, s) => isDesk(a, s) || isMainUnit(a, s) },
  handled: { from: ['in_progress'], who: isMainUnit, when: noPendingRequest },
  verify: { from: ['handled'], who: mayVerify },
  rate: { from: ['closed'], who: isReporter, when: { holds: (s) => s.rating === null, otherwise: 'already rated' } },
  // 回访: the desk calls the reporter after closing; a satisfaction given on the phone counts as the rating if none was given
  followup: { from: ['closed'], who: isDesk },
  reopen: { from: ['closed'], who: (a, s) => isReporter(a, s) || isDesk(a, s), when: withinReopenWindow },
  // 合并: a report that duplicates another case leaves the loop before anyone works on it.
  merge: { from: MERGEABLE, who: isDesk },
  unmerge: { from: ['merged'], who: isDesk },
};

function requireText(value: string | undefined, field: string): void {
  if (value === undefined || value.trim().length === 0) throw new AppError('VALIDATION_FAILED', [{ path: `/${field}`, rule: 'required' }]);
}

/** The level above a path: committee → street → district. */
function parentLevel(path: string): string | null {
  const labels = path.split('.');
  return labels.length > 1 ? labels.slice(0, -1).join('.') : null;
}

/** What the actor may do next (for the console's buttons); `decide` checks the same rules. */
export function allowedActions(state: CaseState, actor: CaseActor, now: Date = new Date()): CaseAction[] {
  return (Object.keys(RULES) as CaseAction[]).filter((action) => {
    const rule = RULES[action];
    return rule.from.includes(state.status) && rule.who(actor, state) && (rule.when?.holds(state, now) ?? true);
  });
}

export function decide(state: CaseState, command: CaseCommand, actor: CaseActor, now: Date): Decision {
  const rule = RULES[command.action];
  if (!rule.from.includes(state.status)) throw new AppError('ILLEGAL_TRANSITION', { action: command.action, status: state.status });
  if (!rule.who(actor, state)) throw new AppError('FORBIDDEN', { action: command.action });
  if (rule.when && !rule.when.holds(state, now)) throw new AppError('ILLEGAL_TRANSITION', { action: command.action, status: state.status, reason: rule.when.otherwise });
  const keep = (event: string, changes: Decision['changes'] = {}): Decision => ({ status: state.status, changes, rework: false, event });
  const move = (status: CaseStatus, event: string, changes: Decision['changes'] = {}): Decision => ({ status, changes, rework: false, event });

  switch (command.action) {
    case 'register':
      return move('registered', 'case.registered');
    case 'reject':
      requireText(command.reason, 'reason');
      return move('rejected', 'case.rejected');
    case 'dispatch': {
      const assisting = [...new Set(command.assistingUnitIds ?? [])].filter((id) => id !== command.mainUnitId);
      return move('dispatched', 'case.dispatched', { mainUnitId: command.mainUnitId, assistingUnitIds: assisting });
    }
    case 'accept':
      return move('in_progress', 'case.accepted');
    case 'return':
      requireText(command.reason, 'reason');
      return move('registered', 'case.returned', { mainUnitId: null, assistingUnitIds: [], pendingRequest: null });
    case 'transfer':
      requireText(command.reason, 'reason');
      if (command.mainUnitId === state.mainUnitId) throw new AppError('ILLEGAL_TRANSITION', { action: 'transfer', reason: 'same unit' });
      return move('dispatched', 'case.transferred', { mainUnitId: command.mainUnitId, pendingRequest: null });
    case 'escalate': {
      requireText(command.reason, 'reason');
      const above = parentLevel(state.handlingLevelPath);
      if (!above) throw new AppError('ILLEGAL_TRANSITION', { action: 'escalate', reason: 'already at the top level' });
      return move('registered', 'case.escalated', { handlingLevelPath: above, mainUnitId: null, assistingUnitIds: [], pendingRequest: null });
    }
    case 'note':
      requireText(command.text, 'text');
      return keep('case.noted');
    case 'extend':
    case 'suspend':
      requireText(command.reason, 'reason');
      return keep(command.action === 'extend' ? 'case.extension_requested' : 'case.suspension_requested', {
        pendingRequest: command.action === 'extend' ? 'extension' : 'suspension',
      });
    case 'approve':
      return state.pendingRequest === 'suspension'
        ? move('suspended', 'case.suspended', { pendingRequest: null })
        : keep('case.extended', { pendingRequest: null });
    case 'deny':
      requireText(command.reason, 'reason');
      return keep('case.request_denied', { pendingRequest: null });
    case 'resume':
      return move('in_progress', 'case.resumed');
    case 'handled':
      requireText(command.result, 'result');
      return move('handled', 'case.handled');
    case 'verify':
      if (command.passed) return move('closed', 'case.closed', { closedAt: now });
      requireText(command.reason, 'reason');
      return { status: 'in_progress', changes: {}, rework: true, event: 'case.rework' };
    case 'rate':
      if (!Number.isInteger(command.score) || command.score < 1 || command.score > 5) throw new AppError('VALIDATION_FAILED', [{ path: '/score', rule: 'range 1..5' }]);
      return keep('case.rated', { rating: command.score });
    case 'followup':
      if (command.score !== undefined && (!command.reached || !Number.isInteger(command.score) || command.score < 1 || command.score > 5)) {
        throw new AppError('VALIDATION_FAILED', [{ path: '/score', rule: 'range 1..5, only when the caller was reached' }]);
      }
      return keep('case.followed_up', command.reached && command.score !== undefined && state.rating === null ? { rating: command.score } : {});
    case 'reopen': {
      requireText(command.reason, 'reason');
      return move('registered', 'case.reopened', { closedAt: null, rating: null, mainUnitId: null, assistingUnitIds: [], pendingRequest: null });
    }
    case 'merge':
      return move('merged', 'case.merged');
    case 'unmerge':
      if (!command.restoreTo || !MERGEABLE.includes(command.restoreTo)) throw new AppError('ILLEGAL_TRANSITION', { action: 'unmerge', status: command.restoreTo });
      return move(command.restoreTo, 'case.unmerged');
  }
}
