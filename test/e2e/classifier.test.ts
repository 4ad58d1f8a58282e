import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

interface Suggestion {
  categoryCode: string;
  name: string;
  score: number;
}

describe.each(ENGINES)('category classifier on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  let dispatcher: string;
  let resident: string;
  let residentCodes: Set<string>;
  beforeAll(async () => {
    t = await createTestApp(engine);
    [admin, dispatcher, resident] = await Promise.all([t.login('admin'), t.login('dispatcher'), t.login('resident')]);
    const res = await t.request({ url: '/api/categories', token: resident });
    residentCodes = new Set((res.json() as { items: Array<{ code: string }> }).items.map((c) => c.code));
  });
  afterAll(() => t.close());

  const classify = async (token: string, text: string) => {
    const res = await t.request({ method: 'POST', url: '/api/cases/classify', token, body: { text } });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { suggestions: Suggestion[] }).suggestions;
  };
  const exampleCount = async () => Number((await t.database.db.selectFrom('classifier_examples').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const auditCount = async () =>
    Number((await t.database.db.selectFrom('audit_log').select(sql<string>`count(*)`.as('n')).where('action', '=', 'classifier.example_add').executeTakeFirstOrThrow()).n);

  it('suggests 楼道堆物 for a cluttered stairwell, best first, with names and normalised scores', async () => {
    const suggestions = await classify(dispatcher, '楼道里堆满了杂物');
    expect(suggestions.length).toBeGreaterThanOrEqual(3);
    expect(suggestions[0]).toMatchObject({ categoryCode: 'C0101', name: '楼道堆物' });
    for (let i = 1; i < suggestions.length; i++) expect(suggestions[i]!.score).toBeLessThanOrEqual(suggestions[i - 1]!.score);
    expect(suggestions.every((s) => s.score >= 0 && s.score <= 1)).toBe(true);
  });

  it('gives a resident only the categories residents may choose', async () => {
    // 井盖 reports: staff may get the owner-specific covers (B0101 上水井盖 …), residents only 不明井盖
    const staff = await classify(admin, '路边的污水井盖破损了，缺了一块');
    const mine = await classify(resident, '路边的污水井盖破损了，缺了一块');
    expect(staff.some((s) => !residentCodes.has(s.categoryCode))).toBe(true);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(mine.every((s) => residentCodes.has(s.categoryCode))).toBe(true);
    expect(mine.map((s) => s.categoryCode)).toContain('B0114');
  });

  it('learns a corrected example: the suggestion for a similar text moves', async () => {
    const rank = async () => (await classify(dispatcher, '门口那个石狮子又被人推倒了')).findIndex((s) => s.categoryCode === 'C0209');
    const before = await rank();
    const [examples, audits] = [await exampleCount(), await auditCount()];
    const res = await t.request({
      method: 'POST',
      url: '/api/classifier/examples',
      token: dispatcher,
      body: { text: '小区门口的石狮子被人推倒了', categoryCode: 'C0209', source: 'corrected' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ categoryCode: 'C0209', source: 'corrected' });
    expect(await exampleCount()).toBe(examples + 1);
    expect(await auditCount()).toBe(audits + 1);
    const events = await t.database.db.selectFrom('outbox_events').select('type').where('type', '=', 'classifier.example_added').execute();
    expect(events.length).toBeGreaterThanOrEqual(1);
    const after = await rank();
    expect(after).toBe(0);
    expect(before === -1 || before > after).toBe(true);

    const stats = await t.request({ url: '/api/classifier/stats', token: admin });
    expect(stats.statusCode, stats.body).toBe(200);
    const body = stats.json() as { examples: Record<string, number>; categoriesCovered: number; heldOut: { reports: number; top1: number; top3: number } };
    expect(body.examples.corrected).toBe(1);
    expect(body.heldOut.reports).toBeGreaterThan(0);
    expect(body.heldOut.top3).toBeGreaterThanOrEqual(0.7);
  });

  it('refuses bad input and changes nothing', async () => {
    const [examples, audits] = [await exampleCount(), await auditCount()];
    const cases: Array<{ url: string; body: unknown; status: number; code?: string }> = [
      { url: '/api/cases/classify', body: { text: '' }, status: 400, code: 'VALIDATION_FAILED' },
      { url: '/api/cases/classify', body: { text: '   ' }, status: 400, code: 'VALIDATION_FAILED' },
      { url: '/api/cases/classify', body: { text: '楼道堆物', limit: 3 }, status: 400, code: 'VALIDATION_FAILED' },
      { url: '/api/cases/classify', body: { text: '堆'.repeat(3000) }, status: 400, code: 'VALIDATION_FAILED' },
      { url: '/api/classifier/examples', body: { text: '楼道堆物', categoryCode: 'C0101', source: 'seed' }, status: 400 },
      { url: '/api/classifier/examples', body: { text: '楼道堆物', categoryCode: 'C0101', source: 'confirmed', extra: 1 }, status: 400 },
      { url: '/api/classifier/examples', body: { text: '楼道堆物', categoryCode: 'C0198', source: 'confirmed' }, status: 422, code: 'CLASSIFIER_CATEGORY_UNKNOWN' },
      { url: '/api/classifier/examples', body: { text: '楼道堆物', categoryCode: 'C01', source: 'confirmed' }, status: 400 },
    ];
    for (const c of cases) {
      const res = await t.request({ method: 'POST', url: c.url, token: dispatcher, body: c.body });
      expect(res.statusCode, `${c.url} ${JSON.stringify(c.body).slice(0, 80)}`).toBe(c.status);
      if (c.code) expect((res.json() as { error: { code: string } }).error.code).toBe(c.code);
    }
    // an inactive category is refused too
    expect((await t.request({ method: 'POST', url: '/api/categories/C0105/deactivate', token: admin })).statusCode).toBe(200);
    const inactive = await t.request({ method: 'POST', url: '/api/classifier/examples', token: dispatcher, body: { text: '灭火器过期了', categoryCode: 'C0105', source: 'confirmed' } });
    expect(inactive.statusCode).toBe(422);
    expect((await classify(admin, '楼道里的灭火器都过期了')).map((s) => s.categoryCode)).not.toContain('C0105');
    expect((await t.request({ method: 'POST', url: '/api/categories/C0105/activate', token: admin })).statusCode).toBe(200);
    expect(await exampleCount()).toBe(examples);
    expect(await auditCount()).toBe(audits);
  });

  it('lets only dispatchers and district staff train, only admins and operators read the stats', async () => {
    const body = { text: '楼道里堆了很多纸箱', categoryCode: 'C0101', source: 'confirmed' };
    const byResident = await t.request({ method: 'POST', url: '/api/classifier/examples', token: resident, body });
    expect(byResident.statusCode).toBe(403);
    expect((await t.request({ method: 'POST', url: '/api/classifier/examples', token: await t.login('worker'), body })).statusCode).toBe(403);
    expect((await t.request({ url: '/api/classifier/stats', token: dispatcher })).statusCode).toBe(403);
    expect((await t.request({ url: '/api/classifier/stats', token: await t.login('operator') })).statusCode).toBe(200);
    const confirmed = await t.request({ method: 'POST', url: '/api/classifier/examples', token: await t.login('head'), body });
    expect(confirmed.statusCode, confirmed.body).toBe(201);
  });

  it('answers 401 without a session', async () => {
    expect((await t.request({ method: 'POST', url: '/api/cases/classify', body: { text: '楼道堆物' } })).statusCode).toBe(401);
    expect((await t.request({ method: 'POST', url: '/api/classifier/examples', body: { text: '楼道堆物', categoryCode: 'C0101', source: 'confirmed' } })).statusCode).toBe(401);
    expect((await t.request({ url: '/api/classifier/stats' })).statusCode).toBe(401);
  });
});
