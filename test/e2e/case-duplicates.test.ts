import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../src/shared/geo.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

interface Clock { kind: string; stage: string }
interface CaseDetail {
  id: string;
  number: string;
  status: string;
  regionCode: string;
  description: string;
  deadlineAt: string | null;
  clocks: Clock[];
  caller: unknown;
  allowedActions: string[];
  reportCount: number;
  followers: number;
  following: boolean;
  mergedInto: { id: string; number: string } | null;
  mergedReports: Array<{ id: string; number: string; description: string; createdAt: string; photos: unknown[] }>;
  timeline: Array<{ action: string; actorName: string; note: string | null; details: Record<string, unknown> }>;
}
interface Similar { id: string; number: string; description: string; categoryName: string; status: string; createdAt: string; distanceMeters: number | null; followers: number; score: number }
interface Notification { kind: string; caseId: string | null; text: string }

const MEIYUAN = '310115005001';
const HUIHAO = '310115005002';
const WEIFANG_1 = '310115004001';
/** A point in 梅园一村 and one about 1.1 km north of it; 0.0009° of latitude ≈ 100 m. */
const P = { lat: 31.2304, lng: 121.5106 };
const north = (p: { lat: number; lng: number }, meters: number) => ({ lat: p.lat + (meters / 100) * 0.0009, lng: p.lng });
const Q = north(P, 1100);
const R = north(P, 2200);

type Who = 'resident' | 'dispatcher' | 'handler' | 'admin' | 'head' | 'neighbour' | 'huihao' | 'weifangResident' | 'weifangDesk';

