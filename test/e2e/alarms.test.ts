import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmState, AlarmTypeId } from '../../src/shared/alarms.ts';
import { systemActor } from '../../src/server/platform/actor.ts';
import { applyAlarmSignals } from '../../src/server/modules/alarms/signals.ts';
import { seedDemoAlarms } from '../../src/server/modules/alarms/demo.ts';
import { DEMO_DEVICES } from '../../src/server/modules/devices/demo.ts';
import type { AlarmSignal } from '../../src/server/modules/telemetry/contracts.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

const MEIYUAN = '310115005001'; // 梅园一村, 陆家嘴 (worker, head)
const HUIHAO = '310115005002'; // 汇豪天下, 陆家嘴
const FLOOD_COMMITTEE = '310115005010'; // a 陆家嘴 committee no other test uses
const WEIFANG_1 = '310115004001'; // 潍坊新村街道
const MINUTE = 60_000;

interface AlarmView {
  id: string;
  type: AlarmTypeId;
  state: AlarmState;
  severity: string;
  device: { id: string; name: string };
  detail: string | null;
  repeatCount: number;
  escalationLevel: number;
  caseId: string | null;
  caseNumber: string | null;
  recheck: string | null;
  allowedActions: string[];
  emergencyContact?: { name: string; phone: string; masked: boolean } | null;
  history: Array<{ action: string; fromState: string | null; toState: string; actorName: string; note: string | null; details: Record<string, unknown> }>;
}
interface ListView {
  items: AlarmView[];
  total: number;
  flood: boolean;
  recentCount: number;
  groups: Array<{ type: string; committeeCode: string | null; count: number; newestId: string }>;
}
interface ErrorBody {
  error: { code: string; message: string };
}

