import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

/**
 * Roles × scopes × endpoints. Each demo account holds one role in one region; every endpoint is
 * called on objects inside and outside that region. Expected outcomes are written out here, not
 * derived from the code under test: out of scope → 404 (never 403), in scope without the
 * permission → 403, otherwise success.
 */

const DISTRICT = '310115';
const LUJIAZUI = '310115005';
const MEIYUAN = '310115005001';
const HUIHAO = '310115005002';
const WEIFANG = '310115004';
const WEIFANG_1 = '310115004001';
const REGIONS = [DISTRICT, LUJIAZUI, MEIYUAN, HUIHAO, WEIFANG, WEIFANG_1];

const ACCOUNTS = {
  admin: { role: 'admin', scope: DISTRICT },
  operator: { role: 'district_operator', scope: DISTRICT },
  steward: { role: 'data_steward', scope: DISTRICT },
  dispatcher: { role: 'street_dispatcher', scope: LUJIAZUI },
  handler: { role: 'department_handler', scope: LUJIAZUI },
  provider: { role: 'provider', scope: LUJIAZUI },
  party: { role: 'party_org', scope: LUJIAZUI },
  maintainer: { role: 'device_maintainer', scope: LUJIAZUI },
  head: { role: 'committee_head', scope: MEIYUAN },
  worker: { role: 'social_worker', scope: MEIYUAN },
  resident: { role: 'resident', scope: MEIYUAN },
} as const;
type Username = keyof typeof ACCOUNTS;

const CAN_MANAGE_REGIONS: Username[] = ['admin', 'operator', 'dispatcher', 'head'];
const CAN_READ_DEPARTMENTS: Username[] = ['admin', 'operator', 'steward', 'dispatcher', 'handler', 'provider', 'party', 'maintainer', 'head', 'worker'];
const CAN_READ_USERS: Username[] = ['admin', 'operator'];
const CAN_MANAGE_USERS: Username[] = ['admin'];
const CAN_READ_AUDIT: Username[] = ['admin'];
const CAN_MANAGE_CATEGORIES: Username[] = ['admin'];
const CAN_MANAGE_OPEN311_KEYS: Username[] = ['admin'];
const CAN_READ_DEVICES: Username[] = ['admin', 'operator', 'steward', 'dispatcher', 'handler', 'provider', 'party', 'maintainer', 'head', 'worker'];
const CAN_MANAGE_DEVICES: Username[] = ['admin', 'maintainer'];
const CAN_READ_RULES: Username[] = ['admin', 'operator', 'dispatcher', 'maintainer', 'head', 'worker'];
const CAN_MANAGE_RULES: Username[] = ['admin', 'operator', 'maintainer'];
const CAN_READ_REPORTS: Username[] = ['admin', 'operator', 'steward', 'dispatcher', 'handler', 'head', 'worker'];
/** The demo smoke detector in 梅园一村 (modules/devices/demo.ts). */
const MEIYUAN_DEMO_DEVICE = 'de000000-0000-4000-8000-000000000001';
/** Who may follow an open 梅园一村 case someone else reported: staff who see it by region, and residents of the same street; a unit only its own cases. */
const CAN_FOLLOW_MEIYUAN_CASE: Username[] = ['admin', 'operator', 'steward', 'dispatcher', 'provider', 'party', 'maintainer', 'head', 'worker'];

/** Independent of the code under test: region codes nest by prefix (310115 ⊃ 310115005 ⊃ 310115005001). */
const within = (code: string, scope: string) => code.startsWith(scope);

