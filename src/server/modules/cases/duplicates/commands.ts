import { CASE_ENDED_STATUSES, type CaseStatus } from '../../../../shared/cases.ts';
import type { Urgency } from '../../../../shared/time-limits.ts';
import { scopeOf } from '../../../platform/access.ts';
import type { UserActor } from '../../../platform/actor.ts';
import { AppError } from '../../../platform/errors.ts';
import { recordChange, type CommandContext, type Platform } from '../../../platform/platform.ts';
import { findCase, insertCaseEvent, updateCase, type CaseRow, type CaseViewer } from '../repository.ts';
import { clockCalendarFor, moveClocks, registeredLimitOf } from '../timers.ts';
import { decide, type CaseActor, type CaseState } from '../workflow.ts';
import { activeMergeOf, addFollowers, closeMerge, followerIds, hasMergedReports, insertMerge, removeFollowers } from './repository.ts';

/**
 * Merging duplicates (合并) and following (关注).
 *
 * merge — the desk declares a reported or registered case (the duplicate) to be the same problem
 * as an open case it can see (the master). The duplicate leaves the loop (status `merged`,
 * `merged_into_id` → master, its clocks stopped); its reporter and followers become followers of
 * the master; the master's `report_count` grows by the duplicate's (its priority on the board);
 * photos stay on the duplicate and are listed with the master's merged reports. A merge record
 * (`case_merges`) keeps the duplicate's status, the followers added and the count added.
 * unmerge — the desk undoes it exactly from that record: the duplicate returns to its status with
 * fresh clocks, the master loses exactly the followers and count the merge added.
 */

type Ctx = CommandContext & { actor: UserActor };

const ended = (status: string) => (CASE_ENDED_STATUSES as readonly string[]).includes(status);

export function caseViewerOf(actor: UserActor): CaseViewer {
  return { scope: scopeOf(actor), userId: actor.userId, role: actor.assignment.role, departmentId: actor.assignment.departmentId };
}

function timelineActor(actor: UserActor) {
  return { actorUserId: actor.userId, actorName: actor.displayName, actorRole: actor.assignment.role };
}

export async function mergeCase(ctx: Ctx, platform: Platform, row: CaseRow, state: CaseState, caseActor: CaseActor, masterId: string): Promise<void> {
  const now = new Date();
  const decision = decide(state, { action: 'merge', masterId }, caseActor, now);
  if (masterId === row.id) throw new AppError('CASE_MERGE_SELF');
  const master = await findCase(ctx.trx, caseViewerOf(ctx.actor), masterId, { forUpdate: true });
  if (!master) throw new AppError('NOT_FOUND', { field: 'masterId' });
  // a closed, rejected or merged master (a chain) cannot take more reports
  if (ended(master.status)) throw new AppError('CASE_MERGE_TARGET_ENDED', { status: master.status });
  // nor can a master become a duplicate itself (that would chain its merged reports)
  if (await hasMergedReports(ctx.trx, row.id)) throw new AppError('CASE_MERGE_HAS_REPORTS');

  await updateCase(ctx.trx, row.id, { status: decision.status, merged_into_id: master.id });
  const mirror = await moveClocks(ctx.trx, await clockCalendarFor(platform, ctx.trx), { caseId: row.id, from: row.status as CaseStatus, to: decision.status, urgency: row.urgency as Urgency, now });
  if (mirror) await updateCase(ctx.trx, row.id, { deadline_at: mirror.deadlineAt, warn_at: mirror.warnAt });

  const people = [...(row.reporter_user_id ? [row.reporter_user_id] : []), ...(await followerIds(ctx.trx, row.id))].filter((u) => u !== master.reporter_user_id);
  const added = await addFollowers(ctx.trx, master.id, people, 'merge');
  const reportCount = master.report_count + row.report_count;
  await updateCase(ctx.trx, master.id, { report_count: reportCount });
  await insertMerge(ctx.trx, { masterId: master.id, duplicateId: row.id, mergedBy: ctx.actor.userId, previousStatus: row.status, followersAdded: added, reportsAdded: row.report_count });

  const who = timelineActor(ctx.actor);
  await insertCaseEvent(ctx.trx, { caseId: row.id, action: 'merge', fromStatus: row.status, toStatus: decision.status, ...who, note: null, details: { masterId: master.id, masterNumber: master.number } });
  const details = { number: row.number, from: row.status, to: decision.status, masterId: master.id, masterNumber: master.number, followersAdded: added.length, reportCount };
  await recordChange(ctx, {
    audit: { action: 'case.merge', objectType: 'case', objectId: row.id, regionPath: row.region_path, details },
    event: { type: decision.event, aggregateType: 'case', aggregateId: row.id, regionPath: row.region_path, payload: details },
  });
  await recordOnMaster(ctx, master, who, 'merged_in', 'case.report_merged', { duplicateId: row.id, duplicateNumber: row.number, reportCount }, { followersAdded: added.length });
}

