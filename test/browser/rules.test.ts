import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll, signIn, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

/**
 * The rules page in a real browser against the real server (demo devices on a fresh embedded
 * database): a street's device maintainer overrides the built-in fire-tank rule for the street,
 * dry-runs it over readings recorded in the last hours, saves it, then switches it off.
 */

/** The demo fire-tank level sensor in 梅园一村 (modules/devices/demo.ts). */
const TANK = 'de000000-0000-4000-8000-000000000007';
const LUJIAZUI = '310115005';

interface RuleJson {
  key: string;
  source: { kind: string; regionCode?: string };
  definition: { condition: { kind: string; predicate?: { value: unknown } } };
  enabled: boolean;
  version: number;
}

describe('web console: IoT rules', { timeout: 180_000 }, () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness('gongzhi-browser-rules-');
    // recorded readings: the level stays between 2.5 and 2.6 m for 50 minutes, above the built-in 2 m
    const now = Date.now();
    const minutesAgo = (m: number) => new Date(now - m * 60_000);
    await h.server.database.db
      .insertInto('device_readings')
      .values(
        [
          [120, 3],
          [100, 2.5],
          [80, 2.6],
          [50, 3],
        ].map(([ago, level]) => ({ device_id: TANK, kind: 'telemetry' as const, observed_at: minutesAgo(ago!), received_at: minutesAgo(ago!), values: JSON.stringify({ level }) })),
      )
      .execute();
  }, 180_000);

  afterAll(() => h?.close());

  const getJson = <T,>(page: Page, path: string) =>
    page.evaluate(async (url) => {
      const response = await fetch(url, { headers: { Accept: 'application/json' } });
      return (await response.json()) as unknown;
    }, path) as Promise<T>;
  const fireTankRule = async (page: Page) => (await getJson<{ items: RuleJson[] }>(page, `/api/rules?region=${LUJIAZUI}&profile=fire-tank`)).items.find((r) => r.key === 'fire-tank-low')!;

  it('overrides a built-in rule for the street after a dry run, then switches it off', async () => {
    const page = await h.newPage(await h.newContext({ viewport: { width: 1360, height: 900 } }));
    await signIn(page, 'maintainer');
    await page.getByTestId('logout').waitFor();
    await page.getByRole('menuitem', { name: '规则' }).click();
    await page.getByRole('heading', { name: '物联感知规则' }).waitFor();

    const row = page.getByTestId('rules-table').locator('tr', { has: page.getByTestId('rule-fire-tank-low') });
    await expect.poll(() => row.textContent()).toContain('内置');
    await expect.poll(() => row.textContent()).toContain('level < 2 持续 10 分钟');

    await page.getByTestId('rule-edit-fire-tank-low').click();
    const editor = page.getByTestId('rule-editor');
    await editor.getByText('覆盖规则 fire-tank-low').waitFor();
    const dryRun = editor.getByTestId('rule-dry-run');

    // the built-in threshold would not have fired on these readings
    await dryRun.getByTestId('dry-run-start').click();
    await poll(() => dryRun.getByTestId('dry-run-summary').textContent()).toContain('共会触发 0 次告警');

    // 2.8 m held for 10 minutes would have fired once, on the demo tank
    await editor.getByTestId('rule-value-0').fill('2.8');
    await dryRun.getByTestId('dry-run-start').click();
    await poll(() => dryRun.getByTestId('dry-run-summary').textContent()).toContain('共会触发 1 次告警');
    const tankRow = dryRun.getByTestId('dry-run-table').locator('tr', { hasText: '演示·消防水箱液位计' });
    await poll(() => tankRow.locator('td').nth(1).textContent()).toBe('1');

    await editor.getByTestId('rule-note').fill('陆家嘴水箱加高');
    await editor.getByTestId('rule-save').click();
    await editor.waitFor({ state: 'detached' });
    await poll(() => row.textContent()).toContain('区域：陆家嘴街道');
    expect(await fireTankRule(page)).toMatchObject({ source: { kind: 'region', regionCode: LUJIAZUI }, definition: { condition: { kind: 'duration', predicate: { value: 2.8 } } }, enabled: true, version: 1 });

    // the street's own rule is now edited in place: switch it off
    await page.getByTestId('rule-edit-fire-tank-low').click();
    await editor.getByText('编辑规则：').waitFor();
    await editor.getByTestId('rule-enabled').click();
    await editor.getByTestId('rule-save').click();
    await editor.waitFor({ state: 'detached' });
    await poll(() => row.textContent()).toContain('已停用');
    expect(await fireTankRule(page)).toMatchObject({ enabled: false, version: 2 });

    // a committee of the street inherits the street's rule: found by name in the region picker
    await page.getByRole('combobox', { name: '区域编码' }).fill('梅园一村');
    const committeeRules = page.waitForResponse((r) => r.url().includes('/api/rules?region=310115005001'));
    await page.locator('.ant-select-item-option', { hasText: '梅园一村居委会' }).click();
    await committeeRules;
    await poll(() => page.getByTestId('rules-region').textContent()).toContain('梅园一村居委会');
    await poll(() => row.textContent()).toContain('区域：陆家嘴街道');
    await poll(() => row.textContent()).toContain('已停用');
    expect(h.pageErrors).toEqual([]);
  });
});
