import type { CallType, CaseChannel, CaseStatus } from '../../../shared/cases.ts';
import type { TimeLimit, Urgency } from '../../../shared/time-limits.ts';
import { pathWithin } from '../../platform/access.ts';
import { systemActor, type Actor, type UserActor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { recordChange, type CommandContext, type Platform } from '../../platform/platform.ts';
import { shanghaiDate } from '../calendar/deadline.ts';
import { currentCategory, findCategoryVersion, type Category } from '../categories/repository.ts';
import { addExample } from '../classifier/commands.ts';
import { caseById, deleteAutoDispatchRule, findAutoDispatchRule, insertCase, insertCaseEvent, nextCaseNumber, putAutoDispatchRule, routeToDepartment, updateCase, type CaseRow } from './repository.ts';
import { mergeCase, unmergeCase } from './duplicates/commands.ts';
import { clockCalendarFor, moveClocks, registeredLimitOf, type ClockChange } from './timers.ts';
import { AUTOMATION, decide, type CaseActor, type CaseCommand, type CaseState } from './workflow.ts';

export type { CaseChannel } from '../../../shared/cases.ts';

/** Where the street-level desk of a place sits: 街镇城运中心 dispatches by default (居村 → 街镇 → 区). */
function streetLevel(regionPath: string): string {
  return regionPath.split('.').slice(0, 2).join('.');
}

async function selectableCategory(ctx: CommandContext, code: string, forResident: boolean): Promise<Category> {
  const category = await currentCategory(ctx.trx, code);
  if (!category || !category.selectable || (forResident && category.residentSelectable !== true)) throw new AppError('CATEGORY_NOT_SELECTABLE', { categoryCode: code });
  return category;
}

/** Who a timeline entry names: the person, or the platform acting on an administrator's rule. */
function timelineActor(actor: Actor): { userId: string | null; name: string; role: string | null; caseActor: CaseActor } {
  if (actor.kind === 'user') return { userId: actor.userId, name: actor.displayName, role: actor.assignment.role, caseActor: caseActorOf(actor) };
  return { userId: null, name: AUTOMATION_NAME, role: null, caseActor: AUTOMATION };
}

/** How the platform signs what it does by itself on the timeline. */
export const AUTOMATION_NAME = '系统（自动派遣）';

export interface ReportInput {
  description: string;
  categoryCode: string | null;
  urgency: Urgency;
  region: { code: string; regionPath: string };
  lat: number | null;
  lng: number | null;
  address: string | null;
  channel: CaseChannel;
  /** The classifier's best category for the text, for auto-dispatch (null: no suggestion was made). */
  suggestion?: Suggestion | null;
  /** 12345 intake: who called, how to call back, what kind of call, and whether to keep the caller confidential. */
  hotline: { callerName: string | null; callerPhone: string | null; callType: CallType; confidential: boolean } | null;
}

/**
 * 发现/上报: a report enters the loop as `reported`, waiting for the street desk to register it.
 * Honours `ctx.now` (creation time, timeline and clocks).
 */
export async function reportCase(ctx: CommandContext & { actor: UserActor }, platform: Platform, input: ReportInput): Promise<string> {
  const category = input.categoryCode ? await selectableCategory(ctx, input.categoryCode, ctx.actor.assignment.role === 'resident') : null;
  const now = ctx.now ?? new Date();
  const number = await nextCaseNumber(ctx.trx, shanghaiDate(now));
  const id = await insertCase(ctx.trx, {
    number,
    status: 'reported',
    channel: input.channel,
    description: input.description,
    category_code: category?.code ?? null,
    category_version: category?.version ?? null,
    urgency: input.urgency,
    region_code: input.region.code,
    region_path: input.region.regionPath,
    handling_level_path: streetLevel(input.region.regionPath),
    lat: input.lat,
    lng: input.lng,
    address: input.address,
    reporter_user_id: ctx.actor.userId,
    verification: category?.verification ?? 'reporter',
    caller_name: input.hotline?.callerName ?? null,
    caller_phone: input.hotline?.callerPhone ?? null,
    call_type: input.hotline?.callType ?? null,
    confidential: input.hotline?.confidential ?? false,
    created_at: now,
    updated_at: now,
  });
  await insertCaseEvent(ctx.trx, {
    caseId: id,
    action: 'report',
    fromStatus: null,
    toStatus: 'reported',
    actorUserId: ctx.actor.userId,
    actorName: ctx.actor.displayName,
    actorRole: ctx.actor.assignment.role,
    note: null,
    details: { channel: input.channel, categoryCode: category?.code ?? null },
    at: now,
  });
  await moveClocks(ctx.trx, await clockCalendarFor(platform, ctx.trx), { caseId: id, from: null, to: 'reported', urgency: input.urgency, now });
  await recordChange(ctx, {
    audit: { action: 'case.report', objectType: 'case', objectId: id, regionPath: input.region.regionPath, details: { number, channel: input.channel, categoryCode: category?.code ?? null } },
    event: { type: 'case.reported', aggregateType: 'case', aggregateId: id, regionPath: input.region.regionPath, payload: { number, channel: input.channel, categoryCode: category?.code ?? null } },
  });
  await autoDispatch(ctx, platform, id, input.suggestion ?? null);
  return id;
}

const wholeUnits = (limit: TimeLimit) => limit.clock === 'working_days' || limit.clock === 'calendar_days';
/** An extension is counted in the unit of the case's handling limit (hours or days), at most ten times the limit. */
function validExtension(amount: number, limit: TimeLimit): boolean {
  return amount > 0 && amount <= limit.amount * 10 && (!wholeUnits(limit) || Number.isInteger(amount));
}

/** The state machine's view of a stored case. */
export function stateOf(row: CaseRow): CaseState {
  return {
    status: row.status as CaseStatus,
    regionPath: row.region_path,
    handlingLevelPath: row.handling_level_path,
    reporterUserId: row.reporter_user_id,
    mainUnitId: row.main_unit_id,
    assistingUnitIds: row.assisting_unit_ids,
    verification: row.verification as CaseState['verification'],
    pendingRequest: row.pending_request as CaseState['pendingRequest'],
    closedAt: row.closed_at,
    rating: row.rating,
  };
}

export function caseActorOf(actor: UserActor): CaseActor {
  return { userId: actor.userId, role: actor.assignment.role, scopePath: actor.assignment.regionPath, departmentId: actor.assignment.departmentId };
}

/** The note a timeline entry shows for a command. */
function noteOf(command: CaseCommand): string | null {
  switch (command.action) {
    case 'reject':
    case 'return':
    case 'transfer':
    case 'escalate':
    case 'extend':
    case 'suspend':
    case 'deny':
    case 'reopen':
      return command.reason;
    case 'note':
      return command.text;
    case 'handled':
      return command.result;
    case 'verify':
      return command.reason ?? null;
    case 'rate':
      return command.comment ?? null;
    case 'followup':
      return command.comment ?? null;
    default:
      return null;
  }
}

/**
 * Applies one workflow action to a case the caller can see: asks the state machine, fills in
 * what the action implies (category version and deadline on registration, the responsible unit
 * on dispatch without one), and records timeline, audit and event in the same transaction.
 * Honours `ctx.now` (the state machine's time, the case's times, timeline and clocks).
 */
export async function transitionCase(ctx: CommandContext, platform: Platform, row: CaseRow, command: CaseCommand, note?: string): Promise<void> {
  if (command.action === 'merge' || command.action === 'unmerge') {
    // merging is the desk's judgement; the platform never merges by itself
    if (ctx.actor.kind !== 'user') throw new AppError('FORBIDDEN', { action: command.action });
    const user = { ...ctx, actor: ctx.actor };
    return command.action === 'merge'
      ? mergeCase(user, platform, row, stateOf(row), caseActorOf(ctx.actor), command.masterId)
      : unmergeCase(user, platform, row, stateOf(row), caseActorOf(ctx.actor));
  }
  const now = ctx.now ?? new Date();
  const who = timelineActor(ctx.actor);
  const extra: Parameters<typeof updateCase>[2] = {};

  if (command.action === 'dispatch' || command.action === 'transfer') {
    const unit = await ctx.trx
      .selectFrom('departments')
      .select(['id', 'region_path'])
      .where('id', '=', command.mainUnitId)
      .executeTakeFirst();
    if (!unit) throw new AppError('NOT_FOUND', { field: 'mainUnitId' });
    if (!pathWithin(row.region_path, unit.region_path)) throw new AppError('UNIT_NOT_SERVING');
  }
  let handlingLimit: TimeLimit | undefined;
  if (command.action === 'register') {
    const category = await selectableCategory(ctx, command.categoryCode, false);
    if (!category.timeLimits) throw new AppError('CATEGORY_NOT_SELECTABLE', { categoryCode: category.code });
    handlingLimit = category.timeLimits[command.urgency];
    Object.assign(extra, {
      category_code: category.code,
      category_version: category.version,
      urgency: command.urgency,
      verification: category.verification ?? 'reporter',
      registered_at: now,
    });
    // The desk's choice teaches the category suggestions: a confirmation, or a correction of the report's category
    // (the platform's own auto-dispatch teaches nothing: nobody confirmed it).
    if (ctx.actor.kind === 'user') await addExample(ctx, { text: row.description, categoryCode: category.code, source: row.category_code === category.code ? 'confirmed' : 'corrected' });
  }
  // Reopening starts the handling clock afresh under the limits the case was registered with.
  const registeredLimit = () => registeredLimitOf(ctx.trx, row);
  if (command.action === 'reopen') handlingLimit = await registeredLimit();
  let extension: ClockChange['extension'];
  if (command.action === 'extend') {
    const limit = await registeredLimit();
    if (command.amount !== undefined && limit && !validExtension(command.amount, limit)) {
      throw new AppError('VALIDATION_FAILED', [{ path: '/amount', rule: 'extension', message: `a positive amount in the limit's unit (${limit.clock})${wholeUnits(limit) ? ', whole days' : ''}` }]);
    }
    extra.requested_extension = command.amount ?? null;
  }
  if (command.action === 'approve' && row.pending_request === 'extension') {
    const limit = await registeredLimit();
    if (limit) extension = { amount: row.requested_extension !== null ? Number(row.requested_extension) : limit.amount, clock: limit.clock };
    extra.requested_extension = null;
  }
  if (command.action === 'deny') extra.requested_extension = null;

  const decision = decide(stateOf(row), command, who.caseActor, now);
  const c = decision.changes;
  await updateCase(ctx.trx, row.id, {
    ...extra,
    updated_at: now,
    status: decision.status,
    ...(c.handlingLevelPath !== undefined ? { handling_level_path: c.handlingLevelPath } : {}),
    ...(c.mainUnitId !== undefined ? { main_unit_id: c.mainUnitId } : {}),
    ...(c.assistingUnitIds !== undefined ? { assisting_unit_ids: [...c.assistingUnitIds] } : {}),
    ...(c.pendingRequest !== undefined ? { pending_request: c.pendingRequest } : {}),
    ...(c.closedAt !== undefined ? { closed_at: c.closedAt } : {}),
    ...(c.rating !== undefined ? { rating: c.rating, rating_comment: command.action === 'rate' ? (command.comment ?? null) : null } : {}),
    ...(decision.rework ? { rework_count: row.rework_count + 1 } : {}),
    ...(decision.status === 'handled' ? { handled_at: now } : decision.status === 'in_progress' ? { handled_at: null } : {}),
    ...(decision.status === 'suspended' ? { suspended_at: now } : row.status === 'suspended' ? { suspended_at: null } : {}),
  });
  const deadline = await moveClocks(ctx.trx, await clockCalendarFor(platform, ctx.trx), {
    caseId: row.id,
    from: row.status as CaseStatus,
    to: decision.status,
    urgency: (command.action === 'register' ? command.urgency : row.urgency) as Urgency,
    now,
    ...(command.action === 'transfer' ? { restartStage: true } : {}),
    ...(handlingLimit ? { handlingLimit } : {}),
    ...(extension ? { extension } : {}),
  });
  if (deadline) await updateCase(ctx.trx, row.id, { deadline_at: deadline.deadlineAt, warn_at: deadline.warnAt, updated_at: now });
  const details: Record<string, unknown> = { ...(command.action === 'register' ? { categoryCode: command.categoryCode, urgency: command.urgency } : {}) };
  if (command.action === 'dispatch' || command.action === 'transfer') details.mainUnitId = command.mainUnitId;
  if (command.action === 'verify') details.passed = command.passed;
  if (command.action === 'extend' && command.amount !== undefined) details.amount = command.amount;
  if (deadline?.deadlineAt && (command.action === 'approve' || command.action === 'resume' || command.action === 'register' || command.action === 'reopen')) details.deadlineAt = deadline.deadlineAt.toISOString();
  if (command.action === 'rate') details.score = command.score;
  if (command.action === 'followup') Object.assign(details, { reached: command.reached, ...(command.score !== undefined ? { score: command.score } : {}) });
  if (c.handlingLevelPath) details.handlingLevel = c.handlingLevelPath;
  await insertCaseEvent(ctx.trx, {
    caseId: row.id,
    action: command.action,
    fromStatus: row.status,
    toStatus: decision.status,
    actorUserId: who.userId,
    actorName: who.name,
    actorRole: who.role,
    note: note ?? noteOf(command),
    details,
    at: now,
  });
  await recordChange(ctx, {
    audit: { action: `case.${command.action}`, objectType: 'case', objectId: row.id, regionPath: row.region_path, details: { number: row.number, from: row.status, to: decision.status, ...details } },
    event: { type: decision.event, aggregateType: 'case', aggregateId: row.id, regionPath: row.region_path, payload: { number: row.number, from: row.status, to: decision.status, ...details } },
  });
}

/** The unit a dispatch without one goes to: the category's department kind, nearest to the place. */
export async function suggestedUnit(ctx: CommandContext, row: CaseRow): Promise<string> {
  if (!row.category_code || row.category_version === null) throw new AppError('CATEGORY_REQUIRED');
  const category = await findCategoryVersion(ctx.trx, row.category_code, row.category_version);
  const kind = category?.departmentKind;
  const unit = kind ? await routeToDepartment(ctx.trx, kind, row.region_path) : undefined;
  if (!unit) throw new AppError('NO_RESPONSIBLE_UNIT', { categoryCode: row.category_code });
  return unit.id;
}

/** Shows a hotline caller's full number to the desk, with a reason, as an audited read of personal data. */
export async function revealCaller(ctx: CommandContext, row: CaseRow, reason: string): Promise<{ name: string | null; phone: string | null }> {
  if ([...reason.trim()].length < 4) throw new AppError('REASON_REQUIRED');
  await recordChange(ctx, {
    audit: { action: 'personal_data.reveal', objectType: 'case', objectId: row.id, regionPath: row.region_path, reason: reason.trim(), details: { number: row.number, fields: ['caller_phone'] } },
  });
  return { name: row.caller_name, phone: row.caller_phone };
}

export interface Suggestion {
  categoryCode: string;
  score: number;
}

/**
 * Auto-dispatch (issue #3, smart routing): when an administrator chose a category for it and the
 * classifier places the report there with at least the rule's confidence, the platform registers
 * the case and dispatches it to the routed unit in the report's own transaction, signing the
 * timeline as itself. Anything less certain — another category, a lower score, no unit serving the
 * place — stays with the desk. Returns whether it dispatched.
 */
export async function autoDispatch(ctx: CommandContext, platform: Platform, caseId: string, suggestion: Suggestion | null): Promise<boolean> {
  if (!suggestion) return false;
  const row = await caseById(ctx.trx, caseId);
  if (!row || row.status !== 'reported' || row.category_code !== suggestion.categoryCode) return false;
  const rule = await findAutoDispatchRule(ctx.trx, suggestion.categoryCode);
  if (!rule || suggestion.score < rule.minScore) return false;
  const category = await currentCategory(ctx.trx, suggestion.categoryCode);
  const unit = category?.departmentKind && category.timeLimits ? await routeToDepartment(ctx.trx, category.departmentKind, row.region_path) : undefined;
  if (!category || !unit) return false;
  const automation: CommandContext = { ...ctx, actor: systemActor('auto-dispatch') };
  const note = `自动派遣：「${category.name}」置信度 ${suggestion.score.toFixed(2)}（规则 ≥ ${rule.minScore}）`;
  await transitionCase(automation, platform, row, { action: 'register', categoryCode: category.code, urgency: row.urgency as Urgency }, note);
  const registered = await caseById(ctx.trx, caseId);
  await transitionCase(automation, platform, registered!, { action: 'dispatch', mainUnitId: unit.id }, note);
  return true;
}

/** An administrator lets the platform dispatch a category by itself above a confidence. */
export async function setAutoDispatchRule(ctx: CommandContext & { actor: UserActor }, categoryCode: string, minScore: number): Promise<void> {
  const category = await currentCategory(ctx.trx, categoryCode);
  if (!category || !category.selectable || !category.departmentKind) throw new AppError('CATEGORY_NOT_SELECTABLE', { categoryCode });
  await putAutoDispatchRule(ctx.trx, categoryCode, minScore, ctx.actor.userId);
  await recordChange(ctx, {
    audit: { action: 'case.auto_dispatch_set', objectType: 'auto_dispatch_rule', objectId: categoryCode, regionPath: ctx.actor.assignment.regionPath, details: { minScore } },
    event: { type: 'case.auto_dispatch_changed', aggregateType: 'auto_dispatch_rule', aggregateId: categoryCode, payload: { categoryCode, minScore } },
  });
}

export async function removeAutoDispatchRule(ctx: CommandContext & { actor: UserActor }, categoryCode: string): Promise<void> {
  if (!(await deleteAutoDispatchRule(ctx.trx, categoryCode))) throw new AppError('NOT_FOUND');
  await recordChange(ctx, {
    audit: { action: 'case.auto_dispatch_removed', objectType: 'auto_dispatch_rule', objectId: categoryCode, regionPath: ctx.actor.assignment.regionPath, details: {} },
    event: { type: 'case.auto_dispatch_changed', aggregateType: 'auto_dispatch_rule', aggregateId: categoryCode, payload: { categoryCode, minScore: null } },
  });
}

/** Demo: street lights and manhole covers of unknown owner, the clearest reports, go out by themselves. */
export const DEMO_AUTO_DISPATCH: ReadonlyArray<{ categoryCode: string; minScore: number }> = [
  { categoryCode: 'B0118', minScore: 0.9 },
  { categoryCode: 'B0114', minScore: 0.9 },
];

export async function seedDemoAutoDispatch(platform: Platform): Promise<void> {
  await platform.transaction(systemActor('demo-seed'), async (ctx) => {
    for (const rule of DEMO_AUTO_DISPATCH) {
      if (await findAutoDispatchRule(ctx.trx, rule.categoryCode)) continue;
      await putAutoDispatchRule(ctx.trx, rule.categoryCode, rule.minScore, null);
      await recordChange(ctx, {
        audit: { action: 'case.auto_dispatch_set', objectType: 'auto_dispatch_rule', objectId: rule.categoryCode, regionPath: null, details: { minScore: rule.minScore, demo: true } },
      });
    }
  });
}