export async function unmergeCase(ctx: Ctx, platform: Platform, row: CaseRow, state: CaseState, caseActor: CaseActor): Promise<void> {
  const now = new Date();
  const merge = await activeMergeOf(ctx.trx, row.id);
  // a merged case always has its record; without one the status check refuses
  const decision = decide(state, { action: 'unmerge', restoreTo: (merge?.previous_status ?? row.status) as CaseStatus }, caseActor, now);
  if (!merge) throw new AppError('ILLEGAL_TRANSITION', { action: 'unmerge', reason: 'no merge record' });
  // the master is locked by id, whoever may see it: undoing must not depend on the master's scope
  const master = await ctx.trx.selectFrom('cases').selectAll().where('id', '=', merge.master_id).forUpdate().executeTakeFirstOrThrow();

  await updateCase(ctx.trx, row.id, { status: decision.status, merged_into_id: null });
  // fresh clocks: the desk stage again and, for a registered case, the handling limit it was registered with
  const handlingLimit = decision.status === 'registered' ? await registeredLimitOf(ctx.trx, row) : undefined;
  const mirror = await moveClocks(ctx.trx, await clockCalendarFor(platform, ctx.trx), {
    caseId: row.id,
    from: 'merged',
    to: decision.status,
    urgency: row.urgency as Urgency,
    now,
    ...(handlingLimit ? { handlingLimit } : {}),
  });
  if (mirror) await updateCase(ctx.trx, row.id, { deadline_at: mirror.deadlineAt, warn_at: mirror.warnAt });

  const removed = await removeFollowers(ctx.trx, master.id, merge.followers_added);
  const reportCount = Math.max(1, master.report_count - merge.reports_added);
  await updateCase(ctx.trx, master.id, { report_count: reportCount });
  await closeMerge(ctx.trx, merge.id, ctx.actor.userId, now);

  const who = timelineActor(ctx.actor);
  await insertCaseEvent(ctx.trx, { caseId: row.id, action: 'unmerge', fromStatus: 'merged', toStatus: decision.status, ...who, note: null, details: { masterId: master.id, masterNumber: master.number } });
  const details = { number: row.number, from: 'merged', to: decision.status, masterId: master.id, masterNumber: master.number, followersRemoved: removed, reportCount };
  await recordChange(ctx, {
    audit: { action: 'case.unmerge', objectType: 'case', objectId: row.id, regionPath: row.region_path, details },
    event: { type: decision.event, aggregateType: 'case', aggregateId: row.id, regionPath: row.region_path, payload: details },
  });
  await recordOnMaster(ctx, master, who, 'merged_out', 'case.report_unmerged', { duplicateId: row.id, duplicateNumber: row.number, reportCount }, { followersRemoved: removed });
}

