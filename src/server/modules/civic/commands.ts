import { randomInt } from 'node:crypto';
import { YES_NO_OPTIONS, type PointsReason, type VolunteerTaskKind } from '../../../shared/civic.ts';
import { systemActor, type UserActor } from '../../platform/actor.ts';
import type { Tx } from '../../platform/db/index.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { recordChange, type CommandContext, type Platform } from '../../platform/platform.ts';
import type { Region } from '../regions/repository.ts';
import {
  claimClosedVotes,
  claimNoticesToAnnounce,
  completeMilestone,
  eligibleVoters,
  insertComment,
  insertMilestones,
  insertNotice,
  insertNoticeRead,
  insertProgress,
  insertProposal,
  insertRedemption,
  insertReward,
  insertSignup,
  insertSupport,
  insertTask,
  insertVote,
  listMilestones,
  listSignups,
  milestoneExists,
  movePoints,
  setSupportThreshold,
  tally,
  takeFromStock,
  updateProposal,
  updateReward,
  updateSignup,
  upsertVolunteer,
  withdrawNotice,
  findVolunteer,
  type Notice,
  type Proposal,
  type VolunteerTask,
} from './repository.ts';

type UserContext = CommandContext & { actor: UserActor };
const nowOf = (ctx: CommandContext) => ctx.now ?? new Date();

// ---------- notices ----------

export interface NoticeInput {
  title: string;
  body: string;
  link: string | null;
  region: Region;
  tags: string[];
  validFrom: Date;
  validUntil: Date | null;
}

export async function publishNotice(ctx: UserContext, input: NoticeInput): Promise<string> {
  const startsNow = input.validFrom <= nowOf(ctx);
  const id = await insertNotice(ctx.trx, {
    title: input.title,
    body: input.body,
    link: input.link,
    region_code: input.region.code,
    region_path: input.region.regionPath,
    tags: input.tags,
    valid_from: input.validFrom,
    valid_until: input.validUntil,
    published_by: ctx.actor.userId,
    publisher_name: ctx.actor.assignment.regionName,
    created_at: nowOf(ctx),
    // a notice that starts now is announced with its publication; a later one by the job on its day
    announced_at: startsNow ? nowOf(ctx) : null,
  });
  const details = { title: input.title, regionCode: input.region.code, tags: input.tags };
  await recordChange(ctx, {
    audit: { action: 'notice.publish', objectType: 'notice', objectId: id, regionPath: input.region.regionPath, details },
    event: { type: 'notice.published', aggregateType: 'notice', aggregateId: id, regionPath: input.region.regionPath, payload: details },
  });
  if (startsNow) {
    await announceNotice(ctx, { id, title: input.title, publisherName: ctx.actor.assignment.regionName, regionPath: input.region.regionPath, tags: input.tags });
  }
  return id;
}

/** Tells a notice's residents in their 消息 (civic.tell-notice delivers it); the notice is already marked announced. */
async function announceNotice(ctx: CommandContext, notice: { id: string; title: string; publisherName: string; regionPath: string; tags: string[] }): Promise<void> {
  const payload = { title: notice.title, publisher: notice.publisherName, tags: notice.tags };
  await recordChange(ctx, {
    audit: { action: 'notice.announce', objectType: 'notice', objectId: notice.id, regionPath: notice.regionPath, details: payload },
    event: { type: 'notice.announced', aggregateType: 'notice', aggregateId: notice.id, regionPath: notice.regionPath, payload },
  });
}

/** The job that announces notices scheduled to start later, when they start; each notice once, across instances. */
export async function announceDueNotices(platform: Platform, now: Date): Promise<number> {
  return platform.transaction(systemActor('notices.announce'), async (ctx) => {
    const due = await claimNoticesToAnnounce(ctx.trx, now, 100);
    for (const notice of due) await announceNotice(ctx, notice);
    return due.length;
  });
}

export async function withdrawNoticeCommand(ctx: UserContext, notice: Notice): Promise<void> {
  if (notice.withdrawnAt) return;
  await withdrawNotice(ctx.trx, notice.id, nowOf(ctx));
  await recordChange(ctx, {
    audit: { action: 'notice.withdraw', objectType: 'notice', objectId: notice.id, regionPath: notice.regionPath, details: { title: notice.title } },
    event: { type: 'notice.withdrawn', aggregateType: 'notice', aggregateId: notice.id, regionPath: notice.regionPath, payload: {} },
  });
}