describe.each(ENGINES)('alarms on %s', (engine) => {
  let t: TestApp;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(engine);
    for (const who of ['admin', 'operator', 'dispatcher', 'maintainer', 'worker', 'head', 'resident']) token[who] = await t.login(who);
  });
  afterAll(async () => t?.close());

  const signal = (deviceId: string, type: AlarmTypeId, active: boolean, at = new Date()): AlarmSignal => ({ deviceId, type, active, at, source: { kind: 'rule', ruleId: 'test-rule' } });
  const apply = (...signals: AlarmSignal[]) => t.platform.transaction(systemActor('ingestion'), (ctx) => applyAlarmSignals(ctx, signals));
  let deviceNo = 0;
  async function device(profile: string, regionCode = MEIYUAN, who = 'maintainer'): Promise<string> {
    deviceNo += 1;
    const res = await t.request({ method: 'POST', url: '/api/devices', token: token[who], body: { profile, name: `测试设备 ${deviceNo}`, regionCode } });
    expect(res.statusCode).toBe(201);
    return (res.json() as { id: string }).id;
  }
  const rows = (deviceId: string) => t.platform.db.selectFrom('alarms').selectAll().where('device_id', '=', deviceId).orderBy('created_at').execute();
  async function only(deviceId: string) {
    const found = await rows(deviceId);
    expect(found).toHaveLength(1);
    return found[0]!;
  }
  const get = (id: string, who = 'dispatcher', headers: Record<string, string> = {}) => t.request({ url: `/api/alarms/${id}`, token: token[who], headers });
  const view = async (id: string, who = 'dispatcher') => {
    const res = await get(id, who);
    expect(res.statusCode).toBe(200);
    return res.json() as AlarmView;
  };
  const act = (id: string, body: Record<string, unknown>, who = 'dispatcher', headers: Record<string, string> = {}) =>
    t.request({ method: 'POST', url: `/api/alarms/${id}/actions`, token: token[who], body, headers });
  async function acted(id: string, body: Record<string, unknown>, who = 'dispatcher'): Promise<AlarmView> {
    const res = await act(id, body, who);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as AlarmView;
  }
  const list = async (query: string, who = 'dispatcher') => {
    const res = await t.request({ url: `/api/alarms?${query}`, token: token[who] });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ListView;
  };
  const userId = async (username: string) => (await t.platform.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  const notices = async (username: string, kind: string) =>
    (await t.platform.db.selectFrom('notifications').select(['params']).where('user_id', '=', await userId(username)).where('kind', '=', kind).execute()).map((n) => n.params as Record<string, unknown>);
  const caseOf = (id: string) => t.platform.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  type Step = 'on' | 'off' | 'ack' | 'reset' | 'shelve' | 'unshelve';
  const MACHINE: Array<{ name: string; type: AlarmTypeId; steps: Array<[Step, AlarmState]>; repeats?: number }> = [
    { name: 'acknowledged, then returned to normal → cleared', type: 'water-leak', steps: [['on', 'active_unack'], ['ack', 'active_ack'], ['off', 'cleared']] },
    { name: 'returned to normal unacknowledged, then acknowledged → cleared', type: 'water-leak', steps: [['on', 'active_unack'], ['off', 'rtn_unack'], ['ack', 'cleared']] },
    { name: 'active again before anyone acknowledged: the same alarm, counted', type: 'water-leak', steps: [['on', 'active_unack'], ['off', 'rtn_unack'], ['on', 'active_unack']], repeats: 2 },
    { name: 'a repeat while acknowledged counts and stays acknowledged', type: 'water-overuse', steps: [['on', 'active_unack'], ['ack', 'active_ack'], ['on', 'active_ack']], repeats: 2 },
    { name: 'latched smoke alarm stays active after the smoke is gone, until reset', type: 'smoke', steps: [['on', 'active_unack'], ['off', 'active_unack'], ['ack', 'active_ack'], ['reset', 'cleared']] },
    { name: 'latched gas alarm reset straight from unacknowledged', type: 'gas-leak', steps: [['on', 'active_unack'], ['off', 'active_unack'], ['reset', 'cleared']] },
    { name: 'a momentary event waits only for acknowledgement', type: 'gate-forced', steps: [['on', 'rtn_unack'], ['ack', 'cleared']] },
    { name: 'shelved alarms stay shelved whatever the condition does, until unshelved', type: 'water-leak', steps: [['on', 'active_unack'], ['shelve', 'shelved'], ['off', 'shelved'], ['unshelve', 'rtn_unack'], ['ack', 'cleared']] },
    { name: 'an alarm acknowledged before it was shelved returns acknowledged', type: 'water-leak', steps: [['on', 'active_unack'], ['ack', 'active_ack'], ['shelve', 'shelved'], ['unshelve', 'active_ack'], ['off', 'cleared']] },
  ];

  it.each(MACHINE)('state machine: $name', async ({ type, steps, repeats }) => {
    const deviceId = await device('water-meter');
    let alarmId: string | undefined;
    for (const [step, expected] of steps) {
      if (step === 'on' || step === 'off') await apply(signal(deviceId, type, step === 'on'));
      else if (step === 'shelve') await acted(alarmId!, { action: 'shelve', minutes: 30, reason: '现场确认中' });
      else await acted(alarmId!, { action: step });
      const alarm = await only(deviceId);
      alarmId = alarm.id;
      expect(alarm.state, `${step} → ${expected}`).toBe(expected);
    }
    if (repeats) expect((await only(deviceId)).repeat_count).toBe(repeats);
    const history = (await view(alarmId!)).history;
    expect(history[0]).toMatchObject({ action: 'raise', fromState: null, actorName: '物联感知' });
  });

  it('after an alarm cleared, the same condition raises a new alarm', async () => {
    const deviceId = await device('water-meter');
    await apply(signal(deviceId, 'water-leak', true));
    const [first] = await rows(deviceId);
    await acted(first!.id, { action: 'ack' });
    await apply(signal(deviceId, 'water-leak', false));
    await apply(signal(deviceId, 'water-leak', true));
    const all = await rows(deviceId);
    expect(all.map((a) => a.state)).toEqual(['cleared', 'active_unack']);
  });

  it('two transactions applying the same signal at once make one alarm counted twice; a batch folds its repeats', async () => {
    const deviceId = await device('water-meter');
    const s = signal(deviceId, 'water-leak', true);
    await Promise.all([apply(s), apply(s)]);
    const alarm = await only(deviceId);
    expect(alarm).toMatchObject({ repeat_count: 2, state: 'active_unack' });

    const other = await device('water-meter');
    await apply(signal(other, 'water-leak', true), signal(other, 'water-leak', true), signal(other, 'water-leak', false), signal(deviceId, 'water-leak', true));
    expect(await only(other)).toMatchObject({ repeat_count: 2, state: 'rtn_unack' });
    expect((await only(deviceId)).repeat_count).toBe(3);

    // folded in the order things happened, not the order they arrived in
    const late = await device('water-meter');
    const t0 = Date.now();
    await apply(signal(late, 'water-leak', false, new Date(t0)), signal(late, 'water-leak', true, new Date(t0 - 1000)));
    expect(await only(late)).toMatchObject({ state: 'rtn_unack', condition_active: false });
  });

  it('applies a batch in a fixed number of statements, whatever its size', async () => {
    const statementsFor = async (signals: AlarmSignal[]) => {
      let count = 0;
      const counter = { transformQuery: <T>(args: { node: T }) => ((count += 1), args.node), transformResult: async <R>(args: { result: R }) => args.result };
      await t.platform.transaction(systemActor('ingestion'), (ctx) => applyAlarmSignals({ ...ctx, trx: ctx.trx.withPlugin(counter) }, signals));
      return count;
    };
    // each batch raises new alarms, counts repeats and returns conditions to normal
    const batch = async (devices: number) => {
      const ids: string[] = [];
      for (let i = 0; i < devices; i++) ids.push(await device('water-meter'));
      await apply(...ids.map((id) => signal(id, 'water-overuse', true)));
      return ids.flatMap((id) => [signal(id, 'water-leak', true), signal(id, 'water-overuse', true), signal(id, 'water-overuse', false)]);
    };
    const small = await statementsFor(await batch(2));
    const large = await statementsFor(await batch(40));
    expect(large).toBe(small);
    expect(small).toBeGreaterThanOrEqual(8);
    expect(small).toBeLessThanOrEqual(15);
  });

  it('refuses to reset a latched alarm while its condition holds, unless forced with a reason', async () => {
    const deviceId = await device('smoke');
    await apply(signal(deviceId, 'smoke', true));
    const alarm = await only(deviceId);
    const refused = await act(alarm.id, { action: 'reset' });
    expect(refused.statusCode).toBe(409);
    expect((refused.json() as ErrorBody).error.code).toBe('ALARM_CONDITION_ACTIVE');
    const noReason = await act(alarm.id, { action: 'reset', force: true });
    expect(noReason.statusCode).toBe(422);
    expect((noReason.json() as ErrorBody).error.code).toBe('REASON_REQUIRED');
    expect((await only(deviceId)).state).toBe('active_unack');
    const forced = await acted(alarm.id, { action: 'reset', force: true, reason: '探测器故障，已报修' });
    expect(forced.state).toBe('cleared');
    expect(forced.history.at(-1)).toMatchObject({ action: 'reset', note: '探测器故障，已报修', details: { forced: true } });
    const audit = await t.platform.db.selectFrom('audit_log').select(['action', 'details']).where('object_id', '=', alarm.id).where('action', '=', 'alarm.reset').execute();
    expect(audit).toHaveLength(1);
  });

  it('suppresses alarms of devices in maintenance and inside drills: recorded, but no notice and no case', async () => {
    const inMaintenance = await device('smoke');
    const patched = await t.request({ method: 'PATCH', url: `/api/devices/${inMaintenance}`, token: token.maintainer, body: { state: 'maintenance' } });
    expect(patched.statusCode).toBe(200);
    const drill = await t.request({
      method: 'POST',
      url: '/api/alarm-windows',
      token: token.dispatcher,
      body: { kind: 'drill', regionCode: HUIHAO, startsAt: new Date(Date.now() - MINUTE).toISOString(), endsAt: new Date(Date.now() + 60 * MINUTE).toISOString(), reason: '汇豪天下消防演练' },
    });
    expect(drill.statusCode, drill.body).toBe(201);
    const inDrill = await device('smoke', HUIHAO);
    const outside = await device('smoke');
    await apply(signal(inMaintenance, 'smoke', true), signal(inDrill, 'smoke', true), signal(outside, 'smoke', true));
    await t.platform.events.drain();

    const [m, d, o] = [await only(inMaintenance), await only(inDrill), await only(outside)];
    expect([m.state, d.state, o.state]).toEqual(['suppressed', 'suppressed', 'active_unack']);
    expect([m.case_id, d.case_id]).toEqual([null, null]);
    expect(o.case_id).not.toBeNull(); // smoke is an `auto` type
    const told = (await notices('dispatcher', 'alarm_raised')).map((p) => p.alarmId);
    expect(told).not.toContain(m.id);
    expect(told).not.toContain(d.id);
    expect((await list(`state=suppressed&device=${inDrill}`)).items.map((a) => a.id)).toEqual([d.id]);
    const windows = (await t.request({ url: '/api/alarm-windows', token: token.dispatcher })).json() as { items: Array<{ id: string; reason: string }> };
    expect(windows.items.map((w) => w.reason)).toContain('汇豪天下消防演练');
    const drillId = (drill.json() as { id: string }).id;
    expect((await t.request({ method: 'DELETE', url: `/api/alarm-windows/${drillId}`, token: token.resident })).statusCode).toBe(403);
    expect((await t.request({ method: 'DELETE', url: `/api/alarm-windows/${drillId}`, token: token.dispatcher })).statusCode).toBe(204);
    expect((await t.request({ method: 'DELETE', url: `/api/alarm-windows/${drillId}`, token: token.dispatcher })).statusCode).toBe(404);
    const afterDrill = await device('smoke', HUIHAO);
    await apply(signal(afterDrill, 'smoke', true));
    expect((await only(afterDrill)).state).toBe('active_unack');

    const both = await t.request({ method: 'POST', url: '/api/alarm-windows', token: token.dispatcher, body: { kind: 'maintenance', regionCode: HUIHAO, deviceId: outside, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + MINUTE).toISOString(), reason: '检修' } });
    expect(both.statusCode).toBe(422);
    expect((both.json() as ErrorBody).error.code).toBe('ALARM_WINDOW_INVALID');
    const backwards = await t.request({ method: 'POST', url: '/api/alarm-windows', token: token.dispatcher, body: { kind: 'maintenance', deviceId: outside, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() - MINUTE).toISOString(), reason: '检修' } });
    expect(backwards.statusCode).toBe(422);
  });

  it('records alarms of retired devices and of types taken out of service as out of service', async () => {
    const retired = await device('water-meter');
    expect((await t.request({ method: 'PATCH', url: `/api/devices/${retired}`, token: token.maintainer, body: { state: 'retired' } })).statusCode).toBe(200);
    const switchedOff = await device('water-meter');
    const put = await t.request({ method: 'PUT', url: `/api/devices/${switchedOff}/alarm-types/water-leak/out-of-service`, token: token.maintainer, body: { reason: '水表更换中，读数不可信' } });
    expect(put.statusCode, put.body).toBe(204);
    await apply(signal(retired, 'water-leak', true), signal(switchedOff, 'water-leak', true), signal(switchedOff, 'water-overuse', true));
    expect((await only(retired)).state).toBe('out_of_service');
    const states = (await rows(switchedOff)).map((a) => [a.type, a.state]);
    expect(states).toEqual(expect.arrayContaining([['water-leak', 'out_of_service'], ['water-overuse', 'active_unack']]));
    // the device page lists the water meter's types, the switched-off one with why and by whom
    const listed = (await t.request({ url: `/api/devices/${switchedOff}/alarm-types`, token: token.dispatcher })).json() as { items: Array<{ type: string; outOfService: { reason: string; byName: string | null } | null }> };
    expect(listed.items.map((i) => i.type)).toEqual(expect.arrayContaining(['water-leak', 'water-no-use', 'water-overuse', 'device-offline', 'battery-low']));
    expect(listed.items.map((i) => i.type)).not.toContain('smoke');
    expect(listed.items.find((i) => i.type === 'water-leak')!.outOfService).toMatchObject({ reason: '水表更换中，读数不可信', byName: expect.any(String) });
    expect(listed.items.find((i) => i.type === 'water-overuse')!.outOfService).toBeNull();
    expect((await t.request({ method: 'DELETE', url: `/api/devices/${switchedOff}/alarm-types/water-leak/out-of-service`, token: token.maintainer })).statusCode).toBe(204);
    const back = (await t.request({ url: `/api/devices/${switchedOff}/alarm-types`, token: token.dispatcher })).json() as typeof listed;
    expect(back.items.every((i) => i.outOfService === null)).toBe(true);
    await apply(signal(retired, 'water-leak', false));
    expect((await only(retired)).state).toBe('cleared');
  });

  it('unshelves when the shelving expires (a job with a controllable clock)', async () => {
    const deviceId = await device('water-meter');
    await apply(signal(deviceId, 'water-leak', true));
    const { id } = await only(deviceId);
    const shelved = await acted(id, { action: 'shelve', minutes: 30, reason: '物业已到场处理' });
    expect(shelved.state).toBe('shelved');
    expect(shelved.allowedActions).toEqual(expect.arrayContaining(['ack', 'unshelve', 'comment']));
    await t.platform.jobs.runNow('alarms.unshelve', new Date(Date.now() + 29 * MINUTE));
    expect((await only(deviceId)).state).toBe('shelved');
    await t.platform.jobs.runNow('alarms.unshelve', new Date(Date.now() + 31 * MINUTE));
    const back = await view(id);
    expect(back.state).toBe('active_unack');
    expect(back.history.at(-1)).toMatchObject({ action: 'expire_shelve', fromState: 'shelved', toState: 'active_unack' });
  });

  it('escalates unacknowledged alarms after their severity’s minutes and tells the street desk, then the district', async () => {
    const t0 = new Date();
    const major = await device('fire-lane');
    const acknowledged = await device('fire-lane');
    const maintenance = await device('fire-lane');
    await apply(signal(major, 'fire-lane-blocked', true, t0), signal(acknowledged, 'fire-lane-blocked', true, t0), signal(maintenance, 'battery-low', true, t0));
    await acted((await only(acknowledged)).id, { action: 'ack' });
    const id = (await only(major)).id;

    await t.platform.jobs.runNow('alarms.escalation', new Date(t0.getTime() + 14 * MINUTE));
    expect((await only(major)).escalation_level).toBe(0);
    await t.platform.jobs.runNow('alarms.escalation', new Date(t0.getTime() + 16 * MINUTE));
    expect((await only(major)).escalation_level).toBe(1);
    await t.platform.jobs.runNow('alarms.escalation', new Date(t0.getTime() + 16 * MINUTE));
    expect((await only(major)).escalation_level).toBe(1);
    await t.platform.events.drain();
    expect((await notices('dispatcher', 'alarm_escalated')).filter((p) => p.alarmId === id)).toEqual([expect.objectContaining({ level: 1 })]);
    expect((await notices('operator', 'alarm_escalated')).filter((p) => p.alarmId === id)).toEqual([]);

    await t.platform.jobs.runNow('alarms.escalation', new Date(t0.getTime() + 31 * MINUTE));
    await t.platform.events.drain();
    expect((await notices('operator', 'alarm_escalated')).filter((p) => p.alarmId === id)).toEqual([expect.objectContaining({ level: 2 })]);
    await t.platform.jobs.runNow('alarms.escalation', new Date(t0.getTime() + 2 * 24 * 60 * MINUTE));
    expect((await only(acknowledged)).escalation_level).toBe(0);
    expect((await only(maintenance)).escalation_level).toBe(0);
    expect((await view(id)).history.filter((h) => h.action === 'escalate').map((h) => h.details.level)).toEqual([1, 2, 3]);
  });

  it('auto: a case through reportCase (channel iot, mapped category), linked both ways, and critical alarms notify at once', async () => {
    const deviceId = await device('smoke');
    await apply(signal(deviceId, 'smoke', true));
    expect((await only(deviceId)).case_id).toBeNull(); // made from the outbox, not inside the ingestion batch
    await t.platform.events.drain();
    const alarm = await view((await only(deviceId)).id);
    expect(alarm.caseId).not.toBeNull();
    const c = await caseOf(alarm.caseId!);
    expect(c).toMatchObject({ channel: 'iot', category_code: 'C0199', urgency: 'critical', status: 'reported', region_code: MEIYUAN });
    expect(c.description).toContain('烟感报警');
    expect(alarm.caseNumber).toBe(c.number);
    expect(alarm.history.map((h) => h.action)).toEqual(['raise', 'case_created']);
    expect((await list(`case=${c.id}`)).items.map((a) => a.id)).toEqual([alarm.id]);
    expect((await notices('dispatcher', 'alarm_raised')).map((p) => p.alarmId)).toContain(alarm.id);
    // the street desk sees the new case in its queue as for any other channel
    const desk = await t.request({ url: `/api/cases/${c.id}`, token: token.dispatcher });
    expect(desk.statusCode).toBe(200);
  });

  it('recheck: no case until the operator confirms; dismissing clears a false alarm; none never makes one', async () => {
    const [leak, falseAlarm, gate] = [await device('water-meter'), await device('water-meter'), await device('gate')];
    await apply(signal(leak, 'water-leak', true), signal(falseAlarm, 'water-leak', true), signal(gate, 'gate-held-open', true));
    await t.platform.events.drain();
    const [a, b, g] = [await only(leak), await only(falseAlarm), await only(gate)];
    expect([a.case_id, b.case_id, g.case_id]).toEqual([null, null, null]);
    expect([a.recheck, g.recheck]).toEqual(['pending', null]);
    expect((await view(a.id)).allowedActions).toContain('recheck');

    const confirmed = await acted(a.id, { action: 'recheck', decision: 'confirm', note: '视频确认 5 号楼地下室有积水' });
    expect(confirmed).toMatchObject({ recheck: 'confirmed', state: 'active_ack' });
    const c = await caseOf(confirmed.caseId!);
    expect(c).toMatchObject({ channel: 'iot', category_code: 'C0203', reporter_user_id: await userId('dispatcher') });
    expect(c.description).toContain('视频确认 5 号楼地下室有积水');
    const again = await act(a.id, { action: 'recheck', decision: 'confirm', note: '再确认一次' });
    expect(again.statusCode).toBe(409);
    expect((again.json() as ErrorBody).error.code).toBe('ALARM_RECHECK_NOT_PENDING');

    const dismissed = await acted(b.id, { action: 'recheck', decision: 'dismiss', note: '住户在浇花，不是漏水' });
    expect(dismissed).toMatchObject({ recheck: 'dismissed', state: 'cleared', caseId: null });
    const none = await act(g.id, { action: 'recheck', decision: 'confirm', note: '确认' });
    expect(none.statusCode).toBe(409);
    expect((await only(gate)).case_id).toBeNull();
  });

  it('an administrator switches a type to auto; the change is audited and used for the next alarm', async () => {
    const refused = await t.request({ method: 'PUT', url: '/api/alarm-settings', token: token.dispatcher, body: { caseModes: { 'bin-overheat': 'auto' } } });
    expect(refused.statusCode).toBe(403);
    const changed = await t.request({ method: 'PUT', url: '/api/alarm-settings', token: token.admin, body: { caseModes: { 'bin-overheat': 'auto' }, escalationMinutes: { minor: 45 } } });
    expect(changed.statusCode, changed.body).toBe(200);
    const settings = changed.json() as { types: Array<{ type: string; caseMode: string; defaultCaseMode: string; categoryCode: string | null }>; escalationMinutes: Record<string, number | null> };
    expect(settings.types.find((s) => s.type === 'bin-overheat')).toMatchObject({ caseMode: 'auto', defaultCaseMode: 'recheck', categoryCode: 'C0199' });
    expect(settings.escalationMinutes).toEqual({ critical: 5, major: 15, minor: 45, warning: null });
    const deviceId = await device('bin');
    await apply(signal(deviceId, 'bin-overheat', true));
    await t.platform.events.drain();
    expect((await only(deviceId)).case_id).not.toBeNull();
    const restored = await t.request({ method: 'PUT', url: '/api/alarm-settings', token: token.admin, body: { caseModes: { 'bin-overheat': 'recheck' }, escalationMinutes: { minor: 60 } } });
    expect(restored.statusCode).toBe(200);
  });

  it('the end of the case is written on the alarm, which clears if its condition is over and it is not latched', async () => {
    const [lane, smoke] = [await device('fire-lane'), await device('smoke')];
    await apply(signal(lane, 'fire-lane-blocked', true), signal(smoke, 'smoke', true));
    await t.platform.events.drain();
    await apply(signal(lane, 'fire-lane-blocked', false), signal(smoke, 'smoke', false));
    const [l, s] = [await only(lane), await only(smoke)];
    expect([l.state, s.state]).toEqual(['rtn_unack', 'active_unack']);
    for (const alarm of [l, s]) {
      const res = await t.request({ method: 'POST', url: `/api/cases/${alarm.case_id}/transitions`, token: token.dispatcher, body: { action: 'reject', reason: '现场核实已处理完毕' } });
      expect(res.statusCode, res.body).toBe(200);
    }
    await t.platform.events.drain();
    const [lv, sv] = [await view(l.id), await view(s.id)];
    expect(lv.state).toBe('cleared');
    expect(sv.state).toBe('active_unack'); // latched: only a reset ends it
    for (const v of [lv, sv]) expect(v.history.at(-1)).toMatchObject({ action: 'case_outcome', details: expect.objectContaining({ outcome: 'rejected' }) });
  });

  it('the elderly-living-alone flow end to end over HTTP: contact, call, visit case, close, annotated alarm', async () => {
    const deviceId = await device('door-magnet');
    const noContact = await device('door-magnet');
    // the committee's social worker records the emergency contact; others see it masked
    const put = await t.request({ method: 'PUT', url: `/api/devices/${deviceId}/emergency-contact`, token: token.worker, body: { name: '王建国', phone: '13912345678' } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual({ name: '王**', phone: '139****5678', masked: true });
    expect((await t.request({ url: `/api/devices/${deviceId}/emergency-contact`, token: token.maintainer })).json()).toMatchObject({ phone: '139****5678', masked: true });
    const badPhone = await t.request({ method: 'PUT', url: `/api/devices/${deviceId}/emergency-contact`, token: token.worker, body: { name: '王建国', phone: 'call me' } });
    expect(badPhone.statusCode).toBe(400);

    await apply(signal(deviceId, 'door-no-open', true), signal(noContact, 'door-no-open', true));
    await t.platform.events.drain();
    const first = (await list(`device=${deviceId}`, 'worker')).items[0]!;
    expect(first).toMatchObject({ type: 'door-no-open', state: 'active_unack', recheck: 'pending', caseId: null });
    expect(first.allowedActions).toEqual(expect.arrayContaining(['ack', 'comment', 'recheck', 'call']));
    expect(first.allowedActions).not.toContain('shelve');
    expect((await view(first.id, 'worker')).emergencyContact).toEqual({ name: '王**', phone: '139****5678', masked: true });
    const reveal = await t.request({ method: 'POST', url: `/api/devices/${deviceId}/emergency-contact/reveal`, token: token.worker, body: { reason: '门磁告警，需电话联系家属' } });
    expect(reveal.json()).toEqual({ name: '王建国', phone: '13912345678', masked: false });
    const revealed = await t.platform.db.selectFrom('audit_log').select(['reason']).where('action', '=', 'personal_data.reveal').where('object_id', '=', deviceId).execute();
    expect(revealed).toEqual([{ reason: '门磁告警，需电话联系家属' }]);
    const unreachable = await act((await only(noContact)).id, { action: 'call', outcome: 'not_reached', note: '无人接听' }, 'worker');
    expect((unreachable.json() as ErrorBody).error.code).toBe('ALARM_NO_EMERGENCY_CONTACT');

    // 1. reached, the resident is fine: resolved with the note
    const fine = await acted(first.id, { action: 'call', outcome: 'reached_ok', note: '儿子说老人去女儿家住几天' }, 'worker');
    expect(fine).toMatchObject({ state: 'cleared', recheck: 'dismissed', caseId: null });
    expect(fine.history.at(-1)).toMatchObject({ action: 'call', note: '儿子说老人去女儿家住几天', details: { outcome: 'reached_ok' } });

    // 2. days later again; nobody answers: a visit case to the committee
    await apply(signal(deviceId, 'door-no-open', true));
    const second = (await rows(deviceId)).find((a) => a.state !== 'cleared')!;
    const called = await acted(second.id, { action: 'call', outcome: 'not_reached', note: '连续拨打三次无人接听' }, 'worker');
    expect(called).toMatchObject({ state: 'active_ack', recheck: 'confirmed' });
    const caseId = called.caseId!;
    const c = await caseOf(caseId);
    expect(c).toMatchObject({ channel: 'iot', category_code: 'C0502', status: 'reported', reporter_user_id: await userId('worker') });
    expect(c.description).toContain('请居委会上门探访');

    // the case runs its ordinary loop; the visit is the committee worker's note on it
    const transition = async (who: string, body: Record<string, unknown>) => {
      const res = await t.request({ method: 'POST', url: `/api/cases/${caseId}/transitions`, token: token[who] ?? who, body });
      expect(res.statusCode, res.body).toBe(200);
    };
    const unit = await t.platform.db.selectFrom('departments').select('id').where('code', '=', '310115-MZ').executeTakeFirstOrThrow();
    const created = await t.request({
      method: 'POST',
      url: '/api/users',
      token: token.admin,
      body: { username: 'mz-visit', displayName: '测试·区民政局', password: 'Visit-Check-2026!x', assignment: { role: 'department_handler', regionCode: '310115', departmentId: unit.id } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const civil = await t.login('mz-visit', 'Visit-Check-2026!x');
    await transition('dispatcher', { action: 'register', categoryCode: 'C0502', urgency: 'urgent' });
    await transition('dispatcher', { action: 'dispatch', mainUnitId: unit.id });
    await transition(civil, { action: 'accept' });
    await transition('worker', { action: 'note', text: '上门探访：老人在家摔倒，已联系 120 送医并通知家属' });
    await transition(civil, { action: 'handled', result: '已送医，家属已到场' });
    await transition('worker', { action: 'verify', passed: true });
    expect((await caseOf(caseId)).status).toBe('closed');
    await t.platform.events.drain();

    const after = await view(second.id, 'worker');
    expect(after.history.at(-1)).toMatchObject({ action: 'case_outcome', note: `案件 ${c.number} 已办结`, details: expect.objectContaining({ outcome: 'closed' }) });
    // nobody has opened the door since: the condition holds, so the alarm stays until it returns to normal
    expect(after.state).toBe('active_ack');
    await apply(signal(deviceId, 'door-no-open', false));
    expect((await view(second.id, 'worker')).state).toBe('cleared');
  });

  it('scopes: another street’s alarm is 404; committee staff see their committee; maintainers only maintenance alarms; residents nothing', async () => {
    const weifang = await device('water-meter', WEIFANG_1, 'admin');
    const huihao = await device('water-meter', HUIHAO);
    const battery = await device('water-meter');
    const leak = await device('water-meter');
    await apply(signal(weifang, 'water-leak', true), signal(huihao, 'water-leak', true), signal(battery, 'battery-low', true), signal(leak, 'water-leak', true));
    const [w, h, b, l] = [await only(weifang), await only(huihao), await only(battery), await only(leak)];

    expect((await get(w.id)).statusCode).toBe(404);
    const foreign = await act(w.id, { action: 'ack' });
    expect(foreign.statusCode).toBe(404);
    expect((await only(weifang)).state).toBe('active_unack');
    expect((await list('type=water-leak&limit=200')).items.map((a) => a.id)).not.toContain(w.id);
    expect((await get(w.id, 'operator')).statusCode).toBe(200);

    expect((await get(h.id, 'worker')).statusCode).toBe(404);
    expect((await get(l.id, 'worker')).statusCode).toBe(200);
    const notElderly = await act(l.id, { action: 'ack' }, 'worker');
    expect(notElderly.statusCode).toBe(403);

    expect((await get(l.id, 'maintainer')).statusCode).toBe(404);
    const maint = await view(b.id, 'maintainer');
    expect(maint.allowedActions).toEqual(expect.arrayContaining(['ack', 'shelve', 'comment']));
    expect((await acted(b.id, { action: 'ack' }, 'maintainer')).state).toBe('active_ack');
    expect((await list('', 'maintainer')).items.every((a) => ['device-offline', 'battery-low'].includes(a.type))).toBe(true);

    expect((await t.request({ url: '/api/alarms', token: token.resident })).statusCode).toBe(403);
    expect((await t.request({ url: '/api/alarms' })).statusCode).toBe(401);
  });

  it('bad input: a clear 4xx with a stable code, in Chinese or English, and nothing changes', async () => {
    const deviceId = await device('water-meter');
    await apply(signal(deviceId, 'water-leak', true));
    const { id } = await only(deviceId);
    const historyBefore = (await view(id)).history.length;
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ action: 'shelve', minutes: 24 * 60 + 1, reason: '太久' }, 400, 'VALIDATION_FAILED'],
      [{ action: 'shelve', minutes: 30 }, 400, 'VALIDATION_FAILED'],
      [{ action: 'explode' }, 400, 'VALIDATION_FAILED'],
      [{ action: 'ack', extra: true }, 400, 'VALIDATION_FAILED'],
      [{ action: 'comment', text: '   ' }, 400, 'VALIDATION_FAILED'],
      [{ action: 'reset' }, 409, 'ALARM_NOT_LATCHED'],
      [{ action: 'call', outcome: 'reached_ok', note: '打通了' }, 409, 'ALARM_CALL_NOT_APPLICABLE'],
      [{ action: 'unshelve' }, 409, 'ALARM_ACTION_NOT_ALLOWED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await act(id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect((res.json() as ErrorBody).error.code).toBe(code);
    }
    const english = await act(id, { action: 'reset' }, 'dispatcher', { 'accept-language': 'en' });
    expect((english.json() as ErrorBody).error.message).toBe('Only latched alarms (smoke, gas) need a reset.');
    expect(((await act(id, { action: 'reset' })).json() as ErrorBody).error.message).toContain('复位');
    expect((await t.request({ url: '/api/alarms?state=burning', token: token.dispatcher })).statusCode).toBe(400);
    expect((await get('not-a-uuid')).statusCode).toBe(400);
    const after = await view(id);
    expect(after.state).toBe('active_unack');
    expect(after.history).toHaveLength(historyBefore);

    const comment = await acted(id, { action: 'comment', text: '已通知物业关闭总阀' });
    expect(comment.history.at(-1)).toMatchObject({ action: 'comment', note: '已通知物业关闭总阀' });
    const events = await t.platform.db.selectFrom('outbox_events').select('type').where('aggregate_id', '=', id).execute();
    expect(events.map((e) => e.type)).toEqual(['alarm.commented']);
  });

  it('lists unacknowledged and most severe first; a flood of more than 10 alarms in 10 minutes is grouped by type and committee', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/users',
      token: token.admin,
      body: { username: 'flood-head', displayName: '测试·居委负责人', password: 'Flood-Check-2026!x', assignment: { role: 'committee_head', regionCode: FLOOD_COMMITTEE } },
    });
    expect(created.statusCode, created.body).toBe(201);
    token['flood-head'] = await t.login('flood-head', 'Flood-Check-2026!x');
    const bins: string[] = [];
    for (let i = 0; i < 11; i++) bins.push(await device('bin', FLOOD_COMMITTEE));
    await apply(...bins.slice(0, 10).map((d) => signal(d, 'bin-full', true)));
    const calm = await list('', 'flood-head');
    expect(calm).toMatchObject({ flood: false, recentCount: 10, groups: [] });

    await apply(signal(bins[10]!, 'bin-full', true), signal(bins[0]!, 'smoke', true));
    const flood = await list('', 'flood-head');
    expect(flood.flood).toBe(true);
    expect(flood.recentCount).toBe(12);
    expect(flood.groups[0]).toMatchObject({ type: 'bin-full', committeeCode: FLOOD_COMMITTEE, count: 11 });
    expect(flood.groups[1]).toMatchObject({ type: 'smoke', count: 1 });
    // the critical one first among the unacknowledged
    expect(flood.items[0]!.type).toBe('smoke');
    await acted(flood.items[0]!.id, { action: 'ack' });
    const reordered = await list('', 'flood-head');
    expect(reordered.items.at(-1)!.type).toBe('smoke');
    expect((await list('state=active_ack', 'flood-head')).items.map((a) => a.type)).toEqual(['smoke']);
  });

  it('demo mode with the demo month: alarms on the demo devices through the real sink, marked 演示, once', async () => {
    const demo = { ...t.platform, config: { ...t.platform.config, demoCases: true } };
    await seedDemoAlarms({ ...t.platform, config: { ...t.platform.config, demoCases: false } });
    const ids = DEMO_DEVICES.map((d) => d.id);
    const count = async () => (await t.platform.db.selectFrom('alarms').select('id').where('device_id', 'in', ids).execute()).length;
    expect(await count()).toBe(0);
    await seedDemoAlarms(demo);
    await seedDemoAlarms(demo);
    expect(await count()).toBe(5);
    await t.platform.events.drain();
    const shown = (await list('limit=200')).items.filter((a) => ids.includes(a.device.id));
    expect(shown.map((a) => a.type).sort()).toEqual(['battery-low', 'bin-full', 'door-no-open', 'gate-forced', 'water-leak']);
    for (const a of shown) expect(a.detail).toMatch(/^演示：/);
    expect(shown.find((a) => a.type === 'bin-full')!.caseId).not.toBeNull();
    const door = shown.find((a) => a.type === 'door-no-open')!;
    expect((await view(door.id, 'worker')).emergencyContact).toMatchObject({ phone: '139****0101', masked: true });
  });
});
