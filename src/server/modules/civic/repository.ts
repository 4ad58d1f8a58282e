import { sql, type Expression, type Insertable, type SqlBool, type Updateable } from 'kysely';
import { scopeCondition, type Scope } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { NoticeTable, PointsEntryTable, ProposalTable, RewardTable, VolunteerTaskTable } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { DEFAULT_SUPPORT_THRESHOLD, type PointsReason } from '../../../shared/civic.ts';
import { PERSON_TAGS } from '../ledger/repository.ts';

/**
 * The only SQL of notices, proposals, volunteers and points. Staff read through their scope; a
 * resident reads what is addressed to the place they live (their active assignment's region path).
 */
export type CivicView = { kind: 'staff'; scope: Scope } | { kind: 'resident'; userId: string; regionPath: string; committeePath: string };

/** Rows addressed to a region (and everything under it) reach a resident living there. */
function reaches(column: string, view: CivicView) {
  return view.kind === 'staff' ? scopeCondition(sql.ref(column), view.scope) : sql<SqlBool>`${view.regionPath}::ltree <@ ${sql.ref(column)}`;
}

// ---------- notices ----------

export async function insertNotice(db: Executor, row: Insertable<NoticeTable>): Promise<string> {
  const { id } = await db.insertInto('notices').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export interface Notice {
  id: string;
  title: string;
  body: string;
  link: string | null;
  regionCode: string;
  regionName: string;
  regionPath: string;
  tags: string[];
  validFrom: Date;
  validUntil: Date | null;
  publisherName: string;
  withdrawnAt: Date | null;
  createdAt: Date;
  readAt: Date | null;
  readCount: number;
  /** Residents the notice reaches: `audienceLinked` + `audienceUnlinked`. */
  audience: number;
  /** Verified residents (linked to a ledger person) of the region who have one of the notice's tags (all of them when it has none). */
  audienceLinked: number;
  /** Residents of the region not verified yet: their tags are unknown, so they receive tagged notices too. */
  audienceUnlinked: number;
}

/**
 * How many residents a notice to a region and tags reaches, as `residentTagCodes` decides who sees
 * it: the verified residents whose ledger person has one of the tags (every verified resident when
 * there are none), plus every resident not verified yet.
 */
function audienceSql(regionPath: Expression<string>, tags: Expression<string[]>) {
  return {
    linked: sql<string>`(select count(distinct a.user_id) from role_assignments a
      join resident_links l on l.user_id = a.user_id
      join ledger_persons p on p.id = l.person_id
      where a.role = 'resident' and a.region_path <@ ${regionPath}::ltree
        and (cardinality(${tags}) = 0 or ${PERSON_TAGS} && ${tags}))`,
    unlinked: sql<string>`(select count(distinct a.user_id) from role_assignments a
      where a.role = 'resident' and a.region_path <@ ${regionPath}::ltree
        and not exists (select 1 from resident_links l where l.user_id = a.user_id))`,
  };
}

export async function noticeAudience(db: Executor, regionPath: string, tags: string[]): Promise<{ linked: number; unlinked: number }> {
  const a = audienceSql(sql.val(regionPath), sql<string[]>`${tags}::text[]`);
  const row = await db.selectNoFrom([a.linked.as('linked'), a.unlinked.as('unlinked')]).executeTakeFirstOrThrow();
  return { linked: Number(row.linked), unlinked: Number(row.unlinked) };
}

/**
 * Notices a view may see. A resident sees the current ones of their region whose tags match theirs;
 * `tags` null means the resident's tags are not known (account not linked to a ledger person):
 * then the region alone decides.
 */
export async function listNotices(db: Executor, view: CivicView, options: { now: Date; tags: string[] | null; id?: string; limit?: number }): Promise<Notice[]> {
  const userId = view.kind === 'resident' ? view.userId : null;
  // staff only read the audience; a resident's list does not pay for the per-notice counts
  const audience = view.kind === 'staff' ? audienceSql(sql.ref('n.region_path'), sql.ref('n.tags')) : { linked: sql<string>`0`, unlinked: sql<string>`0` };
  let query = db
    .selectFrom('notices as n')
    .innerJoin('regions as g', 'g.code', 'n.region_code')
    .leftJoin('notice_reads as r', (join) => join.onRef('r.notice_id', '=', 'n.id').on('r.user_id', '=', userId ?? '00000000-0000-0000-0000-000000000000'))
    .select([
      'n.id',
      'n.title',
      'n.body',
      'n.link',
      'n.region_code',
      'g.name as region_name',
      'n.region_path',
      'n.tags',
      'n.valid_from',
      'n.valid_until',
      'n.publisher_name',
      'n.withdrawn_at',
      'n.created_at',
      'r.read_at',
      sql<string>`(select count(*) from notice_reads x where x.notice_id = n.id)`.as('read_count'),
      audience.linked.as('audience_linked'),
      audience.unlinked.as('audience_unlinked'),
    ])
    .where(reaches('n.region_path', view))
    .orderBy('n.valid_from', 'desc')
    .orderBy('n.id')
    .limit(options.limit ?? 100);
  if (options.id) query = query.where('n.id', '=', options.id);
  if (view.kind === 'resident') {
    query = query
      .where('n.withdrawn_at', 'is', null)
      .where('n.valid_from', '<=', options.now)
      .where((eb) => eb.or([eb('n.valid_until', 'is', null), eb('n.valid_until', '>', options.now)]));
    if (options.tags) query = query.where(sql<SqlBool>`(cardinality(n.tags) = 0 or n.tags && ${options.tags}::text[])`);
  }
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    body: r.body,
    link: r.link,
    regionCode: r.region_code,
    regionName: r.region_name,
    regionPath: r.region_path,
    tags: r.tags,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    publisherName: r.publisher_name,
    withdrawnAt: r.withdrawn_at,
    createdAt: r.created_at,
    readAt: r.read_at,
    readCount: Number(r.read_count),
    audience: Number(r.audience_linked) + Number(r.audience_unlinked),
    audienceLinked: Number(r.audience_linked),
    audienceUnlinked: Number(r.audience_unlinked),
  }));
}