/** A read receipt, written once: reading again changes nothing. */
export async function markNoticeRead(ctx: UserContext, notice: Notice): Promise<void> {
  const first = await insertNoticeRead(ctx.trx, notice.id, ctx.actor.userId, nowOf(ctx));
  if (!first) return;
  await recordChange(ctx, { audit: { action: 'notice.read', objectType: 'notice', objectId: notice.id, regionPath: notice.regionPath } });
}

// ---------- proposals ----------

export async function createProposal(
  ctx: UserContext,
  input: { title: string; description: string; place: Region; committeePath: string; threshold: number; origin: 'resident' | 'hotspot'; hotspot?: Record<string, unknown> },
): Promise<string> {
  const now = nowOf(ctx);
  const id = await insertProposal(ctx.trx, {
    title: input.title,
    description: input.description,
    scope_code: input.place.code,
    scope_path: input.place.regionPath,
    scope_level: input.place.level as 'committee' | 'building',
    committee_path: input.committeePath,
    origin: input.origin,
    hotspot: input.hotspot ? JSON.stringify(input.hotspot) : null,
    proposer_user_id: ctx.actor.userId,
    proposer_name: input.origin === 'hotspot' ? ctx.actor.assignment.regionName : ctx.actor.displayName,
    status: 'discussion',
    support_threshold: input.threshold,
    created_at: now,
    updated_at: now,
  });
  const details = { title: input.title, scopeCode: input.place.code, origin: input.origin };
  await recordChange(ctx, {
    audit: { action: 'proposal.create', objectType: 'proposal', objectId: id, regionPath: input.place.regionPath, details },
    event: { type: 'proposal.created', aggregateType: 'proposal', aggregateId: id, regionPath: input.place.regionPath, payload: details },
  });
  return id;
}

/** One support per resident; reaching the threshold moves the proposal on to wait for its vote. */
export async function supportProposal(ctx: UserContext, proposal: Proposal): Promise<void> {
  if (proposal.status !== 'discussion' && proposal.status !== 'threshold_met') throw new AppError('PROPOSAL_WRONG_STATUS', { status: proposal.status });
  const count = await insertSupport(ctx.trx, proposal.id, ctx.actor.userId, nowOf(ctx));
  if (count === undefined) throw new AppError('ALREADY_SUPPORTED');
  const reached = proposal.status === 'discussion' && count >= proposal.supportThreshold;
  if (reached) await updateProposal(ctx.trx, proposal.id, { status: 'threshold_met' });
  await recordChange(ctx, {
    audit: { action: 'proposal.support', objectType: 'proposal', objectId: proposal.id, regionPath: proposal.regionPath, details: { supports: count } },
    event: {
      type: reached ? 'proposal.threshold_met' : 'proposal.supported',
      aggregateType: 'proposal',
      aggregateId: proposal.id,
      regionPath: proposal.regionPath,
      payload: { supports: count, threshold: proposal.supportThreshold },
    },
  });
}

export async function commentOnProposal(ctx: UserContext, proposal: Proposal, body: string): Promise<string> {
  if (proposal.status === 'rejected' || proposal.status === 'done') throw new AppError('PROPOSAL_WRONG_STATUS', { status: proposal.status });
  const id = await insertComment(ctx.trx, { proposalId: proposal.id, userId: ctx.actor.userId, authorName: ctx.actor.displayName, body, at: nowOf(ctx) });
  await recordChange(ctx, {
    audit: { action: 'proposal.comment', objectType: 'proposal', objectId: proposal.id, regionPath: proposal.regionPath, details: { commentId: id } },
    event: { type: 'proposal.commented', aggregateType: 'proposal', aggregateId: proposal.id, regionPath: proposal.regionPath, payload: { commentId: id } },
  });
  return id;
}

const MAX_VOTE_DAYS = 30;

