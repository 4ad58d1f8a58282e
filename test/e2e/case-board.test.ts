import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNT_CAP } from '../../src/server/modules/cases/repository.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

describe.each(ENGINES)('the board on a busy district on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await t.login('admin');
    const resident = await t.login('resident');
    const seed = await t.request({ method: 'POST', url: '/api/cases', token: resident, body: { description: '楼道里堆满了纸箱', categoryCode: 'C0101' } });
    const { id } = seed.json() as { id: string };
    // a history larger than the count cap: closed copies of one report (a load fixture, not demo data)
    await sql`
      insert into cases (number, status, channel, description, category_code, urgency, region_code, region_path, handling_level_path, reporter_user_id, verification, closed_at, created_at, updated_at)
      select 'GZBULK-' || g, 'closed', c.channel, c.description, c.category_code, c.urgency, c.region_code, c.region_path, c.handling_level_path, c.reporter_user_id, c.verification, now(), now() - g * interval '1 minute', now()
      from cases c, generate_series(1, ${COUNT_CAP + 50}) g where c.id = ${id}`.execute(t.database.db);
  }, 120_000);
  afterAll(() => t.close());

  it('counts a large list only up to the cap and says so; a narrower filter counts exactly', async () => {
    const all = (await t.request({ url: '/api/cases?limit=20', token: admin })).json() as { items: unknown[]; total: number; totalCapped: boolean };
    expect(all).toMatchObject({ total: COUNT_CAP, totalCapped: true });
    expect(all.items).toHaveLength(20);
    const open = (await t.request({ url: '/api/cases?active=true', token: admin })).json() as { total: number; totalCapped: boolean };
    expect(open.totalCapped).toBe(false);
    expect(open.total).toBeGreaterThanOrEqual(1);
    expect(open.total).toBeLessThan(100);
  });
});
