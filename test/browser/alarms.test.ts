import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/server/platform/actor.ts';
import { DEMO_DEVICES } from '../../src/server/modules/devices/demo.ts';
import { applyAlarmSignals } from '../../src/server/modules/alarms/signals.ts';
import type { AlarmSignal } from '../../src/server/modules/telemetry/contracts.ts';
import { poll, signIn, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

/**
 * 告警中心 in a real browser against the real server (demo accounts and devices on a fresh embedded
 * database): alarms raised through the alarms' sink, as the ingestion pipeline will, appear in the
 * dispatcher's live list; the dispatcher acknowledges one and shelves it through the dialogs, and
 * its drawer shows the history.
 */
describe('web console: 告警中心', { timeout: 180_000 }, () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness('gongzhi-browser-alarms-');
  }, 180_000);

  afterAll(() => h?.close());

  const deviceOf = (profile: string) => DEMO_DEVICES.find((d) => d.profile === profile)!.id;
  const raise = (signal: Omit<AlarmSignal, 'at' | 'source' | 'active'>) =>
    h.server.platform.transaction(systemActor('ingestion'), (ctx) => applyAlarmSignals(ctx, [{ ...signal, active: true, at: new Date(), source: { kind: 'rule', ruleId: 'browser-test' } }]));
  const alarmState = async (deviceId: string) =>
    (await h.server.platform.db.selectFrom('alarms').select(['id', 'state']).where('device_id', '=', deviceId).executeTakeFirstOrThrow());
  const rowState = (page: Page, id: string) => page.getByTestId(`alarm-row-${id}`).getByTestId('alarm-state').textContent();

  it('shows a raised alarm live; the dispatcher acknowledges and shelves it; the drawer shows its history', async () => {
    const meter = deviceOf('water-meter');
    await raise({ deviceId: meter, type: 'water-leak', detail: { 'zh-CN': '夜间持续流水 3 小时', en: 'Water flowing for 3 hours at night' } });
    const { id } = await alarmState(meter);

    const page = await h.newPage(await h.newContext({ viewport: { width: 1360, height: 900 } }));
    await signIn(page, 'dispatcher');
    await page.getByTestId('logout').waitFor();
    await page.getByRole('menuitem', { name: '告警中心' }).click();
    await page.getByTestId(`alarm-row-${id}`).waitFor();
    await expect(page.getByTestId(`alarm-row-${id}`).textContent()).resolves.toContain('夜间持续流水 3 小时');
    expect(await rowState(page, id)).toBe('告警未确认');

    // a new alarm appears without reloading (the list polls)
    const gate = deviceOf('gate');
    await raise({ deviceId: gate, type: 'gate-held-open' });
    const gateAlarm = await alarmState(gate);
    await page.getByTestId(`alarm-row-${gateAlarm.id}`).waitFor();

    await page.getByTestId(`alarm-row-${id}`).getByTestId('alarm-action-ack').click();
    await page.getByTestId('alarm-action-submit').click();
    await poll(() => rowState(page, id)).toBe('告警已确认');
    await poll(async () => (await alarmState(meter)).state).toBe('active_ack');

    await page.getByTestId(`alarm-row-${id}`).getByTestId('alarm-action-shelve').click();
    await page.getByTestId('alarm-action-reason').fill('物业已到场关闭阀门');
    await page.getByTestId('alarm-action-submit').click();
    await poll(() => rowState(page, id)).toBe('已搁置');
    expect((await alarmState(meter)).state).toBe('shelved');
    // acknowledged before it was shelved: nothing left to acknowledge
    await poll(() => page.getByTestId(`alarm-row-${id}`).getByTestId('alarm-action-ack').count()).toBe(0);

    await page.getByTestId(`alarm-row-${id}`).getByTestId('alarm-open').click();
    const drawer = page.getByTestId('alarm-drawer');
    await drawer.getByTestId('alarm-drawer-state').waitFor();
    await poll(() => drawer.textContent()).toContain('物业已到场关闭阀门');
    const text = (await drawer.textContent()) ?? '';
    for (const entry of ['产生告警', '确认', '搁置', '演示·5号楼总水表']) expect(text).toContain(entry);
    expect(h.pageErrors).toEqual([]);
  });

  it('an administrator changes the escalation minutes and opens a drill window for a committee', async () => {
    const page = await h.newPage(await h.newContext({ viewport: { width: 1360, height: 900 } }));
    await signIn(page, 'admin');
    await page.getByTestId('logout').waitFor();
    await page.goto('/alarms');
    await page.getByRole('button', { name: '告警设置' }).click();
    const minor = page.getByRole('spinbutton', { name: '一般' });
    await minor.fill('45');
    await page.getByRole('button', { name: '提 交' }).click();
    await poll(async () => (await h.server.platform.db.selectFrom('alarm_escalation_settings').select('minutes').where('severity', '=', 'minor').executeTakeFirstOrThrow()).minutes).toBe(45);

    await page.getByRole('button', { name: '检修/演练时段' }).click();
    await page.getByLabel('消防演练').check();
    await page.getByLabel('区域编码（如 310115005001）或设备编号').fill('310115005002');
    const pad = (n: number) => String(n).padStart(2, '0');
    const stamp = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
    const start = page.getByPlaceholder('开始日期');
    await start.click();
    await start.pressSequentially(stamp(new Date()));
    await start.press('Enter');
    const end = page.getByPlaceholder('结束日期');
    await end.click();
    await end.pressSequentially(stamp(new Date(Date.now() + 2 * 3600_000)));
    await end.press('Enter');
    await page.getByLabel('原因').fill('汇豪天下消防演练');
    await page.getByRole('button', { name: '新增时段' }).click();
    await poll(async () => (await h.server.platform.db.selectFrom('alarm_windows').select(['kind', 'region_code', 'reason']).execute())).toEqual([{ kind: 'drill', region_code: '310115005002', reason: '汇豪天下消防演练' }]);
    await page.getByRole('cell', { name: '汇豪天下消防演练' }).waitFor();
    expect(h.pageErrors).toEqual([]);
  });

  it('shows a flood of alarms grouped by type and committee, and all of them on request', async () => {
    const page = await h.newPage(await h.newContext({ viewport: { width: 1360, height: 900 } }));
    await signIn(page, 'dispatcher');
    await page.getByTestId('logout').waitFor();
    await page.goto('/alarms');
    await page.getByTestId('alarm-list').waitFor();
    // one 门禁长时间未关 per demo device: with the alarms before, more than 10 in 10 minutes
    await h.server.platform.transaction(systemActor('ingestion'), (ctx) =>
      applyAlarmSignals(ctx, DEMO_DEVICES.map((d) => ({ deviceId: d.id, type: 'gate-held-open' as const, active: true, at: new Date(), source: { kind: 'rule' as const, ruleId: 'browser-test' } }))),
    );
    await page.getByTestId('alarm-flood').waitFor();
    const groups = page.getByTestId('alarm-groups');
    await poll(() => groups.getByRole('row', { name: /门禁长时间未关/ }).getByRole('cell').nth(2).textContent()).toBe(String(DEMO_DEVICES.length));
    expect(await groups.textContent()).toContain('梅园一村居委会');
    await page.getByTestId('alarm-flood-toggle').click();
    await page.getByTestId('alarm-list').waitFor();
    await poll(() => page.getByTestId('alarm-list').getByTestId('alarm-state').count()).toBeGreaterThan(10);
    expect(h.pageErrors).toEqual([]);
  });
});