export async function openVote(ctx: UserContext, proposal: Proposal, input: { closesAt: Date; kind: 'yes_no' | 'choices'; options?: string[] }): Promise<void> {
  if (proposal.status === 'discussion') throw new AppError('PROPOSAL_THRESHOLD_NOT_MET', { supports: proposal.supportCount, threshold: proposal.supportThreshold });
  if (proposal.status !== 'threshold_met') throw new AppError('PROPOSAL_WRONG_STATUS', { status: proposal.status });
  const now = nowOf(ctx);
  const options = input.kind === 'yes_no' ? [...YES_NO_OPTIONS] : (input.options ?? []).map((o) => o.trim());
  const distinct = new Set(options).size === options.length && options.every((o) => o.length > 0);
  if (input.closesAt <= now || input.closesAt.getTime() - now.getTime() > MAX_VOTE_DAYS * 86_400_000 || !distinct || options.length < 2 || options.length > 10) {
    throw new AppError('VOTE_WINDOW_INVALID');
  }
  await updateProposal(ctx.trx, proposal.id, { status: 'voting', vote_kind: input.kind, vote_options: options, vote_opens_at: now, vote_closes_at: input.closesAt, updated_at: now });
  const details = { kind: input.kind, options, closesAt: input.closesAt.toISOString() };
  await recordChange(ctx, {
    audit: { action: 'proposal.open_vote', objectType: 'proposal', objectId: proposal.id, regionPath: proposal.regionPath, details },
    event: { type: 'proposal.vote_opened', aggregateType: 'proposal', aggregateId: proposal.id, regionPath: proposal.regionPath, payload: details },
  });
}

/**
 * One vote per resident of the proposal's committee or building. The primary key of
 * proposal_votes decides a race between two requests of the same resident; the choice is kept
 * out of the audit log and the event (the ballot is secret to everyone but the tally).
 */
export async function castVote(ctx: UserContext, proposal: Proposal, choice: string): Promise<void> {
  const now = nowOf(ctx);
  if (proposal.status !== 'voting' || !proposal.voteClosesAt || now >= proposal.voteClosesAt) throw new AppError('VOTE_NOT_OPEN');
  const eligible = ctx.actor.assignments.some((a) => a.role === 'resident' && (a.regionPath === proposal.scopePath || a.regionPath.startsWith(`${proposal.scopePath}.`)));
  if (!eligible) throw new AppError('VOTE_OUTSIDE_AREA', { scope: proposal.scopeName });
  if (!(proposal.voteOptions ?? []).includes(choice)) throw new AppError('VOTE_CHOICE_INVALID', { options: proposal.voteOptions });
  if (proposal.myVote !== null) throw new AppError('ALREADY_VOTED');
  try {
    await insertVote(ctx.trx, { proposalId: proposal.id, userId: ctx.actor.userId, choice, at: now });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('ALREADY_VOTED', undefined, { cause: error });
    throw error;
  }
  await recordChange(ctx, {
    audit: { action: 'proposal.vote', objectType: 'proposal', objectId: proposal.id, regionPath: proposal.regionPath },
    event: { type: 'proposal.voted', aggregateType: 'proposal', aggregateId: proposal.id, regionPath: proposal.regionPath, payload: {} },
  });
}

/** The outcome of a closed vote: yes/no passes on more yes than no; choices on one option ahead of the rest. */
export function decideVote(kind: string, options: readonly string[], counts: Record<string, number>): { accepted: boolean; winner: string | null } {
  if (kind === 'yes_no') {
    const accepted = (counts.yes ?? 0) > (counts.no ?? 0);
    return { accepted, winner: accepted ? 'yes' : 'no' };
  }
  const ranked = options.map((o) => [o, counts[o] ?? 0] as const).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first || first[1] === 0 || (second && second[1] === first[1])) return { accepted: false, winner: null };
  return { accepted: true, winner: first[0] };
}

