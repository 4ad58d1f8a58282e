import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEVICES } from '../../src/server/modules/devices/demo.ts';
import { poll, signIn, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

/**
 * The device pages in a real browser against the real server (demo devices on a fresh embedded
 * database). Readings and liveness are written straight into the database, as ingestion would
 * store them: the worker of 梅园一村 sees the list with connectivity, last values with units and
 * the rejection counters, opens the water meter, reads its chart and table, changes the field and
 * the period; a device of another street is "not found" for her.
 */

const demo = (profile: string) => DEMO_DEVICES.find((d) => d.profile === profile)!;
const METER = demo('water-meter');
const SMOKE = demo('smoke');
const HALF_HOUR = 30 * 60_000;

describe('web console: device pages', { timeout: 180_000 }, () => {
  let h: BrowserHarness;
  let page: Page;
  let weifangDevice: string;
  const now = Date.now();
  // 48 meter readings over the last 24 hours, oldest first: volume climbing 0.1 m³ each half hour
  const meterReadings = Array.from({ length: 48 }, (_, i) => ({ at: new Date(now - (47 - i) * HALF_HOUR - 60_000), volume: 1200 + i * 0.1, flowRate: i === 47 ? 0.25 : 0.05 }));

  beforeAll(async () => {
    h = await startBrowserHarness('gongzhi-browser-devices-');
    const db = h.server.database.db;
    await db
      .insertInto('device_readings')
      .values(meterReadings.map((r, i) => ({ device_id: METER.id, kind: 'telemetry' as const, observed_at: r.at, received_at: r.at, msg_id: `b-${i}`, values: JSON.stringify({ volume: Number(r.volume.toFixed(1)), flowRate: r.flowRate, battery: 88 }) })))
      .execute();
    const last = meterReadings.at(-1)!;
    await db
      .updateTable('devices')
      .set({ connectivity: 'online', connectivity_changed_at: meterReadings[0]!.at, last_seen_at: last.at, last_values: JSON.stringify({ volume: 1204.7, flowRate: 0.25, battery: 88 }) })
      .where('id', '=', METER.id)
      .execute();
    await db
      .updateTable('devices')
      .set({
        connectivity: 'offline',
        connectivity_changed_at: new Date(now - 3 * 3_600_000),
        rejected_count: 2,
        unauthorised_count: 1,
        last_rejection: JSON.stringify({ at: new Date(now - 3_600_000).toISOString(), reason: 'out_of_range', field: 'battery', message: '"battery" must lie between 0 and 100 %' }),
      })
      .where('id', '=', SMOKE.id)
      .execute();
    const weifang = await db.selectFrom('regions').select(['code', sql<string>`path::text`.as('path')]).where('code', '=', '310115004001').executeTakeFirstOrThrow();
    weifangDevice = (
      await db
        .insertInto('devices')
        .values({ profile: 'bin', name: '潍坊一村垃圾桶', region_code: weifang.code, region_path: weifang.path, lat: null, lng: null, owner: null, expected_interval_s: 1800, token_hash: 'x'.repeat(64) })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    page = await h.newPage(await h.newContext({ viewport: { width: 1440, height: 900 } }));
    await signIn(page, 'worker');
    await page.getByTestId('logout').waitFor();
  }, 180_000);

  afterAll(() => h?.close());

  it('lists the devices with connectivity, last values with units and the rejection counters', async () => {
    await page.getByRole('menuitem', { name: '物联设备' }).click();
    await page.getByRole('heading', { name: '物联设备', level: 1 }).waitFor();
    const meterRow = page.getByRole('row', { name: new RegExp(METER.name) });
    await poll(() => meterRow.getByTestId('device-connectivity').innerText()).toBe('在线');
    expect(await meterRow.getByTestId('device-last-values').innerText()).toBe('累计用水量 1,204.7 m³ · 瞬时流量 0.25 m³/h · 电量 88 %');
    const smokeRow = page.getByRole('row', { name: new RegExp(SMOKE.name) });
    expect(await smokeRow.getByTestId('device-connectivity').innerText()).toBe('离线');
    const rejections = await smokeRow.getByTestId('device-rejections').innerText();
    expect(rejections).toContain('格式不符 2 · 凭证不符 1');
    expect(rejections).toContain('最近一次拒收：数值超出范围："battery" must lie between 0 and 100 %');
    // devices never heard from say so
    expect(await page.getByRole('row', { name: new RegExp(demo('gate').name) }).innerText()).toContain('尚未上报');
    expect(await page.getByText('共 11 条').count()).toBe(1);
    expect(await page.getByText('潍坊一村垃圾桶').count()).toBe(0);
  });

  it('opens a device: facts, a chart of the chosen field over the period, and its readings', async () => {
    await page.getByRole('link', { name: METER.name }).click();
    await page.getByRole('heading', { name: METER.name, level: 1 }).waitFor();
    await poll(() => page.getByTestId('chart-summary').innerText()).toBe('累计用水量：48 个读数，最小 1,200 m³，最大 1,204.7 m³');
    // one point per reading: a move to the first, a line to each of the others
    const line = await page.getByTestId('readings-line').getAttribute('d');
    expect(line?.match(/[ML]/g)).toHaveLength(48);
    expect(await page.getByRole('img', { name: /累计用水量：48 个读数/ }).count()).toBe(1);

    const table = page.getByTestId('readings-table');
    expect(await table.getByText('共 48 条').count()).toBe(1);
    const firstRow = await table.locator('tbody tr').first().innerText();
    expect(firstRow).toContain('累计用水量 1,204.7 m³');
    const shanghai = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
    expect(firstRow).toContain(shanghai.format(meterReadings.at(-1)!.at));

    await page.getByTestId('chart-field').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '瞬时流量' }).click();
    await poll(() => page.getByTestId('chart-summary').innerText()).toBe('瞬时流量：48 个读数，最小 0.05 m³/h，最大 0.25 m³/h');

    await page.getByText('近 1 小时').click();
    await poll(() => page.getByTestId('chart-summary').innerText()).toBe('瞬时流量：2 个读数，最小 0.05 m³/h，最大 0.25 m³/h');
    expect(await table.getByText('共 2 条').count()).toBe(1);
  });

  it('lists the alarm types a device can raise; the street desk takes one out of service with a reason and back', async () => {
    await page.goto(`/devices/${METER.id}`);
    const types = page.locator('.ant-card').filter({ hasText: '告警类型' });
    await poll(() => types.getByRole('row', { name: /水表持续流水/ }).innerText()).toContain('在用');
    expect(await types.getByRole('row', { name: /烟感报警/ }).count()).toBe(0);
    // the committee worker reads; switching is the street desk's and the maintainers'
    expect(await types.getByRole('button').count()).toBe(0);

    const desk = await h.newPage(await h.newContext({ viewport: { width: 1440, height: 900 } }));
    await signIn(desk, 'dispatcher');
    await desk.getByTestId('logout').waitFor();
    await desk.goto(`/devices/${METER.id}`);
    await desk.getByTestId('alarm-type-off-water-leak').click();
    await desk.getByRole('dialog').getByRole('button', { name: /^停\s?用$/ }).click();
    await poll(() => desk.getByText('请填写停用原因').count()).toBe(1);
    await desk.getByTestId('alarm-type-reason').fill('水表更换中，读数不可信');
    await desk.getByRole('dialog').getByRole('button', { name: /^停\s?用$/ }).click();
    const row = desk.getByRole('row', { name: /水表持续流水/ });
    await poll(() => row.innerText()).toContain('已停用');
    expect(await row.innerText()).toContain('水表更换中，读数不可信');
    expect(await h.server.database.db.selectFrom('alarm_out_of_service').select('reason').where('device_id', '=', METER.id).where('type', '=', 'water-leak').executeTakeFirst()).toEqual({ reason: '水表更换中，读数不可信' });
    await desk.getByTestId('alarm-type-on-water-leak').click();
    await poll(() => row.innerText()).toContain('在用');
    await desk.context().close();
  });

  it('says "not found" for a device outside the worker’s committee', async () => {
    await page.goto(`/devices/${weifangDevice}`);
    await poll(() => page.getByText('未找到该对象，或不在您的管辖范围内。').count()).toBe(1);
    expect(await page.getByText('潍坊一村垃圾桶').count()).toBe(0);
  });

  it('reads in English: connectivity, values with units, the refusal', async () => {
    await page.goto('/devices');
    await page.getByTestId('language-switch').click();
    await page.getByRole('heading', { name: 'IoT devices', level: 1 }).waitFor();
    const meterRow = page.getByRole('row', { name: new RegExp(METER.name) });
    await poll(() => meterRow.getByTestId('device-connectivity').innerText()).toBe('Online');
    expect(await meterRow.getByTestId('device-last-values').innerText()).toBe('Meter reading 1,204.7 m³ · Flow 0.25 m³/h · Battery 88 %');
    const rejections = await page.getByRole('row', { name: new RegExp(SMOKE.name) }).getByTestId('device-rejections').innerText();
    expect(rejections).toContain('Malformed 2 · Bad credentials 1');
    expect(rejections).toContain('Last rejection: Value out of range: "battery" must lie between 0 and 100 %');
    await page.getByTestId('language-switch').click();
    expect(h.pageErrors).toEqual([]);
  });
});
