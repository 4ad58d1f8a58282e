import { describe, expect, it } from 'vitest';
import { CASE_ACTIONS, CASE_STATUSES, type CaseStatus } from '../../src/shared/cases.ts';
import { allowedActions, decide, type CaseActor, type CaseCommand, type CaseState } from '../../src/server/modules/cases/workflow.ts';
import { AppError } from '../../src/server/platform/errors.ts';

const COMMITTEE = '310115.310115005.310115005001';
const STREET = '310115.310115005';
const DISTRICT = '310115';
const UNIT = 'unit-cgzd';
const OTHER_UNIT = 'unit-scjg';

const actors = {
  resident: { userId: 'u-resident', role: 'resident', scopePath: COMMITTEE, departmentId: null },
  neighbour: { userId: 'u-neighbour', role: 'resident', scopePath: COMMITTEE, departmentId: null },
  head: { userId: 'u-head', role: 'committee_head', scopePath: COMMITTEE, departmentId: null },
  worker: { userId: 'u-worker', role: 'social_worker', scopePath: COMMITTEE, departmentId: null },
  dispatcher: { userId: 'u-dispatcher', role: 'street_dispatcher', scopePath: STREET, departmentId: null },
  otherDispatcher: { userId: 'u-weifang', role: 'street_dispatcher', scopePath: '310115.310115004', departmentId: null },
  operator: { userId: 'u-operator', role: 'district_operator', scopePath: DISTRICT, departmentId: null },
  handler: { userId: 'u-handler', role: 'department_handler', scopePath: STREET, departmentId: UNIT },
  assistant: { userId: 'u-assistant', role: 'department_handler', scopePath: STREET, departmentId: OTHER_UNIT },
} satisfies Record<string, CaseActor>;

const NOW = new Date('2026-11-30T02:00:00Z');

function reported(overrides: Partial<CaseState> = {}): CaseState {
  return {
    status: 'reported',
    regionPath: COMMITTEE,
    handlingLevelPath: STREET,
    reporterUserId: actors.resident.userId,
    mainUnitId: null,
    assistingUnitIds: [],
    verification: 'reporter',
    pendingRequest: null,
    closedAt: null,
    rating: null,
    ...overrides,
  };
}

/** Applies a decision the way the command will persist it. */
function apply(state: CaseState, command: CaseCommand, actor: CaseActor, now = NOW): CaseState {
  const decision = decide(state, command, actor, now);
  return { ...state, ...decision.changes, status: decision.status };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'ALLOWED';
}

