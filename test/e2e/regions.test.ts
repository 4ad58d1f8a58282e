import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/server/platform/audit.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

describe.each(ENGINES)('grids and buildings under a committee on %s', (engine) => {
  let t: TestApp;
  let head: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    head = await t.login('head'); // committee head of 梅园一村居委会
  });
  afterAll(() => t.close());

  it('adds a grid and a building inside it, with derived codes and nested paths', async () => {
    const grid = await t.request({ method: 'POST', url: '/api/regions/310115005001/children', token: head, body: { level: 'grid', name: '梅园一村第一网格' } });
    expect(grid.statusCode).toBe(201);
    expect(grid.json()).toMatchObject({ code: '310115005001G01', level: 'grid', parentCode: '310115005001', source: 'local', childCount: 0 });
    const building = await t.request({ method: 'POST', url: '/api/regions/310115005001G01/children', token: head, body: { level: 'building', name: '梅园一村12号楼' } });
    expect(building.json()).toMatchObject({ code: '310115005001G01B001', level: 'building' });
    const second = await t.request({ method: 'POST', url: '/api/regions/310115005001/children', token: head, body: { level: 'grid', name: '第二网格' } });
    expect(second.json()).toMatchObject({ code: '310115005001G02' });

    const detail = (await t.request({ url: '/api/regions/310115005001G01B001', token: head })).json() as { path: string; ancestors: Array<{ code: string }> };
    expect(detail.path).toBe('310115.310115005.310115005001.310115005001G01.310115005001G01B001');
    // ancestors above the head's own committee are outside the scope and not shown
    expect(detail.ancestors.map((a) => a.code)).toEqual(['310115005001', '310115005001G01']);
    const committee = (await t.request({ url: '/api/regions/310115005001', token: head })).json() as { childCount: number; descendants: Record<string, number> };
    expect(committee).toMatchObject({ childCount: 2, descendants: { grid: 2, building: 1 } });
    // the new grid is a scope in its own right: a district admin sees it in the street's descendants
    const admin = await t.login('admin');
    const street = (await t.request({ url: '/api/regions/310115005', token: admin })).json() as { descendants: Record<string, number> };
    expect(street.descendants).toMatchObject({ committee: 35, grid: 2, building: 1 });
  });

  it('refuses levels that do not nest, and official divisions stay read-only', async () => {
    const streetUnderCommittee = await t.request({ method: 'POST', url: '/api/regions/310115005001G01B001/children', token: head, body: { level: 'building', name: '楼中楼' } });
    expect(streetUnderCommittee.json()).toMatchObject({ error: { code: 'REGION_LEVEL_NOT_ALLOWED' } });
    const dispatcher = await t.login('dispatcher');
    const gridUnderStreet = await t.request({ method: 'POST', url: '/api/regions/310115005/children', token: dispatcher, body: { level: 'grid', name: '街道网格' } });
    expect(gridUnderStreet.statusCode).toBe(422);
    const rename = await t.request({ method: 'PATCH', url: '/api/regions/310115005001', token: head, body: { name: '改名居委会' } });
    expect(rename.json()).toMatchObject({ error: { code: 'OFFICIAL_REGION_READONLY' } });
    const drop = await t.request({ method: 'DELETE', url: '/api/regions/310115005001', token: head });
    expect(drop.statusCode).toBe(422);
  });

  it('renames and removes local regions; a region in use stays', async () => {
    const renamed = await t.request({ method: 'PATCH', url: '/api/regions/310115005001G02', token: head, body: { name: '梅园一村第二网格' } });
    expect(renamed.json()).toMatchObject({ name: '梅园一村第二网格' });
    const busy = await t.request({ method: 'DELETE', url: '/api/regions/310115005001G01', token: head });
    expect(busy.json()).toMatchObject({ error: { code: 'REGION_IN_USE' } });
    expect((await t.request({ method: 'DELETE', url: '/api/regions/310115005001G02', token: head })).statusCode).toBe(204);
    expect((await t.request({ url: '/api/regions/310115005001G02', token: head })).statusCode).toBe(404);
  });

  it('records every change in the audit log and the outbox, and the chain still verifies', async () => {
    const admin = await t.login('admin');
    const audit = (await t.request({ url: '/api/audit?action=region.&limit=50', token: admin })).json() as { items: Array<{ action: string; actorUsername: string; objectId: string }> };
    expect(audit.items.map((e) => `${e.action} ${e.objectId}`)).toEqual([
      'region.delete 310115005001G02',
      'region.rename 310115005001G02',
      'region.create 310115005001G02',
      'region.create 310115005001G01B001',
      'region.create 310115005001G01',
      'region.import 310115',
    ]);
    expect(audit.items.filter((e) => e.action !== 'region.import').every((e) => e.actorUsername === 'head')).toBe(true);
    const events = await t.database.db.selectFrom('outbox_events').select(['type', 'aggregate_id']).where('type', 'like', 'region.%').orderBy('id').execute();
    expect(events.map((e) => `${e.type} ${e.aggregate_id}`)).toEqual([
      'region.imported 310115',
      'region.created 310115005001G01',
      'region.created 310115005001G01B001',
      'region.created 310115005001G02',
      'region.renamed 310115005001G02',
      'region.deleted 310115005001G02',
    ]);
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });
});
