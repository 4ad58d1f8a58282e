import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/server/platform/actor.ts';
import { verifyAuditChain } from '../../src/server/platform/audit.ts';
import { importCatalogue } from '../../src/server/modules/categories/commands.ts';
import { seedCategories } from '../../src/server/modules/categories/seed.ts';
import { currentCategory, findCategoryVersion } from '../../src/server/modules/categories/repository.ts';
import { DEFAULT_CATALOGUE } from '../../src/server/modules/categories/default-catalogue.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

interface Item {
  code: string;
  parentCode: string | null;
  level: 'class' | 'leaf';
  type: string;
  version: number;
  name: string;
  active: boolean;
  selectable: boolean;
  residentSelectable: boolean | null;
  departmentKind: string | null;
  timeLimits: Record<string, { amount: number; clock: string }> | null;
}
interface Detail extends Item {
  versions: Array<{ version: number; createdBy: string; createdAt: string; note: string | null }>;
}

const LEAF_COUNT = DEFAULT_CATALOGUE.reduce((n, c) => n + c.leaves.length, 0);
const CLASS_COUNT = DEFAULT_CATALOGUE.length;

const NEW_LEAF = {
  code: 'C0106',
  parentCode: 'C01',
  name: '充电桩故障',
  nameEn: 'Broken e-bike charging point',
  keywords: ['充电桩', '充电柜'],
  departmentKind: 'property_management',
  timeLimits: {
    normal: { amount: 3, clock: 'working_days' },
    urgent: { amount: 1, clock: 'working_days' },
    critical: { amount: 4, clock: 'emergency_working_hours' },
  },
  verification: 'reporter',
  residentSelectable: true,
  duplicateRadiusM: 30,
};