describe('the case closed loop', () => {
  it('walks 上报 → 立案 → 派遣 → 签收 → 处置 → 核查 → 结案 → 评价', () => {
    let state = reported();
    const events: string[] = [];
    const step = (command: CaseCommand, actor: CaseActor) => {
      events.push(decide(state, command, actor, NOW).event);
      state = apply(state, command, actor);
    };
    step({ action: 'register', categoryCode: 'C0101', urgency: 'normal' }, actors.dispatcher);
    step({ action: 'dispatch', mainUnitId: UNIT, assistingUnitIds: [OTHER_UNIT, UNIT] }, actors.dispatcher);
    expect(state.assistingUnitIds).toEqual([OTHER_UNIT]);
    step({ action: 'accept' }, actors.handler);
    step({ action: 'note', text: '已到现场，通知住户三天内清理' }, actors.assistant);
    step({ action: 'handled', result: '楼道杂物已清理' }, actors.handler);
    step({ action: 'verify', passed: true }, actors.resident);
    step({ action: 'rate', score: 5, comment: '处理及时' }, actors.resident);
    expect(state).toMatchObject({ status: 'closed', rating: 5, closedAt: NOW });
    expect(events).toEqual(['case.registered', 'case.dispatched', 'case.accepted', 'case.noted', 'case.handled', 'case.closed', 'case.rated']);
  });

  it('sends a failed verification back as rework', () => {
    const handled = reported({ status: 'handled', mainUnitId: UNIT });
    const decision = decide(handled, { action: 'verify', passed: false, reason: '杂物仍在' }, actors.resident, NOW);
    expect(decision).toMatchObject({ status: 'in_progress', rework: true, event: 'case.rework' });
    expect(refusal(() => decide(handled, { action: 'verify', passed: false }, actors.resident, NOW))).toBe('VALIDATION_FAILED');
  });

  it('refuses every action from every status it does not start from, with ILLEGAL_TRANSITION', () => {
    const commands: Record<(typeof CASE_ACTIONS)[number], CaseCommand> = {
      register: { action: 'register', categoryCode: 'C0101', urgency: 'normal' },
      reject: { action: 'reject', reason: '重复' },
      dispatch: { action: 'dispatch', mainUnitId: UNIT },
      accept: { action: 'accept' },
      return: { action: 'return', reason: '非本单位职责' },
      transfer: { action: 'transfer', mainUnitId: OTHER_UNIT, reason: '转市场监管' },
      escalate: { action: 'escalate', reason: '需区级协调' },
      note: { action: 'note', text: '记录' },
      extend: { action: 'extend', reason: '需协调物业' },
      suspend: { action: 'suspend', reason: '等待维修资金' },
      approve: { action: 'approve' },
      deny: { action: 'deny', reason: '理由不充分' },
      resume: { action: 'resume' },
      handled: { action: 'handled', result: '已处理' },
      verify: { action: 'verify', passed: true },
      rate: { action: 'rate', score: 4 },
      followup: { action: 'followup', reached: true, score: 4 },
      reopen: { action: 'reopen', reason: '问题复发' },
      merge: { action: 'merge', masterId: 'case-master' },
      unmerge: { action: 'unmerge', restoreTo: 'registered' },
    };
    let allowedPairs = 0;
    for (const status of CASE_STATUSES) {
      for (const action of CASE_ACTIONS) {
        const state = reported({ status, mainUnitId: UNIT, pendingRequest: action === 'approve' || action === 'deny' ? 'extension' : null, closedAt: status === 'closed' ? NOW : null });
        // an operator (district desk) may take every desk action; the right participant for the others
        const actor = ['accept', 'return', 'extend', 'suspend', 'handled'].includes(action) ? actors.handler : action === 'rate' ? actors.resident : actors.operator;
        const outcome = refusal(() => decide(state, commands[action], actor, NOW));
        if (outcome === 'ALLOWED') allowedPairs += 1;
        else expect({ status, action, outcome }).toEqual({ status, action, outcome: 'ILLEGAL_TRANSITION' });
      }
    }
    // merge from reported and registered, unmerge from merged, followup from closed
    expect(allowedPairs).toBe(30);
  });

  it('lets only the right people act', () => {
    const fresh = reported();
    expect(refusal(() => decide(fresh, { action: 'register', categoryCode: 'C0101', urgency: 'normal' }, actors.resident, NOW))).toBe('FORBIDDEN');
    expect(refusal(() => decide(fresh, { action: 'register', categoryCode: 'C0101', urgency: 'normal' }, actors.otherDispatcher, NOW))).toBe('FORBIDDEN');
    expect(refusal(() => decide(fresh, { action: 'register', categoryCode: 'C0101', urgency: 'normal' }, actors.worker, NOW))).toBe('FORBIDDEN');
    const dispatched = reported({ status: 'dispatched', mainUnitId: UNIT, assistingUnitIds: [OTHER_UNIT] });
    expect(refusal(() => decide(dispatched, { action: 'accept' }, actors.assistant, NOW))).toBe('FORBIDDEN');
    expect(refusal(() => decide(dispatched, { action: 'accept' }, actors.dispatcher, NOW))).toBe('FORBIDDEN');
    const closed = reported({ status: 'closed', closedAt: NOW, mainUnitId: UNIT });
    expect(refusal(() => decide(closed, { action: 'rate', score: 3 }, actors.neighbour, NOW))).toBe('FORBIDDEN');
    const handled = reported({ status: 'handled', mainUnitId: UNIT, verification: 'committee' });
    expect(refusal(() => decide(handled, { action: 'verify', passed: true }, actors.resident, NOW))).toBe('FORBIDDEN');
    expect(refusal(() => decide(handled, { action: 'verify', passed: true }, actors.worker, NOW))).toBe('ALLOWED');
    // 部件 checked by patrol: the committee's grid staff or the desk, not the reporter
    const patrolled = reported({ status: 'handled', mainUnitId: UNIT, verification: 'patrol' });
    expect(refusal(() => decide(patrolled, { action: 'verify', passed: true }, actors.resident, NOW))).toBe('FORBIDDEN');
    expect(refusal(() => decide(patrolled, { action: 'verify', passed: true }, actors.worker, NOW))).toBe('ALLOWED');
    expect(refusal(() => decide(patrolled, { action: 'verify', passed: true }, actors.operator, NOW))).toBe('ALLOWED');
    // 回访: the desk's call records the satisfaction as the rating when the reporter gave none
    expect(decide(closed, { action: 'followup', reached: true, score: 4 }, actors.operator, NOW)).toMatchObject({ status: 'closed', changes: { rating: 4 }, event: 'case.followed_up' });
    expect(decide({ ...closed, rating: 2 }, { action: 'followup', reached: true, score: 5 }, actors.operator, NOW).changes).toEqual({});
    expect(decide(closed, { action: 'followup', reached: false }, actors.operator, NOW).changes).toEqual({});
    expect(refusal(() => decide(closed, { action: 'followup', reached: false, score: 3 }, actors.operator, NOW))).toBe('VALIDATION_FAILED');
    expect(refusal(() => decide(closed, { action: 'followup', reached: true, score: 3 }, actors.resident, NOW))).toBe('FORBIDDEN');
    expect(allowedActions(dispatched, actors.handler).sort()).toEqual(['accept', 'escalate', 'note', 'return']);
    expect(allowedActions(fresh, actors.resident)).toEqual([]);
  });

  it('escalates 居村 → 街镇 → 区 and no further; each level’s desk takes over', () => {
    let state = reported({ status: 'registered', handlingLevelPath: COMMITTEE });
    expect(refusal(() => decide(state, { action: 'dispatch', mainUnitId: UNIT }, actors.head, NOW))).toBe('ALLOWED');
    state = apply(state, { action: 'escalate', reason: '居村无法处置' }, actors.head);
    expect(state.handlingLevelPath).toBe(STREET);
    expect(refusal(() => decide(state, { action: 'dispatch', mainUnitId: UNIT }, actors.head, NOW))).toBe('FORBIDDEN');
    state = apply(state, { action: 'escalate', reason: '需区级联勤联动' }, actors.dispatcher);
    expect(state.handlingLevelPath).toBe(DISTRICT);
    expect(refusal(() => decide(state, { action: 'dispatch', mainUnitId: UNIT }, actors.dispatcher, NOW))).toBe('FORBIDDEN');
    expect(refusal(() => decide(state, { action: 'escalate', reason: '再上报' }, actors.operator, NOW))).toBe('ILLEGAL_TRANSITION');
  });

  it('needs approval for extensions and suspensions, one request at a time', () => {
    let state = reported({ status: 'in_progress', mainUnitId: UNIT });
    state = apply(state, { action: 'suspend', reason: '等待维修基金' }, actors.handler);
    expect(state).toMatchObject({ status: 'in_progress', pendingRequest: 'suspension' });
    expect(refusal(() => decide(state, { action: 'extend', reason: '再申请' }, actors.handler, NOW))).toBe('ILLEGAL_TRANSITION');
    expect(refusal(() => decide(state, { action: 'handled', result: '完成' }, actors.handler, NOW))).toBe('ILLEGAL_TRANSITION');
    expect(refusal(() => decide(state, { action: 'approve' }, actors.handler, NOW))).toBe('FORBIDDEN');
    state = apply(state, { action: 'approve' }, actors.dispatcher);
    expect(state).toMatchObject({ status: 'suspended', pendingRequest: null });
    state = apply(state, { action: 'resume' }, actors.handler);
    state = apply(state, { action: 'extend', reason: '需协调物业' }, actors.handler);
    state = apply(state, { action: 'deny', reason: '时限充足' }, actors.dispatcher);
    expect(state).toMatchObject({ status: 'in_progress', pendingRequest: null });
  });

  it('rates once, and reopens only within the window', () => {
    const closed = reported({ status: 'closed', closedAt: NOW, mainUnitId: UNIT });
    const rated = apply(closed, { action: 'rate', score: 2 }, actors.resident);
    expect(refusal(() => decide(rated, { action: 'rate', score: 5 }, actors.resident, NOW))).toBe('ILLEGAL_TRANSITION');
    expect(refusal(() => decide(closed, { action: 'rate', score: 6 }, actors.resident, NOW))).toBe('VALIDATION_FAILED');
    const sixDaysLater = new Date(NOW.getTime() + 6 * 86_400_000);
    const reopened = apply(rated, { action: 'reopen', reason: '问题复发' }, actors.resident, sixDaysLater);
    expect(reopened).toMatchObject({ status: 'registered', rating: null, closedAt: null, mainUnitId: null });
    const eightDaysLater = new Date(NOW.getTime() + 8 * 86_400_000);
    expect(refusal(() => decide(rated, { action: 'reopen', reason: '问题复发' }, actors.resident, eightDaysLater))).toBe('ILLEGAL_TRANSITION');
  });

  it('refuses a transfer to the same unit and empty reasons', () => {
    const dispatched = reported({ status: 'dispatched', mainUnitId: UNIT });
    expect(refusal(() => decide(dispatched, { action: 'transfer', mainUnitId: UNIT, reason: '转派' }, actors.dispatcher, NOW))).toBe('ILLEGAL_TRANSITION');
    expect(refusal(() => decide(dispatched, { action: 'return', reason: '   ' }, actors.handler, NOW))).toBe('VALIDATION_FAILED');
    const statuses: CaseStatus[] = ['rejected'];
    for (const status of statuses) expect(allowedActions(reported({ status }), actors.operator)).toEqual([]);
  });

  it('merges a reported or registered case at the desk only, and unmerges to the status the merge kept', () => {
    for (const status of ['reported', 'registered'] as const) {
      const merged = apply(reported({ status }), { action: 'merge', masterId: 'case-master' }, actors.dispatcher);
      expect(merged.status).toBe('merged');
      expect(decide(reported({ status }), { action: 'merge', masterId: 'case-master' }, actors.dispatcher, NOW).event).toBe('case.merged');
      expect(apply(merged, { action: 'unmerge', restoreTo: status }, actors.dispatcher).status).toBe(status);
    }
    const fresh = reported();
    expect(refusal(() => decide(fresh, { action: 'merge', masterId: 'case-master' }, actors.resident, NOW))).toBe('FORBIDDEN');
    expect(refusal(() => decide(fresh, { action: 'merge', masterId: 'case-master' }, actors.otherDispatcher, NOW))).toBe('FORBIDDEN');
    expect(refusal(() => decide(fresh, { action: 'merge', masterId: 'case-master' }, actors.handler, NOW))).toBe('FORBIDDEN');
    expect(refusal(() => decide(reported({ status: 'dispatched', mainUnitId: UNIT }), { action: 'merge', masterId: 'case-master' }, actors.dispatcher, NOW))).toBe('ILLEGAL_TRANSITION');
    const merged = reported({ status: 'merged' });
    expect(refusal(() => decide(merged, { action: 'unmerge' }, actors.dispatcher, NOW))).toBe('ILLEGAL_TRANSITION');
    expect(refusal(() => decide(merged, { action: 'unmerge', restoreTo: 'in_progress' }, actors.dispatcher, NOW))).toBe('ILLEGAL_TRANSITION');
    expect(refusal(() => decide(merged, { action: 'unmerge', restoreTo: 'reported' }, actors.resident, NOW))).toBe('FORBIDDEN');
    expect(allowedActions(merged, actors.dispatcher)).toEqual(['unmerge']);
    expect(allowedActions(merged, actors.resident)).toEqual([]);
  });
});