describe.each(ENGINES)('access matrix on %s', (engine) => {
  let t: TestApp;
  const tokens = {} as Record<Username, string>;
  const departments: Record<string, string> = {};
  const users: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(engine);
    for (const name of Object.keys(ACCOUNTS) as Username[]) tokens[name] = await t.login(name);
    const list = (await t.request({ url: '/api/departments?limit=200', token: tokens.admin })).json() as { items: Array<{ id: string; code: string }> };
    for (const d of list.items) departments[d.code] = d.id;
    const people = (await t.request({ url: '/api/users?limit=200', token: tokens.admin })).json() as { items: Array<{ id: string; username: string }> };
    for (const u of people.items) users[u.username] = u.id;
  });
  afterAll(() => t.close());

  it('lets every role read exactly the regions inside its scope', async () => {
    for (const [name, { scope }] of Object.entries(ACCOUNTS) as Array<[Username, { scope: string }]>) {
      for (const code of REGIONS) {
        const expected = within(code, scope) ? 200 : 404;
        const one = await t.request({ url: `/api/regions/${code}`, token: tokens[name] });
        const children = await t.request({ url: `/api/regions/${code}/children`, token: tokens[name] });
        expect({ name, code, one: one.statusCode, children: children.statusCode }).toEqual({ name, code, one: expected, children: expected });
        if (expected === 404) expect(one.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
      }
    }
  });

  it('never lists a child outside the scope, even in search', async () => {
    for (const [name, { scope }] of Object.entries(ACCOUNTS) as Array<[Username, { scope: string }]>) {
      const found = (await t.request({ url: `/api/regions/search?q=${encodeURIComponent('居委会')}&limit=100`, token: tokens[name] })).json() as Array<{ code: string }>;
      expect(found.length, name).toBeGreaterThan(0);
      expect(found.filter((r) => !within(r.code, scope)), name).toEqual([]);
    }
  });

  it('lets only region managers add grids, and only inside their scope', async () => {
    for (const name of Object.keys(ACCOUNTS) as Username[]) {
      for (const committee of [MEIYUAN, HUIHAO, WEIFANG_1]) {
        const res = await t.request({ method: 'POST', url: `/api/regions/${committee}/children`, token: tokens[name], body: { level: 'grid', name: `${name}的网格` } });
        const expected = !within(committee, ACCOUNTS[name].scope) ? 404 : CAN_MANAGE_REGIONS.includes(name) ? 201 : 403;
        expect({ name, committee, status: res.statusCode }).toEqual({ name, committee, status: expected });
      }
    }
  });

  it('shows departments inside the scope and those above it, not a neighbour’s', async () => {
    const districtDept = departments[`${DISTRICT}-CGZF`]!;
    const ownStreetDept = departments[`${LUJIAZUI}-CGZD`]!;
    const neighbourDept = departments[`${WEIFANG}-CGZD`]!;
    for (const name of Object.keys(ACCOUNTS) as Username[]) {
      const scope = ACCOUNTS[name].scope;
      for (const [id, deptRegion] of [[districtDept, DISTRICT], [ownStreetDept, LUJIAZUI], [neighbourDept, WEIFANG]] as const) {
        const res = await t.request({ url: `/api/departments/${id}`, token: tokens[name] });
        const serving = within(deptRegion, scope) || within(scope, deptRegion);
        const expected = !CAN_READ_DEPARTMENTS.includes(name) ? 403 : serving ? 200 : 404;
        expect({ name, deptRegion, status: res.statusCode }).toEqual({ name, deptRegion, status: expected });
      }
    }
  });

  it('limits account administration to its roles and scope', async () => {
    for (const name of Object.keys(ACCOUNTS) as Username[]) {
      const list = await t.request({ url: '/api/users', token: tokens[name] });
      expect({ name, status: list.statusCode }).toEqual({ name, status: CAN_READ_USERS.includes(name) ? 200 : 403 });
      const other = await t.request({ url: `/api/users/${users.worker}`, token: tokens[name] });
      expect({ name, status: other.statusCode }).toEqual({ name, status: CAN_READ_USERS.includes(name) ? 200 : 403 });
      const reveal = await t.request({ method: 'POST', url: `/api/users/${users.worker}/reveal`, token: tokens[name], body: { field: 'phone', reason: '核实联系方式' } });
      expect({ name, status: reveal.statusCode }).toEqual({ name, status: CAN_MANAGE_USERS.includes(name) ? 200 : 403 });
      const audit = await t.request({ url: '/api/audit?limit=1', token: tokens[name] });
      expect({ name, status: audit.statusCode }).toEqual({ name, status: CAN_READ_AUDIT.includes(name) ? 200 : 403 });
    }
  });

  it('shows the category catalogue to every role (residents: what they may choose) and lets only the district admin change it', async () => {
    for (const name of Object.keys(ACCOUNTS) as Username[]) {
      const token = tokens[name];
      const all = await t.request({ url: '/api/categories', token });
      expect({ name, status: all.statusCode }).toEqual({ name, status: 200 });
      const chosen = await t.request({ url: '/api/categories/C0101', token }); // 楼道堆物: residents may choose it
      expect({ name, status: chosen.statusCode }).toEqual({ name, status: 200 });
      const internal = await t.request({ url: '/api/categories/B0101', token }); // 上水井盖: staff only
      expect({ name, status: internal.statusCode }).toEqual({ name, status: name === 'resident' ? 404 : 200 });
      // no-op changes: allowed ones answer 200 and record nothing
      const activate = await t.request({ method: 'POST', url: '/api/categories/C0101/activate', token, body: {} });
      expect({ name, status: activate.statusCode }).toEqual({ name, status: CAN_MANAGE_CATEGORIES.includes(name) ? 200 : 403 });
      const rename = await t.request({ method: 'PATCH', url: '/api/categories/B0101', token, body: { name: '上水井盖' } });
      expect({ name, status: rename.statusCode }).toEqual({ name, status: name === 'resident' ? 404 : CAN_MANAGE_CATEGORIES.includes(name) ? 200 : 403 });
    }
  });

  it('answers 404 for an account outside the scope of a scoped administrator', async () => {
    // a street-level administrator of 潍坊新村街道 cannot see the 陆家嘴 worker at all
    const created = await t.request({
      method: 'POST',
      url: '/api/users',
      token: tokens.admin,
      body: { username: 'weifang-admin', displayName: '潍坊管理员', password: 'weifang-admin-pass', assignment: { role: 'admin', regionCode: WEIFANG } },
    });
    expect(created.statusCode).toBe(201);
    const token = await t.login('weifang-admin', 'weifang-admin-pass');
    expect((await t.request({ url: `/api/users/${users.worker}`, token })).statusCode).toBe(404);
    expect((await t.request({ method: 'POST', url: `/api/users/${users.worker}/reveal`, token, body: { field: 'phone', reason: '核实联系方式' } })).statusCode).toBe(404);
    const listed = (await t.request({ url: '/api/users?limit=200', token })).json() as { items: Array<{ username: string }> };
    expect(listed.items.map((u) => u.username)).toEqual(['weifang-admin']);
    // nor grant a role outside its scope
    const grant = await t.request({ method: 'POST', url: `/api/users/${created.json().id}/assignments`, token, body: { role: 'admin', regionCode: DISTRICT } });
    expect(grant.statusCode).toBe(404);
    // its audit view holds only entries inside 潍坊
    const audit = (await t.request({ url: '/api/audit?limit=200', token })).json() as { items: Array<{ regionPath: string | null }> };
    expect(audit.items.length).toBeGreaterThan(0);
    expect(audit.items.every((e) => e.regionPath !== null && e.regionPath.startsWith(`${DISTRICT}.${WEIFANG}`))).toBe(true);
  });

  it('lets only the district administrator manage Open311 keys; the Open311 GETs need nobody', async () => {
    for (const name of Object.keys(ACCOUNTS) as Username[]) {
      const expected = CAN_MANAGE_OPEN311_KEYS.includes(name) ? 200 : 403;
      const list = await t.request({ url: '/api/open311/keys', token: tokens[name] });
      expect({ name, status: list.statusCode }).toEqual({ name, status: expected });
      const revoke = await t.request({ method: 'DELETE', url: '/api/open311/keys/00000000-0000-4000-8000-000000000000', token: tokens[name] });
      expect({ name, status: revoke.statusCode }).toEqual({ name, status: expected === 200 ? 404 : 403 });
    }
    // an administrator of one street reads like everyone else: keys are installation-wide
    await t.request({ method: 'POST', url: '/api/users', token: tokens.admin, body: { username: 'weifang-admin-311', displayName: '潍坊管理员', password: 'weifang-admin-pass', assignment: { role: 'admin', regionCode: WEIFANG } } });
    const streetAdmin = await t.login('weifang-admin-311', 'weifang-admin-pass');
    expect((await t.request({ url: '/api/open311/keys', token: streetAdmin })).statusCode).toBe(403);
    expect((await t.request({ method: 'POST', url: '/api/open311/keys', token: streetAdmin, body: { name: 'x' } })).statusCode).toBe(403);
    for (const url of ['/open311/v2/discovery.json', '/open311/v2/services.json', '/open311/v2/services/C0101.xml', '/open311/v2/requests.json']) {
      expect({ url, status: (await t.request({ url })).statusCode }).toEqual({ url, status: 200 });
    }
    expect((await t.request({ method: 'POST', url: '/open311/v2/requests.json', body: { service_code: 'C0101', address_id: MEIYUAN } })).statusCode).toBe(403);
  });

  it('lets everyone ask for similar cases in their own area and follow only what the follow rule allows', async () => {
    const created = await t.request({ method: 'POST', url: '/api/cases', token: tokens.resident, body: { description: '楼道里堆满纸箱', categoryCode: 'C0101' } });
    expect(created.statusCode).toBe(201);
    const caseId = (created.json() as { id: string }).id;
    await t.request({ method: 'POST', url: '/api/users', token: tokens.admin, body: { username: 'weifang-resident', displayName: '潍坊居民', password: 'weifang-res-pass', assignment: { role: 'resident', regionCode: WEIFANG_1 } } });
    const outsider = await t.login('weifang-resident', 'weifang-res-pass');
    for (const name of Object.keys(ACCOUNTS) as Username[]) {
      const own = await t.request({ method: 'POST', url: '/api/cases/similar', token: tokens[name], body: { description: '楼道里堆满纸箱', categoryCode: 'C0101' } });
      expect({ name, status: own.statusCode }).toEqual({ name, status: 200 });
      const elsewhere = await t.request({ method: 'POST', url: '/api/cases/similar', token: tokens[name], body: { description: '楼道里堆满纸箱', categoryCode: 'C0101', regionCode: WEIFANG_1 } });
      expect({ name, status: elsewhere.statusCode }).toEqual({ name, status: within(WEIFANG_1, ACCOUNTS[name].scope) ? 200 : 404 });
      const follow = await t.request({ method: 'POST', url: `/api/cases/${caseId}/follow`, token: tokens[name] });
      // the resident reported it: following one's own report is refused (409)
      const expected = CAN_FOLLOW_MEIYUAN_CASE.includes(name) ? 200 : name === 'resident' ? 409 : 404;
      expect({ name, status: follow.statusCode }).toEqual({ name, status: expected });
    }
    expect((await t.request({ method: 'POST', url: `/api/cases/${caseId}/follow`, token: outsider })).statusCode).toBe(404);
    const state = await t.request({ method: 'DELETE', url: `/api/cases/${caseId}/follow`, token: tokens.worker });
    expect(state.json()).toEqual({ following: false, followers: CAN_FOLLOW_MEIYUAN_CASE.length - 1 });
  });
  it('shows devices to staff inside their scope only, and lets only maintainers and administrators change them', async () => {
    const created = await t.request({ method: 'POST', url: '/api/devices', token: tokens.admin, body: { profile: 'bin', name: '潍坊一村垃圾桶', regionCode: WEIFANG_1 } });
    expect(created.statusCode).toBe(201);
    const weifangDevice = (created.json() as { id: string }).id;
    for (const name of Object.keys(ACCOUNTS) as Username[]) {
      const { scope } = ACCOUNTS[name];
      const reads = CAN_READ_DEVICES.includes(name);
      const manages = CAN_MANAGE_DEVICES.includes(name);
      for (const [id, region] of [[MEIYUAN_DEMO_DEVICE, MEIYUAN], [weifangDevice, WEIFANG_1]] as const) {
        const seen = within(region, scope);
        const read = await t.request({ url: `/api/devices/${id}`, token: tokens[name] });
        expect({ name, id, status: read.statusCode }).toEqual({ name, id, status: !reads ? 403 : seen ? 200 : 404 });
        const readings = await t.request({ url: `/api/devices/${id}/readings`, token: tokens[name] });
        expect({ name, id, readings: readings.statusCode }).toEqual({ name, id, readings: !reads ? 403 : seen ? 200 : 404 });
        const patch = await t.request({ method: 'PATCH', url: `/api/devices/${id}`, token: tokens[name], body: { owner: `${name} 改` } });
        expect({ name, id, status: patch.statusCode }).toEqual({ name, id, status: !manages ? 403 : seen ? 200 : 404 });
      }
      const create = await t.request({ method: 'POST', url: '/api/devices', token: tokens[name], body: { profile: 'smoke', name: `${name} 烟感`, regionCode: MEIYUAN } });
      expect({ name, status: create.statusCode }).toEqual({ name, status: manages ? 201 : 403 });
    }
  });
  it('shows rules to device staff and the desks inside their scope, and lets maintainers, district operators and administrators change them', async () => {
    const binRule = { profile: 'bin', condition: { kind: 'compare', field: 'fillLevel', op: '>=', value: 85 }, alarmType: 'bin-full' };
    const ids: Array<[string, string]> = [];
    for (const region of [MEIYUAN, WEIFANG_1]) {
      const created = await t.request({ method: 'POST', url: '/api/rules', token: tokens.admin, body: { key: 'bin-full', regionCode: region, definition: binRule } });
      expect(created.statusCode).toBe(201);
      ids.push([(created.json() as { id: string }).id, region]);
    }
    for (const name of Object.keys(ACCOUNTS) as Username[]) {
      const { scope } = ACCOUNTS[name];
      const reads = CAN_READ_RULES.includes(name);
      const manages = CAN_MANAGE_RULES.includes(name);
      for (const [id, region] of ids) {
        const seen = within(region, scope);
        const read = await t.request({ url: `/api/rules/${id}`, token: tokens[name] });
        expect({ name, id, status: read.statusCode }).toEqual({ name, id, status: !reads ? 403 : seen ? 200 : 404 });
        const patch = await t.request({ method: 'PATCH', url: `/api/rules/${id}`, token: tokens[name], body: { enabled: true } });
        expect({ name, id, status: patch.statusCode }).toEqual({ name, id, status: !manages ? 403 : seen ? 200 : 404 });
      }
      const create = await t.request({ method: 'POST', url: '/api/rules', token: tokens[name], body: { key: `matrix-${name}`, regionCode: MEIYUAN, definition: binRule } });
      expect({ name, status: create.statusCode }).toEqual({ name, status: manages ? 201 : 403 });
    }
  });
  it('lets ledger readers see the conflict queue and the authority table, committee staff resolve, and only the steward and the administrator change the authority', async () => {
    const CAN_READ_LEDGER: Username[] = ['admin', 'operator', 'steward', 'dispatcher', 'head', 'worker'];
    const CAN_REVIEW_LEDGER: Username[] = ['steward', 'head', 'worker'];
    const CAN_MANAGE_AUTHORITY: Username[] = ['admin', 'steward'];
    for (const name of Object.keys(ACCOUNTS) as Username[]) {
      const reads = CAN_READ_LEDGER.includes(name);
      const queue = await t.request({ url: '/api/ledger/conflicts', token: tokens[name] });
      expect({ name, status: queue.statusCode }).toEqual({ name, status: reads ? 200 : 403 });
      const table = await t.request({ url: '/api/ledger/authority', token: tokens[name] });
      expect({ name, status: table.statusCode }).toEqual({ name, status: reads ? 200 : 403 });
      // no such conflict: a reviewer learns only that, everyone else is refused first
      const resolve = await t.request({ method: 'POST', url: '/api/ledger/conflicts/999999999/resolve', token: tokens[name], body: { action: 'keep' } });
      expect({ name, status: resolve.statusCode }).toEqual({ name, status: CAN_REVIEW_LEDGER.includes(name) ? 404 : 403 });
      // setting the source it already has changes nothing
      const authority = await t.request({ method: 'PUT', url: '/api/ledger/authority/phone', token: tokens[name], body: { source: '居民自报', reason: '权限矩阵检查' } });
      expect({ name, status: authority.statusCode }).toEqual({ name, status: CAN_MANAGE_AUTHORITY.includes(name) ? 200 : 403 });
    }
  });

  it('lets residents take part in notices, 居民议事 and points, and committee staff run them inside their scope', async () => {
    const READ_CIVIC: Username[] = ['admin', 'operator', 'dispatcher', 'head', 'worker', 'resident'];
    const PUBLISH_NOTICES: Username[] = ['admin', 'dispatcher', 'head', 'worker'];
    const MANAGE_CIVIC: Username[] = ['admin', 'head', 'worker'];
    for (const name of Object.keys(ACCOUNTS) as Username[]) {
      const token = tokens[name];
      for (const url of ['/api/notices', '/api/proposals', '/api/volunteer-tasks', '/api/rewards']) {
        expect({ name, url, status: (await t.request({ url, token })).statusCode }).toEqual({ name, url, status: READ_CIVIC.includes(name) ? 200 : 403 });
      }
      for (const region of [MEIYUAN, WEIFANG_1]) {
        const res = await t.request({ method: 'POST', url: '/api/notices', token, body: { title: `${name} 的通知`, body: '矩阵测试', regionCode: region } });
        const expected = !PUBLISH_NOTICES.includes(name) ? 403 : within(region, ACCOUNTS[name].scope) ? 201 : 404;
        expect({ name, region, status: res.statusCode }).toEqual({ name, region, status: expected });
        // whom a notice would reach: the publishers, inside their scope
        const audience = await t.request({ url: `/api/notices/audience?regionCode=${region}&tags=elderly`, token });
        expect({ name, region, audience: audience.statusCode }).toEqual({ name, region, audience: expected === 201 ? 200 : expected });
      }
      for (const url of ['/api/proposals/hotspots', '/api/volunteers', '/api/redemptions']) {
        expect({ name, url, status: (await t.request({ url, token })).statusCode }).toEqual({ name, url, status: MANAGE_CIVIC.includes(name) ? 200 : 403 });
      }
      const mine = await t.request({ url: '/api/me/points', token });
      expect({ name, status: mine.statusCode }).toEqual({ name, status: name === 'resident' ? 200 : 403 });
      const propose = await t.request({ method: 'POST', url: '/api/proposals', token, body: { title: `${name} 的议题`, description: '矩阵测试' } });
      expect({ name, status: propose.statusCode }).toEqual({ name, status: name === 'resident' ? 201 : 403 });
    }
  });

  it('generates ledger reports for the regions inside the scope of the roles that read them', async () => {
    for (const name of Object.keys(ACCOUNTS) as Username[]) {
      const { scope } = ACCOUNTS[name];
      const reads = CAN_READ_REPORTS.includes(name);
      for (const region of [MEIYUAN, WEIFANG_1]) {
        const res = await t.request({ url: `/api/reports/population-by-committee?region=${region}`, token: tokens[name] });
        expect({ name, region, status: res.statusCode }).toEqual({ name, region, status: !reads ? 403 : within(region, scope) ? 200 : 404 });
      }
    }
  });

  // record linkage (ledger): who reviews probable duplicates and undoes merges, who runs linkage by hand
  it('ledger match review and linkage runs by role', async () => {
    const REVIEWS: Username[] = ['steward', 'head', 'worker'];
    const RUNS: Username[] = ['admin', 'steward'];
    const READS_LEDGER: Username[] = ['admin', 'operator', 'steward', 'dispatcher', 'head', 'worker'];
    for (const name of Object.keys(ACCOUNTS) as Username[]) {
      const list = await t.request({ url: '/api/ledger/matches', token: tokens[name] });
      expect({ name, status: list.statusCode }).toEqual({ name, status: REVIEWS.includes(name) ? 200 : 403 });
      const merges = await t.request({ url: '/api/ledger/merges', token: tokens[name] });
      expect({ name, status: merges.statusCode }).toEqual({ name, status: REVIEWS.includes(name) ? 200 : 403 });
      const undo = await t.request({ method: 'POST', url: '/api/ledger/merges/999999/undo', token: tokens[name], body: {} });
      expect({ name, status: undo.statusCode }).toEqual({ name, status: REVIEWS.includes(name) ? 404 : 403 });
      const status = await t.request({ url: '/api/ledger/linkage/status', token: tokens[name] });
      expect({ name, status: status.statusCode }).toEqual({ name, status: READS_LEDGER.includes(name) ? 200 : 403 });
      const run = await t.request({ method: 'POST', url: '/api/ledger/linkage/run', token: tokens[name], body: {} });
      expect({ name, status: run.statusCode }).toEqual({ name, status: RUNS.includes(name) ? 200 : 403 });
    }
  });

  it('shows the service catalogue to every role, who is eligible to committee, street and district staff in scope, the worklist to committee staff, and lets only stewards and administrators change services', async () => {
    const CAN_SEE_ELIGIBLE: Username[] = ['admin', 'operator', 'steward', 'dispatcher', 'head', 'worker'];
    const CAN_WORK: Username[] = ['head', 'worker'];
    const CAN_MANAGE_SERVICES: Username[] = ['admin', 'steward'];
    const catalogue = (await t.request({ url: '/api/services', token: tokens.admin })).json() as { items: Array<{ id: string; code: string }> };
    const allowance = catalogue.items.find((s) => s.code === 'elderly_allowance')!.id;
    for (const name of Object.keys(ACCOUNTS) as Username[]) {
      const { scope } = ACCOUNTS[name];
      expect({ name, status: (await t.request({ url: `/api/services/${allowance}`, token: tokens[name] })).statusCode }).toEqual({ name, status: 200 });
      for (const region of [MEIYUAN, WEIFANG_1]) {
        const eligible = await t.request({ url: `/api/services/${allowance}/eligible?region=${region}`, token: tokens[name] });
        expect({ name, region, status: eligible.statusCode }).toEqual({ name, region, status: !CAN_SEE_ELIGIBLE.includes(name) ? 403 : within(region, scope) ? 200 : 404 });
      }
      const worklist = await t.request({ url: '/api/services/worklist', token: tokens[name] });
      expect({ name, status: worklist.statusCode }).toEqual({ name, status: CAN_WORK.includes(name) ? 200 : 403 });
      const test = await t.request({ method: 'POST', url: '/api/services/rules/test', token: tokens[name], body: { rule: { kind: 'age', min: 60 }, examples: [] } });
      expect({ name, status: test.statusCode }).toEqual({ name, status: CAN_MANAGE_SERVICES.includes(name) ? 200 : 403 });
    }
  });
});