export async function insertNoticeRead(db: Executor, noticeId: string, userId: string, at: Date): Promise<boolean> {
  const row = await db.insertInto('notice_reads').values({ notice_id: noticeId, user_id: userId, read_at: at }).onConflict((oc) => oc.doNothing()).returning('user_id').executeTakeFirst();
  return row !== undefined;
}

export async function noticeReaders(db: Executor, noticeId: string): Promise<Array<{ displayName: string; readAt: Date }>> {
  const rows = await db
    .selectFrom('notice_reads as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['u.display_name', 'r.read_at'])
    .where('r.notice_id', '=', noticeId)
    .orderBy('r.read_at', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({ displayName: r.display_name, readAt: r.read_at }));
}

export async function withdrawNotice(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('notices').set({ withdrawn_at: at }).where('id', '=', id).execute();
}

export async function knownTagCodes(db: Executor, codes: readonly string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db.selectFrom('ledger_tags').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
}

/**
 * The resident accounts a notice reaches — the ones `audienceSql` counts: residents of its region who
 * are not verified yet, and verified ones whose ledger person has one of its tags (all when it has none).
 */
export async function noticeRecipients(db: Executor, notice: { regionPath: string; tags: readonly string[] }): Promise<string[]> {
  const tags = sql<string[]>`${[...notice.tags]}::text[]`;
  const rows = await sql<{ user_id: string }>`
    select distinct a.user_id from role_assignments a
    left join resident_links l on l.user_id = a.user_id
    left join ledger_persons p on p.id = l.person_id
    where a.role = 'resident' and a.region_path <@ ${notice.regionPath}::ltree
      and (l.user_id is null or cardinality(${tags}) = 0 or ${PERSON_TAGS} && ${tags})`.execute(db);
  return rows.rows.map((r) => r.user_id);
}

/** Notices whose time has come and whose residents were not told yet, locked for this run (other instances skip them). */
export async function claimNoticesToAnnounce(db: Executor, now: Date, limit: number): Promise<Array<{ id: string; title: string; publisherName: string; regionPath: string; tags: string[] }>> {
  const rows = await sql<{ id: string; title: string; publisher_name: string; region_path: string; tags: string[] }>`
    update notices set announced_at = ${now}
    where id in (
      select id from notices
      where announced_at is null and withdrawn_at is null and valid_from <= ${now} and (valid_until is null or valid_until > ${now})
      order by valid_from limit ${limit} for update skip locked)
    returning id, title, publisher_name, region_path::text as region_path, tags`.execute(db);
  return rows.rows.map((r) => ({ id: r.id, title: r.title, publisherName: r.publisher_name, regionPath: r.region_path, tags: r.tags }));
}

/** A proposal's title and voting area, for telling its voters. */
export async function proposalHeading(db: Executor, id: string): Promise<{ title: string; scopePath: string } | undefined> {
  const row = await db.selectFrom('proposals').select(['title', sql<string>`scope_path::text`.as('scope_path')]).where('id', '=', id).executeTakeFirst();
  return row && { title: row.title, scopePath: row.scope_path };
}

/** Residents (users with a resident assignment) inside a region, for notifying them. */
export async function residentsIn(db: Executor, regionPath: string): Promise<string[]> {
  const rows = await db.selectFrom('role_assignments').select('user_id').distinct().where('role', '=', 'resident').where(sql<SqlBool>`region_path <@ ${regionPath}::ltree`).execute();
  return rows.map((r) => r.user_id);
}

// ---------- proposals ----------

export async function supportThreshold(db: Executor, committeeCode: string): Promise<number> {
  const row = await db.selectFrom('proposal_thresholds').select('support_threshold').where('region_code', '=', committeeCode).executeTakeFirst();
  return row?.support_threshold ?? DEFAULT_SUPPORT_THRESHOLD;
}

export async function setSupportThreshold(db: Executor, region: { code: string; path: string }, threshold: number, at: Date): Promise<void> {
  await db
    .insertInto('proposal_thresholds')
    .values({ region_code: region.code, region_path: region.path, support_threshold: threshold, updated_at: at })
    .onConflict((oc) => oc.column('region_code').doUpdateSet({ support_threshold: threshold, updated_at: at }))
    .execute();
}

export async function insertProposal(db: Executor, row: Insertable<ProposalTable>): Promise<string> {
  const { id } = await db.insertInto('proposals').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export interface Proposal {
  id: string;
  title: string;
  description: string;
  scopeCode: string;
  scopeName: string;
  scopePath: string;
  scopeLevel: 'committee' | 'building';
  committeePath: string;
  /** For scope checks: proposals are scoped by the place they concern. */
  regionPath: string;
  origin: 'resident' | 'hotspot';
  hotspot: unknown;
  proposerUserId: string;
  proposerName: string;
  status: string;
  supportThreshold: number;
  supportCount: number;
  voteKind: 'yes_no' | 'choices' | null;
  voteOptions: string[] | null;
  voteOpensAt: Date | null;
  voteClosesAt: Date | null;
  result: unknown;
  responsible: string | null;
  doneAt: Date | null;
  createdAt: Date;
  supportedByMe: boolean;
  myVote: string | null;
  commentCount: number;
}

function proposalQuery(db: Executor, view: CivicView) {
  const me = view.kind === 'resident' ? view.userId : '00000000-0000-0000-0000-000000000000';
  return db
    .selectFrom('proposals as p')
    .innerJoin('regions as g', 'g.code', 'p.scope_code')
    .selectAll('p')
    .select([
      'g.name as scope_name',
      sql<boolean>`exists (select 1 from proposal_supports s where s.proposal_id = p.id and s.user_id = ${me})`.as('supported_by_me'),
      sql<string | null>`(select v.choice from proposal_votes v where v.proposal_id = p.id and v.user_id = ${me})`.as('my_vote'),
      sql<string>`(select count(*) from proposal_comments c where c.proposal_id = p.id)`.as('comment_count'),
    ])
    .where(view.kind === 'staff' ? scopeCondition(sql.ref('p.scope_path'), view.scope) : sql<SqlBool>`p.committee_path = ${view.committeePath}::ltree`);
}

type ProposalRow = Awaited<ReturnType<ReturnType<typeof proposalQuery>['executeTakeFirstOrThrow']>>;

function presentProposal(r: ProposalRow): Proposal {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    scopeCode: r.scope_code,
    scopeName: r.scope_name,
    scopePath: r.scope_path,
    scopeLevel: r.scope_level,
    committeePath: r.committee_path,
    regionPath: r.scope_path,
    origin: r.origin,
    hotspot: r.hotspot,
    proposerUserId: r.proposer_user_id,
    proposerName: r.proposer_name,
    status: r.status,
    supportThreshold: r.support_threshold,
    supportCount: r.support_count,
    voteKind: r.vote_kind as Proposal['voteKind'],
    voteOptions: r.vote_options,
    voteOpensAt: r.vote_opens_at,
    voteClosesAt: r.vote_closes_at,
    result: r.result,
    responsible: r.responsible,
    doneAt: r.done_at,
    createdAt: r.created_at,
    supportedByMe: r.supported_by_me,
    myVote: r.my_vote,
    commentCount: Number(r.comment_count),
  };
}

export async function findProposal(db: Executor, view: CivicView, id: string, options: { forUpdate?: boolean } = {}): Promise<Proposal | undefined> {
  let query = proposalQuery(db, view).where('p.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('p');
  const row = await query.executeTakeFirst();
  return row && presentProposal(row);
}

export async function listProposals(db: Executor, view: CivicView, filter: { statuses?: readonly string[]; limit: number }): Promise<Proposal[]> {
  let query = proposalQuery(db, view).orderBy('p.updated_at', 'desc').orderBy('p.id').limit(filter.limit);
  if (filter.statuses?.length) query = query.where('p.status', 'in', filter.statuses);
  return (await query.execute()).map(presentProposal);
}

export async function updateProposal(db: Executor, id: string, changes: Updateable<ProposalTable>): Promise<void> {
  await db.updateTable('proposals').set(changes).where('id', '=', id).execute();
}

/** Adds a support once; returns the new count, or undefined when this resident already supported it. */
export async function insertSupport(db: Executor, proposalId: string, userId: string, at: Date): Promise<number | undefined> {
  const added = await db.insertInto('proposal_supports').values({ proposal_id: proposalId, user_id: userId, created_at: at }).onConflict((oc) => oc.doNothing()).returning('user_id').executeTakeFirst();
  if (!added) return undefined;
  const row = await db.updateTable('proposals').set({ support_count: sql`support_count + 1`, updated_at: at }).where('id', '=', proposalId).returning('support_count').executeTakeFirstOrThrow();
  return row.support_count;
}

export async function insertComment(db: Executor, row: { proposalId: string; userId: string; authorName: string; body: string; at: Date }): Promise<string> {
  const { id } = await db
    .insertInto('proposal_comments')
    .values({ proposal_id: row.proposalId, user_id: row.userId, author_name: row.authorName, body: row.body, created_at: row.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function listComments(db: Executor, proposalId: string) {
  return db.selectFrom('proposal_comments').select(['id', 'author_name', 'body', 'created_at']).where('proposal_id', '=', proposalId).orderBy('created_at').orderBy('id').limit(500).execute();
}

export async function insertVote(db: Executor, row: { proposalId: string; userId: string; choice: string; at: Date }): Promise<void> {
  await db.insertInto('proposal_votes').values({ proposal_id: row.proposalId, user_id: row.userId, choice: row.choice, cast_at: row.at }).execute();
}

export async function tally(db: Executor, proposalId: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom('proposal_votes').select(['choice', sql<string>`count(*)`.as('n')]).where('proposal_id', '=', proposalId).groupBy('choice').execute();
  return Object.fromEntries(rows.map((r) => [r.choice, Number(r.n)]));
}

/** Residents who may vote on a proposal: resident assignments inside its committee or building. */
export async function eligibleVoters(db: Executor, scopePath: string): Promise<number> {
  const row = await db
    .selectFrom('role_assignments')
    .select(sql<string>`count(distinct user_id)`.as('n'))
    .where('role', '=', 'resident')
    .where(sql<SqlBool>`region_path <@ ${scopePath}::ltree`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Votes whose window closed, locked for this run (other instances skip them). */
export async function claimClosedVotes(db: Executor, now: Date, limit: number): Promise<Array<{ id: string; scopePath: string; voteKind: string; voteOptions: string[] }>> {
  const rows = await db
    .selectFrom('proposals')
    .select(['id', 'scope_path', 'vote_kind', 'vote_options'])
    .where('status', '=', 'voting')
    .where('vote_closes_at', '<=', now)
    .orderBy('vote_closes_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => ({ id: r.id, scopePath: r.scope_path, voteKind: r.vote_kind ?? 'yes_no', voteOptions: r.vote_options ?? [] }));
}

export async function insertMilestones(db: Executor, proposalId: string, milestones: ReadonlyArray<{ title: string; dueDate: string | null }>, firstSort: number): Promise<void> {
  if (milestones.length === 0) return;
  await db
    .insertInto('proposal_milestones')
    .values(milestones.map((m, i) => ({ proposal_id: proposalId, title: m.title, due_date: m.dueDate, sort: firstSort + i })))
    .execute();
}

export async function listMilestones(db: Executor, proposalId: string) {
  return db
    .selectFrom('proposal_milestones')
    .select(['id', 'title', sql<string | null>`to_char(due_date, 'YYYY-MM-DD')`.as('due_date'), 'done_at', 'sort'])
    .where('proposal_id', '=', proposalId)
    .orderBy('sort')
    .execute();
}

export async function completeMilestone(db: Executor, proposalId: string, milestoneId: string, at: Date): Promise<boolean> {
  const row = await db.updateTable('proposal_milestones').set({ done_at: at }).where('proposal_id', '=', proposalId).where('id', '=', milestoneId).where('done_at', 'is', null).returning('id').executeTakeFirst();
  return row !== undefined;
}

export async function milestoneExists(db: Executor, proposalId: string, milestoneId: string): Promise<boolean> {
  const row = await db.selectFrom('proposal_milestones').select('id').where('proposal_id', '=', proposalId).where('id', '=', milestoneId).executeTakeFirst();
  return row !== undefined;
}

export async function insertProgress(db: Executor, row: { proposalId: string; milestoneId: string | null; note: string; authorName: string; at: Date }): Promise<void> {
  await db
    .insertInto('proposal_updates')
    .values({ proposal_id: row.proposalId, milestone_id: row.milestoneId, note: row.note, author_name: row.authorName, created_at: row.at })
    .execute();
}

export async function listProgress(db: Executor, proposalId: string) {
  return db.selectFrom('proposal_updates').select(['id', 'milestone_id', 'note', 'author_name', 'created_at']).where('proposal_id', '=', proposalId).orderBy('created_at').orderBy('id').execute();
}

export interface Hotspot {
  categoryCode: string;
  categoryName: string;
  regionCode: string;
  regionName: string;
  level: string;
  count: number;
  caseNumbers: string[];
  lastAt: Date;
}

/**
 * Recurring problems: at least `min` cases of one category in one building, or in one committee,
 * reported since `since` (merged duplicates left out: they are one problem). Buildings are the
 * cases' own places; committees gather every case under them.
 */
export async function findHotspots(db: Executor, scope: Scope, since: Date, min: number): Promise<Hotspot[]> {
  const inScope = scopeCondition(sql.ref('c.region_path'), scope);
  const result = await sql<{ category_code: string; category_name: string | null; region_code: string; region_name: string; level: string; n: string; numbers: string[]; last_at: Date }>`
    with recent as (
      select c.id, c.number, c.category_code, c.created_at, c.region_path,
             subpath(c.region_path, 0, 3) as committee_path
      from cases c
      where c.created_at >= ${since} and c.category_code is not null and c.status <> 'merged' and ${inScope}
    ), places as (
      select r.category_code, g.code as region_code, g.name as region_name, g.level, r.number, r.created_at
      from recent r join regions g on g.path = r.region_path and g.level = 'building'
      union all
      select r.category_code, g.code, g.name, g.level, r.number, r.created_at
      from recent r join regions g on g.path = r.committee_path
    )
    select p.category_code,
           (select v.name from categories cc join category_versions v on v.code = cc.code and v.version = cc.current_version where cc.code = p.category_code) as category_name,
           p.region_code, p.region_name, p.level, count(*) as n,
           (array_agg(p.number order by p.created_at desc))[1:20] as numbers, max(p.created_at) as last_at
    from places p
    group by p.category_code, p.region_code, p.region_name, p.level
    having count(*) >= ${min}
    order by count(*) desc, max(p.created_at) desc
    limit 100`.execute(db);
  return result.rows.map((r) => ({
    categoryCode: r.category_code,
    categoryName: r.category_name ?? r.category_code,
    regionCode: r.region_code,
    regionName: r.region_name,
    level: r.level,
    count: Number(r.n),
    caseNumbers: r.numbers,
    lastAt: r.last_at,
  }));
}

// ---------- volunteers ----------

export async function upsertVolunteer(db: Executor, row: { userId: string; regionPath: string; skills: string[]; availability: string; partyMember: boolean; at: Date }): Promise<void> {
  const values = { region_path: row.regionPath, skills: row.skills, availability: row.availability, party_member: row.partyMember, updated_at: row.at };
  await db
    .insertInto('volunteers')
    .values({ user_id: row.userId, ...values, created_at: row.at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
}

export async function findVolunteer(db: Executor, userId: string) {
  return db.selectFrom('volunteers').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function listVolunteers(db: Executor, scope: Scope) {
  return db
    .selectFrom('volunteers as v')
    .innerJoin('users as u', 'u.id', 'v.user_id')
    .leftJoin('points_accounts as a', 'a.user_id', 'v.user_id')
    .select([
      'v.user_id',
      'u.display_name',
      'u.phone',
      'v.skills',
      'v.availability',
      'v.party_member',
      'v.created_at',
      sql<string>`coalesce((select sum(s.hours) from volunteer_signups s where s.user_id = v.user_id), 0)`.as('hours'),
      sql<number>`coalesce(a.balance, 0)`.as('balance'),
    ])
    .where(scopeCondition(sql.ref('v.region_path'), scope))
    .orderBy('v.created_at', 'desc')
    .limit(500)
    .execute();
}

export async function insertTask(db: Executor, row: Insertable<VolunteerTaskTable>): Promise<string> {
  const { id } = await db.insertInto('volunteer_tasks').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export interface VolunteerTask {
  id: string;
  regionCode: string;
  regionName: string;
  regionPath: string;
  kind: 'general' | 'visit_alone';
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  pointsPerHour: number;
  signedUp: number;
  mySignup: { checkedInAt: Date | null; checkedOutAt: Date | null; hours: number | null } | null;
}

export async function listTasks(db: Executor, view: CivicView, options: { id?: string; forUpdate?: boolean; limit?: number } = {}): Promise<VolunteerTask[]> {
  const me = view.kind === 'resident' ? view.userId : '00000000-0000-0000-0000-000000000000';
  let query = db
    .selectFrom('volunteer_tasks as t')
    .innerJoin('regions as g', 'g.code', 't.region_code')
    .leftJoin('volunteer_signups as m', (join) => join.onRef('m.task_id', '=', 't.id').on('m.user_id', '=', me))
    .selectAll('t')
    .select([
      'g.name as region_name',
      'm.user_id as my_user_id',
      'm.checked_in_at',
      'm.checked_out_at',
      'm.hours',
      sql<string>`(select count(*) from volunteer_signups s where s.task_id = t.id)`.as('signed_up'),
    ])
    .where(reaches('t.region_path', view))
    .orderBy('t.starts_at', 'desc')
    .orderBy('t.id')
    .limit(options.limit ?? 200);
  if (options.id) query = query.where('t.id', '=', options.id);
  if (options.forUpdate) query = query.forUpdate('t');
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    regionCode: r.region_code,
    regionName: r.region_name,
    regionPath: r.region_path,
    kind: r.kind,
    title: r.title,
    description: r.description,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    capacity: r.capacity,
    pointsPerHour: r.points_per_hour,
    signedUp: Number(r.signed_up),
    mySignup: r.my_user_id ? { checkedInAt: r.checked_in_at, checkedOutAt: r.checked_out_at, hours: r.hours === null ? null : Number(r.hours) } : null,
  }));
}

export async function insertSignup(db: Executor, taskId: string, userId: string, at: Date): Promise<boolean> {
  const row = await db.insertInto('volunteer_signups').values({ task_id: taskId, user_id: userId, signed_up_at: at }).onConflict((oc) => oc.doNothing()).returning('user_id').executeTakeFirst();
  return row !== undefined;
}

export async function listSignups(db: Executor, taskId: string, options: { userId?: string; forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('volunteer_signups as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('volunteers as v', 'v.user_id', 's.user_id')
    .select(['s.user_id', 'u.display_name', 'u.phone', 'v.party_member', 's.signed_up_at', 's.checked_in_at', 's.checked_out_at', 's.hours'])
    .where('s.task_id', '=', taskId)
    .orderBy('s.signed_up_at');
  if (options.userId) query = query.where('s.user_id', '=', options.userId);
  if (options.forUpdate) query = query.forUpdate('s');
  return query.execute();
}

export async function updateSignup(db: Executor, taskId: string, userId: string, changes: { checked_in_at?: Date; checked_out_at?: Date; hours?: number }): Promise<void> {
  await db.updateTable('volunteer_signups').set(changes).where('task_id', '=', taskId).where('user_id', '=', userId).execute();
}

// ---------- points ----------

export interface PointsEntry {
  id: string;
  amount: number;
  balanceAfter: number;
  reason: PointsReason;
  sourceId: string;
  note: string | null;
  createdAt: Date;
}

/**
 * Moves a person's points by `amount` and writes the ledger entry, once per (person, reason,
 * source): the account row is locked first, so concurrent awards and spends of one person queue up,
 * and the balance's check constraint refuses to go below zero (POINTS_INSUFFICIENT). Returns
 * undefined when this source already gave its points.
 */
export async function movePoints(
  db: Executor,
  entry: { userId: string; amount: number; reason: PointsReason; sourceId: string; regionPath: string | null; note?: string | null; at: Date },
): Promise<number | undefined> {
  await db.insertInto('points_accounts').values({ user_id: entry.userId }).onConflict((oc) => oc.doNothing()).execute();
  await db.selectFrom('points_accounts').select('balance').where('user_id', '=', entry.userId).forUpdate().executeTakeFirstOrThrow();
  const done = await db.selectFrom('points_entries').select('id').where('user_id', '=', entry.userId).where('reason', '=', entry.reason).where('source_id', '=', entry.sourceId).executeTakeFirst();
  if (done) return undefined;
  let balance: number;
  try {
    const row = await db
      .updateTable('points_accounts')
      .set({ balance: sql`balance + ${entry.amount}`, updated_at: entry.at })
      .where('user_id', '=', entry.userId)
      .returning('balance')
      .executeTakeFirstOrThrow();
    balance = row.balance;
  } catch (error) {
    if ((error as { code?: string; constraint?: string }).code === '23514') throw new AppError('POINTS_INSUFFICIENT', undefined, { cause: error });
    throw error;
  }
  const values: Insertable<PointsEntryTable> = {
    user_id: entry.userId,
    amount: entry.amount,
    balance_after: balance,
    reason: entry.reason,
    source_id: entry.sourceId,
    region_path: entry.regionPath,
    note: entry.note ?? null,
    created_at: entry.at,
  };
  await db.insertInto('points_entries').values(values).execute();
  return balance;
}

export async function pointsOf(db: Executor, userId: string, limit: number): Promise<{ balance: number; entries: PointsEntry[] }> {
  const account = await db.selectFrom('points_accounts').select('balance').where('user_id', '=', userId).executeTakeFirst();
  const rows = await db.selectFrom('points_entries').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).execute();
  return {
    balance: account?.balance ?? 0,
    entries: rows.map((r) => ({ id: r.id, amount: r.amount, balanceAfter: r.balance_after, reason: r.reason, sourceId: r.source_id, note: r.note, createdAt: r.created_at })),
  };
}

// ---------- rewards ----------

export async function insertReward(db: Executor, row: Insertable<RewardTable>): Promise<string> {
  const { id } = await db.insertInto('rewards').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function listRewards(db: Executor, view: CivicView, options: { id?: string } = {}) {
  let query = db
    .selectFrom('rewards as w')
    .innerJoin('regions as g', 'g.code', 'w.region_code')
    .selectAll('w')
    .select(['g.name as region_name', sql<string>`(select count(*) from redemptions d where d.reward_id = w.id)`.as('redeemed')])
    .where(reaches('w.region_path', view))
    .orderBy('w.cost')
    .orderBy('w.id')
    .limit(200);
  if (options.id) query = query.where('w.id', '=', options.id);
  if (view.kind === 'resident') query = query.where('w.active', '=', true);
  return query.execute();
}

export async function updateReward(db: Executor, id: string, changes: { stock?: number; active?: boolean }): Promise<void> {
  await db.updateTable('rewards').set(changes).where('id', '=', id).execute();
}

/** Takes one item from stock; false when none is left (the WHERE, not a read-then-write, decides). */
export async function takeFromStock(db: Executor, id: string): Promise<boolean> {
  const row = await db.updateTable('rewards').set({ stock: sql`stock - 1` }).where('id', '=', id).where('stock', '>', 0).where('active', '=', true).returning('id').executeTakeFirst();
  return row !== undefined;
}

export async function insertRedemption(db: Executor, row: { rewardId: string; userId: string; code: string; cost: number; regionPath: string; at: Date }): Promise<string> {
  const { id } = await db
    .insertInto('redemptions')
    .values({ reward_id: row.rewardId, user_id: row.userId, code: row.code, cost: row.cost, region_path: row.regionPath, created_at: row.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function listRedemptions(db: Executor, view: CivicView) {
  let query = db
    .selectFrom('redemptions as d')
    .innerJoin('rewards as w', 'w.id', 'd.reward_id')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .select(['d.id', 'd.code', 'd.cost', 'd.created_at', 'w.name as reward_name', 'u.display_name'])
    .orderBy('d.created_at', 'desc')
    .limit(200);
  query = view.kind === 'staff' ? query.where(scopeCondition(sql.ref('d.region_path'), view.scope)) : query.where('d.user_id', '=', view.userId);
  return query.execute();
}

// ---------- cases, for points ----------

export async function caseForPoints(db: Executor, caseId: string) {
  return db
    .selectFrom('cases as c')
    .select([
      'c.id',
      'c.reporter_user_id',
      'c.region_path',
      sql<boolean>`exists (select 1 from role_assignments a where a.user_id = c.reporter_user_id and a.role = 'resident')`.as('reporter_is_resident'),
    ])
    .where('c.id', '=', caseId)
    .executeTakeFirst();
}

export async function noticeTitled(db: Executor, title: string): Promise<boolean> {
  const row = await db.selectFrom('notices').select('id').where('title', '=', title).executeTakeFirst();
  return row !== undefined;
}
