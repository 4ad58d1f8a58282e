import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/server/platform/audit.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

const MEIYUAN = '310115005001'; // 梅园一村, 陆家嘴
const HUIHAO = '310115005002'; // also 陆家嘴
const WEIFANG_1 = '310115004001'; // 潍坊新村街道
const LUJIAZUI = '310115005';
const SPOT = { lat: 31.234, lng: 121.521 };

interface DeviceView {
  id: string;
  profile: string;
  profileName: string;
  name: string;
  regionCode: string;
  regionName: string;
  location: { lat: number; lng: number } | null;
  owner: string | null;
  installedOn: string | null;
  expectedIntervalS: number;
  state: string;
  connectivity: string;
  lastSeenAt: string | null;
  lastValues: Record<string, unknown> | null;
  rejectedCount: number;
  token?: string;
}
interface ErrorBody {
  error: { code: string; message: string; details?: { count?: number; rows?: Array<{ row: number; field: string | null; message: string }> } };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const HEADER = 'profile,name,regionCode,lat,lng,owner,installedOn,expectedIntervalS';

describe.each(ENGINES)('devices on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  let maintainer: string;
  let dispatcher: string;
  let head: string;
  let resident: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await t.login('admin');
    maintainer = await t.login('maintainer');
    dispatcher = await t.login('dispatcher');
    head = await t.login('head');
    resident = await t.login('resident');
  });
  afterAll(async () => t?.close());

  const create = (token: string, body: unknown) => t.request({ method: 'POST', url: '/api/devices', token, body });
  const auditOf = (id: string) =>
    t.platform.db.selectFrom('audit_log').select(['action', 'actor_username', 'details', 'region_path']).where('object_type', '=', 'device').where('object_id', '=', id).orderBy('at').execute();

  it('registers a device: 201 with the token once, only its SHA-256 stored, audited', async () => {
    const res = await create(maintainer, { profile: 'smoke', name: '3号楼 101 室烟感', regionCode: MEIYUAN, location: SPOT, owner: '梅园物业', installedOn: '2026-11-20' });
    expect(res.statusCode).toBe(201);
    const body = res.json() as DeviceView;
    expect(body.token).toMatch(/^gzdev_[A-Za-z0-9_-]{43}$/);
    expect(body).toMatchObject({
      profile: 'smoke',
      profileName: '独立式烟感',
      name: '3号楼 101 室烟感',
      regionCode: MEIYUAN,
      regionName: '梅园一村居委会',
      location: SPOT,
      owner: '梅园物业',
      installedOn: '2026-11-20',
      expectedIntervalS: 3600,
      state: 'active',
      connectivity: 'unknown',
      connectivityChangedAt: null,
      unauthorisedCount: 0,
      lastRejection: null,
      lastSeenAt: null,
      lastValues: null,
      rejectedCount: 0,
    });

    const row = await t.platform.db.selectFrom('devices').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(body.token!));
    expect(JSON.stringify(row)).not.toContain(body.token);

    const shown = (await t.request({ url: `/api/devices/${body.id}`, token: maintainer })).json() as DeviceView;
    expect(shown).not.toHaveProperty('token');
    expect(shown.connectivity).toBe('unknown');

    const audit = await auditOf(body.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'device.create', actor_username: 'maintainer', details: { profile: 'smoke', name: '3号楼 101 室烟感', regionCode: MEIYUAN } });
    expect(JSON.stringify(audit)).not.toContain(body.token);
  });

  it('keeps devices inside the scope: another street’s device is 404 for a street maintainer, and not listed', async () => {
    const weifang = (await create(admin, { profile: 'bin', name: '潍坊一村垃圾桶', regionCode: WEIFANG_1 })).json() as DeviceView;
    expect(weifang.expectedIntervalS).toBe(1800);

    for (const token of [maintainer, dispatcher]) {
      expect((await t.request({ url: `/api/devices/${weifang.id}`, token })).statusCode).toBe(404);
      expect((await t.request({ method: 'PATCH', url: `/api/devices/${weifang.id}`, token, body: { name: 'x' } })).statusCode).toBe(token === maintainer ? 404 : 403);
      const list = (await t.request({ url: '/api/devices?limit=200', token })).json() as { items: DeviceView[]; total: number };
      expect(list.items.map((d) => d.id)).not.toContain(weifang.id);
      expect(list.items.every((d) => d.regionCode.startsWith(LUJIAZUI))).toBe(true);
    }
    expect((await t.request({ method: 'POST', url: `/api/devices/${weifang.id}/token`, token: maintainer })).statusCode).toBe(404);
    expect((await t.request({ url: `/api/devices/${weifang.id}`, token: admin })).statusCode).toBe(200);

    // nor may a street maintainer register a device outside the street
    const outside = await create(maintainer, { profile: 'bin', name: '越界', regionCode: WEIFANG_1 });
    expect(outside.statusCode).toBe(404);

    // a committee head reads the devices of the committee, not the neighbour's
    const huihao = (await create(maintainer, { profile: 'parking', name: '汇豪天下车位', regionCode: HUIHAO })).json() as DeviceView;
    expect((await t.request({ url: `/api/devices/${huihao.id}`, token: head })).statusCode).toBe(404);
    const headList = (await t.request({ url: '/api/devices?limit=200', token: head })).json() as { items: DeviceView[] };
    expect(headList.items.length).toBeGreaterThanOrEqual(11);
    expect(headList.items.every((d) => d.regionCode === MEIYUAN)).toBe(true);
  });

  it('lets staff read but only maintainers and administrators manage; residents see nothing', async () => {
    expect((await t.request({ url: '/api/devices', token: resident })).statusCode).toBe(403);
    expect((await create(dispatcher, { profile: 'gas', name: '食堂', regionCode: MEIYUAN })).statusCode).toBe(403);
    expect((await create(head, { profile: 'gas', name: '食堂', regionCode: MEIYUAN })).statusCode).toBe(403);
    expect((await t.request({ url: '/api/devices' })).statusCode).toBe(401);
  });

  it('validates: 400 for a bad body, 422 for a place a device cannot go', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ profile: 'toaster', name: 'x', regionCode: MEIYUAN }, 400, 'VALIDATION_FAILED'],
      [{ profile: 'smoke', name: '', regionCode: MEIYUAN }, 400, 'VALIDATION_FAILED'],
      [{ profile: 'smoke', name: 'x', regionCode: MEIYUAN, token: 'mine' }, 400, 'VALIDATION_FAILED'],
      [{ profile: 'smoke', name: 'x', regionCode: MEIYUAN, expectedIntervalS: 5 }, 400, 'VALIDATION_FAILED'],
      [{ profile: 'smoke', name: 'x', regionCode: MEIYUAN, installedOn: '2026-02-30x' }, 400, 'VALIDATION_FAILED'],
      [{ profile: 'smoke', name: 'x', regionCode: LUJIAZUI }, 422, 'DEVICE_REGION_INVALID'],
      [{ profile: 'smoke', name: 'x', regionCode: MEIYUAN, location: { lat: 39.9, lng: 116.4 } }, 422, 'LOCATION_OUTSIDE_DISTRICT'],
      [{ profile: 'smoke', name: 'x', regionCode: '310115999999' }, 404, 'NOT_FOUND'],
    ];
    const before = await t.platform.db.selectFrom('devices').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    for (const [body, status, code] of cases) {
      const res = await create(maintainer, body);
      expect({ body, status: res.statusCode, code: (res.json() as ErrorBody).error.code }).toEqual({ body, status, code });
    }
    const after = await t.platform.db.selectFrom('devices').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect((await t.request({ url: '/api/devices/not-a-uuid', token: maintainer })).statusCode).toBe(400);
  });

  it('rotates the token: a new one, shown once; the old hash is gone; audited', async () => {
    const created = (await create(maintainer, { profile: 'gate', name: '北门', regionCode: MEIYUAN })).json() as DeviceView;
    const res = await t.request({ method: 'POST', url: `/api/devices/${created.id}/token`, token: maintainer });
    expect(res.statusCode).toBe(200);
    const { id, token } = res.json() as { id: string; token: string };
    expect(id).toBe(created.id);
    expect(token).not.toBe(created.token);
    const row = await t.platform.db.selectFrom('devices').select('token_hash').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(token));
    const again = await t.request({ method: 'POST', url: `/api/devices/${id}/token`, token: maintainer, body: { reason: '设备更换' } });
    expect(again.statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: `/api/devices/${id}/token`, token: maintainer, body: { secret: 'x' } })).statusCode).toBe(400);
    const audit = await t.platform.db.selectFrom('audit_log').select(['action', 'reason']).where('object_type', '=', 'device').where('object_id', '=', id).orderBy('at').execute();
    expect(audit).toEqual([
      { action: 'device.create', reason: null },
      { action: 'device.token.rotate', reason: null },
      { action: 'device.token.rotate', reason: '设备更换' },
    ]);
    // a resident or a reading role cannot rotate
    expect((await t.request({ method: 'POST', url: `/api/devices/${id}/token`, token: dispatcher })).statusCode).toBe(403);
  });

  it('edits a device (name, location, owner, interval, state) and records what changed', async () => {
    const created = (await create(maintainer, { profile: 'fire-tank', name: '水箱', regionCode: MEIYUAN })).json() as DeviceView;
    expect(created.location).toBeNull();
    const res = await t.request({
      method: 'PATCH',
      url: `/api/devices/${created.id}`,
      token: maintainer,
      body: { name: '屋顶消防水箱', location: SPOT, owner: '梅园物业', expectedIntervalS: 900, state: 'maintenance' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '屋顶消防水箱', location: SPOT, owner: '梅园物业', expectedIntervalS: 900, state: 'maintenance' });
    const cleared = await t.request({ method: 'PATCH', url: `/api/devices/${created.id}`, token: maintainer, body: { location: null, owner: null } });
    expect(cleared.json()).toMatchObject({ location: null, owner: null, state: 'maintenance' });
    expect((await t.request({ method: 'PATCH', url: `/api/devices/${created.id}`, token: maintainer, body: {} })).statusCode).toBe(400);
    expect((await t.request({ method: 'PATCH', url: `/api/devices/${created.id}`, token: maintainer, body: { state: 'broken' } })).statusCode).toBe(400);

    const audit = await auditOf(created.id);
    expect(audit.map((a) => a.action)).toEqual(['device.create', 'device.update', 'device.update']);
    expect(audit[1]!.details).toMatchObject({ name: { from: '水箱', to: '屋顶消防水箱' }, state: { from: 'active', to: 'maintenance' }, expectedIntervalS: { from: 600, to: 900 } });

    const filtered = (await t.request({ url: `/api/devices?state=maintenance&profile=fire-tank&regionCode=${MEIYUAN}`, token: maintainer })).json() as { items: DeviceView[]; total: number };
    expect(filtered.items.map((d) => d.id)).toEqual([created.id]);
    expect(filtered.total).toBe(1);
  });

  it('imports CSV all-or-nothing: errors name the line and the field; nothing is written', async () => {
    const count = async () => Number((await t.platform.db.selectFrom('devices').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const bad = [
      HEADER,
      `smoke,1号楼烟感,${MEIYUAN},31.234,121.521,梅园物业,2026-11-01,`,
      `toaster,烤面包机,${MEIYUAN},,,,,`,
      `bin,潍坊桶,${WEIFANG_1},,,,,`,
      `gas,"食堂, 燃气",${MEIYUAN},31.234,,,2026-13-01,5`,
      `parking,车位,${MEIYUAN}`,
    ].join('\n');
    const res = await t.request({ method: 'POST', url: '/api/devices/import', token: maintainer, body: { csv: bad } });
    expect(res.statusCode).toBe(422);
    const error = (res.json() as ErrorBody).error;
    expect(error.code).toBe('DEVICE_IMPORT_INVALID');
    expect(error.details!.count).toBe(4);
    const rows = error.details!.rows!;
    expect(rows.map((r) => [r.row, r.field])).toEqual([
      [3, 'profile'],
      [4, 'regionCode'],
      [5, 'lat'],
      [5, 'installedOn'],
      [5, 'expectedIntervalS'],
      [6, null],
    ]);
    expect(await count()).toBe(before);

    const header = await t.request({ method: 'POST', url: '/api/devices/import', token: maintainer, body: { csv: 'name,profile\nx,smoke' } });
    expect((header.json() as ErrorBody).error.code).toBe('DEVICE_IMPORT_HEADER');

    const good = [HEADER, `smoke,"1号楼 ""东"" 烟感",${MEIYUAN},31.234,121.521,梅园物业,2026-11-01,`, `water-meter,5号楼水表,${HUIHAO},,,,,7200`, ''].join('\r\n');
    const ok = await t.request({ method: 'POST', url: '/api/devices/import', token: maintainer, body: { csv: good } });
    expect(ok.statusCode).toBe(201);
    const { items, total } = ok.json() as { items: Array<{ row: number; id: string; name: string; token: string }>; total: number };
    expect(total).toBe(2);
    expect(items.map((i) => [i.row, i.name])).toEqual([
      [2, '1号楼 "东" 烟感'],
      [3, '5号楼水表'],
    ]);
    expect(await count()).toBe(before + 2);
    const meter = (await t.request({ url: `/api/devices/${items[1]!.id}`, token: maintainer })).json() as DeviceView;
    expect(meter).toMatchObject({ profile: 'water-meter', regionCode: HUIHAO, expectedIntervalS: 7200, location: null, owner: null });
    const stored = await t.platform.db.selectFrom('devices').select('token_hash').where('id', '=', items[0]!.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(sha256(items[0]!.token));
    expect((await auditOf(items[0]!.id))[0]).toMatchObject({ action: 'device.create', details: { import: true, row: 2 } });

    expect((await t.request({ method: 'POST', url: '/api/devices/import', token: head, body: { csv: good } })).statusCode).toBe(403);
  });

  it('places a device in a building of the committee, and the building cannot be removed while the device is there', async () => {
    const building = await t.request({ method: 'POST', url: `/api/regions/${MEIYUAN}/children`, token: admin, body: { level: 'building', name: '7号楼' } });
    expect(building.statusCode).toBe(201);
    const code = (building.json() as { code: string }).code;
    const device = await create(maintainer, { profile: 'lift', name: '7号楼电梯', regionCode: code });
    expect(device.statusCode).toBe(201);
    expect((device.json() as DeviceView).expectedIntervalS).toBe(60);
    const inCommittee = (await t.request({ url: `/api/devices?regionCode=${MEIYUAN}&profile=lift&limit=200`, token: head })).json() as { items: DeviceView[] };
    expect(inCommittee.items.map((d) => d.regionCode)).toContain(code);
    const removal = await t.request({ method: 'DELETE', url: `/api/regions/${code}`, token: admin });
    expect(removal.statusCode).toBe(409);
    expect((removal.json() as ErrorBody).error.code).toBe('REGION_IN_USE');
  });

  it('has one demo device per profile in 梅园一村, with the demo tokens’ hashes, and a verifiable audit chain', async () => {
    const { DEMO_DEVICES } = await import('../../src/server/modules/devices/demo.ts');
    expect(DEMO_DEVICES).toHaveLength(11);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const d of DEMO_DEVICES) expect(readme).toContain(`| \`${d.profile}\` | ${d.name} | \`${d.id}\` | \`${d.token}\` |`);
    const list = (await t.request({ url: `/api/devices?regionCode=${MEIYUAN}&limit=200`, token: head })).json() as { items: DeviceView[] };
    for (const d of DEMO_DEVICES) {
      const shown = list.items.find((i) => i.id === d.id);
      expect(shown).toMatchObject({ profile: d.profile, regionCode: MEIYUAN });
      expect(d.token).toMatch(new RegExp(`^gzdev_demo_${d.profile}_`));
      const row = await t.platform.db.selectFrom('devices').select('token_hash').where('id', '=', d.id).executeTakeFirstOrThrow();
      expect(row.token_hash).toBe(sha256(d.token));
    }
    const page = (await t.request({ url: `/api/devices?regionCode=${MEIYUAN}&limit=5&offset=5`, token: head })).json() as { items: DeviceView[]; total: number };
    expect(page.items).toHaveLength(5);
    expect(page.total).toBeGreaterThanOrEqual(11);
    expect((await verifyAuditChain(t.platform.db)).ok).toBe(true);
  });
});
