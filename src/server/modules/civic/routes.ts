import { committeePathOf, HOTSPOT_MIN_CASES, HOTSPOT_WINDOW_DAYS, POINTS_REASON_LABELS, PROPOSAL_STATUS_LABELS, PROPOSAL_STATUSES, VOLUNTEER_TASK_KIND_LABELS, YES_NO_LABELS, type ProposalStatus } from '../../../shared/civic.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { maskName, maskPhone } from '../../../shared/mask.ts';
import { authorize, pathWithin, scopeOf, UNRESTRICTED } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import type { Executor } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, localeOf, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { CommandContext, Platform } from '../../platform/platform.ts';
import { tagCodesOfPerson } from '../ledger/repository.ts';
import { linkOfUser } from '../services/repository.ts';
import type { FastifyRequest } from 'fastify';
import { findRegion, type Region } from '../regions/repository.ts';
import {
  addProgress,
  castVote,
  changeReward,
  changeSupportThreshold,
  checkVolunteer,
  confirmHours,
  selfCheck,
  commentOnProposal,
  completeProposal,
  createProposal,
  createReward,
  createTask,
  markNoticeRead,
  openVote,
  publishNotice,
  redeemReward,
  registerVolunteer,
  setAccountability,
  signUp,
  supportProposal,
  withdrawNoticeCommand,
} from './commands.ts';
import {
  findHotspots,
  findProposal,
  findVolunteer,
  knownTagCodes,
  listComments,
  listMilestones,
  listNotices,
  listProgress,
  listProposals,
  listRedemptions,
  listRewards,
  listSignups,
  listTasks,
  listVolunteers,
  noticeAudience,
  noticeReaders,
  pointsOf,
  supportThreshold,
  type CivicView,
  type Notice,
  type Proposal,
  type VolunteerTask,
} from './repository.ts';
import {
  AccountabilityBody,
  Audience,
  AudienceQuery,
  CheckParams,
  CommentBody,
  CompleteBody,
  Created,
  HotspotList,
  HotspotProposalBody,
  HotspotQuery,
  IdParams,
  NoBody,
  NoticeBody,
  NoticeList,
  NoticeReads,
  NoticeSchema,
  Ok,
  OpenVoteBody,
  PointsSchema,
  ProgressBody,
  ProposalBody,
  ProposalDetail,
  ProposalList,
  ProposalListQuery,
  Redeemed,
  RedemptionList,
  RewardBody,
  RewardList,
  RewardPatch,
  RewardSchema,
  SelfCheckParams,
  TaskBody,
  TaskDetail,
  TaskList,
  ThresholdBody,
  ThresholdParams,
  ThresholdSchema,
  VolunteerBody,
  VolunteerList,
  VolunteerSchema,
  VoteBody,
} from './schemas.ts';

/** What a caller reads through: a resident the place they live, staff their scope. */
export function viewOf(actor: UserActor): CivicView {
  if (actor.assignment.role === 'resident') {
    return { kind: 'resident', userId: actor.userId, regionPath: actor.assignment.regionPath, committeePath: committeePathOf(actor.assignment.regionPath) };
  }
  return { kind: 'staff', scope: scopeOf(actor) };
}

/**
 * A resident's ledger tag codes (高龄, 独居 …), through the account's 实名核验 link to their ledger
 * person, for notices addressed to tags. Null says "not known": a resident not linked yet still gets
 * tagged notices of their region, since missing a notice meant for them costs more than reading one
 * that was not.
 */