/** The job that publishes results when a vote's window has closed; each proposal once, across instances. */
export async function closeDueVotes(platform: Platform, now: Date): Promise<number> {
  return platform.transaction(systemActor('proposals.close-votes'), async (ctx) => {
    const due = await claimClosedVotes(ctx.trx, now, 100);
    for (const p of due) {
      const counts = await tally(ctx.trx, p.id);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const eligible = await eligibleVoters(ctx.trx, p.scopePath);
      const outcome = decideVote(p.voteKind, p.voteOptions, counts);
      const result = { counts, total, eligible, winner: outcome.winner, closedAt: now.toISOString() };
      await updateProposal(ctx.trx, p.id, { status: outcome.accepted ? 'accepted' : 'rejected', result: JSON.stringify(result), updated_at: now });
      await recordChange(ctx, {
        audit: { action: 'proposal.close_vote', objectType: 'proposal', objectId: p.id, regionPath: p.scopePath, details: result },
        event: { type: 'proposal.vote_closed', aggregateType: 'proposal', aggregateId: p.id, regionPath: p.scopePath, payload: { accepted: outcome.accepted, ...result } },
      });
    }
    return due.length;
  });
}

function requireAccepted(proposal: Proposal): void {
  if (proposal.status !== 'accepted') throw new AppError('PROPOSAL_WRONG_STATUS', { status: proposal.status });
}

export async function setAccountability(ctx: UserContext, proposal: Proposal, input: { responsible: string; milestones: Array<{ title: string; dueDate: string | null }> }): Promise<void> {
  requireAccepted(proposal);
  const existing = await listMilestones(ctx.trx, proposal.id);
  await updateProposal(ctx.trx, proposal.id, { responsible: input.responsible, updated_at: nowOf(ctx) });
  await insertMilestones(ctx.trx, proposal.id, input.milestones, existing.length);
  const details = { responsible: input.responsible, milestones: input.milestones.map((m) => m.title) };
  await recordChange(ctx, {
    audit: { action: 'proposal.accountability', objectType: 'proposal', objectId: proposal.id, regionPath: proposal.regionPath, details },
    event: { type: 'proposal.accountability_set', aggregateType: 'proposal', aggregateId: proposal.id, regionPath: proposal.regionPath, payload: details },
  });
}

export async function addProgress(ctx: UserContext, proposal: Proposal, input: { note: string; milestoneId: string | null; milestoneDone: boolean }): Promise<void> {
  requireAccepted(proposal);
  const now = nowOf(ctx);
  if (input.milestoneId && !(await milestoneExists(ctx.trx, proposal.id, input.milestoneId))) throw new AppError('NOT_FOUND', { field: 'milestoneId' });
  await insertProgress(ctx.trx, { proposalId: proposal.id, milestoneId: input.milestoneId, note: input.note, authorName: `${ctx.actor.displayName}（${ctx.actor.assignment.regionName}）`, at: now });
  if (input.milestoneId && input.milestoneDone) await completeMilestone(ctx.trx, proposal.id, input.milestoneId, now);
  await updateProposal(ctx.trx, proposal.id, { updated_at: now });
  const details = { milestoneId: input.milestoneId, milestoneDone: input.milestoneDone };
  await recordChange(ctx, {
    audit: { action: 'proposal.progress', objectType: 'proposal', objectId: proposal.id, regionPath: proposal.regionPath, details },
    event: { type: 'proposal.progress', aggregateType: 'proposal', aggregateId: proposal.id, regionPath: proposal.regionPath, payload: details },
  });
}

export async function completeProposal(ctx: UserContext, proposal: Proposal, note: string): Promise<void> {
  requireAccepted(proposal);
  const now = nowOf(ctx);
  await insertProgress(ctx.trx, { proposalId: proposal.id, milestoneId: null, note, authorName: `${ctx.actor.displayName}（${ctx.actor.assignment.regionName}）`, at: now });
  await updateProposal(ctx.trx, proposal.id, { status: 'done', done_at: now, updated_at: now });
  await recordChange(ctx, {
    audit: { action: 'proposal.complete', objectType: 'proposal', objectId: proposal.id, regionPath: proposal.regionPath, details: { note } },
    event: { type: 'proposal.done', aggregateType: 'proposal', aggregateId: proposal.id, regionPath: proposal.regionPath, payload: {} },
  });
}

