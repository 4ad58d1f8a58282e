import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

interface CaseDetail {
  id: string;
  number: string;
  status: string;
  categoryCode: string | null;
  categoryName: string | null;
  regionCode: string;
  mainUnit: { id: string; name: string } | null;
  deadlineAt: string | null;
  warnAt: string | null;
  rating: number | null;
  reworkCount: number;
  allowedActions: string[];
  timeline: Array<{ action: string; toStatus: string; actorName: string; note: string | null }>;
}

describe.each(ENGINES)('the case loop through the API on %s', (engine) => {
  let t: TestApp;
  const token = {} as Record<'resident' | 'dispatcher' | 'handler' | 'admin' | 'worker', string>;
  beforeAll(async () => {
    t = await createTestApp(engine);
    for (const name of ['resident', 'dispatcher', 'handler', 'admin', 'worker'] as const) token[name] = await t.login(name);
  });
  afterAll(() => t.close());

  const act = (id: string, who: keyof typeof token, body: Record<string, unknown>) => t.request({ method: 'POST', url: `/api/cases/${id}/transitions`, token: token[who], body });

  it('walks 上报 → 立案 → 派遣 → 签收 → 处置 → 核查 → 结案 → 评价 with the demo accounts', async () => {
    const reported = await t.request({ method: 'POST', url: '/api/cases', token: token.resident, body: { description: '3号楼楼道里堆满了纸箱和旧家具，老人下楼很不方便' } });
    expect(reported.statusCode).toBe(201);
    const created = reported.json() as CaseDetail;
    expect(created.number).toMatch(/^GZ\d{8}-\d{6}$/);
    // no category given: the suggestion from the text is used, the place is the resident's committee
    expect(created).toMatchObject({ status: 'reported', categoryCode: 'C0101', categoryName: '楼道堆物', regionCode: '310115005001', allowedActions: [] });

    const board = (await t.request({ url: '/api/cases?status=reported', token: token.dispatcher })).json() as { items: CaseDetail[] };
    expect(board.items.map((c) => c.id)).toContain(created.id);

    const registered = (await act(created.id, 'dispatcher', { action: 'register', categoryCode: 'C0101', urgency: 'normal' })).json() as CaseDetail;
    expect(registered.status).toBe('registered');
    expect(new Date(registered.deadlineAt!).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(registered.warnAt!).getTime()).toBeLessThan(new Date(registered.deadlineAt!).getTime());

    // dispatch without a unit: routed to the 城管执法中队 of 陆家嘴, the demo handler's unit
    const dispatched = (await act(created.id, 'dispatcher', { action: 'dispatch' })).json() as CaseDetail;
    expect(dispatched).toMatchObject({ status: 'dispatched', mainUnit: { name: '陆家嘴城管执法中队' } });

    const handlerView = (await t.request({ url: `/api/cases/${created.id}`, token: token.handler })).json() as CaseDetail;
    expect(handlerView.allowedActions.sort()).toEqual(['accept', 'escalate', 'note', 'return']);
    expect((await act(created.id, 'handler', { action: 'accept' })).statusCode).toBe(200);
    expect((await act(created.id, 'handler', { action: 'note', text: '已联系物业，约定明天上午清理' })).statusCode).toBe(200);
    expect((await act(created.id, 'handler', { action: 'handled', result: '楼道杂物已全部清理' })).statusCode).toBe(200);

    // the reporter verifies: failure sends it back as rework, then a pass closes it
    const rework = (await act(created.id, 'resident', { action: 'verify', passed: false, reason: '还有两个纸箱没清' })).json() as CaseDetail;
    expect(rework).toMatchObject({ status: 'in_progress', reworkCount: 1 });
    await act(created.id, 'handler', { action: 'handled', result: '剩余纸箱已清理' });
    const closed = (await act(created.id, 'resident', { action: 'verify', passed: true })).json() as CaseDetail;
    expect(closed.status).toBe('closed');
    const rated = (await act(created.id, 'resident', { action: 'rate', score: 5, comment: '处理及时' })).json() as CaseDetail;
    expect(rated).toMatchObject({ rating: 5, allowedActions: ['reopen'] });
    expect(rated.timeline.map((e) => e.action)).toEqual(['report', 'register', 'dispatch', 'accept', 'note', 'handled', 'verify', 'handled', 'verify', 'rate']);

    const audit = (await t.request({ url: `/api/audit?objectId=${created.id}&limit=50`, token: token.admin })).json() as { items: Array<{ action: string }> };
    expect(audit.items).toHaveLength(10);
    const events = await t.database.db.selectFrom('outbox_events').select('type').where('aggregate_id', '=', created.id).orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['case.reported', 'case.registered', 'case.dispatched', 'case.accepted', 'case.noted', 'case.handled', 'case.rework', 'case.handled', 'case.closed', 'case.rated']);
    // the desk's confirmation taught the classifier
    const examples = await t.database.db.selectFrom('classifier_examples').select(['category_code', 'source']).execute();
    expect(examples).toContainEqual({ category_code: 'C0101', source: 'confirmed' });
  });

  it('refuses illegal transitions and outsiders, changing nothing', async () => {
    const created = (await t.request({ method: 'POST', url: '/api/cases', token: token.resident, body: { description: '小区门口路灯不亮', categoryCode: 'C0201' } })).json() as CaseDetail & { statusCode?: number };
    const before = (await t.request({ url: `/api/cases/${created.id}`, token: token.dispatcher })).json() as CaseDetail;
    const illegal = await act(created.id, 'dispatcher', { action: 'handled', result: '已修复' });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json()).toMatchObject({ error: { code: 'ILLEGAL_TRANSITION' } });
    const forbidden = await act(created.id, 'worker', { action: 'register', categoryCode: 'C0101' });
    expect(forbidden.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const missing = await act(created.id, 'dispatcher', { action: 'register' });
    expect(missing.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    // the handler's unit has nothing to do with this case yet: it does not exist for them
    expect((await t.request({ url: `/api/cases/${created.id}`, token: token.handler })).statusCode).toBe(404);
    const after = (await t.request({ url: `/api/cases/${created.id}`, token: token.dispatcher })).json() as CaseDetail;
    expect(after).toEqual(before);
  });

  it('refuses bad reports with a clear 4xx', async () => {
    const before = (await t.request({ url: '/api/cases?limit=200', token: token.admin })).json() as { total: number };
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ description: '楼道堆物', categoryCode: 'C9999' }, 422, 'CATEGORY_NOT_SELECTABLE'],
      [{ description: '楼道堆物', lat: 39.9, lng: 116.4 }, 422, 'LOCATION_OUTSIDE_DISTRICT'],
      [{ description: '楼道堆物', lat: 31.2 }, 400, 'VALIDATION_FAILED'],
      [{ description: '   ' }, 400, 'VALIDATION_FAILED'],
      [{ description: '楼道堆物', photo: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ description: '楼道堆物', regionCode: '310115004001' }, 404, 'NOT_FOUND'],
    ];
    for (const [body, status, code] of cases) {
      const res = await t.request({ method: 'POST', url: '/api/cases', token: token.resident, body });
      expect({ body, status: res.statusCode, code: (res.json() as { error: { code: string } }).error.code }).toEqual({ body, status, code });
    }
    const after = (await t.request({ url: '/api/cases?limit=200', token: token.admin })).json() as { total: number };
    expect(after.total).toBe(before.total);
  });

  it('shows residents only their own reports and other streets nothing', async () => {
    await t.request({ method: 'POST', url: '/api/users', token: token.admin, body: { username: 'neighbour', displayName: '邻居', password: 'neighbour-pass-1', assignment: { role: 'resident', regionCode: '310115005001' } } });
    await t.request({ method: 'POST', url: '/api/users', token: token.admin, body: { username: 'weifang-desk', displayName: '潍坊调度', password: 'weifang-pass-1', assignment: { role: 'street_dispatcher', regionCode: '310115004' } } });
    const neighbour = await t.login('neighbour', 'neighbour-pass-1');
    const weifang = await t.login('weifang-desk', 'weifang-pass-1');
    const mine = (await t.request({ url: '/api/cases', token: token.resident })).json() as { items: CaseDetail[]; total: number };
    expect(mine.total).toBeGreaterThan(0);
    expect((await t.request({ url: '/api/cases', token: neighbour })).json()).toMatchObject({ items: [], total: 0 });
    expect((await t.request({ url: '/api/cases', token: weifang })).json()).toMatchObject({ items: [], total: 0 });
    expect((await t.request({ url: `/api/cases/${mine.items[0]!.id}`, token: neighbour })).statusCode).toBe(404);
    expect((await t.request({ url: `/api/cases/${mine.items[0]!.id}`, token: weifang })).statusCode).toBe(404);
    expect((await act(mine.items[0]!.id, 'dispatcher', { action: 'note', text: 'x' })).statusCode).not.toBe(404);
  });
});