describe.each(ENGINES)('case category catalogue on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  let resident: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await t.login('admin');
    resident = await t.login('resident');
  });
  afterAll(() => t.close());

  const list = async (token: string, query = '') => {
    const res = await t.request({ url: `/api/categories${query}`, token });
    expect(res.statusCode).toBe(200);
    return (res.json() as { items: Item[]; total: number }).items;
  };
  const versionCount = async () => Number((await t.database.db.selectFrom('category_versions').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const auditCount = async () => Number((await t.database.db.selectFrom('audit_log').select(sql<string>`count(*)`.as('n')).where('object_type', '=', 'category').executeTakeFirstOrThrow()).n);

  it('seeds the default catalogue once, with one audit entry', async () => {
    const all = await list(admin, '?includeInactive=true');
    expect(all.filter((c) => c.level === 'class')).toHaveLength(CLASS_COUNT);
    expect(all.filter((c) => c.level === 'leaf')).toHaveLength(LEAF_COUNT);
    expect(all.every((c) => c.version === 1 && c.active)).toBe(true);
    // classes come before their leaves, in code order
    expect(all.slice(0, 3).map((c) => c.code)).toEqual(['B01', 'B0101', 'B0102']);
    expect(all.find((c) => c.code === 'C0101')).toMatchObject({ name: '楼道堆物', level: 'leaf', parentCode: 'C01', type: 'community', departmentKind: 'urban_management', selectable: true });
    expect(all.find((c) => c.code === 'C01')).toMatchObject({ level: 'class', selectable: false, departmentKind: null, timeLimits: null });
    const imports = await t.database.db.selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'category.import').execute();
    expect(imports).toHaveLength(1);
    expect(imports[0]).toMatchObject({ actor_username: 'system:seed', details: { count: CLASS_COUNT + LEAF_COUNT, classes: CLASS_COUNT, leaves: LEAF_COUNT } });
  });

  it('lets residents see only the active leaves they may choose', async () => {
    const mine = await list(resident);
    expect(mine.length).toBeGreaterThan(40);
    expect(mine.every((c) => c.level === 'leaf' && c.selectable && c.residentSelectable === true)).toBe(true);
    expect(mine.map((c) => c.code)).toContain('C0101');
    expect(mine.map((c) => c.code)).not.toContain('B0101'); // 上水井盖: staff tell covers apart
    expect(mine.map((c) => c.code)).not.toContain('E0409'); // 群发性事件
    // asking for more changes nothing
    expect((await list(resident, '?includeInactive=true&selectable=false')).map((c) => c.code)).toEqual(mine.map((c) => c.code));
    expect((await t.request({ url: '/api/categories/C0101', token: resident })).statusCode).toBe(200);
    expect((await t.request({ url: '/api/categories/B0101', token: resident })).statusCode).toBe(404);
    expect((await t.request({ url: '/api/categories/C01', token: resident })).statusCode).toBe(404);
    // staff filters
    const community = await list(admin, '?type=community&selectable=true');
    expect(community.every((c) => c.type === 'community' && c.level === 'leaf')).toBe(true);
    expect((await list(admin, `?q=${encodeURIComponent('堆物')}`)).map((c) => c.code)).toContain('C0101');
    // a keyword found inside a sentence (the classifier's first cut)
    expect((await list(admin, `?q=${encodeURIComponent('电梯坏了三天了')}`)).map((c) => c.code)).toContain('C0204');
    expect((await list(resident, '?q=C01')).map((c) => c.code).every((code) => code.startsWith('C01'))).toBe(true);
  });

  it('writes version 2 on an edit and keeps version 1 readable with the old limits', async () => {
    const res = await t.request({
      method: 'PATCH',
      url: '/api/categories/C0101',
      token: admin,
      body: { timeLimits: { normal: { amount: 2, clock: 'working_days' } }, keywords: ['楼道堆放', '楼道杂物', '堆物'], note: '街道要求加快处置' },
    });
    expect(res.statusCode).toBe(200);
    const detail = res.json() as Detail;
    expect(detail).toMatchObject({ code: 'C0101', version: 2, timeLimits: { normal: { amount: 2, clock: 'working_days' }, urgent: { amount: 1, clock: 'working_days' } } });
    expect(detail.versions.map((v) => [v.version, v.createdBy, v.note])).toEqual([
      [2, 'admin', '街道要求加快处置'],
      [1, 'system:seed', null],
    ]);
    const v1 = await t.request({ url: '/api/categories/C0101/versions/1', token: admin });
    expect(v1.json()).toMatchObject({ version: 1, current: false, timeLimits: { normal: { amount: 3, clock: 'working_days' } }, createdBy: 'system:seed' });
    const v2 = await t.request({ url: '/api/categories/C0101/versions/2', token: resident });
    expect(v2.json()).toMatchObject({ version: 2, current: true, timeLimits: { normal: { amount: 2, clock: 'working_days' } } });
    expect((await t.request({ url: '/api/categories/C0101/versions/3', token: admin })).statusCode).toBe(404);

    // what the case module reads
    expect((await findCategoryVersion(t.database.db, 'C0101', 1))?.timeLimits?.normal).toEqual({ amount: 3, clock: 'working_days' });
    expect(await currentCategory(t.database.db, 'C0101')).toMatchObject({ version: 2, departmentKind: 'urban_management' });

    // a patch that changes nothing writes nothing
    const before = { versions: await versionCount(), audit: await auditCount() };
    const same = await t.request({ method: 'PATCH', url: '/api/categories/C0101', token: admin, body: { timeLimits: { normal: { amount: 2, clock: 'working_days' } }, note: '再次确认' } });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ version: 2 });
    expect({ versions: await versionCount(), audit: await auditCount() }).toEqual(before);

    // a class takes a new name (a version too)
    const renamed = await t.request({ method: 'PATCH', url: '/api/categories/C05', token: admin, body: { name: '邻里关系与社区服务' } });
    expect(renamed.json()).toMatchObject({ version: 2, name: '邻里关系与社区服务' });
    expect((await list(resident, '?q=C05')).every((c) => c.parentCode === 'C05')).toBe(true);
  });

  it('refuses bad input with a 4xx and changes nothing', async () => {
    const snapshot = async () => ({ list: await list(admin, '?includeInactive=true'), versions: await versionCount(), audit: await auditCount() });
    const before = await snapshot();
    const cases: Array<{ method: 'POST' | 'PATCH'; url: string; body: unknown; status: number; code: string }> = [
      { method: 'PATCH', url: '/api/categories/C0101', body: { colour: 'red' }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'PATCH', url: '/api/categories/C0101', body: {}, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'PATCH', url: '/api/categories/C0101', body: { timeLimits: { normal: { amount: 2, clock: 'fortnights' } } }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'PATCH', url: '/api/categories/C0101', body: { timeLimits: { normal: { amount: -2, clock: 'working_days' } } }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'PATCH', url: '/api/categories/C0101', body: { timeLimits: { normal: { amount: 1.5, clock: 'working_days' } } }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'PATCH', url: '/api/categories/C0101', body: { timeLimits: { soon: { amount: 1, clock: 'working_days' } } }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'PATCH', url: '/api/categories/C0101', body: { departmentKind: 'ministry_of_magic' }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'PATCH', url: '/api/categories/C0101', body: { duplicateRadiusM: -1 }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'PATCH', url: '/api/categories/C0101', body: { name: '' }, status: 400, code: 'VALIDATION_FAILED' },
      // critical longer than normal
      { method: 'PATCH', url: '/api/categories/C0101', body: { timeLimits: { critical: { amount: 20, clock: 'working_days' } } }, status: 422, code: 'CATEGORY_LIMITS_ORDER' },
      // a class has no rules
      { method: 'PATCH', url: '/api/categories/C01', body: { departmentKind: 'fire' }, status: 422, code: 'CATEGORY_CLASS_HAS_NO_RULES' },
      { method: 'PATCH', url: '/api/categories/C9901', body: { name: '不存在' }, status: 404, code: 'NOT_FOUND' },
      { method: 'PATCH', url: '/api/categories/c0101', body: { name: '小写' }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'POST', url: '/api/categories', body: { ...NEW_LEAF, code: 'C0206' }, status: 422, code: 'CATEGORY_CODE_MISMATCH' },
      { method: 'POST', url: '/api/categories', body: { ...NEW_LEAF, code: 'E0106' }, status: 422, code: 'CATEGORY_CODE_MISMATCH' },
      { method: 'POST', url: '/api/categories', body: { ...NEW_LEAF, code: 'C0901', parentCode: 'C09' }, status: 422, code: 'CATEGORY_PARENT_UNKNOWN' },
      { method: 'POST', url: '/api/categories', body: { ...NEW_LEAF, code: 'C0101' }, status: 409, code: 'CATEGORY_CODE_TAKEN' },
      { method: 'POST', url: '/api/categories', body: { ...NEW_LEAF, code: 'C0100' }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'POST', url: '/api/categories', body: { ...NEW_LEAF, parentCode: 'C0101' }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'POST', url: '/api/categories', body: { ...NEW_LEAF, timeLimits: { normal: NEW_LEAF.timeLimits.normal } }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'POST', url: '/api/categories', body: { ...NEW_LEAF, secret: true }, status: 400, code: 'VALIDATION_FAILED' },
      { method: 'POST', url: '/api/categories', body: { ...NEW_LEAF, verification: 'nobody' }, status: 400, code: 'VALIDATION_FAILED' },
    ];
    for (const c of cases) {
      const res = await t.request({ method: c.method, url: c.url, token: admin, body: c.body });
      expect({ body: c.body, status: res.statusCode, code: (res.json() as { error: { code: string } }).error.code }).toEqual({ body: c.body, status: c.status, code: c.code });
    }
    const en = await t.request({ method: 'POST', url: '/api/categories', token: admin, body: { ...NEW_LEAF, code: 'C0206' }, headers: { 'accept-language': 'en' } });
    expect((en.json() as { error: { message: string } }).error.message).toMatch(/must start with its class code/);
    expect(await snapshot()).toEqual(before);
    // versions cannot be rewritten, not even by SQL
    await expect(sql`update category_versions set name = 'x' where code = 'C0101'`.execute(t.database.db)).rejects.toThrow(/append-only/);
  });

  it('lets only district administrators change the catalogue', async () => {
    for (const name of ['operator', 'steward', 'dispatcher', 'handler', 'head', 'worker', 'resident']) {
      const token = await t.login(name);
      const patch = await t.request({ method: 'PATCH', url: '/api/categories/C0101', token, body: { name: '改名' } });
      expect({ name, status: patch.statusCode }).toEqual({ name, status: 403 });
      const create = await t.request({ method: 'POST', url: '/api/categories', token, body: NEW_LEAF });
      expect({ name, status: create.statusCode }).toEqual({ name, status: 403 });
      const off = await t.request({ method: 'POST', url: '/api/categories/C0101/deactivate', token, body: {} });
      expect({ name, status: off.statusCode }).toEqual({ name, status: 403 });
    }
    // a resident cannot even see a category it may not choose
    expect((await t.request({ method: 'PATCH', url: '/api/categories/B0101', token: resident, body: { name: '改名' } })).statusCode).toBe(404);
    // an administrator of one street reads the catalogue but does not change it
    const created = await t.request({
      method: 'POST',
      url: '/api/users',
      token: admin,
      body: { username: 'weifang-admin', displayName: '潍坊管理员', password: 'weifang-admin-pass', assignment: { role: 'admin', regionCode: '310115004' } },
    });
    expect(created.statusCode).toBe(201);
    const street = await t.login('weifang-admin', 'weifang-admin-pass');
    expect((await t.request({ url: '/api/categories/B0101', token: street })).statusCode).toBe(200);
    expect((await t.request({ method: 'PATCH', url: '/api/categories/C0101', token: street, body: { name: '改名' } })).statusCode).toBe(403);
    expect((await t.request({ url: '/api/categories/C0101', token: admin })).json()).toMatchObject({ name: '楼道堆物', version: 2 });
  });

  it('adds a leaf under a class, switches it off and on, and a class switch covers its leaves', async () => {
    const created = await t.request({ method: 'POST', url: '/api/categories', token: admin, body: NEW_LEAF });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: 'C0106', parentCode: 'C01', parentName: '消防安全', type: 'community', version: 1, responsibility: 'locality_first', selectable: true });
    expect((await list(resident)).map((c) => c.code)).toContain('C0106');

    const off = await t.request({ method: 'POST', url: '/api/categories/C0106/deactivate', token: admin, body: { reason: '并入公共设施损坏' } });
    expect(off.json()).toMatchObject({ active: false, selectable: false, version: 1 });
    expect((await list(resident)).map((c) => c.code)).not.toContain('C0106');
    expect((await list(admin)).map((c) => c.code)).not.toContain('C0106');
    expect((await list(admin, '?includeInactive=true')).find((c) => c.code === 'C0106')).toMatchObject({ active: false });
    expect((await t.request({ url: '/api/categories/C0106', token: resident })).statusCode).toBe(404);
    // again: nothing to do, nothing recorded
    const audit = await auditCount();
    expect((await t.request({ method: 'POST', url: '/api/categories/C0106/deactivate', token: admin, body: {} })).statusCode).toBe(200);
    expect(await auditCount()).toBe(audit);
    // no body at all is fine too
    expect((await t.request({ method: 'POST', url: '/api/categories/C0106/activate', token: admin })).json()).toMatchObject({ active: true, selectable: true });
    expect((await t.request({ method: 'POST', url: '/api/categories/C0106/activate', token: admin, body: { reason: '', extra: 1 } })).statusCode).toBe(400);

    // switching off a class hides all its leaves from new cases
    await t.request({ method: 'POST', url: '/api/categories/C04/deactivate', token: admin, body: {} });
    expect((await list(resident)).some((c) => c.parentCode === 'C04')).toBe(false);
    expect((await list(admin, '?includeInactive=true&type=community')).filter((c) => c.parentCode === 'C04').every((c) => c.active && !c.selectable)).toBe(true);
    await t.request({ method: 'POST', url: '/api/categories/C04/activate', token: admin, body: {} });
    expect((await list(resident)).some((c) => c.parentCode === 'C04')).toBe(true);
  });

  it('audits every change with a diff and emits its event in the same transaction', async () => {
    const audit = (await t.request({ url: '/api/audit?objectType=category&limit=50', token: admin })).json() as {
      items: Array<{ action: string; actorUsername: string; objectId: string | null; reason: string | null; details: Record<string, unknown> }>;
    };
    expect(audit.items.map((e) => `${e.action} ${e.objectId ?? ''}`.trim()).reverse()).toEqual([
      'category.import',
      'category.update C0101',
      'category.update C05',
      'category.create C0106',
      'category.deactivate C0106',
      'category.activate C0106',
      'category.deactivate C04',
      'category.activate C04',
    ]);
    const update = audit.items.find((e) => e.action === 'category.update' && e.objectId === 'C0101')!;
    expect(update.actorUsername).toBe('admin');
    expect(update.details).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      note: '街道要求加快处置',
      changes: { timeLimits: { from: { normal: { amount: 3 } }, to: { normal: { amount: 2 } } }, keywords: { to: ['楼道堆放', '楼道杂物', '堆物'] } },
    });
    expect(Object.keys(update.details.changes as object).sort()).toEqual(['keywords', 'timeLimits']);
    expect(audit.items.find((e) => e.action === 'category.deactivate' && e.objectId === 'C0106')?.reason).toBe('并入公共设施损坏');

    const events = await t.database.db.selectFrom('outbox_events').select(['type', 'aggregate_id', 'payload']).where('type', 'like', 'category.%').orderBy('id').execute();
    expect(events.map((e) => `${e.type} ${e.aggregate_id}`)).toEqual([
      'category.imported gongzhi-default-catalogue@1',
      'category.changed C0101',
      'category.changed C05',
      'category.created C0106',
      'category.deactivated C0106',
      'category.activated C0106',
      'category.deactivated C04',
      'category.activated C04',
    ]);
    expect(events[1]!.payload).toEqual({ code: 'C0101', version: 2, previousVersion: 1, changed: ['keywords', 'timeLimits'] });
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });

  it('re-seeds idempotently: only missing defaults are added, edits are kept', async () => {
    const before = { versions: await versionCount(), audit: await auditCount() };
    await seedCategories(t.platform);
    expect({ versions: await versionCount(), audit: await auditCount() }).toEqual(before);

    // a later release adds a default: it appears at version 1; C0101 keeps the district's version 2
    const extended = DEFAULT_CATALOGUE.map((c) =>
      c.code === 'C03' ? { ...c, leaves: [...c.leaves, { ...c.leaves[0]!, sub: '05', name: '厨余垃圾破袋', nameEn: 'Food-waste bag breaking' }] } : c,
    );
    const result = await t.platform.transaction(systemActor('seed'), (ctx) => importCatalogue(ctx, extended));
    expect(result).toEqual({ imported: 1 });
    expect(await currentCategory(t.database.db, 'C0305')).toMatchObject({ version: 1, name: '厨余垃圾破袋', parentCode: 'C03' });
    expect(await currentCategory(t.database.db, 'C0101')).toMatchObject({ version: 2 });
    expect(await auditCount()).toBe(before.audit + 1);
  });
});
