import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceProfileId, TelemetryValue } from '../../src/shared/iot-profiles.ts';
import type { RuleDefinition } from '../../src/shared/rules.ts';
import { systemActor } from '../../src/server/platform/actor.ts';
import type { CommandContext } from '../../src/server/platform/platform.ts';
import { evaluateReadings, evaluateScheduled } from '../../src/server/modules/rules/evaluate.ts';
import type { AlarmSignal, Reading } from '../../src/server/modules/telemetry/contracts.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

const LUJIAZUI = '310115005';
const MEIYUAN = '310115005001';
const HUIHAO = '310115005002';
const WEIFANG = '310115004';
const MEIYUAN_PATH = '310115.310115005.310115005001';

/** A controllable clock well in the past, so that the readings a test writes never meet another test's. */
const T0 = Date.parse('2026-06-01T02:00:00Z'); // 10:00 in Shanghai
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

interface RuleView {
  id: string;
  key: string;
  profile: string;
  builtIn: boolean;
  source: { kind: string; regionCode?: string; deviceId?: string };
  definition: RuleDefinition;
  enabled: boolean;
  version: number;
}
interface RuleDetailView extends RuleView {
  history: Array<{ version: number; change: string; enabled: boolean; note: string | null; changedBy: string | null }>;
}
interface DryRunView {
  readings: number;
  ticks: number;
  totalRaised: number;
  devices: Array<{ deviceId: string; raised: string[]; cleared: string[]; raisedCount: number; clearedCount: number }>;
}

/** Counts the statements a piece of code sends through a transaction. */
class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count += 1;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const tankLow = (value: number, minutes = 10): RuleDefinition => ({ profile: 'fire-tank', condition: { kind: 'duration', predicate: { kind: 'compare', field: 'level', op: '<', value }, minutes }, alarmType: 'fire-tank-low' });