export async function residentTagCodes(db: Executor, userId: string): Promise<string[] | null> {
  const link = await linkOfUser(db, userId);
  if (!link) return null;
  return (await tagCodesOfPerson(db, link.personId)) ?? null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentNotice(n: Notice, view: CivicView) {
  return {
    id: n.id,
    title: n.title,
    body: n.body,
    plainText: `${n.title}。${n.body.replace(/\s+/g, ' ').trim()}`,
    link: n.link,
    regionCode: n.regionCode,
    regionName: n.regionName,
    tags: n.tags,
    validFrom: n.validFrom.toISOString(),
    validUntil: iso(n.validUntil),
    publisherName: n.publisherName,
    withdrawn: n.withdrawnAt !== null,
    createdAt: n.createdAt.toISOString(),
    readAt: iso(n.readAt),
    ...(view.kind === 'staff' ? { readCount: n.readCount, audience: n.audience, audienceLinked: n.audienceLinked, audienceUnlinked: n.audienceUnlinked } : {}),
  };
}

function livesIn(actor: UserActor, scopePath: string): boolean {
  return actor.assignments.some((a) => a.role === 'resident' && pathWithin(a.regionPath, scopePath));
}

function optionLabel(kind: string | null, value: string, locale: Locale): string {
  return kind === 'yes_no' && value in YES_NO_LABELS ? YES_NO_LABELS[value as keyof typeof YES_NO_LABELS][locale] : value;
}

function presentProposal(p: Proposal, actor: UserActor, locale: Locale) {
  const resident = actor.assignment.role === 'resident';
  const hotspot = p.hotspot as { categoryCode: string; categoryName: string; count: number; caseNumbers: string[] } | null;
  return {
    id: p.id,
    title: p.title,
    description: p.description,
    scopeCode: p.scopeCode,
    scopeName: p.scopeName,
    scopeLevel: p.scopeLevel,
    origin: p.origin,
    hotspot: hotspot ? { categoryCode: hotspot.categoryCode, categoryName: hotspot.categoryName, count: hotspot.count, caseNumbers: hotspot.caseNumbers } : null,
    proposerName: resident && p.origin === 'resident' && p.proposerUserId !== actor.userId ? maskName(p.proposerName) : p.proposerName,
    status: p.status as ProposalStatus,
    statusLabel: PROPOSAL_STATUS_LABELS[p.status as ProposalStatus][locale],
    supportThreshold: p.supportThreshold,
    supportCount: p.supportCount,
    supportedByMe: p.supportedByMe,
    voteKind: p.voteKind,
    voteOptions: p.voteOptions?.map((value) => ({ value, label: optionLabel(p.voteKind, value, locale) })) ?? null,
    voteOpensAt: iso(p.voteOpensAt),
    voteClosesAt: iso(p.voteClosesAt),
    myVote: p.myVote,
    mayVote: resident && p.status === 'voting' && p.myVote === null && livesIn(actor, p.scopePath) && (p.voteClosesAt?.getTime() ?? 0) > Date.now(),
    result: (p.result as { counts: Record<string, number>; total: number; eligible: number; winner: string | null; closedAt: string } | null) ?? null,
    responsible: p.responsible,
    doneAt: iso(p.doneAt),
    commentCount: p.commentCount,
    createdAt: p.createdAt.toISOString(),
  };
}

/** A sign-up's check-in, check-out and hours; checked out without hours means self-reported, waiting for staff. */
function signupState(checkedInAt: Date | null, checkedOutAt: Date | null, hours: number | string | null) {
  return { checkedInAt: iso(checkedInAt), checkedOutAt: iso(checkedOutAt), hours: hours === null ? null : Number(hours), awaitingConfirmation: checkedOutAt !== null && hours === null };
}

function presentTask(t: VolunteerTask, locale: Locale) {
  return {
    id: t.id,
    regionCode: t.regionCode,
    regionName: t.regionName,
    kind: t.kind,
    kindLabel: VOLUNTEER_TASK_KIND_LABELS[t.kind][locale],
    title: t.title,
    description: t.description,
    startsAt: t.startsAt.toISOString(),
    endsAt: t.endsAt.toISOString(),
    capacity: t.capacity,
    pointsPerHour: t.pointsPerHour,
    signedUp: t.signedUp,
    mySignup: t.mySignup ? signupState(t.mySignup.checkedInAt, t.mySignup.checkedOutAt, t.mySignup.hours) : null,
  };
}

function presentReward(r: Awaited<ReturnType<typeof listRewards>>[number]) {
  return { id: r.id, regionCode: r.region_code, regionName: r.region_name, name: r.name, description: r.description, cost: r.cost, stock: r.stock, active: r.active, redeemed: Number(r.redeemed) };
}

export function civicRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;

  /** The region a staff member addresses (their own by default), which must lie in their scope. */
  async function regionInScope(actor: UserActor, code: string | undefined): Promise<Region> {
    const region = await findRegion(db, scopeOf(actor), code ?? actor.assignment.regionCode);
    if (!region) throw new AppError('NOT_FOUND', { field: 'regionCode' });
    return region;
  }

  // ---------- notices ----------
  {
    const tags = ['notices'];

    async function noticeOrThrow(executor: Executor, actor: UserActor, id: string): Promise<Notice> {
      const view = viewOf(actor);
      const [notice] = await listNotices(executor, view, { now: new Date(), tags: view.kind === 'resident' ? await residentTagCodes(executor, actor.userId) : null, id });
      if (!notice) throw new AppError('NOT_FOUND');
      return notice;
    }

    app.get(
      '/notices',
      { schema: { tags, summary: 'Residents: the current notices addressed to them (unread first in the app). Staff: the notices of their scope with read counts', response: withErrors({ 200: NoticeList }) } },
      async (request) => {
        const actor = authorize(permissions, request.actor, 'notice.read');
        const view = viewOf(actor);
        const items = await listNotices(db, view, { now: new Date(), tags: view.kind === 'resident' ? await residentTagCodes(db, actor.userId) : null });
        return { items: items.map((n) => presentNotice(n, view)) };
      },
    );

    app.get('/notices/:id', { schema: { tags, summary: 'One notice', params: IdParams, response: withErrors({ 200: NoticeSchema }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'notice.read');
      return presentNotice(await noticeOrThrow(db, actor, request.params.id), viewOf(actor));
    });

    /** Ledger tag codes a notice may address; an unknown one is a validation failure. */
    async function checkedTags(tagCodes: string[]): Promise<string[]> {
      const known = await knownTagCodes(db, tagCodes);
      const unknown = tagCodes.filter((t) => !known.has(t));
      if (unknown.length) throw new AppError('VALIDATION_FAILED', [{ path: '/tags', rule: 'ledger tag', message: `unknown tags ${unknown.join(', ')}` }]);
      return tagCodes;
    }

    app.get(
      '/notices/audience',
      { schema: { tags, summary: 'How many residents a notice to a region and tags would reach: verified residents with one of the tags, plus residents not verified yet', querystring: AudienceQuery, response: withErrors({ 200: Audience }) } },
      async (request) => {
        const actor = authorize(permissions, request.actor, 'notice.publish');
        const region = await regionInScope(actor, request.query.regionCode);
        const tagCodes = await checkedTags([...new Set(request.query.tags?.split(',') ?? [])]);
        const { linked, unlinked } = await noticeAudience(db, region.regionPath, tagCodes);
        return { total: linked + unlinked, linked, unlinked };
      },
    );

    app.post(
      '/notices',
      { schema: { tags, summary: 'Publish a notice to the residents of a region in your scope, optionally only those with one of the ledger tags', body: NoticeBody, response: withErrors({ 201: Created, 422: ErrorResponse }) } },
      async (request, reply) => {
        const actor = authorize(permissions, request.actor, 'notice.publish');
        const body = request.body;
        const region = await regionInScope(actor, body.regionCode);
        const tagCodes = await checkedTags(body.tags ?? []);
        const validFrom = body.validFrom ? new Date(body.validFrom) : new Date();
        const validUntil = body.validUntil ? new Date(body.validUntil) : null;
        if (validUntil && validUntil <= validFrom) throw new AppError('VALIDATION_FAILED', [{ path: '/validUntil', rule: 'after validFrom' }]);
        const id = await platform.transaction(
          actor,
          (ctx) => publishNotice({ ...ctx, actor }, { title: body.title.trim(), body: body.body.trim(), link: body.link ?? null, region, tags: tagCodes, validFrom, validUntil }),
          { requestId: request.id },
        );
        return reply.code(201).send({ id });
      },
    );

    app.post('/notices/:id/read', { schema: { tags, summary: 'Read receipt: the resident opened the notice (once; again changes nothing)', params: IdParams, body: NoBody, response: withErrors({ 200: NoticeSchema }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'notice.receive');
      await platform.transaction(actor, async (ctx) => markNoticeRead({ ...ctx, actor }, await noticeOrThrow(ctx.trx, actor, request.params.id)), { requestId: request.id });
      return presentNotice(await noticeOrThrow(db, actor, request.params.id), viewOf(actor));
    });

    app.get('/notices/:id/reads', { schema: { tags, summary: 'Who read a notice and when (names masked), against the residents of its region', params: IdParams, response: withErrors({ 200: NoticeReads }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'notice.publish');
      const notice = await noticeOrThrow(db, actor, request.params.id);
      const readers = await noticeReaders(db, notice.id);
      return { readCount: notice.readCount, audience: notice.audience, audienceLinked: notice.audienceLinked, audienceUnlinked: notice.audienceUnlinked, readers: readers.map((r) => ({ name: maskName(r.displayName), readAt: r.readAt.toISOString() })) };
    });

    app.post('/notices/:id/withdraw', { schema: { tags, summary: 'Withdraw a notice: residents no longer see it', params: IdParams, body: NoBody, response: withErrors({ 200: Ok }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'notice.publish');
      await platform.transaction(actor, async (ctx) => withdrawNoticeCommand({ ...ctx, actor }, await noticeOrThrow(ctx.trx, actor, request.params.id)), { requestId: request.id });
      return { ok: true };
    });
  }

  // ---------- proposals (居民议事) ----------
  {
    const tags = ['proposals'];

    async function proposalOrThrow(executor: Executor, actor: UserActor, id: string, options: { forUpdate?: boolean } = {}): Promise<Proposal> {
      const proposal = await findProposal(executor, viewOf(actor), id, options);
      if (!proposal) throw new AppError('NOT_FOUND');
      return proposal;
    }

    async function detail(actor: UserActor, id: string, locale: Locale) {
      const proposal = await proposalOrThrow(db, actor, id);
      const [comments, milestones, progress] = [await listComments(db, id), await listMilestones(db, id), await listProgress(db, id)];
      const resident = actor.assignment.role === 'resident';
      return {
        ...presentProposal(proposal, actor, locale),
        comments: comments.map((c) => ({ id: c.id, authorName: resident ? maskName(c.author_name) : c.author_name, body: c.body, createdAt: c.created_at.toISOString() })),
        milestones: milestones.map((m) => ({ id: m.id, title: m.title, dueDate: m.due_date, doneAt: iso(m.done_at) })),
        progress: progress.map((u) => ({ id: u.id, milestoneId: u.milestone_id, note: u.note, authorName: u.author_name, createdAt: u.created_at.toISOString() })),
      };
    }

    /**
     * Authorizes, runs a command on a proposal the caller can see (row-locked unless `lock` is
     * false), then answers with its detail.
     */
    async function act(request: FastifyRequest & { params: { id: string } }, permission: string, work: (ctx: CommandContext & { actor: UserActor }, proposal: Proposal) => Promise<unknown>, lock = true) {
      const actor = authorize(permissions, request.actor, permission);
      const id = request.params.id;
      await platform.transaction(actor, async (ctx) => work({ ...ctx, actor }, await proposalOrThrow(ctx.trx, actor, id, { forUpdate: lock })), { requestId: request.id });
      return detail(actor, id, localeOf(request));
    }

    app.get('/proposals', { schema: { tags, summary: 'Proposals of your committee (residents) or scope (staff), most recently active first', querystring: ProposalListQuery, response: withErrors({ 200: ProposalList }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'proposal.read');
      const statuses = request.query.status?.split(',').filter(Boolean);
      const unknown = statuses?.filter((s) => !(PROPOSAL_STATUSES as readonly string[]).includes(s)) ?? [];
      if (unknown.length) throw new AppError('VALIDATION_FAILED', [{ in: 'querystring', path: '/status', rule: 'enum', message: `one of ${PROPOSAL_STATUSES.join(', ')}` }]);
      const items = await listProposals(db, viewOf(actor), { ...(statuses ? { statuses } : {}), limit: 200 });
      return { items: items.map((p) => presentProposal(p, actor, localeOf(request))) };
    });

    app.get(
      '/proposals/hotspots',
      {
        schema: {
          tags,
          summary: `Recurring problems from cases: at least \`min\` (default ${HOTSPOT_MIN_CASES}) cases of one category in one building or committee within \`days\` (default ${HOTSPOT_WINDOW_DAYS})`,
          querystring: HotspotQuery,
          response: withErrors({ 200: HotspotList }),
        },
      },
      async (request) => {
        const actor = authorize(permissions, request.actor, 'proposal.manage');
        const days = request.query.days ?? HOTSPOT_WINDOW_DAYS;
        const items = await findHotspots(db, scopeOf(actor), new Date(Date.now() - days * 86_400_000), request.query.min ?? HOTSPOT_MIN_CASES);
        return { items: items.map((h) => ({ ...h, lastAt: h.lastAt.toISOString() })) };
      },
    );

    app.get('/proposals/:id', { schema: { tags, summary: 'A proposal with its discussion, result and accountability', params: IdParams, response: withErrors({ 200: ProposalDetail }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'proposal.read');
      return detail(actor, request.params.id, localeOf(request));
    });

    app.post(
      '/proposals',
      { schema: { tags, summary: 'A resident proposes something for their committee or one of its buildings', body: ProposalBody, response: withErrors({ 201: ProposalDetail, 422: ErrorResponse }) } },
      async (request, reply) => {
        const actor = authorize(permissions, request.actor, 'proposal.participate');
        const committeePath = committeePathOf(actor.assignment.regionPath);
        const committeeCode = committeePath.split('.').at(-1)!;
        const place = await findRegion(db, UNRESTRICTED, request.body.scopeCode ?? committeeCode);
        if (!place || !pathWithin(place.regionPath, committeePath) || (place.level !== 'committee' && place.level !== 'building')) throw new AppError('PROPOSAL_SCOPE_INVALID');
        const threshold = await supportThreshold(db, committeeCode);
        const id = await platform.transaction(
          actor,
          (ctx) => createProposal({ ...ctx, actor }, { title: request.body.title.trim(), description: request.body.description.trim(), place, committeePath, threshold, origin: 'resident' }),
          { requestId: request.id },
        );
        return reply.code(201).send(await detail(actor, id, localeOf(request)));
      },
    );

    app.post(
      '/proposals/from-hotspot',
      { schema: { tags, summary: 'Staff put a recurring problem (GET /api/proposals/hotspots) to the residents as a proposal', body: HotspotProposalBody, response: withErrors({ 201: ProposalDetail, 422: ErrorResponse }) } },
      async (request, reply) => {
        const actor = authorize(permissions, request.actor, 'proposal.manage');
        const body = request.body;
        const hotspots = await findHotspots(db, scopeOf(actor), new Date(Date.now() - HOTSPOT_WINDOW_DAYS * 86_400_000), HOTSPOT_MIN_CASES);
        const hotspot = hotspots.find((h) => h.categoryCode === body.categoryCode && h.regionCode === body.regionCode);
        if (!hotspot) throw new AppError('NOT_FOUND', { field: 'hotspot' });
        const place = await findRegion(db, scopeOf(actor), hotspot.regionCode);
        if (!place || (place.level !== 'committee' && place.level !== 'building')) throw new AppError('PROPOSAL_SCOPE_INVALID');
        const committeePath = committeePathOf(place.regionPath);
        const threshold = await supportThreshold(db, committeePath.split('.').at(-1)!);
        const id = await platform.transaction(
          actor,
          (ctx) =>
            createProposal(
              { ...ctx, actor },
              {
                title: body.title.trim(),
                description: body.description.trim(),
                place,
                committeePath,
                threshold,
                origin: 'hotspot',
                hotspot: { categoryCode: hotspot.categoryCode, categoryName: hotspot.categoryName, count: hotspot.count, caseNumbers: hotspot.caseNumbers },
              },
            ),
          { requestId: request.id },
        );
        return reply.code(201).send(await detail(actor, id, localeOf(request)));
      },
    );

    app.post(
      '/proposals/:id/support',
      { schema: { tags, summary: 'Support a proposal (once per resident); at the threshold it waits for the committee to open a vote', params: IdParams, body: NoBody, response: withErrors({ 200: ProposalDetail, 409: ErrorResponse }) } },
      async (request) => {
        return act(request, 'proposal.participate', (ctx, p) => supportProposal(ctx, p));
      },
    );

    app.post('/proposals/:id/comments', { schema: { tags, summary: 'Join the discussion', params: IdParams, body: CommentBody, response: withErrors({ 201: ProposalDetail, 409: ErrorResponse }) } }, async (request, reply) => {
      const result = await act(request, 'proposal.participate', (ctx, p) => commentOnProposal(ctx, p, request.body.body.trim()), false);
      return reply.code(201).send(result);
    });

    app.post(
      '/proposals/:id/vote',
      {
        schema: {
          tags,
          summary: 'Vote once, as a resident of the committee or building the proposal concerns (VOTE_OUTSIDE_AREA otherwise)',
          params: IdParams,
          body: VoteBody,
          response: withErrors({ 200: ProposalDetail, 409: ErrorResponse, 422: ErrorResponse }),
        },
      },
      async (request) => {
        // no row lock: concurrent votes of different residents proceed side by side; the primary key settles one resident's race
        return act(request, 'proposal.participate', (ctx, p) => castVote(ctx, p, request.body.choice), false);
      },
    );

    app.post(
      '/proposals/:id/open-vote',
      { schema: { tags, summary: 'Open the vote on a proposal that reached its support threshold: yes/no/abstain or choices, until closesAt', params: IdParams, body: OpenVoteBody, response: withErrors({ 200: ProposalDetail, 409: ErrorResponse, 422: ErrorResponse }) } },
      async (request) => {
        return act(request, 'proposal.manage', (ctx, p) =>
          openVote(ctx, p, { closesAt: new Date(request.body.closesAt), kind: request.body.kind ?? (request.body.options ? 'choices' : 'yes_no'), ...(request.body.options ? { options: request.body.options } : {}) }),
        );
      },
    );

    app.put(
      '/proposals/:id/accountability',
      { schema: { tags, summary: 'Who carries out an accepted proposal, and its milestones (added to those already set)', params: IdParams, body: AccountabilityBody, response: withErrors({ 200: ProposalDetail, 409: ErrorResponse }) } },
      async (request) => {
        return act(request, 'proposal.manage', (ctx, p) =>
          setAccountability(ctx, p, { responsible: request.body.responsible.trim(), milestones: request.body.milestones.map((m) => ({ title: m.title.trim(), dueDate: m.dueDate ?? null })) }),
        );
      },
    );

    app.post(
      '/proposals/:id/progress',
      { schema: { tags, summary: 'A progress update on an accepted proposal, optionally completing a milestone', params: IdParams, body: ProgressBody, response: withErrors({ 200: ProposalDetail, 409: ErrorResponse }) } },
      async (request) => {
        return act(request, 'proposal.manage', (ctx, p) =>
          addProgress(ctx, p, { note: request.body.note.trim(), milestoneId: request.body.milestoneId ?? null, milestoneDone: request.body.milestoneDone ?? false }),
        );
      },
    );

    app.post('/proposals/:id/complete', { schema: { tags, summary: 'Mark an accepted proposal carried out (办结)', params: IdParams, body: CompleteBody, response: withErrors({ 200: ProposalDetail, 409: ErrorResponse }) } }, async (request) => {
      return act(request, 'proposal.manage', (ctx, p) => completeProposal(ctx, p, request.body.note.trim()));
    });

    async function committeeInScope(actor: UserActor, code: string): Promise<Region> {
      const region = await findRegion(db, scopeOf(actor), code);
      if (!region) throw new AppError('NOT_FOUND');
      if (region.level !== 'committee') throw new AppError('PROPOSAL_SCOPE_INVALID');
      return region;
    }

    app.get('/proposal-thresholds/:code', { schema: { tags, summary: 'Supports a proposal of this committee needs before a vote', params: ThresholdParams, response: withErrors({ 200: ThresholdSchema }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'proposal.manage');
      const committee = await committeeInScope(actor, request.params.code);
      return { regionCode: committee.code, supportThreshold: await supportThreshold(db, committee.code) };
    });

    app.put(
      '/proposal-thresholds/:code',
      { schema: { tags, summary: 'Set the support threshold for new proposals of a committee', params: ThresholdParams, body: ThresholdBody, response: withErrors({ 200: ThresholdSchema, 422: ErrorResponse }) } },
      async (request) => {
        const actor = authorize(permissions, request.actor, 'proposal.manage');
        const committee = await committeeInScope(actor, request.params.code);
        await platform.transaction(actor, (ctx) => changeSupportThreshold({ ...ctx, actor }, committee, request.body.supportThreshold), { requestId: request.id });
        return { regionCode: committee.code, supportThreshold: request.body.supportThreshold };
      },
    );
  }

  // ---------- volunteers, points, rewards ----------
  {
    const tags = ['volunteers'];

    app.get('/volunteers/me', { schema: { tags, summary: 'Your volunteer registration', response: withErrors({ 200: VolunteerSchema }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'volunteer.participate');
      const v = await findVolunteer(db, actor.userId);
      return v ? { registered: true, skills: v.skills, availability: v.availability, partyMember: v.party_member } : { registered: false, skills: [], availability: '', partyMember: false };
    });

    app.put('/volunteers/me', { schema: { tags, summary: 'Register as a volunteer, or change your skills and availability', body: VolunteerBody, response: withErrors({ 200: VolunteerSchema }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'volunteer.participate');
      const body = request.body;
      const input = { skills: body.skills.map((s) => s.trim()).filter(Boolean), availability: body.availability.trim(), partyMember: body.partyMember };
      await platform.transaction(actor, (ctx) => registerVolunteer({ ...ctx, actor }, input), { requestId: request.id });
      return { registered: true, ...input };
    });

    app.get('/volunteers', { schema: { tags, summary: 'Volunteers of your scope (names and phones masked) with their hours and points', response: withErrors({ 200: VolunteerList }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'volunteer.manage');
      const rows = await listVolunteers(db, scopeOf(actor));
      return {
        items: rows.map((r) => ({
          userId: r.user_id,
          name: maskName(r.display_name),
          phone: r.phone ? maskPhone(r.phone) : null,
          skills: r.skills,
          availability: r.availability,
          partyMember: r.party_member,
          hours: Number(r.hours),
          balance: Number(r.balance),
        })),
      };
    });

    async function taskOrThrow(executor: Executor, actor: UserActor, id: string, forUpdate = false): Promise<VolunteerTask> {
      const [task] = await listTasks(executor, viewOf(actor), { id, forUpdate });
      if (!task) throw new AppError('NOT_FOUND');
      return task;
    }

    async function taskDetail(actor: UserActor, id: string, locale: Locale) {
      const task = await taskOrThrow(db, actor, id);
      const signups = actor.assignment.role === 'resident' ? [] : await listSignups(db, id);
      return {
        ...presentTask(task, locale),
        signups: signups.map((s) => ({
          userId: s.user_id,
          name: maskName(s.display_name),
          phone: s.phone ? maskPhone(s.phone) : null,
          partyMember: s.party_member ?? false,
          signedUpAt: s.signed_up_at.toISOString(),
          ...signupState(s.checked_in_at, s.checked_out_at, s.hours),
        })),
      };
    }

    app.get('/volunteer-tasks', { schema: { tags, summary: 'Volunteer tasks for your committee (residents) or scope (staff)', response: withErrors({ 200: TaskList }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'volunteer.read');
      const items = await listTasks(db, viewOf(actor));
      return { items: items.map((t) => presentTask(t, localeOf(request))) };
    });

    app.get('/volunteer-tasks/:id', { schema: { tags, summary: 'A task; staff also see who signed up (masked), check-ins and hours', params: IdParams, response: withErrors({ 200: TaskDetail }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'volunteer.read');
      return taskDetail(actor, request.params.id, localeOf(request));
    });

    app.post(
      '/volunteer-tasks',
      { schema: { tags, summary: 'Post a volunteer task (e.g. visiting residents living alone) with its time, places and points per hour', body: TaskBody, response: withErrors({ 201: TaskDetail }) } },
      async (request, reply) => {
        const actor = authorize(permissions, request.actor, 'volunteer.manage');
        const body = request.body;
        const region = await regionInScope(actor, body.regionCode);
        const id = await platform.transaction(
          actor,
          (ctx) =>
            createTask(
              { ...ctx, actor },
              { region, kind: body.kind, title: body.title.trim(), description: body.description?.trim() ?? '', startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt), capacity: body.capacity, pointsPerHour: body.pointsPerHour },
            ),
          { requestId: request.id },
        );
        return reply.code(201).send(await taskDetail(actor, id, localeOf(request)));
      },
    );

    app.post('/volunteer-tasks/:id/signup', { schema: { tags, summary: 'Sign up for a task (registered volunteers, while places are left)', params: IdParams, body: NoBody, response: withErrors({ 200: TaskDetail, 409: ErrorResponse }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'volunteer.participate');
      await platform.transaction(actor, async (ctx) => signUp({ ...ctx, actor }, await taskOrThrow(ctx.trx, actor, request.params.id, true)), { requestId: request.id });
      return taskDetail(actor, request.params.id, localeOf(request));
    });

    app.post(
      '/volunteer-tasks/:id/signups/:userId/:step',
      {
        schema: {
          tags,
          summary: 'Staff check a volunteer in or out (check-out records the hours, which earn points), or confirm the hours of a volunteer who checked themselves out',
          params: CheckParams,
          body: NoBody,
          response: withErrors({ 200: TaskDetail, 409: ErrorResponse }),
        },
      },
      async (request) => {
        const actor = authorize(permissions, request.actor, 'volunteer.manage');
        const { id, userId, step } = request.params;
        await platform.transaction(
          actor,
          async (ctx) => {
            const task = await taskOrThrow(ctx.trx, actor, id, true);
            if (step === 'confirm') await confirmHours({ ...ctx, actor }, task, userId);
            else await checkVolunteer({ ...ctx, actor }, task, userId, step === 'check-in' ? 'in' : 'out');
          },
          { requestId: request.id },
        );
        return taskDetail(actor, id, localeOf(request));
      },
    );

    app.post(
      '/volunteer-tasks/:id/me/:step',
      {
        schema: {
          tags,
          summary: 'A volunteer’s own check-in or check-out for a task they signed up for, on the task’s day only; the hours earn points once committee staff confirm them',
          params: SelfCheckParams,
          body: NoBody,
          response: withErrors({ 200: TaskDetail, 409: ErrorResponse }),
        },
      },
      async (request) => {
        const actor = authorize(permissions, request.actor, 'volunteer.participate');
        const { id, step } = request.params;
        await platform.transaction(actor, async (ctx) => selfCheck({ ...ctx, actor }, await taskOrThrow(ctx.trx, actor, id, true), step === 'check-in' ? 'in' : 'out'), { requestId: request.id });
        return taskDetail(actor, id, localeOf(request));
      },
    );

    app.get('/me/points', { schema: { tags, summary: 'Your points: balance, the ledger entries (newest first) and your redemptions', response: withErrors({ 200: PointsSchema }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'volunteer.participate');
      const locale = localeOf(request);
      const { balance, entries } = await pointsOf(db, actor.userId, 200);
      const redemptions = await listRedemptions(db, viewOf(actor));
      return {
        balance,
        entries: entries.map((e) => ({ ...e, reasonLabel: POINTS_REASON_LABELS[e.reason][locale], createdAt: e.createdAt.toISOString() })),
        redemptions: redemptions.map((r) => ({ id: r.id, code: r.code, cost: r.cost, rewardName: r.reward_name, createdAt: r.created_at.toISOString() })),
      };
    });

    async function rewardOrThrow(executor: Executor, actor: UserActor, id: string) {
      const [reward] = await listRewards(executor, viewOf(actor), { id });
      if (!reward) throw new AppError('NOT_FOUND');
      return reward;
    }

    app.get('/rewards', { schema: { tags, summary: 'Rewards to redeem points for (residents: those of their committee and street)', response: withErrors({ 200: RewardList }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'volunteer.read');
      return { items: (await listRewards(db, viewOf(actor))).map(presentReward) };
    });

    app.post('/rewards', { schema: { tags, summary: 'Configure a reward: cost in points and stock', body: RewardBody, response: withErrors({ 201: RewardSchema }) } }, async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'volunteer.manage');
      const body = request.body;
      const region = await regionInScope(actor, body.regionCode);
      const id = await platform.transaction(actor, (ctx) => createReward({ ...ctx, actor }, { region, name: body.name.trim(), description: body.description?.trim() ?? '', cost: body.cost, stock: body.stock }), {
        requestId: request.id,
      });
      return reply.code(201).send(presentReward(await rewardOrThrow(db, actor, id)));
    });

    app.patch('/rewards/:id', { schema: { tags, summary: 'Restock a reward or switch it off', params: IdParams, body: RewardPatch, response: withErrors({ 200: RewardSchema }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'volunteer.manage');
      await platform.transaction(
        actor,
        async (ctx) => {
          const reward = await rewardOrThrow(ctx.trx, actor, request.params.id);
          await changeReward({ ...ctx, actor }, { id: reward.id, regionPath: reward.region_path }, request.body);
        },
        { requestId: request.id },
      );
      return presentReward(await rewardOrThrow(db, actor, request.params.id));
    });

    app.post('/rewards/:id/redeem', { schema: { tags, summary: '积分兑换: spend points on one item; answers the code to show at the committee', params: IdParams, body: NoBody, response: withErrors({ 200: Redeemed, 409: ErrorResponse }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'volunteer.participate');
      return platform.transaction(
        actor,
        async (ctx) => {
          const reward = await rewardOrThrow(ctx.trx, actor, request.params.id);
          return redeemReward({ ...ctx, actor }, { id: reward.id, name: reward.name, cost: reward.cost, regionPath: reward.region_path });
        },
        { requestId: request.id },
      );
    });

    app.get('/redemptions', { schema: { tags, summary: 'Redemptions in your scope (names masked), to hand out the rewards', response: withErrors({ 200: RedemptionList }) } }, async (request) => {
      const actor = authorize(permissions, request.actor, 'volunteer.manage');
      const rows = await listRedemptions(db, viewOf(actor));
      return { items: rows.map((r) => ({ id: r.id, code: r.code, cost: r.cost, rewardName: r.reward_name, name: maskName(r.display_name), createdAt: r.created_at.toISOString() })) };
    });
  }
}