export async function changeSupportThreshold(ctx: UserContext, committee: Region, threshold: number): Promise<void> {
  await setSupportThreshold(ctx.trx, { code: committee.code, path: committee.regionPath }, threshold, nowOf(ctx));
  await recordChange(ctx, {
    audit: { action: 'proposal.threshold', objectType: 'region', objectId: committee.code, regionPath: committee.regionPath, details: { threshold } },
    event: { type: 'proposal.threshold_changed', aggregateType: 'region', aggregateId: committee.code, regionPath: committee.regionPath, payload: { threshold } },
  });
}

// ---------- volunteers ----------

export async function registerVolunteer(ctx: UserContext, input: { skills: string[]; availability: string; partyMember: boolean }): Promise<void> {
  await upsertVolunteer(ctx.trx, { userId: ctx.actor.userId, regionPath: ctx.actor.assignment.regionPath, ...input, at: nowOf(ctx) });
  const details = { skills: input.skills, partyMember: input.partyMember };
  await recordChange(ctx, {
    audit: { action: 'volunteer.register', objectType: 'volunteer', objectId: ctx.actor.userId, regionPath: ctx.actor.assignment.regionPath, details },
    event: { type: 'volunteer.registered', aggregateType: 'volunteer', aggregateId: ctx.actor.userId, regionPath: ctx.actor.assignment.regionPath, payload: details },
  });
}

export async function createTask(
  ctx: UserContext,
  input: { region: Region; kind: VolunteerTaskKind; title: string; description: string; startsAt: Date; endsAt: Date; capacity: number; pointsPerHour: number },
): Promise<string> {
  if (input.endsAt <= input.startsAt) throw new AppError('VALIDATION_FAILED', [{ path: '/endsAt', rule: 'after startsAt' }]);
  const id = await insertTask(ctx.trx, {
    region_code: input.region.code,
    region_path: input.region.regionPath,
    kind: input.kind,
    title: input.title,
    description: input.description,
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    capacity: input.capacity,
    points_per_hour: input.pointsPerHour,
    created_by: ctx.actor.userId,
    created_at: nowOf(ctx),
  });
  const details = { title: input.title, kind: input.kind, regionCode: input.region.code };
  await recordChange(ctx, {
    audit: { action: 'volunteer.task_create', objectType: 'volunteer_task', objectId: id, regionPath: input.region.regionPath, details },
    event: { type: 'volunteer.task_created', aggregateType: 'volunteer_task', aggregateId: id, regionPath: input.region.regionPath, payload: details },
  });
  return id;
}

/** Sign-up against capacity; the caller holds the task's row lock so two last places are not both taken. */
export async function signUp(ctx: UserContext, task: VolunteerTask): Promise<void> {
  if (!(await findVolunteer(ctx.trx, ctx.actor.userId))) throw new AppError('VOLUNTEER_NOT_REGISTERED');
  if (task.mySignup) throw new AppError('VOLUNTEER_ALREADY_SIGNED_UP');
  if (task.signedUp >= task.capacity) throw new AppError('VOLUNTEER_TASK_FULL');
  if (!(await insertSignup(ctx.trx, task.id, ctx.actor.userId, nowOf(ctx)))) throw new AppError('VOLUNTEER_ALREADY_SIGNED_UP');
  await recordChange(ctx, {
    audit: { action: 'volunteer.signup', objectType: 'volunteer_task', objectId: task.id, regionPath: task.regionPath },
    event: { type: 'volunteer.signed_up', aggregateType: 'volunteer_task', aggregateId: task.id, regionPath: task.regionPath, payload: { userId: ctx.actor.userId } },
  });
}

/**
 * Check-in and check-out are confirmed by committee staff (a volunteer cannot award themselves
 * hours; their own check-in and check-out, `selfCheck`, wait for `confirmHours`). Hours run from
 * check-in to check-out, inside the task's time, in tenths of an hour.
 */