describe.each(ENGINES)('rules on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  let maintainer: string;
  let dispatcher: string;
  let head: string;
  let operator: string;
  let resident: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await t.login('admin');
    maintainer = await t.login('maintainer');
    dispatcher = await t.login('dispatcher');
    head = await t.login('head');
    operator = await t.login('operator');
    resident = await t.login('resident');
  });
  afterAll(async () => t?.close());

  async function device(profile: DeviceProfileId, regionCode = MEIYUAN): Promise<string> {
    const res = await t.request({ method: 'POST', url: '/api/devices', token: admin, body: { profile, name: `规则测试 ${profile}`, regionCode } });
    expect(res.statusCode).toBe(201);
    return (res.json() as { id: string }).id;
  }

  /** The test factory: readings written straight into the time series, as ingestion stores them. */
  async function record(deviceId: string, rows: Array<[minute: number, values: Record<string, TelemetryValue>]>): Promise<void> {
    await t.platform.db
      .insertInto('device_readings')
      .values(rows.map(([minute, values]) => ({ device_id: deviceId, kind: 'telemetry' as const, observed_at: at(minute), received_at: at(minute), values: JSON.stringify(values) })))
      .execute();
  }

  const asReading = (deviceId: string, profile: DeviceProfileId, minute: number, values: Record<string, TelemetryValue>, regionPath = MEIYUAN_PATH): Reading => ({
    id: String(minute),
    deviceId,
    profile,
    regionCode: regionPath.split('.').pop()!,
    regionPath,
    kind: 'telemetry',
    observedAt: at(minute),
    receivedAt: at(minute),
    values,
  });
  const inTransaction = <T>(work: (ctx: CommandContext) => Promise<T>) => t.platform.transaction(systemActor('ingestion-test'), work);
  const evaluate = (readings: Reading[]) => inTransaction((ctx) => evaluateReadings(ctx, readings));
  const tick = (minute: number) => inTransaction((ctx) => evaluateScheduled(ctx, at(minute)));
  const mine = (signals: AlarmSignal[], deviceId: string) => signals.filter((s) => s.deviceId === deviceId).map((s) => ({ type: s.type, active: s.active, at: s.at.toISOString() }));
  const count = async (table: 'device_rules' | 'device_rule_versions') => Number((await t.platform.db.selectFrom(table).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  it('lists the built-in rules in force, each saying where it comes from', async () => {
    const res = await t.request({ url: '/api/rules?profile=water-meter', token: dispatcher });
    expect(res.statusCode).toBe(200);
    const { items } = res.json() as { items: RuleView[] };
    expect(items.map((r) => r.key).sort()).toEqual(['water-leak', 'water-meter-battery-low', 'water-no-use', 'water-overuse']);
    expect(items.find((r) => r.key === 'water-no-use')).toMatchObject({ id: 'water-no-use', builtIn: true, source: { kind: 'default' }, enabled: true, version: 1 });
    const builtIn = (await t.request({ url: '/api/rules/door-no-open', token: head })).json() as RuleDetailView;
    expect(builtIn).toMatchObject({ key: 'door-no-open', definition: { condition: { kind: 'absence', hours: 24 } }, history: [] });
    expect((await t.request({ url: '/api/rules', token: resident })).statusCode).toBe(403);
  });

  it('overrides by street, committee and device, the most specific winning, with versions, history and audit', async () => {
    const tank = await device('fire-tank');
    const street = await t.request({ method: 'POST', url: '/api/rules', token: maintainer, body: { key: 'fire-tank-low', regionCode: LUJIAZUI, definition: tankLow(3), note: '陆家嘴水箱更高' } });
    expect(street.statusCode).toBe(201);
    const streetRule = street.json() as RuleView;
    expect(streetRule).toMatchObject({ key: 'fire-tank-low', builtIn: true, source: { kind: 'region', regionCode: LUJIAZUI }, version: 1 });

    const committee = (await t.request({ method: 'POST', url: '/api/rules', token: maintainer, body: { key: 'fire-tank-low', regionCode: MEIYUAN, definition: tankLow(4), enabled: false } })).json() as RuleView;
    const own = (await t.request({ method: 'POST', url: '/api/rules', token: maintainer, body: { key: 'fire-tank-low', deviceId: tank, definition: tankLow(5, 1) } })).json() as RuleView;

    const effective = async (query: string) => ((await t.request({ url: `/api/rules?${query}`, token: head })).json() as { items: RuleView[] }).items.find((r) => r.key === 'fire-tank-low');
    expect(await effective(`device=${tank}`)).toMatchObject({ id: own.id, source: { kind: 'device', deviceId: tank } });
    expect(await effective(`region=${MEIYUAN}&profile=fire-tank`)).toMatchObject({ id: committee.id, enabled: false });
    const huihao = (await t.request({ url: `/api/rules?region=${HUIHAO}&profile=fire-tank`, token: maintainer })).json() as { items: RuleView[] };
    expect(huihao.items.find((r) => r.key === 'fire-tank-low')).toMatchObject({ id: streetRule.id, source: { kind: 'region', regionCode: LUJIAZUI } });

    // the device's own rule is what live evaluation uses: level < 5 held for 1 minute
    const signals = await evaluate([asReading(tank, 'fire-tank', 0, { level: 4.5 }), asReading(tank, 'fire-tank', 2, { level: 4.5 })]);
    expect(mine(signals, tank)).toEqual([{ type: 'fire-tank-low', active: true, at: at(1).toISOString() }]);
    expect(signals.find((s) => s.deviceId === tank)?.source).toEqual({ kind: 'rule', ruleId: own.id });

    const patched = await t.request({ method: 'PATCH', url: `/api/rules/${own.id}`, token: maintainer, body: { enabled: false, note: '水箱检修' } });
    expect(patched.json()).toMatchObject({ version: 2, enabled: false });
    // switched off for the device: the committee's rule is off as well, so nothing evaluates it
    expect(mine(await evaluate([asReading(tank, 'fire-tank', 5, { level: 9 })]), tank)).toEqual([]);

    const removed = await t.request({ method: 'DELETE', url: `/api/rules/${own.id}?note=${encodeURIComponent('恢复继承')}`, token: maintainer });
    expect(removed.statusCode).toBe(204);
    expect(await effective(`device=${tank}`)).toMatchObject({ id: committee.id });
    expect((await t.request({ url: `/api/rules/${own.id}`, token: maintainer })).statusCode).toBe(404);
    const history = await t.platform.db.selectFrom('device_rule_versions').select(['version', 'change', 'enabled', 'note']).where('rule_id', '=', own.id).orderBy('version').execute();
    expect(history).toEqual([
      { version: 1, change: 'create', enabled: true, note: null },
      { version: 2, change: 'update', enabled: false, note: '水箱检修' },
      { version: 3, change: 'delete', enabled: false, note: '恢复继承' },
    ]);
    const detail = (await t.request({ url: `/api/rules/${streetRule.id}`, token: maintainer })).json() as RuleDetailView;
    expect(detail.history).toEqual([expect.objectContaining({ version: 1, change: 'create', note: '陆家嘴水箱更高', changedBy: 'maintainer' })]);

    const audit = await t.platform.db.selectFrom('audit_log').select(['action', 'actor_username']).where('object_type', '=', 'device_rule').where('object_id', '=', own.id).orderBy('at').execute();
    expect(audit.map((a) => a.action)).toEqual(['rule.create', 'rule.update', 'rule.delete']);
    const events = await t.platform.db.selectFrom('outbox_events').select('type').where('aggregate_id', '=', own.id).execute();
    expect(events.map((e) => e.type).sort()).toEqual(['rule.created', 'rule.deleted', 'rule.updated']);
  });

  it('keeps rules inside the scope: another street’s rule is 404, a street’s rule is visible but not editable below it', async () => {
    const weifang = (await t.request({ method: 'POST', url: '/api/rules', token: admin, body: { key: 'bin-full', regionCode: WEIFANG, definition: { profile: 'bin', condition: { kind: 'compare', field: 'fillLevel', op: '>=', value: 80 }, alarmType: 'bin-full' } } })).json() as RuleView;
    for (const token of [maintainer, dispatcher, head]) expect((await t.request({ url: `/api/rules/${weifang.id}`, token })).statusCode).toBe(404);
    expect((await t.request({ method: 'PATCH', url: `/api/rules/${weifang.id}`, token: maintainer, body: { enabled: false } })).statusCode).toBe(404);
    expect((await t.request({ method: 'DELETE', url: `/api/rules/${weifang.id}`, token: maintainer })).statusCode).toBe(404);
    expect((await t.request({ url: `/api/rules?region=${WEIFANG}`, token: maintainer })).statusCode).toBe(404);
    expect((await t.request({ url: `/api/rules/${weifang.id}`, token: operator })).statusCode).toBe(200);

    // a street override applies to its committees: their staff see it, a committee-level editor could not change it
    const street = (await t.request({ method: 'POST', url: '/api/rules', token: operator, body: { key: 'bin-overheat', regionCode: LUJIAZUI, definition: { profile: 'bin', condition: { kind: 'compare', field: 'temperature', op: '>', value: 55 }, alarmType: 'bin-overheat' } } })).json() as RuleView;
    expect((await t.request({ url: `/api/rules/${street.id}`, token: head })).statusCode).toBe(200);
    expect((await t.request({ method: 'PATCH', url: `/api/rules/${street.id}`, token: head, body: { enabled: false } })).statusCode).toBe(403);
    // a committee's own maintainer may edit the committee's rules, not the street's above it
    const password = 'committee-maintainer-pw';
    const created = await t.request({ method: 'POST', url: '/api/users', token: admin, body: { username: 'my-maintainer', displayName: '梅园运维（测试）', password, assignment: { role: 'device_maintainer', regionCode: MEIYUAN } } });
    expect(created.statusCode).toBe(201);
    const committeeMaintainer = await t.login('my-maintainer', password);
    expect((await t.request({ url: `/api/rules/${street.id}`, token: committeeMaintainer })).statusCode).toBe(200);
    expect((await t.request({ method: 'PATCH', url: `/api/rules/${street.id}`, token: committeeMaintainer, body: { enabled: false } })).statusCode).toBe(403);
    expect((await t.request({ method: 'DELETE', url: `/api/rules/${street.id}`, token: committeeMaintainer })).statusCode).toBe(403);
    const own = await t.request({ method: 'POST', url: '/api/rules', token: committeeMaintainer, body: { key: 'bin-overheat', regionCode: MEIYUAN, definition: { profile: 'bin', condition: { kind: 'compare', field: 'temperature', op: '>', value: 50 }, alarmType: 'bin-overheat' } } });
    expect(own.statusCode).toBe(201);
    expect((await t.request({ method: 'PATCH', url: `/api/rules/${(own.json() as RuleView).id}`, token: committeeMaintainer, body: { enabled: false } })).json()).toMatchObject({ enabled: false, version: 2 });
    expect((await t.request({ method: 'POST', url: '/api/rules', token: committeeMaintainer, body: { key: 'bin-overheat', regionCode: LUJIAZUI, definition: { profile: 'bin', condition: { kind: 'compare', field: 'temperature', op: '>', value: 50 }, alarmType: 'bin-overheat' } } })).statusCode).toBe(404);
    expect((await t.request({ method: 'POST', url: '/api/rules', token: dispatcher, body: { key: 'bin-full', regionCode: MEIYUAN, definition: { profile: 'bin', condition: { kind: 'compare', field: 'fillLevel', op: '>=', value: 80 }, alarmType: 'bin-full' } } })).statusCode).toBe(403);
  });

  it('refuses bad input with a clear 4xx and changes nothing', async () => {
    const tank = await device('fire-tank');
    const gate = await device('gate');
    const ok = tankLow(2);
    const cases: Array<[string, unknown, number, string]> = [
      ['no scope', { key: 'fire-tank-low', definition: ok }, 400, 'VALIDATION_FAILED'],
      ['both scopes', { key: 'fire-tank-low', regionCode: MEIYUAN, deviceId: tank, definition: ok }, 400, 'VALIDATION_FAILED'],
      ['unknown operator', { regionCode: MEIYUAN, definition: { ...ok, condition: { kind: 'compare', field: 'level', op: '=>', value: 1 } } }, 400, 'VALIDATION_FAILED'],
      ['unknown alarm type', { regionCode: MEIYUAN, definition: { ...ok, alarmType: 'meteor' } }, 400, 'VALIDATION_FAILED'],
      ['duration of 0 minutes', { regionCode: MEIYUAN, definition: tankLow(2, 0) }, 400, 'VALIDATION_FAILED'],
      ['bad key', { key: 'Fire Tank', regionCode: MEIYUAN, definition: ok }, 400, 'VALIDATION_FAILED'],
      ['field of another profile', { regionCode: MEIYUAN, definition: { ...ok, condition: { kind: 'compare', field: 'fillLevel', op: '>', value: 1 } } }, 422, 'RULE_DEFINITION_INVALID'],
      ['value of the wrong type', { regionCode: MEIYUAN, definition: { ...ok, condition: { kind: 'compare', field: 'level', op: '==', value: true } } }, 422, 'RULE_DEFINITION_INVALID'],
      ['override on another profile', { key: 'bin-full', regionCode: MEIYUAN, definition: ok }, 422, 'RULE_PROFILE_MISMATCH'],
      ['device of another profile', { key: 'fire-tank-low', deviceId: gate, definition: ok }, 422, 'RULE_PROFILE_MISMATCH'],
      ['outside the scope', { key: 'fire-tank-low', regionCode: WEIFANG, definition: ok }, 404, 'NOT_FOUND'],
    ];
    const before = [await count('device_rules'), await count('device_rule_versions')];
    for (const [name, body, status, code] of cases) {
      const res = await t.request({ method: 'POST', url: '/api/rules', token: maintainer, body });
      expect({ name, status: res.statusCode, code: (res.json() as { error: { code: string } }).error.code }).toEqual({ name, status, code });
    }
    const district = await t.request({ method: 'POST', url: '/api/rules', token: operator, body: { key: 'fire-tank-low', regionCode: '310115', definition: ok } });
    expect(district.json()).toMatchObject({ error: { code: 'RULE_SCOPE_INVALID' } });
    expect((await t.request({ method: 'PATCH', url: '/api/rules/smoke', token: maintainer, body: { enabled: false } })).json()).toMatchObject({ error: { code: 'RULE_BUILT_IN' } });
    const duplicate = { key: 'gas-leak', regionCode: HUIHAO, definition: { profile: 'gas', condition: { kind: 'compare', field: 'concentration', op: '>=', value: 15 }, alarmType: 'gas-leak' } };
    expect((await t.request({ method: 'POST', url: '/api/rules', token: maintainer, body: duplicate })).statusCode).toBe(201);
    const again = await t.request({ method: 'POST', url: '/api/rules', token: maintainer, body: duplicate, headers: { 'accept-language': 'zh-CN' } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'RULE_EXISTS', message: '该范围内已有此规则（gas-leak），请修改它。' } });
    expect([await count('device_rules'), await count('device_rule_versions')]).toEqual([before[0]! + 1, before[1]! + 1]);
  });

  it('issues a bounded number of queries per batch, whatever its size and mix of devices', async () => {
    const bins = await Promise.all([device('bin'), device('bin'), device('fire-lane'), device('lift')]);
    const batch = (size: number, offset: number) =>
      Array.from({ length: size }, (_, i) => {
        const id = bins[i % bins.length]!;
        const profile: DeviceProfileId = i % 4 === 2 ? 'fire-lane' : i % 4 === 3 ? 'lift' : 'bin';
        const values: Record<string, TelemetryValue> = profile === 'bin' ? { fillLevel: (i * 7) % 100, temperature: 20 } : profile === 'lift' ? { ebikeDetected: i % 8 === 3 } : { occupied: i % 3 === 0 };
        return asReading(id, profile, offset + i / 100, values);
      });
    const counts: number[] = [];
    for (const [size, offset] of [[10, 100], [1000, 200]] as const) {
      const counter = new QueryCounter();
      const signals = await inTransaction((ctx) => evaluateReadings({ ...ctx, trx: ctx.trx.withPlugin(counter) }, batch(size, offset)));
      expect(signals.length).toBeGreaterThan(0);
      counts.push(counter.count);
    }
    // the rule generation, the batch devices' states, one write of the changed ones (and the rules, after a change)
    for (const n of counts) expect(n).toBeGreaterThanOrEqual(3);
    for (const n of counts) expect(n).toBeLessThanOrEqual(4);
  });

  it('fires an absence with no incoming message through the one-minute job, and not for retired devices', async () => {
    const door = await device('door-magnet');
    const retired = await device('door-magnet');
    await record(door, [[0, { open: true }], [60, { open: false }]]);
    await record(retired, [[0, { open: true }]]);
    await t.request({ method: 'PATCH', url: `/api/devices/${retired}`, token: admin, body: { state: 'retired' } });

    expect(mine(await tick(23 * 60), door)).toEqual([]);
    const fired = await tick(24 * 60 + 1);
    expect(mine(fired, door)).toEqual([{ type: 'door-no-open', active: true, at: at(24 * 60).toISOString() }]);
    expect(mine(fired, retired)).toEqual([]);
    expect(mine(await tick(24 * 60 + 2), door)).toEqual([]); // transitions only

    // the door opens: the reading ends the absence
    const opened = await evaluate([asReading(door, 'door-magnet', 25 * 60, { open: true })]);
    expect(mine(opened, door)).toEqual([{ type: 'door-no-open', active: false, at: at(25 * 60).toISOString() }]);
  });

  it('expires a duration through the job when the device says nothing more', async () => {
    const lane = await device('fire-lane');
    expect(mine(await evaluate([asReading(lane, 'fire-lane', 3000, { occupied: true })]), lane)).toEqual([]);
    expect(mine(await tick(3004), lane)).toEqual([]);
    expect(mine(await tick(3006), lane)).toEqual([{ type: 'fire-lane-blocked', active: true, at: at(3005).toISOString() }]);
    const state = await t.platform.db.selectFrom('device_rule_state').select(['active', 'since']).where('device_id', '=', lane).where('rule_key', '=', 'fire-lane-blocked').executeTakeFirstOrThrow();
    expect(state).toEqual({ active: true, since: at(3000) });
  });

  it('totals water per calendar day in Shanghai: the day starts at 16:00 UTC', async () => {
    const meter = await device('water-meter');
    // 2026-06-01 10:00 Shanghai is minute 0; Shanghai midnight is minute 840
    await record(meter, [
      [600, { volume: 100 }], // 20:00
      [830, { volume: 103 }], // 23:50: 3 m³ before midnight count for the first day only
      [900, { volume: 103.5 }], // 01:00 next day
      [1200, { volume: 105.2 }], // 06:00: 2.2 m³ since midnight
    ]);
    expect(mine(await tick(1000), meter).filter((s) => s.type === 'water-overuse')).toEqual([]);
    expect(mine(await tick(1201), meter).filter((s) => s.type === 'water-overuse')).toEqual([{ type: 'water-overuse', active: true, at: at(1201).toISOString() }]);
    const [signal] = (await tick(1202)).filter((s) => s.deviceId === meter);
    expect(signal).toBeUndefined();
    // the next Shanghai day begins with nothing used (known once the meter reports after midnight)
    await record(meter, [[840 + 1440 + 2, { volume: 105.3 }]]);
    expect(mine(await tick(840 + 1440 + 5), meter).filter((s) => s.type === 'water-overuse')).toEqual([{ type: 'water-overuse', active: false, at: at(840 + 1440 + 5).toISOString() }]);
  });

  it('dry-runs a definition over recorded readings, writing nothing', async () => {
    const tank = await device('fire-tank');
    const other = await device('fire-tank', HUIHAO);
    await record(tank, [
      [5000, { level: 3 }],
      [5010, { level: 1.5 }],
      [5020, { level: 1.4 }], // held since 5010: raised at 5020 when it reaches 10 minutes
      [5030, { level: 2.5 }], // cleared
      [5040, { level: 1.0 }], // held, no further reading: raised by the job at 5050
    ]);
    await record(other, [[5000, { level: 8 }]]);
    const before = await t.platform.db.selectFrom('device_rule_state').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const res = await t.request({
      method: 'POST',
      url: '/api/rules/dry-run',
      token: maintainer,
      body: { definition: tankLow(2), regionCode: LUJIAZUI, from: at(4990).toISOString(), to: at(5100).toISOString() },
    });
    expect(res.statusCode).toBe(200);
    const run = res.json() as DryRunView;
    const row = run.devices.find((d) => d.deviceId === tank)!;
    expect(row).toMatchObject({ raised: [at(5020).toISOString(), at(5050).toISOString()], cleared: [at(5030).toISOString()], raisedCount: 2, clearedCount: 1 });
    expect(run.devices.find((d) => d.deviceId === other)).toMatchObject({ raisedCount: 0 });
    expect(run.readings).toBe(6);
    expect(run.ticks).toBeGreaterThan(0);
    const after = await t.platform.db.selectFrom('device_rule_state').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);

    // by device id; a device outside the scope is 404; a period backwards is 422
    const byId = (await t.request({ method: 'POST', url: '/api/rules/dry-run', token: head, body: { definition: tankLow(2), deviceIds: [tank], from: at(4990).toISOString(), to: at(5100).toISOString() } })).json() as DryRunView;
    expect(byId.devices.map((d) => d.raisedCount)).toEqual([2]);
    expect((await t.request({ method: 'POST', url: '/api/rules/dry-run', token: head, body: { definition: tankLow(2), deviceIds: [other], from: at(4990).toISOString(), to: at(5100).toISOString() } })).statusCode).toBe(404);
    expect((await t.request({ method: 'POST', url: '/api/rules/dry-run', token: head, body: { definition: tankLow(2), deviceIds: [tank], from: at(5100).toISOString(), to: at(4990).toISOString() } })).json()).toMatchObject({
      error: { code: 'RULE_DRY_RUN_PERIOD' },
    });
  });
});
