import { sql, type SqlBool } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNRESTRICTED } from '../../src/server/platform/access.ts';
import { systemActor } from '../../src/server/platform/actor.ts';
import { seedDemoCivic } from '../../src/server/modules/civic/demo.ts';
import { createUser } from '../../src/server/modules/identity/commands.ts';
import { DEMO_PASSWORD } from '../../src/server/modules/identity/demo.ts';
import { findRegion } from '../../src/server/modules/regions/repository.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES, TEST_HASH_COST } from '../helpers/engines.ts';

const MEIYUAN = '310115005001'; // 梅园一村: worker, head, resident
const HOUR = 3_600_000;

interface ErrorBody {
  error: { code: string; message: string };
}
interface ProposalView {
  id: string;
  status: string;
  supportCount: number;
  supportThreshold: number;
  mayVote: boolean;
  myVote: string | null;
  proposerName: string;
  result: { counts: Record<string, number>; total: number; eligible: number; winner: string | null } | null;
  responsible: string | null;
  milestones: Array<{ id: string; title: string; doneAt: string | null }>;
  progress: Array<{ note: string }>;
  hotspot: { count: number; caseNumbers: string[] } | null;
}
interface Points {
  balance: number;
  entries: Array<{ amount: number; reason: string; balanceAfter: number; sourceId: string }>;
  redemptions: Array<{ code: string }>;
}