/** The master's side of a merge or unmerge: its timeline entry, audit entry and event. */
async function recordOnMaster(
  ctx: Ctx,
  master: CaseRow,
  who: ReturnType<typeof timelineActor>,
  action: 'merged_in' | 'merged_out',
  eventType: string,
  change: { duplicateId: string; duplicateNumber: string; reportCount: number },
  timelineOnly: Record<string, unknown>,
): Promise<void> {
  await insertCaseEvent(ctx.trx, { caseId: master.id, action, fromStatus: master.status, toStatus: master.status, ...who, note: null, details: { ...change, ...timelineOnly } });
  const details = { number: master.number, ...change };
  await recordChange(ctx, {
    audit: { action: `case.${action}`, objectType: 'case', objectId: master.id, regionPath: master.region_path, details },
    event: { type: eventType, aggregateType: 'case', aggregateId: master.id, regionPath: master.region_path, payload: details },
  });
}

/**
 * Who may follow a case: it must be open (not closed, rejected or merged), and either visible to
 * the caller by the ordinary rules (staff in their scope, a unit its cases) or — the resident rule,
 * the same as the similar-cases list — in the resident's own street and not a confidential
 * hotline case. Anything else does not exist for the caller (404).
 */
export async function followableCase(ctx: Ctx, id: string): Promise<CaseRow> {
  const actor = ctx.actor;
  let row: CaseRow | undefined;
  if (actor.assignment.role === 'resident') {
    const street = actor.assignment.regionPath.split('.').slice(0, 2).join('.');
    row = await findCase(ctx.trx, { ...caseViewerOf(actor), role: null, scope: { kind: 'paths', paths: [street] } }, id, { forUpdate: true });
    if (row && row.confidential && row.reporter_user_id !== actor.userId) row = undefined;
  } else {
    row = await findCase(ctx.trx, caseViewerOf(actor), id, { forUpdate: true });
  }
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/** 关注: the caller hears the outcome of a case they did not report. Following twice changes nothing. */
export async function followCase(ctx: Ctx, id: string): Promise<void> {
  const row = await followableCase(ctx, id);
  if (ended(row.status)) throw new AppError('CASE_NOT_FOLLOWABLE', { status: row.status });
  if (row.reporter_user_id === ctx.actor.userId) throw new AppError('CASE_OWN_REPORT');
  const added = await addFollowers(ctx.trx, row.id, [ctx.actor.userId], 'follow');
  if (added.length === 0) return;
  await insertCaseEvent(ctx.trx, { caseId: row.id, action: 'follow', fromStatus: row.status, toStatus: row.status, ...timelineActor(ctx.actor), note: null, details: {} });
  await recordChange(ctx, {
    audit: { action: 'case.follow', objectType: 'case', objectId: row.id, regionPath: row.region_path, details: { number: row.number } },
    event: { type: 'case.followed', aggregateType: 'case', aggregateId: row.id, regionPath: row.region_path, payload: { number: row.number, userId: ctx.actor.userId } },
  });
}

/** Stops following (whether followed by hand or added by a merge). Not following: changes nothing. */
export async function unfollowCase(ctx: Ctx, id: string): Promise<void> {
  // a follower finds the case through following, even after it ended
  const row = await findCase(ctx.trx, caseViewerOf(ctx.actor), id, { forUpdate: true, followed: true });
  if (!row) throw new AppError('NOT_FOUND');
  const removed = await removeFollowers(ctx.trx, row.id, [ctx.actor.userId]);
  if (removed === 0) return;
  await insertCaseEvent(ctx.trx, { caseId: row.id, action: 'unfollow', fromStatus: row.status, toStatus: row.status, ...timelineActor(ctx.actor), note: null, details: {} });
  await recordChange(ctx, {
    audit: { action: 'case.unfollow', objectType: 'case', objectId: row.id, regionPath: row.region_path, details: { number: row.number } },
    event: { type: 'case.unfollowed', aggregateType: 'case', aggregateId: row.id, regionPath: row.region_path, payload: { number: row.number, userId: ctx.actor.userId } },
  });
}