describe.each(ENGINES)('duplicates, following, merge and unmerge on %s', (engine) => {
  let t: TestApp;
  const token = {} as Record<Who, string>;
  beforeAll(async () => {
    t = await createTestApp(engine);
    for (const name of ['resident', 'dispatcher', 'handler', 'admin', 'head'] as const) token[name] = await t.login(name);
    const extra: Array<[Who, string, string, string]> = [
      ['neighbour', 'dup-neighbour', 'resident', MEIYUAN],
      ['huihao', 'dup-huihao', 'resident', HUIHAO],
      ['weifangResident', 'dup-weifang-resident', 'resident', WEIFANG_1],
      ['weifangDesk', 'dup-weifang-desk', 'street_dispatcher', '310115004'],
    ];
    for (const [key, username, role, regionCode] of extra) {
      const res = await t.request({ method: 'POST', url: '/api/users', token: token.admin, body: { username, displayName: `演示${key}`, password: 'dup-test-pass-1', assignment: { role, regionCode } } });
      expect(res.statusCode, res.body).toBe(201);
      token[key] = await t.login(username, 'dup-test-pass-1');
    }
  });
  afterAll(() => t.close());

  const report = async (who: Who, body: Record<string, unknown>) => {
    const res = await t.request({ method: 'POST', url: '/api/cases', token: token[who], body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as CaseDetail;
  };
  const similar = async (who: Who, body: Record<string, unknown>) => {
    const res = await t.request({ method: 'POST', url: '/api/cases/similar', token: token[who], body });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: Similar[] }).items;
  };
  const transition = (id: string, who: Who, body: Record<string, unknown>) => t.request({ method: 'POST', url: `/api/cases/${id}/transitions`, token: token[who], body });
  const act = async (id: string, who: Who, body: Record<string, unknown>) => {
    const res = await transition(id, who, body);
    expect(res.statusCode, `${String(body.action)}: ${res.body}`).toBe(200);
    return res.json() as CaseDetail;
  };
  const view = async (id: string, who: Who = 'dispatcher') => {
    const res = await t.request({ url: `/api/cases/${id}`, token: token[who] });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CaseDetail;
  };
  const follow = (id: string, who: Who, method: 'POST' | 'DELETE' = 'POST') => t.request({ method, url: `/api/cases/${id}/follow`, token: token[who] });
  const inbox = async (who: Who) => ((await t.request({ url: '/api/notifications?limit=100', token: token[who] })).json() as { items: Notification[] }).items;
  const close = async (id: string) => {
    if ((await view(id)).status === 'reported') await act(id, 'dispatcher', { action: 'register', categoryCode: 'C0101', urgency: 'normal' });
    await act(id, 'dispatcher', { action: 'dispatch' });
    await act(id, 'handler', { action: 'accept' });
    await act(id, 'handler', { action: 'handled', result: '已清理' });
    return act(id, 'dispatcher', { action: 'verify', passed: true });
  };
  /** What a refused request must leave untouched. */
  const snapshot = async () => ({
    cases: await t.platform.db.selectFrom('cases').select(['id', 'status', 'merged_into_id', 'report_count', 'updated_at']).orderBy('id').execute(),
    followers: await t.platform.db.selectFrom('case_followers').selectAll().orderBy('case_id').orderBy('user_id').execute(),
    merges: await t.platform.db.selectFrom('case_merges').selectAll().orderBy('id').execute(),
    timers: await t.platform.db.selectFrom('case_timers').selectAll().orderBy('case_id').orderBy('kind').execute(),
  });

  let nearby: CaseDetail; // 楼道堆物 10 m from P, the resident's
  let confidential: CaseDetail;

  it('finds open cases of the same category inside the radius, best text first, and not those outside, of another category or too old', async () => {
    nearby = await report('resident', { description: '3号楼楼道里堆满了纸箱', categoryCode: 'C0101', ...north(P, 10) });
    const weaker = await report('resident', { description: '楼道里纸箱和旧家具乱堆', categoryCode: 'C0101', ...north(P, 30) });
    const far = await report('resident', { description: '3号楼楼道里堆满了纸箱', categoryCode: 'C0101', ...north(P, 200) });
    const otherCategory = await report('resident', { description: '3号楼楼道里堆满纸箱，还有人飞线充电', categoryCode: 'C0104', ...P });
    const old = await report('resident', { description: '3号楼楼道里堆满了纸箱', categoryCode: 'C0101', ...north(P, 5) });
    await t.platform.db.updateTable('cases').set({ created_at: new Date(Date.now() - 15 * 86_400_000) }).where('id', '=', old.id).execute();

    const items = await similar('neighbour', { description: '3号楼楼道堆满纸箱', categoryCode: 'C0101', ...P });
    const ids = items.map((i) => i.id);
    expect(ids[0]).toBe(nearby.id);
    expect(ids).toContain(weaker.id);
    expect(ids).not.toContain(far.id); // 200 m > the 50 m radius of 楼道堆物
    expect(ids).not.toContain(otherCategory.id);
    expect(ids).not.toContain(old.id); // outside the 14-day window
    expect(items[0]).toMatchObject({ number: nearby.number, categoryName: '楼道堆物', status: 'reported', followers: 0 });
    expect(items[0]!.distanceMeters).toBeGreaterThanOrEqual(9);
    expect(items[0]!.distanceMeters).toBeLessThanOrEqual(11);
    expect(items[0]!.score).toBeGreaterThan(items.find((i) => i.id === weaker.id)!.score);
    // the contract: exactly these fields, nothing of the reporter
    expect(Object.keys(items[0]!).sort()).toEqual(['categoryName', 'createdAt', 'description', 'distanceMeters', 'followers', 'id', 'number', 'score', 'status']);

    // GCJ-02 coordinates from a phone are converted first: the same place still finds it
    const gcj = await similar('neighbour', { description: '3号楼楼道堆满纸箱', categoryCode: 'C0101', ...wgs84ToGcj02(P.lat, P.lng), coordSystem: 'gcj02' });
    expect(gcj[0]!.id).toBe(nearby.id);
    expect(gcj[0]!.distanceMeters).toBeLessThanOrEqual(11);

    // a text about something else in the same category ranks nothing above the threshold
    expect(await similar('neighbour', { description: '路灯不亮', categoryCode: 'C0101', ...P })).toEqual([]);
    // without a category: the class of the suggestion (消防安全), each case within its own category's radius
    const byClass = (await similar('neighbour', { description: '3号楼楼道里堆满了纸箱', ...P })).map((i) => i.id);
    expect(byClass).toContain(nearby.id);
    expect(byClass).toContain(otherCategory.id);
    expect(byClass).not.toContain(far.id);
    // radius 0 = no duplicate search (困难帮扶 is personal)
    await report('resident', { description: '家里生活困难需要帮扶', categoryCode: 'C0503' });
    expect(await similar('neighbour', { description: '家里生活困难需要帮扶', categoryCode: 'C0503' })).toEqual([]);
  });

  it('compares by committee when coordinates are missing', async () => {
    const here = await report('resident', { description: '消防通道被汽车堵住了', categoryCode: 'C0102' });
    const there = await report('huihao', { description: '消防通道被汽车堵住了', categoryCode: 'C0102' });
    const mine = (await similar('neighbour', { description: '消防通道被车堵了', categoryCode: 'C0102' })).map((i) => i.id);
    expect(mine).toContain(here.id);
    expect(mine).not.toContain(there.id);
    // the only open match in 汇豪天下 is huihao's own report: a resident is not offered their own report to follow
    const theirs = (await similar('huihao', { description: '消防通道被车堵了', categoryCode: 'C0102' })).map((i) => i.id);
    expect(theirs).toEqual([]);
    const desk = (await similar('dispatcher', { description: '消防通道被车堵了', categoryCode: 'C0102', regionCode: there.regionCode })).map((i) => i.id);
    expect(desk).toEqual([there.id]);
    // a report with coordinates meets a case without them in the same committee
    expect((await similar('neighbour', { description: '消防通道被车堵了', categoryCode: 'C0102', ...P })).map((i) => i.id)).toContain(here.id);
  });

  it('shows residents a reduced, privacy-safe list and staff the full text, each inside their scope', async () => {
    const long = `楼道堆物严重，3号楼二单元楼道里堆满纸箱和旧家具，已经挡住了通道，我的电话13812345678，物业一直不管，希望尽快处理一下，谢谢`;
    const chatty = await report('resident', { description: long, categoryCode: 'C0101', ...north(P, 12) });
    confidential = (
      await t.request({
        method: 'POST',
        url: '/api/cases',
        token: token.dispatcher,
        body: { description: '3号楼楼道堆满纸箱，来电人要求保密', categoryCode: 'C0101', regionCode: MEIYUAN, ...north(P, 8), channel: 'hotline', callType: 'complaint', caller: { name: '王先生', phone: '13900001111' }, confidential: true },
      })
    ).json() as CaseDetail;
    const query = { description: '3号楼楼道堆满纸箱和旧家具', categoryCode: 'C0101', ...P };
    const seen = await similar('neighbour', query);
    const masked = seen.find((i) => i.id === chatty.id)!;
    expect(masked.description).toContain('138****5678');
    expect(masked.description).not.toContain('13812345678');
    expect([...masked.description].length).toBeLessThanOrEqual(61);
    expect(masked.description.endsWith('…')).toBe(true);
    expect(seen.map((i) => i.id)).not.toContain(confidential.id); // confidential hotline cases are not shown to residents
    const staff = await similar('dispatcher', { ...query, regionCode: MEIYUAN });
    expect(staff.find((i) => i.id === chatty.id)!.description).toBe(long);
    expect(staff.map((i) => i.id)).toContain(confidential.id);
    // the other street sees nothing of 陆家嘴: its own committee has no such case, and 梅园一村 does not exist for it
    expect(await similar('weifangResident', { description: '3号楼楼道堆满纸箱', categoryCode: 'C0101' })).toEqual([]);
    expect((await t.request({ method: 'POST', url: '/api/cases/similar', token: token.weifangResident, body: { ...query, regionCode: MEIYUAN } })).statusCode).toBe(404);
    // seeing a case in the list is not seeing the case
    expect((await t.request({ url: `/api/cases/${chatty.id}`, token: token.neighbour })).statusCode).toBe(404);
    expect((await t.request({ method: 'POST', url: '/api/cases/similar', token: token.neighbour, body: { description: 'x', lat: 39.9, lng: 116.4 } })).statusCode).toBe(422);
  });

  it('lets a neighbour follow and unfollow, shows the case in their list without the reporter’s data, and tells them the outcome', async () => {
    let res = await follow(nearby.id, 'neighbour');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ following: true, followers: 1 });
    expect((await follow(nearby.id, 'neighbour')).json()).toEqual({ following: true, followers: 1 }); // twice: no change
    expect((await follow(nearby.id, 'resident')).json()).toMatchObject({ error: { code: 'CASE_OWN_REPORT' } });
    expect((await follow(nearby.id, 'weifangResident')).statusCode).toBe(404);
    expect((await follow(confidential.id, 'neighbour')).statusCode).toBe(404);

    const list = (await t.request({ url: '/api/cases?limit=50', token: token.neighbour })).json() as { items: CaseDetail[] };
    expect(list.items.map((c) => c.id)).toContain(nearby.id);
    const seen = await view(nearby.id, 'neighbour');
    expect(seen).toMatchObject({ following: true, followers: 1, caller: null, allowedActions: [] });
    const reportEntry = seen.timeline.find((e) => e.action === 'report')!;
    expect(reportEntry.actorName).toMatch(/\*/);
    expect(seen.timeline.filter((e) => e.action === 'follow')).toHaveLength(1);
    expect((await t.request({ url: `/api/cases/${nearby.id}/photos`, token: token.neighbour })).statusCode).toBe(404); // photos stay the reporter's

    const closed = await close(nearby.id);
    expect(closed.status).toBe('closed');
    await t.platform.events.drain();
    expect((await inbox('neighbour')).find((n) => n.caseId === nearby.id)).toMatchObject({ kind: 'followed_closed' });
    expect((await inbox('resident')).find((n) => n.caseId === nearby.id && n.kind === 'case_closed')).toBeDefined();
    // the reporter still rates; the follower may not
    expect((await transition(nearby.id, 'neighbour', { action: 'rate', score: 5 })).statusCode).toBe(403);

    expect((await follow(nearby.id, 'dispatcher')).json()).toMatchObject({ error: { code: 'CASE_NOT_FOLLOWABLE' } });
    res = await follow(nearby.id, 'neighbour', 'DELETE');
    expect(res.json()).toEqual({ following: false, followers: 0 });
    expect((await t.request({ url: `/api/cases/${nearby.id}`, token: token.neighbour })).statusCode).toBe(404);
    expect((await follow(nearby.id, 'neighbour', 'DELETE')).statusCode).toBe(404);
  });

  let master: CaseDetail;
  let dup1: CaseDetail;

  it('merges duplicates: reporters and followers follow the master, its count and priority rise, the duplicate’s clocks stop, everyone is told', async () => {
    master = await report('resident', { description: '5号楼楼道堆了很多杂物', categoryCode: 'C0101', ...Q });
    await act(master.id, 'dispatcher', { action: 'register', categoryCode: 'C0101', urgency: 'normal' });
    dup1 = await report('neighbour', { description: '5号楼楼道杂物堆积', categoryCode: 'C0101', ...north(Q, 5) });
    const dup2 = await report('huihao', { description: '5号楼楼道杂物很多', categoryCode: 'C0101', regionCode: HUIHAO });
    await act(dup1.id, 'dispatcher', { action: 'register', categoryCode: 'C0101', urgency: 'normal' });
    expect(await follow(dup1.id, 'head').then((r) => r.statusCode)).toBe(200);
    expect((await view(dup1.id)).clocks.map((c) => c.kind).sort()).toEqual(['handling', 'stage']);

    // the desk sees the master among the duplicate's similar cases
    expect((await similar('dispatcher', { description: dup1.description, categoryCode: 'C0101', regionCode: MEIYUAN, ...Q })).map((i) => i.id)).toContain(master.id);

    const merged = await act(dup1.id, 'dispatcher', { action: 'merge', masterId: master.id });
    expect(merged).toMatchObject({ status: 'merged', mergedInto: { id: master.id, number: master.number }, clocks: [], allowedActions: ['unmerge'] });
    await act(dup2.id, 'dispatcher', { action: 'merge', masterId: master.id });

    const m = await view(master.id);
    expect(m).toMatchObject({ reportCount: 3, followers: 3, mergedInto: null });
    expect(m.mergedReports.map((r) => r.id)).toEqual([dup1.id, dup2.id]);
    expect(m.timeline.filter((e) => e.action === 'merged_in').map((e) => e.details.duplicateNumber)).toEqual([dup1.number, dup2.number]);
    // the board: merged duplicates leave it; the master sorts first by priority
    const board = (await t.request({ url: '/api/cases?active=true&sort=priority&limit=200', token: token.dispatcher })).json() as { items: CaseDetail[] };
    expect(board.items[0]!.id).toBe(master.id);
    expect(board.items.map((c) => c.id)).not.toContain(dup1.id);
    // a merged case is out of the sweep
    expect(await t.platform.db.selectFrom('case_timers').select('kind').where('case_id', 'in', [dup1.id, dup2.id]).execute()).toEqual([]);
    expect(await t.platform.jobs.runNow('cases.deadlines', new Date(Date.now() + 400 * 86_400_000))).toBeGreaterThan(0);
    expect((await view(dup1.id)).timeline.map((e) => e.action)).not.toContain('overdue');

    await t.platform.events.drain();
    for (const who of ['neighbour', 'head', 'huihao'] as const) {
      expect((await inbox(who)).map((n) => n.kind), who).toContain('case_merged');
    }
    expect((await inbox('neighbour')).find((n) => n.kind === 'case_merged')!.text).toContain(master.number);
    // the duplicate's reporter now sees the master (as a follower) and is told its outcome
    expect((await view(master.id, 'huihao')).following).toBe(true);
    const audit = await t.platform.db.selectFrom('audit_log').select('action').where('object_id', 'in', [dup1.id, master.id]).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['case.merge', 'case.merged_in']));
  });

  it('refuses self, ended and chained targets, a master as duplicate, other scopes and residents — changing nothing', async () => {
    const other = await report('resident', { description: '7号楼楼道堆物', categoryCode: 'C0101', ...R });
    const weifangCase = await report('weifangResident', { description: '楼道堆物', categoryCode: 'C0101' });
    const dispatched = await report('resident', { description: '9号楼楼道堆物', categoryCode: 'C0101' });
    await act(dispatched.id, 'dispatcher', { action: 'register', categoryCode: 'C0101', urgency: 'normal' });
    await act(dispatched.id, 'dispatcher', { action: 'dispatch' });
    const before = await snapshot();
    const refusals: Array<[string, Who, Record<string, unknown>, number, string]> = [
      [other.id, 'dispatcher', { action: 'merge', masterId: other.id }, 409, 'CASE_MERGE_SELF'],
      [other.id, 'dispatcher', { action: 'merge', masterId: nearby.id }, 409, 'CASE_MERGE_TARGET_ENDED'], // closed
      [other.id, 'dispatcher', { action: 'merge', masterId: dup1.id }, 409, 'CASE_MERGE_TARGET_ENDED'], // merged: no chains
      [master.id, 'dispatcher', { action: 'merge', masterId: other.id }, 409, 'CASE_MERGE_HAS_REPORTS'],
      [other.id, 'dispatcher', { action: 'merge', masterId: weifangCase.id }, 404, 'NOT_FOUND'], // a master the desk cannot see
      [other.id, 'weifangDesk', { action: 'merge', masterId: master.id }, 404, 'NOT_FOUND'], // a duplicate the desk cannot see
      [other.id, 'resident', { action: 'merge', masterId: master.id }, 403, 'FORBIDDEN'],
      [other.id, 'dispatcher', { action: 'merge', masterId: '00000000-0000-4000-8000-000000000000' }, 404, 'NOT_FOUND'],
      [other.id, 'dispatcher', { action: 'merge' }, 400, 'VALIDATION_FAILED'],
      [dispatched.id, 'dispatcher', { action: 'merge', masterId: master.id }, 409, 'ILLEGAL_TRANSITION'],
      [other.id, 'dispatcher', { action: 'unmerge' }, 409, 'ILLEGAL_TRANSITION'],
      [dup1.id, 'resident', { action: 'unmerge' }, 404, 'NOT_FOUND'], // not theirs
      [dup1.id, 'neighbour', { action: 'unmerge' }, 403, 'FORBIDDEN'], // their report, not their decision
    ];
    for (const [id, who, body, status, code] of refusals) {
      const res = await transition(id, who, body);
      expect({ body, who, status: res.statusCode, code: (res.json() as { error: { code: string } }).error.code }).toEqual({ body, who, status, code });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('unmerges exactly: the duplicate gets its status and fresh clocks back, the master loses only what the merge added', async () => {
    const m2 = await report('resident', { description: '11号楼楼道堆满纸箱', categoryCode: 'C0101', ...R });
    const dup3 = await report('neighbour', { description: '11号楼楼道纸箱堆满了', categoryCode: 'C0101', ...R });
    await act(dup3.id, 'dispatcher', { action: 'register', categoryCode: 'C0101', urgency: 'urgent' });
    expect((await follow(m2.id, 'head')).statusCode).toBe(200); // already a follower of the master
    expect((await follow(dup3.id, 'head')).statusCode).toBe(200);
    await act(dup3.id, 'dispatcher', { action: 'merge', masterId: m2.id });
    expect(await view(m2.id)).toMatchObject({ reportCount: 2, followers: 2 });
    const record = await t.platform.db.selectFrom('case_merges').selectAll().where('duplicate_id', '=', dup3.id).executeTakeFirstOrThrow();
    expect(record).toMatchObject({ master_id: m2.id, previous_status: 'registered', reports_added: 1, unmerged_at: null });
    expect(record.followers_added).toHaveLength(1); // the neighbour; the head already followed

    const restored = await act(dup3.id, 'dispatcher', { action: 'unmerge' });
    expect(restored).toMatchObject({ status: 'registered', mergedInto: null, followers: 1 });
    expect(restored.clocks.map((c) => `${c.kind}:${c.stage}`).sort()).toEqual(['handling:handle', 'stage:dispatch']);
    expect(restored.deadlineAt).not.toBeNull();
    expect(restored.allowedActions).toContain('merge');
    const m = await view(m2.id);
    expect(m).toMatchObject({ reportCount: 1, followers: 1, mergedReports: [] });
    expect(m.timeline.map((e) => e.action)).toEqual(expect.arrayContaining(['merged_in', 'merged_out']));
    expect((await t.platform.db.selectFrom('case_merges').select('unmerged_at').where('id', '=', record.id).executeTakeFirstOrThrow()).unmerged_at).not.toBeNull();
    expect((await view(m2.id, 'head')).following).toBe(true);
    expect((await t.request({ url: `/api/cases/${m2.id}`, token: token.neighbour })).statusCode).toBe(404);
    await t.platform.events.drain();
    expect((await inbox('neighbour')).find((n) => n.caseId === dup3.id && n.kind === 'case_unmerged')).toBeDefined();
    // and it can be merged again
    await act(dup3.id, 'dispatcher', { action: 'merge', masterId: m2.id });
    expect((await view(m2.id)).reportCount).toBe(2);
  });

  it('tells every merged reporter and follower when the master closes', async () => {
    await close(master.id);
    await t.platform.events.drain();
    for (const who of ['neighbour', 'head', 'huihao'] as const) {
      expect((await inbox(who)).find((n) => n.caseId === master.id), who).toMatchObject({ kind: 'followed_closed' });
    }
    expect((await inbox('resident')).find((n) => n.caseId === master.id)).toMatchObject({ kind: 'case_closed' });
  });
});