export async function checkVolunteer(ctx: UserContext, task: VolunteerTask, userId: string, step: 'in' | 'out'): Promise<number | null> {
  const [signup] = await listSignups(ctx.trx, task.id, { userId, forUpdate: true });
  if (!signup) throw new AppError('NOT_FOUND', { field: 'userId' });
  const now = nowOf(ctx);
  if (step === 'in') {
    if (signup.checked_in_at) throw new AppError('VOLUNTEER_CHECK_STATE');
    await updateSignup(ctx.trx, task.id, userId, { checked_in_at: now });
    await recordChange(ctx, {
      audit: { action: 'volunteer.check_in', objectType: 'volunteer_task', objectId: task.id, regionPath: task.regionPath, details: { userId } },
      event: { type: 'volunteer.checked_in', aggregateType: 'volunteer_task', aggregateId: task.id, regionPath: task.regionPath, payload: { userId } },
    });
    return null;
  }
  if (!signup.checked_in_at || signup.checked_out_at) throw new AppError('VOLUNTEER_CHECK_STATE');
  const hours = hoursOf(task, signup.checked_in_at, now);
  await updateSignup(ctx.trx, task.id, userId, { checked_out_at: now, hours });
  const payload = { userId, hours, pointsPerHour: task.pointsPerHour };
  await recordChange(ctx, {
    audit: { action: 'volunteer.check_out', objectType: 'volunteer_task', objectId: task.id, regionPath: task.regionPath, details: payload },
    event: { type: 'volunteer.checked_out', aggregateType: 'volunteer_task', aggregateId: task.id, regionPath: task.regionPath, payload },
  });
  return hours;
}

/** The Shanghai calendar day of an instant, YYYY-MM-DD (UTC+8, no daylight saving). */
const shanghaiDayOf = (at: Date): string => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** Hours from check-in to check-out inside the task's time, in tenths of an hour. */
function hoursOf(task: VolunteerTask, checkedIn: Date, checkedOut: Date): number {
  const from = Math.max(checkedIn.getTime(), task.startsAt.getTime());
  const to = Math.min(checkedOut.getTime(), task.endsAt.getTime());
  return Math.max(0, Math.round((to - from) / 360_000) / 10);
}

/**
 * A volunteer's own check-in or check-out (签到/签退 on the phone), for a task they signed up for, on
 * the task's day (Shanghai) only. It earns nothing by itself: a self check-out leaves the hours
 * unset until committee staff confirm them (`confirmHours`), and only that awards points.
 */
export async function selfCheck(ctx: UserContext, task: VolunteerTask, step: 'in' | 'out'): Promise<void> {
  const now = nowOf(ctx);
  const today = shanghaiDayOf(now);
  if (today < shanghaiDayOf(task.startsAt) || today > shanghaiDayOf(task.endsAt)) throw new AppError('VOLUNTEER_NOT_TASK_DAY');
  const userId = ctx.actor.userId;
  const [signup] = await listSignups(ctx.trx, task.id, { userId, forUpdate: true });
  if (!signup) throw new AppError('VOLUNTEER_NOT_SIGNED_UP');
  if (step === 'in') {
    if (signup.checked_in_at) throw new AppError('VOLUNTEER_CHECK_STATE');
    await updateSignup(ctx.trx, task.id, userId, { checked_in_at: now });
  } else {
    if (!signup.checked_in_at || signup.checked_out_at) throw new AppError('VOLUNTEER_CHECK_STATE');
    await updateSignup(ctx.trx, task.id, userId, { checked_out_at: now });
  }
  const type = step === 'in' ? 'volunteer.self_checked_in' : 'volunteer.self_checked_out';
  await recordChange(ctx, {
    audit: { action: step === 'in' ? 'volunteer.self_check_in' : 'volunteer.self_check_out', objectType: 'volunteer_task', objectId: task.id, regionPath: task.regionPath, details: { userId } },
    event: { type, aggregateType: 'volunteer_task', aggregateId: task.id, regionPath: task.regionPath, payload: { userId } },
  });
}

/**
 * Committee staff confirm the hours of a volunteer who checked themselves out: the hours run from
 * their check-in to their check-out inside the task's time, and the `volunteer.checked_out` event
 * earns the points (once: points are unique per person, reason and task).
 */
