import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

const MEIYUAN = '310115005001'; // 梅园一村, 陆家嘴
const HUIHAO = '310115005002'; // 汇豪天下, 陆家嘴
const WEIFANG_1 = '310115004001'; // 潍坊新村街道

interface ReadingView {
  id: string;
  kind: 'telemetry' | 'event';
  observedAt: string;
  receivedAt: string;
  msgId: string | null;
  values: Record<string, unknown>;
}
interface DeviceView {
  id: string;
  connectivity: string;
  connectivityChangedAt: string | null;
  unauthorisedCount: number;
  rejectedCount: number;
  lastRejection: Record<string, unknown> | null;
}

const minutesAfter = (start: Date, minutes: number) => new Date(start.getTime() + minutes * 60_000);

describe.each(ENGINES)('device readings on %s', (engine) => {
  let t: TestApp;
  let admin: string;
  let dispatcher: string;
  let worker: string;
  let resident: string;
  let meter: string;
  let weifangBin: string;
  let huihaoGate: string;
  const start = new Date('2026-11-30T00:00:00Z');

  /** The test factory: readings written straight into the time series, as ingestion would store them. */
  async function insertReadings(deviceId: string, rows: Array<{ minute: number; values: Record<string, unknown>; kind?: 'telemetry' | 'event'; msgId?: string }>): Promise<void> {
    await t.platform.db
      .insertInto('device_readings')
      .values(
        rows.map((r) => ({
          device_id: deviceId,
          kind: r.kind ?? 'telemetry',
          observed_at: minutesAfter(start, r.minute),
          received_at: minutesAfter(start, r.minute),
          msg_id: r.msgId ?? null,
          values: JSON.stringify(r.values),
        })),
      )
      .execute();
  }

  async function register(token: string, profile: string, name: string, regionCode: string): Promise<string> {
    const res = await t.request({ method: 'POST', url: '/api/devices', token, body: { profile, name, regionCode } });
    expect(res.statusCode).toBe(201);
    return (res.json() as { id: string }).id;
  }

  const readings = (token: string, id: string, query = '') => t.request({ url: `/api/devices/${id}/readings${query}`, token });

  beforeAll(async () => {
    t = await createTestApp(engine);
    admin = await t.login('admin');
    dispatcher = await t.login('dispatcher');
    worker = await t.login('worker');
    resident = await t.login('resident');
    meter = await register(admin, 'water-meter', '测试·7号楼水表', MEIYUAN);
    weifangBin = await register(admin, 'bin', '测试·潍坊垃圾桶', WEIFANG_1);
    huihaoGate = await register(admin, 'gate', '测试·汇豪北门', HUIHAO);
    await insertReadings(
      meter,
      Array.from({ length: 30 }, (_, i) => ({ minute: i * 10, values: { volume: 1200 + i * 0.05, battery: 90 }, msgId: `m-${i}` })),
    );
    await insertReadings(weifangBin, [{ minute: 5, values: { fillLevel: 40 } }]);
    await insertReadings(huihaoGate, [{ minute: 7, kind: 'event', values: { event: 'forced' } }]);
  });
  afterAll(async () => t?.close());

  it('answers the readings newest first, with kind, times, message id and values', async () => {
    const res = await readings(dispatcher, meter);
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: ReadingView[] }).items;
    expect(items).toHaveLength(30);
    expect(items[0]).toMatchObject({ kind: 'telemetry', observedAt: minutesAfter(start, 290).toISOString(), msgId: 'm-29', values: { volume: 1200 + 29 * 0.05, battery: 90 } });
    expect(items.at(-1)).toMatchObject({ observedAt: start.toISOString(), msgId: 'm-0' });
    const times = items.map((r) => Date.parse(r.observedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const gate = (await readings(dispatcher, huihaoGate)).json() as { items: ReadingView[] };
    expect(gate.items).toEqual([expect.objectContaining({ kind: 'event', msgId: null, values: { event: 'forced' } })]);
  });

  it('filters by observation time, [from, to), and bounds the count', async () => {
    const window = `?from=${encodeURIComponent(minutesAfter(start, 60).toISOString())}&to=${encodeURIComponent(minutesAfter(start, 120).toISOString())}`;
    const inWindow = (await readings(worker, meter, window)).json() as { items: ReadingView[] };
    expect(inWindow.items.map((r) => r.msgId)).toEqual(['m-11', 'm-10', 'm-9', 'm-8', 'm-7', 'm-6']);

    const limited = (await readings(worker, meter, '?limit=3')).json() as { items: ReadingView[] };
    expect(limited.items.map((r) => r.msgId)).toEqual(['m-29', 'm-28', 'm-27']);

    // a zone other than UTC means the same instant
    const shanghai = (await readings(worker, meter, `?from=${encodeURIComponent('2026-11-30T12:00:00+08:00')}`)).json() as { items: ReadingView[] };
    expect(shanghai.items.map((r) => r.msgId)).toEqual(['m-29', 'm-28', 'm-27', 'm-26', 'm-25', 'm-24']);
  });

  it('refuses a bad window or an unbounded count with a clear 400', async () => {
    for (const query of ['?limit=0', '?limit=2001', '?from=yesterday', '?to=2026-11-30', '?colour=red']) {
      const res = await readings(admin, meter, query);
      expect(res.statusCode, query).toBe(400);
      expect((res.json() as { error: { code: string } }).error.code, query).toBe('VALIDATION_FAILED');
    }
    const backwards = await t.request({ url: `/api/devices/${meter}/readings?from=2026-11-30T10:00:00Z&to=2026-11-30T09:00:00Z`, token: admin, headers: { 'accept-language': 'zh-CN' } });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({ error: { code: 'READINGS_RANGE_INVALID', message: '查询时段的开始时间必须早于结束时间。' } });
  });

  it('is scoped exactly like the device: 404 outside the scope, 403 for residents, 404 for no such device', async () => {
    // the street dispatcher of 陆家嘴 and the 梅园一村 worker do not see 潍坊; the worker does not see 汇豪天下
    for (const [token, id] of [
      [dispatcher, weifangBin],
      [worker, weifangBin],
      [worker, huihaoGate],
    ] as const) {
      expect((await t.request({ url: `/api/devices/${id}`, token })).statusCode).toBe(404);
      const res = await readings(token, id);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('fillLevel');
      expect(res.body).not.toContain('forced');
    }
    expect((await readings(admin, weifangBin)).json()).toMatchObject({ items: [{ values: { fillLevel: 40 } }] });
    expect((await readings(resident, meter)).statusCode).toBe(403);
    expect((await readings(admin, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('shows the liveness and rejection state ingestion keeps on the device, in the list and the detail', async () => {
    const changedAt = minutesAfter(start, 290);
    const rejection = { at: minutesAfter(start, 295).toISOString(), reason: 'out_of_range', field: 'volume', message: '"volume" must lie between 0 and 99999999 m3' };
    await t.platform.db
      .updateTable('devices')
      .set({ connectivity: 'offline', connectivity_changed_at: changedAt, unauthorised_count: 3, rejected_count: 2, last_rejection: JSON.stringify(rejection) })
      .where('id', '=', meter)
      .execute();
    const detail = (await t.request({ url: `/api/devices/${meter}`, token: worker })).json() as DeviceView;
    expect(detail).toMatchObject({ connectivity: 'offline', connectivityChangedAt: changedAt.toISOString(), unauthorisedCount: 3, rejectedCount: 2, lastRejection: rejection });
    const list = (await t.request({ url: `/api/devices?regionCode=${MEIYUAN}&profile=water-meter`, token: worker })).json() as { items: DeviceView[] };
    expect(list.items.find((d) => d.id === meter)).toMatchObject({ connectivity: 'offline', unauthorisedCount: 3, lastRejection: rejection });
  });
});
