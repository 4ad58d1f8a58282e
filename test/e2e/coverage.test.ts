import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_DEVICE_REGION, DEMO_DEVICES } from '../../src/server/modules/devices/demo.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';

const LUJIAZUI = '310115005';

interface Summary {
  devices: number;
  online: number;
  onlineRate: number | null;
  expected: number;
  covered: number;
  coverageRate: number | null;
  alarms: number;
  applicationRate: number | null;
}
interface Report {
  region: { code: string };
  totals: Summary;
  profiles: Array<{ profile: string; devices: number; online: number; expected: number; covered: number }>;
  units: Array<Summary & { code: string; gaps: Array<{ profile: string; expected: number; devices: number }> }>;
  blindSpots: { total: number; items: Array<{ code: string; reasons: string[] }> };
}

describe.each(ENGINES)('coverage (%s)', (engine) => {
  let t: TestApp;
  let operator: string;
  beforeEach(async () => {
    t = await createTestApp(engine);
    operator = await t.login('operator');
  });
  afterEach(async () => t.close());

  const coverage = async (token: string, query = '') => {
    const response = await t.request({ url: `/api/coverage${query}`, token });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Report;
  };

  it('counts the demo committee’s devices against the norms and lists the other committees as blind spots', async () => {
    const street = await coverage(operator, `?region=${LUJIAZUI}`);
    expect(street.region.code).toBe(LUJIAZUI);
    const meiyuan = street.units.find((u) => u.code === DEMO_DEVICE_REGION)!;
    expect(meiyuan.devices).toBe(DEMO_DEVICES.length);
    // the default norms ask each committee for a fire lane sensor, a tank gauge, a gate, a camera and a bin
    expect(meiyuan.expected).toBe(5);
    expect(meiyuan.covered).toBe(5);
    expect(meiyuan.coverageRate).toBe(1);
    expect(meiyuan.gaps).toEqual([]);
    const empty = street.units.find((u) => u.code !== DEMO_DEVICE_REGION)!;
    expect(empty).toMatchObject({ devices: 0, covered: 0, coverageRate: 0, onlineRate: null });
    expect(empty.gaps.map((g) => g.profile).sort()).toEqual(['bin', 'camera-ai', 'fire-lane', 'fire-tank', 'gate']);
    // every other committee lacks devices; 梅园一村 has them all but none has reported yet
    expect(street.blindSpots.total).toBe(street.units.length);
    expect(street.blindSpots.items[0]!.reasons).toEqual(['no_devices', 'below_norm']);
    expect(street.blindSpots.items.find((b) => b.code === DEMO_DEVICE_REGION)!.reasons).toEqual(['all_offline']);

    // the district's totals add up its streets
    const district = await coverage(operator);
    expect(district.units).toHaveLength(42);
    expect(district.totals.devices).toBe(DEMO_DEVICES.length);
    expect(district.units.reduce((n, u) => n + u.expected, 0)).toBe(district.totals.expected);
    expect(district.totals.expected).toBe(5 * 1526);
  });

  it('follows the devices’ liveness and reports none online as a blind spot', async () => {
    const smoke = DEMO_DEVICES.find((d) => d.profile === 'smoke')!;
    const response = await t.request({ method: 'POST', url: `/api/devices/${smoke.id}/telemetry`, body: { smoke: false, battery: 90 }, headers: { authorization: `Bearer ${smoke.token}` } });
    expect(response.statusCode).toBe(202);
    const committee = await coverage(operator, `?region=${DEMO_DEVICE_REGION}`);
    expect(committee.units).toHaveLength(1);
    expect(committee.totals).toMatchObject({ devices: DEMO_DEVICES.length, online: 1 });
    expect(committee.totals.onlineRate).toBeCloseTo(1 / DEMO_DEVICES.length, 3);
    expect(committee.profiles.find((p) => p.profile === 'smoke')).toMatchObject({ devices: 1, online: 1 });

    await t.platform.jobs.runNow('telemetry.liveness', new Date(Date.now() + 24 * 3_600_000));
    const later = await coverage(operator, `?region=${DEMO_DEVICE_REGION}`);
    expect(later.totals.online).toBe(0);
    expect(later.blindSpots.items).toEqual([expect.objectContaining({ code: DEMO_DEVICE_REGION, reasons: ['all_offline'] })]);
  });

  it('counts the alarms that became cases and the cases that were closed as the application rate', async () => {
    const smoke = DEMO_DEVICES.find((d) => d.profile === 'smoke')!;
    const response = await t.request({ method: 'POST', url: `/api/devices/${smoke.id}/telemetry`, body: { smoke: true, battery: 90 }, headers: { authorization: `Bearer ${smoke.token}` } });
    expect(response.statusCode).toBe(202);
    const before = await coverage(operator, `?region=${DEMO_DEVICE_REGION}`);
    expect(before.totals).toMatchObject({ alarms: 1, withCase: 0, handled: 0, applicationRate: 0 });
    // the smoke alarm's case is reported by the alarms module from the outbox
    await t.platform.events.drain();
    const caseId = (await t.platform.db.selectFrom('alarms').select('case_id').where('device_id', '=', smoke.id).executeTakeFirstOrThrow()).case_id;
    expect(caseId).not.toBeNull();
    expect((await coverage(operator, `?region=${DEMO_DEVICE_REGION}`)).totals).toMatchObject({ alarms: 1, withCase: 1, handled: 0 });
    await t.platform.db.updateTable('cases').set({ status: 'closed' }).where('id', '=', caseId!).execute();
    expect((await coverage(operator, `?region=${DEMO_DEVICE_REGION}`)).totals).toMatchObject({ alarms: 1, withCase: 1, handled: 1, applicationRate: 1 });
  });

  it('lets the district set norms, a street override them, and refuses the rest', async () => {
    const set = (token: string, body: unknown) => t.request({ method: 'PUT', url: '/api/coverage/norms', token, body });
    expect((await set(operator, { regionCode: LUJIAZUI, profile: 'gas', unit: 'committee', expected: 2 })).statusCode).toBe(200);
    const street = await coverage(operator, `?region=${LUJIAZUI}`);
    const meiyuan = street.units.find((u) => u.code === DEMO_DEVICE_REGION)!;
    expect(meiyuan.expected).toBe(7);
    expect(meiyuan.gaps).toEqual([expect.objectContaining({ profile: 'gas', expected: 2, devices: 1 })]);
    // other streets keep the district's norms
    const other = await coverage(operator, '?region=310115004');
    expect(other.totals.expected).toBe(5 * other.units.length);

    const norms = (await t.request({ url: `/api/coverage/norms?region=${DEMO_DEVICE_REGION}`, token: operator })).json() as { items: Array<{ regionCode: string; profile: string }> };
    expect(norms.items.filter((n) => n.regionCode === LUJIAZUI)).toEqual([expect.objectContaining({ profile: 'gas' })]);

    expect((await t.request({ method: 'DELETE', url: `/api/coverage/norms?region=${LUJIAZUI}&profile=gas&unit=committee`, token: operator })).statusCode).toBe(200);
    expect((await coverage(operator, `?region=${LUJIAZUI}`)).units.find((u) => u.code === DEMO_DEVICE_REGION)!.expected).toBe(5);
    const root = await t.request({ method: 'DELETE', url: '/api/coverage/norms?region=310115&profile=bin&unit=committee', token: operator });
    expect(root.statusCode).toBe(422);
    expect(root.json().error.code).toBe('COVERAGE_ROOT_NORM');

    const worker = await t.login('worker');
    expect((await set(worker, { regionCode: DEMO_DEVICE_REGION, profile: 'gas', unit: 'committee', expected: 1 })).statusCode).toBe(403);
    expect((await set(operator, { regionCode: LUJIAZUI, profile: 'gas', unit: 'street', expected: 1 })).statusCode).toBe(400);
    expect((await set(operator, { regionCode: LUJIAZUI, profile: 'gas', unit: 'committee', expected: -1 })).statusCode).toBe(400);
  });

  it('keeps a committee worker inside their committee', async () => {
    const worker = await t.login('worker');
    const own = await t.request({ url: '/api/coverage', token: worker });
    expect(own.statusCode).toBe(200);
    expect((own.json() as Report).units).toHaveLength(1);
    const street = await t.request({ url: `/api/coverage?region=${LUJIAZUI}`, token: worker });
    expect(street.statusCode).toBe(404);
    const resident = await t.login('resident');
    expect((await t.request({ url: '/api/coverage', token: resident })).statusCode).toBe(403);
  });
});
