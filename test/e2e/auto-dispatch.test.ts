import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

interface CaseDetail {
  id: string;
  status: string;
  categoryCode: string | null;
  mainUnit: { name: string } | null;
  deadlineAt: string | null;
  timeline: Array<{ action: string; actorName: string; note: string | null }>;
}
interface Rules {
  items: Array<{ categoryCode: string; categoryName: string; minScore: number }>;
}

describe.each(ENGINES)('auto-dispatch of confidently classified reports on %s', (engine) => {
  let t: TestApp;
  const token = {} as Record<'resident' | 'dispatcher' | 'handler' | 'admin', string>;
  beforeAll(async () => {
    t = await createTestApp(engine);
    for (const name of ['resident', 'dispatcher', 'handler', 'admin'] as const) token[name] = await t.login(name);
  });
  afterAll(() => t.close());

  const report = async (description: string, categoryCode?: string) => {
    const res = await t.request({ method: 'POST', url: '/api/cases', token: token.resident, body: { description, ...(categoryCode ? { categoryCode } : {}) } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as CaseDetail;
  };
  const examples = async () => Number((await t.database.db.selectFrom('classifier_examples').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  it('lists the demo rules to the desks and lets only district administrators change them', async () => {
    const demo = (await t.request({ url: '/api/cases/auto-dispatch', token: token.dispatcher })).json() as Rules;
    expect(demo.items.map((r) => r.categoryCode)).toEqual(['B0114', 'B0118']);
    expect(demo.items[1]).toMatchObject({ categoryName: '路灯', minScore: 0.9 });
    expect((await t.request({ url: '/api/cases/auto-dispatch', token: token.resident })).statusCode).toBe(403);
    expect((await t.request({ method: 'PUT', url: '/api/cases/auto-dispatch/C0101', token: token.dispatcher, body: { minScore: 0.9 } })).statusCode).toBe(403);
    const refused = [
      { url: '/api/cases/auto-dispatch/C0101', body: { minScore: 0.3 }, status: 400 },
      { url: '/api/cases/auto-dispatch/C0101', body: { minScore: 0.9, extra: 1 }, status: 400 },
      { url: '/api/cases/auto-dispatch/C01', body: { minScore: 0.9 }, status: 400 },
      { url: '/api/cases/auto-dispatch/C0198', body: { minScore: 0.9 }, status: 422 },
    ];
    for (const r of refused) expect((await t.request({ method: 'PUT', url: r.url, token: token.admin, body: r.body })).statusCode, r.url).toBe(r.status);
    expect(((await t.request({ url: '/api/cases/auto-dispatch', token: token.admin })).json() as Rules).items).toHaveLength(2);
  });

  it('dispatches a clear report of a chosen category at once, signed by the platform, and tells the unit', async () => {
    const set = await t.request({ method: 'PUT', url: '/api/cases/auto-dispatch/C0101', token: token.admin, body: { minScore: 0.9 } });
    expect(set.statusCode, set.body).toBe(200);
    const before = await examples();
    const c = await report('楼道里堆满了纸箱');
    expect(c).toMatchObject({ status: 'dispatched', categoryCode: 'C0101', mainUnit: { name: '陆家嘴城管执法中队' } });
    expect(c.deadlineAt).not.toBeNull();
    expect(c.timeline.map((e) => [e.action, e.actorName])).toEqual([
      ['report', expect.any(String)],
      ['register', '系统（自动派遣）'],
      ['dispatch', '系统（自动派遣）'],
    ]);
    expect(c.timeline[1]!.note).toMatch(/置信度 0\.9\d/);
    // nobody confirmed the category: the classifier does not learn from its own decision
    expect(await examples()).toBe(before);
    await t.platform.events.drain();
    const inbox = (await t.request({ url: '/api/notifications', token: token.handler })).json() as { items: Array<{ kind: string; caseId: string }> };
    expect(inbox.items.find((n) => n.caseId === c.id)).toMatchObject({ kind: 'new_task' });
    const desk = (await t.request({ url: '/api/notifications', token: token.dispatcher })).json() as { items: Array<{ caseId: string }> };
    expect(desk.items.some((n) => n.caseId === c.id)).toBe(false);
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'actor_username']).where('object_id', '=', c.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['case.report', 'case.register', 'case.dispatch']);
  });

  it('leaves the desk what the classifier is less sure of, or files elsewhere, and everything once the rule is gone', async () => {
    // the reporter's category and the classifier disagree
    expect((await report('楼道里堆满了纸箱', 'C0103')).status).toBe('reported');
    // a vague text scores below the rule
    expect((await report('楼下有点乱，东西很多')).status).toBe('reported');
    expect((await t.request({ method: 'DELETE', url: '/api/cases/auto-dispatch/C0101', token: token.admin })).statusCode).toBe(200);
    expect((await report('楼道里又堆满了纸箱')).status).toBe('reported');
    expect((await t.request({ method: 'DELETE', url: '/api/cases/auto-dispatch/C0101', token: token.admin })).statusCode).toBe(404);
  });
});