describe.each(ENGINES)('notices, 居民议事, volunteers and points on %s', (engine) => {
  let t: TestApp;
  const token: Record<string, string> = {};
  let building = '';
  let buildingB = '';
  const userIds: Record<string, string> = {};

  /** Residents beyond the demo account: some in building 1, one in building 2. */
  async function resident(username: string, regionCode: string): Promise<void> {
    const region = await findRegion(t.platform.db, UNRESTRICTED, regionCode);
    userIds[username] = await t.platform.transaction(systemActor('test'), (ctx) =>
      createUser(ctx, { username, displayName: `测试居民${username.slice(-1)}`, phone: '19900001234', password: DEMO_PASSWORD, assignment: { role: 'resident', region: region!, department: null } }, TEST_HASH_COST),
    );
    token[username] = await t.login(username);
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    for (const who of ['admin', 'worker', 'head', 'resident', 'dispatcher', 'handler']) token[who] = await t.login(who);
    const made = await t.request({ method: 'POST', url: `/api/regions/${MEIYUAN}/children`, token: token.head, body: { level: 'building', name: '议事测试1号楼' } });
    expect(made.statusCode, made.body).toBe(201);
    building = (made.json() as { code: string }).code;
    buildingB = ((await t.request({ method: 'POST', url: `/api/regions/${MEIYUAN}/children`, token: token.head, body: { level: 'building', name: '议事测试2号楼' } })).json() as { code: string }).code;
    for (const name of ['civic-a', 'civic-b', 'civic-c', 'civic-d']) await resident(name, building);
    await resident('civic-e', buildingB);
    await resident('civic-h', '310115005002'); // 汇豪天下, another committee
  });
  afterAll(async () => t?.close());

  const post = (url: string, who: string, body?: unknown) => t.request({ method: 'POST', url, token: token[who], ...(body !== undefined ? { body } : {}) });
  const get = (url: string, who: string) => t.request({ url, token: token[who] });
  const code = (res: { json(): unknown }) => (res.json() as ErrorBody).error.code;
  const points = async (who: string) => (await get('/api/me/points', who)).json() as Points;
  /** What a resident's 消息 holds of one kind, after the events are delivered. */
  const told = async (who: string, kind: string) => {
    await t.platform.events.drain();
    const inbox = (await get('/api/notifications?limit=100', who)).json() as { items: Array<{ kind: string; text: string; params: Record<string, unknown> }> };
    return inbox.items.filter((n) => n.kind === kind);
  };

  it('notices reach the residents of their region, record who read them, and answer bad input with codes', async () => {
    const published = await post('/api/notices', 'worker', { title: '停水通知', body: '12月3日 9:00-12:00 梅园一村停水，请提前储水。', tags: ['elderly'] });
    expect(published.statusCode, published.body).toBe(201);
    const { id } = published.json() as { id: string };

    const mine = (await get('/api/notices', 'resident')).json() as { items: Array<{ id: string; plainText: string; readAt: string | null; readCount?: number }> };
    const notice = mine.items.find((n) => n.id === id);
    expect(notice).toMatchObject({ plainText: '停水通知。12月3日 9:00-12:00 梅园一村停水，请提前储水。', readAt: null });
    expect(notice).not.toHaveProperty('readCount');
    // another committee's resident neither lists nor opens it
    expect(((await get('/api/notices', 'civic-h')).json() as { items: Array<{ id: string }> }).items.map((n) => n.id)).not.toContain(id);
    expect((await get(`/api/notices/${id}`, 'civic-h')).statusCode).toBe(404);

    expect((await post(`/api/notices/${id}/read`, 'resident')).json()).toMatchObject({ id });
    expect((await post(`/api/notices/${id}/read`, 'resident')).statusCode).toBe(200); // again: still one receipt
    expect((await post(`/api/notices/${id}/read`, 'civic-a')).statusCode).toBe(200);
    const reads = (await get(`/api/notices/${id}/reads`, 'worker')).json() as { readCount: number; audience: number; readers: Array<{ name: string }> };
    expect(reads.readCount).toBe(2);
    expect(reads.audience).toBeGreaterThanOrEqual(6);
    expect(reads.readers.map((r) => r.name).sort()).toEqual(['测****', '演****'].sort());
    expect((await post(`/api/notices/${id}/read`, 'worker')).statusCode).toBe(403); // receipts are residents'

    // scope and roles: a worker cannot address another committee; residents cannot publish
    expect((await post('/api/notices', 'worker', { title: '越界', body: '不应发出', regionCode: '310115005002' })).statusCode).toBe(404);
    expect((await post('/api/notices', 'resident', { title: '居民发布', body: '不应发出' })).statusCode).toBe(403);
    expect(code(await post('/api/notices', 'worker', { title: '标签', body: '未知标签', tags: ['no_such_tag'] }))).toBe('VALIDATION_FAILED');
    expect(code(await post('/api/notices', 'worker', { title: '时间', body: '结束早于开始', validFrom: '2026-12-02T00:00:00Z', validUntil: '2026-12-01T00:00:00Z' }))).toBe('VALIDATION_FAILED');
    expect(code(await post('/api/notices', 'worker', { title: '多余字段', body: 'x', audience: 'all' }))).toBe('VALIDATION_FAILED');
    const before = await t.platform.db.selectFrom('notices').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(before.n)).toBe(1);

    // a notice not yet valid, and a withdrawn one, are not shown to residents
    const later = (await post('/api/notices', 'head', { title: '下周活动', body: '下周六社区义诊', validFrom: new Date(Date.now() + 7 * 24 * HOUR).toISOString() })).json() as { id: string };
    expect((await post(`/api/notices/${id}/withdraw`, 'worker')).statusCode).toBe(200);
    const now = ((await get('/api/notices', 'resident')).json() as { items: Array<{ id: string }> }).items.map((n) => n.id);
    expect(now).not.toContain(id);
    expect(now).not.toContain(later.id);

    // 消息: the residents of 梅园一村 were told when it was published (nobody is linked yet, so the tag narrows nobody out)
    for (const who of ['resident', 'civic-a', 'civic-e']) {
      expect(await told(who, 'notice_published'), who).toEqual([expect.objectContaining({ text: '新通知：停水通知（梅园一村居委会）', params: expect.objectContaining({ link: `/m/notices/${id}` }) })]);
    }
    expect(await told('civic-h', 'notice_published')).toEqual([]);
    // the scheduled notice is announced by the job on its day, once
    expect(await t.platform.jobs.runNow('notices.announce', new Date(Date.now() + HOUR))).toBe(0);
    expect(await t.platform.jobs.runNow('notices.announce', new Date(Date.now() + 7 * 24 * HOUR + 60_000))).toBe(1);
    expect(await t.platform.jobs.runNow('notices.announce', new Date(Date.now() + 8 * 24 * HOUR))).toBe(0);
    expect((await told('civic-a', 'notice_published')).map((n) => n.params.title)).toEqual(['下周活动', '停水通知']);
  });

  it('narrows a tagged notice to the residents whose ledger record has the tag, once 实名核验 links them', async () => {
    const meiyuan = (await findRegion(t.platform.db, UNRESTRICTED, MEIYUAN))!;
    const person = async (name: string, birthDate: string) =>
      (await t.platform.db.insertInto('ledger_persons').values({ region_code: meiyuan.code, region_path: meiyuan.regionPath, name, birth_date: birthDate }).returning('id').executeTakeFirstOrThrow()).id;
    const elder = await person('林阿婆', '1940-02-03');
    const young = await person('林小妹', '1995-06-07');
    for (const [username, personId] of [['civic-b', elder], ['civic-c', young]] as const) {
      const linked = await post('/api/services/links', 'worker', { username, personId });
      expect(linked.statusCode, linked.body).toBe(201);
    }
    const tagged = ((await post('/api/notices', 'worker', { title: '高龄老人免费体检', body: '80周岁以上老人本周五到社区卫生服务中心体检。', tags: ['elderly'] })).json() as { id: string }).id;
    const sees = async (who: string) => ((await get('/api/notices', who)).json() as { items: Array<{ id: string }> }).items.map((n) => n.id);
    expect(await sees('civic-b')).toContain(tagged);
    expect(await sees('civic-c')).not.toContain(tagged);
    expect((await get(`/api/notices/${tagged}`, 'civic-c')).statusCode).toBe(404);
    // not linked yet: the tags are unknown, so the notice reaches them like every resident of the committee
    expect(await sees('civic-d')).toContain(tagged);
    // 消息 says the same as the list
    const toldOf = async (who: string) => (await told(who, 'notice_published')).filter((n) => n.params.noticeId === tagged);
    expect(await toldOf('civic-b')).toHaveLength(1);
    expect(await toldOf('civic-c')).toEqual([]);
    expect(await toldOf('civic-d')).toHaveLength(1);

    // the audience says the same: verified residents with the tag, plus everyone not verified yet
    type Audience = { total: number; linked: number; unlinked: number };
    const everyone = (await get(`/api/notices/audience?regionCode=${MEIYUAN}`, 'worker')).json() as Audience;
    const elderly = (await get('/api/notices/audience?tags=elderly', 'worker')).json() as Audience;
    const unlinked = Number(
      (
        await t.platform.db
          .selectFrom('role_assignments as a')
          .where('a.role', '=', 'resident')
          .where('a.region_path', '<@', meiyuan.regionPath)
          .where((eb) => eb.not(eb.exists(eb.selectFrom('resident_links as l').select('l.user_id').whereRef('l.user_id', '=', 'a.user_id'))))
          .select((eb) => eb.fn.count<string>('a.user_id').distinct().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(unlinked).toBe(4); // resident, civic-a, civic-d, civic-e
    expect(everyone).toEqual({ linked: 2, unlinked, total: unlinked + 2 });
    expect(elderly).toEqual({ linked: 1, unlinked, total: unlinked + 1 }); // 林阿婆 (civic-b), not 林小妹
    const listed = ((await get('/api/notices', 'worker')).json() as { items: Array<{ id: string; audience: number; audienceLinked: number; audienceUnlinked: number }> }).items.find((n) => n.id === tagged);
    expect(listed).toMatchObject({ audience: unlinked + 1, audienceLinked: 1, audienceUnlinked: unlinked });
    expect((await get(`/api/notices/${tagged}/reads`, 'worker')).json()).toMatchObject({ audience: unlinked + 1, audienceLinked: 1, audienceUnlinked: unlinked });
    // bad input, scope and roles
    expect(code(await get('/api/notices/audience?tags=no_such_tag', 'worker'))).toBe('VALIDATION_FAILED');
    expect(code(await get('/api/notices/audience?tags=Elderly;drop', 'worker'))).toBe('VALIDATION_FAILED');
    expect(code(await get('/api/notices/audience?region=1', 'worker'))).toBe('VALIDATION_FAILED');
    expect((await get('/api/notices/audience?regionCode=310115005002', 'worker')).statusCode).toBe(404);
    expect((await get('/api/notices/audience', 'resident')).statusCode).toBe(403);
    // and 消息 reached exactly that audience
    const toldCount = await t.platform.db.selectFrom('notifications').where('kind', '=', 'notice_published').where(sql<SqlBool>`params->>'noticeId' = ${tagged}`).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(toldCount.n)).toBe(unlinked + 1);
  });

  it('takes a proposal from support threshold to vote, results and tracked implementation; one vote per resident under concurrency', async () => {
    expect((await t.request({ method: 'PUT', url: `/api/proposal-thresholds/${MEIYUAN}`, token: token.head, body: { supportThreshold: 3 } })).statusCode).toBe(200);
    expect((await t.request({ method: 'PUT', url: `/api/proposal-thresholds/${MEIYUAN}`, token: token.resident, body: { supportThreshold: 1 } })).statusCode).toBe(403);

    const created = await post('/api/proposals', 'civic-a', { title: '1号楼加装电梯', description: '1号楼老人多，上下楼困难，建议加装电梯。', scopeCode: building });
    expect(created.statusCode, created.body).toBe(201);
    const proposal = created.json() as ProposalView;
    expect(proposal).toMatchObject({ status: 'discussion', supportThreshold: 3, supportCount: 0 });
    expect(code(await post('/api/proposals', 'civic-a', { title: '别的居委', description: 'x', scopeCode: '310115005002' }))).toBe('PROPOSAL_SCOPE_INVALID');
    expect(code(await post('/api/proposals', 'civic-a', { title: '', description: 'x' }))).toBe('VALIDATION_FAILED');
    expect((await post('/api/proposals', 'worker', { title: '员工提议', description: 'x' })).statusCode).toBe(403);
    // other committees do not see it at all; neighbours see the proposer masked
    expect((await get(`/api/proposals/${proposal.id}`, 'civic-h')).statusCode).toBe(404);
    expect(((await get(`/api/proposals/${proposal.id}`, 'resident')).json() as ProposalView).proposerName).toBe('测****');

    const url = `/api/proposals/${proposal.id}`;
    expect(code(await post(`${url}/open-vote`, 'head', { closesAt: new Date(Date.now() + HOUR).toISOString() }))).toBe('PROPOSAL_THRESHOLD_NOT_MET');
    expect((await post(`${url}/comments`, 'civic-b', { body: '同意，我家有老人' })).statusCode).toBe(201);
    for (const who of ['civic-a', 'civic-b']) expect((await post(`${url}/support`, who)).statusCode).toBe(200);
    expect(code(await post(`${url}/support`, 'civic-b'))).toBe('ALREADY_SUPPORTED');
    const met = (await post(`${url}/support`, 'resident')).json() as ProposalView;
    expect(met).toMatchObject({ status: 'threshold_met', supportCount: 3 });

    expect(code(await post(`${url}/vote`, 'civic-a', { choice: 'yes' }))).toBe('VOTE_NOT_OPEN');
    expect(code(await post(`${url}/open-vote`, 'head', { closesAt: new Date(Date.now() - HOUR).toISOString() }))).toBe('VOTE_WINDOW_INVALID');
    expect((await post(`${url}/open-vote`, 'resident', { closesAt: new Date(Date.now() + HOUR).toISOString() })).statusCode).toBe(403);
    const opened = await post(`${url}/open-vote`, 'head', { closesAt: new Date(Date.now() + HOUR).toISOString() });
    expect(opened.json()).toMatchObject({ status: 'voting', mayVote: false });
    // the residents of building 1 hear that the vote is open; the rest of the committee does not
    for (const who of ['civic-a', 'civic-d']) {
      expect(await told(who, 'vote_opened'), who).toEqual([expect.objectContaining({ text: expect.stringMatching(/^居民议事“1号楼加装电梯”开始投票，\d{4}-\d{2}-\d{2} \d{2}:\d{2} 截止，欢迎参与$/), params: expect.objectContaining({ link: `/m/proposals/${proposal.id}` }) })]);
    }
    expect(await told('resident', 'vote_opened')).toEqual([]);
    expect(await told('civic-e', 'vote_opened')).toEqual([]);

    // the committee-level demo resident and building 2's resident live outside building 1
    const outside = await post(`${url}/vote`, 'resident', { choice: 'yes' });
    expect(outside.statusCode).toBe(403);
    expect(code(outside)).toBe('VOTE_OUTSIDE_AREA');
    expect(code(await post(`${url}/vote`, 'civic-e', { choice: 'yes' }))).toBe('VOTE_OUTSIDE_AREA');
    expect((await post(`${url}/vote`, 'civic-h', { choice: 'yes' })).statusCode).toBe(404);
    expect(code(await post(`${url}/vote`, 'civic-a', { choice: 'maybe' }))).toBe('VOTE_CHOICE_INVALID');
    expect(((await get(url, 'civic-a')).json() as ProposalView).mayVote).toBe(true);

    // one resident fires six votes at once: exactly one counts
    const burst = await Promise.all(Array.from({ length: 6 }, () => post(`${url}/vote`, 'civic-a', { choice: 'yes' })));
    expect(burst.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(burst.filter((r) => r.statusCode === 409).map(code)).toEqual(Array(5).fill('ALREADY_VOTED'));
    // three residents at once: all count
    const together = await Promise.all([post(`${url}/vote`, 'civic-b', { choice: 'yes' }), post(`${url}/vote`, 'civic-c', { choice: 'yes' }), post(`${url}/vote`, 'civic-d', { choice: 'no' })]);
    expect(together.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const votes = await t.platform.db.selectFrom('proposal_votes').select(['user_id']).where('proposal_id', '=', proposal.id).execute();
    expect(votes).toHaveLength(4);

    // the results appear when the window has closed (the job, with its clock moved on)
    expect(await t.platform.jobs.runNow('proposals.close-votes', new Date(Date.now() + 30 * 60_000))).toBe(0);
    expect(await t.platform.jobs.runNow('proposals.close-votes', new Date(Date.now() + 2 * HOUR))).toBe(1);
    const decided = (await get(url, 'resident')).json() as ProposalView;
    expect(decided.status).toBe('accepted');
    expect(decided.result).toMatchObject({ counts: { yes: 3, no: 1 }, total: 4, eligible: 4, winner: 'yes' });

    // accountability: responsible party, milestones, progress, done
    const account = await t.request({ method: 'PUT', url: `${url}/accountability`, token: token.head, body: { responsible: '梅园一村居委会 · 物业公司', milestones: [{ title: '征询意见', dueDate: '2027-01-15' }, { title: '施工' }] } });
    expect(account.statusCode, account.body).toBe(200);
    const withMilestones = account.json() as ProposalView;
    expect(withMilestones.milestones.map((m) => m.title)).toEqual(['征询意见', '施工']);
    const first = withMilestones.milestones[0]!.id;
    const progressed = (await post(`${url}/progress`, 'head', { note: '意见征询完成，97% 同意', milestoneId: first, milestoneDone: true })).json() as ProposalView;
    expect(progressed.milestones[0]!.doneAt).not.toBeNull();
    expect((await post(`${url}/progress`, 'civic-a', { note: '居民不能写进展' })).statusCode).toBe(403);
    const done = (await post(`${url}/complete`, 'head', { note: '电梯已投入使用' })).json() as ProposalView;
    expect(done.status).toBe('done');
    expect(((await get(url, 'resident')).json() as ProposalView).progress.map((p) => p.note)).toEqual(['意见征询完成，97% 同意', '电梯已投入使用']);

    // every voter earned the voting points, once
    await t.platform.events.drain();
    const a = await points('civic-a');
    expect(a.entries.filter((e) => e.reason === 'vote')).toEqual([expect.objectContaining({ amount: 2, sourceId: proposal.id })]);
  });

  it('turns a recurring problem from cases into a proposal, and awards points for reporting', async () => {
    for (const text of ['楼道里堆满纸箱', '楼道杂物又堆起来了', '楼道堆物挡住消防通道']) {
      const res = await post('/api/cases', 'civic-e', { description: text, categoryCode: 'C0101', regionCode: buildingB });
      expect(res.statusCode, res.body).toBe(201);
    }
    const hotspots = (await get('/api/proposals/hotspots', 'worker')).json() as { items: Array<{ categoryCode: string; regionCode: string; count: number; level: string }> };
    expect(hotspots.items).toContainEqual(expect.objectContaining({ categoryCode: 'C0101', regionCode: buildingB, count: 3, level: 'building' }));
    expect((await get('/api/proposals/hotspots', 'resident')).statusCode).toBe(403);
    const made = await post('/api/proposals/from-hotspot', 'worker', { categoryCode: 'C0101', regionCode: buildingB, title: '2号楼楼道堆物怎么管', description: '三个月内反映多次，请居民议一议' });
    expect(made.statusCode, made.body).toBe(201);
    expect((made.json() as ProposalView).hotspot).toMatchObject({ count: 3 });
    expect(code(await post('/api/proposals/from-hotspot', 'worker', { categoryCode: 'C0201', regionCode: buildingB, title: 'x', description: 'x' }))).toBe('NOT_FOUND');

    await t.platform.events.drain();
    const e = await points('civic-e');
    expect(e.entries.filter((entry) => entry.reason === 'report')).toHaveLength(3);
  });

  it('awards points to the reporter who confirms a fix', async () => {
    const created = (await post('/api/cases', 'civic-c', { description: '2号楼门口路灯不亮', categoryCode: 'C0101', regionCode: building })).json() as { id: string };
    const act = (who: string, body: Record<string, unknown>) => post(`/api/cases/${created.id}/transitions`, who, body);
    expect((await act('dispatcher', { action: 'register', categoryCode: 'C0101', urgency: 'normal' })).statusCode).toBe(200);
    expect((await act('dispatcher', { action: 'dispatch' })).statusCode).toBe(200);
    expect((await act('handler', { action: 'accept' })).statusCode).toBe(200);
    expect((await act('handler', { action: 'handled', result: '已清理' })).statusCode).toBe(200);
    expect((await act('civic-c', { action: 'verify', passed: true })).statusCode).toBe(200);
    await t.platform.events.drain();
    const c = await points('civic-c');
    expect(c.entries.map((e) => e.reason).sort()).toEqual(['report', 'verify_fix', 'vote']);
  });

  it('runs volunteering from registration to hours and points, and redeems rewards without going negative', async () => {
    expect(code(await post('/api/volunteer-tasks', 'resident', { kind: 'general', title: 'x', startsAt: new Date().toISOString(), endsAt: new Date().toISOString(), capacity: 1, pointsPerHour: 1 }))).toBe('FORBIDDEN');
    const task = await post('/api/volunteer-tasks', 'worker', {
      kind: 'visit_alone',
      title: '探访独居老人',
      description: '每人探访两户',
      startsAt: new Date(Date.now() - 3 * HOUR).toISOString(),
      endsAt: new Date(Date.now() + HOUR).toISOString(),
      capacity: 1,
      pointsPerHour: 10,
    });
    expect(task.statusCode, task.body).toBe(201);
    const taskId = (task.json() as { id: string }).id;
    expect(code(await post(`/api/volunteer-tasks/${taskId}/signup`, 'civic-d'))).toBe('VOLUNTEER_NOT_REGISTERED');
    for (const who of ['civic-d', 'civic-e']) {
      expect((await t.request({ method: 'PUT', url: '/api/volunteers/me', token: token[who], body: { skills: ['陪聊'], availability: '周末', partyMember: who === 'civic-d' } })).statusCode).toBe(200);
    }
    expect((await post(`/api/volunteer-tasks/${taskId}/signup`, 'civic-d')).statusCode).toBe(200);
    expect(code(await post(`/api/volunteer-tasks/${taskId}/signup`, 'civic-e'))).toBe('VOLUNTEER_TASK_FULL');
    const signups = `/api/volunteer-tasks/${taskId}/signups/${userIds['civic-d']}`;
    expect(code(await post(`${signups}/check-out`, 'worker'))).toBe('VOLUNTEER_CHECK_STATE');
    expect((await post(`${signups}/check-in`, 'civic-d')).statusCode).toBe(403); // volunteers cannot confirm their own hours
    expect((await post(`${signups}/check-in`, 'worker')).statusCode).toBe(200);
    // arrange: the volunteer arrived two hours ago
    await t.platform.db.updateTable('volunteer_signups').set({ checked_in_at: new Date(Date.now() - 2 * HOUR) }).where('task_id', '=', taskId).execute();
    const out = (await post(`${signups}/check-out`, 'worker')).json() as { signups: Array<{ hours: number; partyMember: boolean; name: string }> };
    expect(out.signups[0]).toMatchObject({ hours: 2, partyMember: true, name: '测****' });
    await t.platform.events.drain();
    const d = await points('civic-d');
    expect(d.entries.find((e) => e.reason === 'volunteer')).toMatchObject({ amount: 20 });
    const volunteers = (await get('/api/volunteers', 'worker')).json() as { items: Array<{ userId: string; phone: string; hours: number }> };
    expect(volunteers.items.find((v) => v.userId === userIds['civic-d'])).toMatchObject({ phone: '199****1234', hours: 2 });

    // rewards: stock and cost, redemption codes, no negative balance even when two redemptions race
    const reward = (await post('/api/rewards', 'worker', { name: '环保袋', cost: 15, stock: 5 })).json() as { id: string };
    const balance = d.balance; // 20 (+2 for voting) → only one redemption of 15 fits
    expect(balance).toBeLessThan(30);
    const race = await Promise.all([post(`/api/rewards/${reward.id}/redeem`, 'civic-d'), post(`/api/rewards/${reward.id}/redeem`, 'civic-d')]);
    expect(race.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(code(race.find((r) => r.statusCode === 409)!)).toBe('POINTS_INSUFFICIENT');
    const after = await points('civic-d');
    expect(after.balance).toBe(balance - 15);
    expect(after.redemptions[0]!.code).toMatch(/^[2-9A-Z]{8}$/);
    expect(after.entries[0]).toMatchObject({ reason: 'redeem', amount: -15, balanceAfter: balance - 15 });
    const stock = (await get('/api/rewards', 'worker')).json() as { items: Array<{ id: string; stock: number; redeemed: number }> };
    expect(stock.items.find((r) => r.id === reward.id)).toMatchObject({ stock: 4, redeemed: 1 });

    // out of stock
    const scarce = (await post('/api/rewards', 'head', { name: '理发券', cost: 1, stock: 1 })).json() as { id: string };
    expect((await post(`/api/rewards/${scarce.id}/redeem`, 'civic-b')).statusCode).toBe(200);
    expect(code(await post(`/api/rewards/${scarce.id}/redeem`, 'civic-a'))).toBe('REWARD_OUT_OF_STOCK');
    expect((await post(`/api/rewards/${scarce.id}/redeem`, 'civic-h')).statusCode).toBe(404);
  });

  it('lets a volunteer check themselves in and out on the task’s day; points wait for staff to confirm the hours, once', async () => {
    const day = (await post('/api/volunteer-tasks', 'worker', {
      kind: 'general', title: '楼道清洁', startsAt: new Date(Date.now() - 2 * HOUR).toISOString(), endsAt: new Date(Date.now() + HOUR).toISOString(), capacity: 5, pointsPerHour: 10,
    })).json() as { id: string };
    const later = (await post('/api/volunteer-tasks', 'worker', {
      kind: 'general', title: '下周植树', startsAt: new Date(Date.now() + 7 * 24 * HOUR).toISOString(), endsAt: new Date(Date.now() + 7 * 24 * HOUR + 2 * HOUR).toISOString(), capacity: 5, pointsPerHour: 10,
    })).json() as { id: string };
    const me = (id: string, step: string, who = 'civic-e') => post(`/api/volunteer-tasks/${id}/me/${step}`, who);
    const row = async (id: string) => t.platform.db.selectFrom('volunteer_signups').select(['checked_in_at', 'checked_out_at', 'hours']).where('task_id', '=', id).where('user_id', '=', userIds['civic-e']!).executeTakeFirst();
    expect((await t.request({ method: 'PUT', url: '/api/volunteers/me', token: token['civic-e'], body: { skills: ['清洁'], availability: '周末', partyMember: false } })).statusCode).toBe(200);

    // refused, changing nothing: not signed up, before checking in, not the task's day, a bad step, staff, another committee
    expect(code(await me(day.id, 'check-in'))).toBe('VOLUNTEER_NOT_SIGNED_UP');
    expect((await post(`/api/volunteer-tasks/${day.id}/signup`, 'civic-e')).statusCode).toBe(200);
    expect(code(await me(day.id, 'check-out'))).toBe('VOLUNTEER_CHECK_STATE');
    expect((await post(`/api/volunteer-tasks/${later.id}/signup`, 'civic-e')).statusCode).toBe(200);
    expect(code(await me(later.id, 'check-in'))).toBe('VOLUNTEER_NOT_TASK_DAY');
    expect(code(await me(day.id, 'confirm'))).toBe('VALIDATION_FAILED');
    expect((await me(day.id, 'check-in', 'worker')).statusCode).toBe(403);
    expect((await me(day.id, 'check-in', 'civic-h')).statusCode).toBe(404);
    expect(await row(day.id)).toEqual({ checked_in_at: null, checked_out_at: null, hours: null });
    expect(await row(later.id)).toEqual({ checked_in_at: null, checked_out_at: null, hours: null });

    const checkedIn = (await me(day.id, 'check-in')).json() as { mySignup: { checkedInAt: string | null; awaitingConfirmation: boolean } };
    expect(checkedIn.mySignup).toMatchObject({ checkedInAt: expect.any(String), awaitingConfirmation: false });
    expect(code(await me(day.id, 'check-in'))).toBe('VOLUNTEER_CHECK_STATE');
    // arrange: they arrived an hour and a half ago
    await t.platform.db.updateTable('volunteer_signups').set({ checked_in_at: new Date(Date.now() - 1.5 * HOUR) }).where('task_id', '=', day.id).where('user_id', '=', userIds['civic-e']!).execute();
    const checkedOut = (await me(day.id, 'check-out')).json() as { mySignup: { checkedOutAt: string | null; hours: number | null; awaitingConfirmation: boolean } };
    expect(checkedOut.mySignup).toMatchObject({ checkedOutAt: expect.any(String), hours: null, awaitingConfirmation: true });
    expect(code(await me(day.id, 'check-out'))).toBe('VOLUNTEER_CHECK_STATE');
    await t.platform.events.drain();
    const earned = async () => (await points('civic-e')).entries.filter((e) => e.reason === 'volunteer' && e.sourceId === day.id);
    expect(await earned()).toEqual([]); // nothing until the committee confirms

    // the committee sees it waiting and confirms the hours; the volunteer cannot
    const signups = `/api/volunteer-tasks/${day.id}/signups/${userIds['civic-e']}`;
    const waiting = (await get(`/api/volunteer-tasks/${day.id}`, 'worker')).json() as { signups: Array<{ userId: string; awaitingConfirmation: boolean }> };
    expect(waiting.signups.find((s) => s.userId === userIds['civic-e'])).toMatchObject({ awaitingConfirmation: true });
    expect((await post(`${signups}/confirm`, 'civic-e')).statusCode).toBe(403);
    expect(code(await post(`${signups}/check-out`, 'worker'))).toBe('VOLUNTEER_CHECK_STATE');
    expect(code(await post(`/api/volunteer-tasks/${later.id}/signups/${userIds['civic-e']}/confirm`, 'worker'))).toBe('VOLUNTEER_CHECK_STATE');
    const confirmed = (await post(`${signups}/confirm`, 'worker')).json() as { signups: Array<{ userId: string; hours: number; awaitingConfirmation: boolean }> };
    expect(confirmed.signups.find((s) => s.userId === userIds['civic-e'])).toMatchObject({ hours: 1.5, awaitingConfirmation: false });
    expect(code(await post(`${signups}/confirm`, 'worker'))).toBe('VOLUNTEER_CHECK_STATE');
    await t.platform.events.drain();
    expect(await earned()).toEqual([expect.objectContaining({ amount: 15 })]);
    const audit = await t.platform.db.selectFrom('audit_log').select('action').where('object_id', '=', day.id).where('action', 'like', 'volunteer.%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['volunteer.task_create', 'volunteer.signup', 'volunteer.self_check_in', 'volunteer.self_check_out', 'volunteer.confirm_hours']);
  });

  it('keeps the points ledger append-only and unforgeable', async () => {
    const before = await points('civic-a');
    // no endpoint takes an amount from a resident
    expect((await post('/api/me/points', 'civic-a', { amount: 1000 })).statusCode).toBeGreaterThanOrEqual(404);
    expect(code(await t.request({ method: 'PUT', url: '/api/volunteers/me', token: token['civic-a'], body: { skills: [], availability: '', partyMember: false, points: 1000 } }))).toBe('VALIDATION_FAILED');
    expect((await points('civic-a')).balance).toBe(before.balance);
    // the database refuses edits and deletions, and negative balances
    await expect(t.platform.db.updateTable('points_entries').set({ amount: 1000 }).where('user_id', '=', userIds['civic-a']!).execute()).rejects.toThrow(/append-only/);
    await expect(t.platform.db.deleteFrom('points_entries').where('user_id', '=', userIds['civic-a']!).execute()).rejects.toThrow(/append-only/);
    await expect(t.platform.db.updateTable('points_accounts').set({ balance: -1 }).where('user_id', '=', userIds['civic-a']!).execute()).rejects.toThrow(/points_balance_not_negative/);
  });
  it('seeds the demo once, through the commands', async () => {
    await seedDemoCivic(t.platform);
    await seedDemoCivic(t.platform);
    const titles = ((await get('/api/notices', 'resident')).json() as { items: Array<{ title: string }> }).items.map((n) => n.title).filter((x) => x.startsWith('演示'));
    expect(titles).toEqual(['演示：12月社区义诊']);
    expect(((await get('/api/proposals', 'resident')).json() as { items: Array<{ title: string }> }).items.filter((p) => p.title.startsWith('演示'))).toHaveLength(1);
    expect((await get('/api/volunteers/me', 'resident')).json()).toMatchObject({ registered: true });
  });
});