export async function confirmHours(ctx: UserContext, task: VolunteerTask, userId: string): Promise<number> {
  const [signup] = await listSignups(ctx.trx, task.id, { userId, forUpdate: true });
  if (!signup) throw new AppError('NOT_FOUND', { field: 'userId' });
  if (!signup.checked_in_at || !signup.checked_out_at || signup.hours !== null) throw new AppError('VOLUNTEER_CHECK_STATE');
  const hours = hoursOf(task, signup.checked_in_at, signup.checked_out_at);
  await updateSignup(ctx.trx, task.id, userId, { hours });
  const payload = { userId, hours, pointsPerHour: task.pointsPerHour, selfReported: true };
  await recordChange(ctx, {
    audit: { action: 'volunteer.confirm_hours', objectType: 'volunteer_task', objectId: task.id, regionPath: task.regionPath, details: payload },
    event: { type: 'volunteer.checked_out', aggregateType: 'volunteer_task', aggregateId: task.id, regionPath: task.regionPath, payload },
  });
  return hours;
}

// ---------- points ----------

/**
 * The only way points are earned: a subscriber to the event that earns them calls this with the
 * platform as the actor. No endpoint takes an amount from a resident.
 */
export async function awardPoints(trx: Tx, entry: { userId: string; amount: number; reason: PointsReason; sourceId: string; regionPath: string | null; note?: string }): Promise<void> {
  if (entry.amount <= 0) return;
  const ctx: CommandContext = { trx, actor: systemActor('points'), requestId: null };
  const balance = await movePoints(trx, { ...entry, at: new Date() });
  if (balance === undefined) return;
  const details = { userId: entry.userId, amount: entry.amount, reason: entry.reason, sourceId: entry.sourceId, balance };
  await recordChange(ctx, {
    audit: { action: 'points.award', objectType: 'points', objectId: entry.userId, regionPath: entry.regionPath, details },
    event: { type: 'points.awarded', aggregateType: 'points', aggregateId: entry.userId, regionPath: entry.regionPath, payload: details },
  });
}

export async function createReward(ctx: UserContext, input: { region: Region; name: string; description: string; cost: number; stock: number }): Promise<string> {
  const id = await insertReward(ctx.trx, {
    region_code: input.region.code,
    region_path: input.region.regionPath,
    name: input.name,
    description: input.description,
    cost: input.cost,
    stock: input.stock,
    created_by: ctx.actor.userId,
    created_at: nowOf(ctx),
  });
  const details = { name: input.name, cost: input.cost, stock: input.stock };
  await recordChange(ctx, {
    audit: { action: 'reward.create', objectType: 'reward', objectId: id, regionPath: input.region.regionPath, details },
    event: { type: 'reward.created', aggregateType: 'reward', aggregateId: id, regionPath: input.region.regionPath, payload: details },
  });
  return id;
}

export async function changeReward(ctx: UserContext, reward: { id: string; regionPath: string }, changes: { stock?: number; active?: boolean }): Promise<void> {
  await updateReward(ctx.trx, reward.id, changes);
  await recordChange(ctx, {
    audit: { action: 'reward.update', objectType: 'reward', objectId: reward.id, regionPath: reward.regionPath, details: changes },
    event: { type: 'reward.updated', aggregateType: 'reward', aggregateId: reward.id, regionPath: reward.regionPath, payload: changes },
  });
}

const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** 积分兑换: one item from stock and its cost in points, together or not at all; the code is shown at the counter. */
export async function redeemReward(ctx: UserContext, reward: { id: string; name: string; cost: number; regionPath: string }): Promise<{ code: string; balance: number }> {
  if (!(await takeFromStock(ctx.trx, reward.id))) throw new AppError('REWARD_OUT_OF_STOCK');
  const code = Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  const now = nowOf(ctx);
  await insertRedemption(ctx.trx, { rewardId: reward.id, userId: ctx.actor.userId, code, cost: reward.cost, regionPath: reward.regionPath, at: now });
  const balance = await movePoints(ctx.trx, { userId: ctx.actor.userId, amount: -reward.cost, reason: 'redeem', sourceId: code, regionPath: reward.regionPath, note: reward.name, at: now });
  const details = { rewardId: reward.id, cost: reward.cost, code };
  await recordChange(ctx, {
    audit: { action: 'reward.redeem', objectType: 'reward', objectId: reward.id, regionPath: reward.regionPath, details },
    event: { type: 'reward.redeemed', aggregateType: 'reward', aggregateId: reward.id, regionPath: reward.regionPath, payload: details },
  });
  return { code, balance: balance ?? 0 };
}
