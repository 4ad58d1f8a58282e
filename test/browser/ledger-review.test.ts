import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/server/modules/ledger/importer.ts';
import { systemActor } from '../../src/server/platform/actor.ts';
import { poll, signIn, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';
import { csvText, syntheticPerson } from '../helpers/ledger-data.ts';

/**
 * The ledger's review in a real browser: a social worker opens a resident from the ledger, takes the
 * address 民政 reported over the police's after checking it, and sees the decision in the history,
 * the new address in place and the conflict gone.
 */
describe('web console: ledger review', { timeout: 180_000 }, () => {
  let h: BrowserHarness;
  const dir = mkdtempSync(join(tmpdir(), 'gongzhi-browser-ledger-review-'));
  const elder = syntheticPerson(51, '1939-06-07');

  beforeAll(async () => {
    h = await startBrowserHarness('gongzhi-browser-ledger-review-');
    const police = join(dir, 'police.csv');
    writeFileSync(police, csvText([['记录编号', '户号', '姓名', '身份证号', '居住地址', '与户主关系', '所属居委'], ['GA-9', 'H-77', elder.name, elder.idNumber, '梅园一村3号楼2单元502室', '户主', '梅园一村居委会']]));
    const civil = join(dir, 'civil.csv');
    writeFileSync(civil, csvText([['姓名', '身份证号', '居住地址', '所属居委'], [elder.name, elder.idNumber, '梅园一村9号楼101室', '梅园一村']]));
    for (const [path, source] of [[police, '公安实有人口'], [civil, '民政']] as const) {
      expect((await importFile(h.server.platform, systemActor('browser-test'), { path, source })).status).toBe('done');
    }
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a social worker open a person, resolve a conflict and see the history', async () => {
    const page = await h.newPage(await h.newContext({ viewport: { width: 1360, height: 900 } }));
    await signIn(page, 'worker');
    await page.getByTestId('logout').waitFor();
    await page.getByRole('menuitem', { name: '居民台账' }).click();
    await page.getByRole('button', { name: elder.name }).click();
    await page.locator('.ant-drawer').getByRole('link', { name: '打开完整档案' }).click();
    await page.getByRole('heading', { name: elder.name }).waitFor();
    await page.getByRole('link', { name: 'H-77' }).waitFor();
    await poll(() => page.locator('.gz-content').textContent()).toContain('户主（公安实有人口）');

    await page.getByRole('button', { name: '采用新报' }).click();
    const modal = page.locator('.ant-modal');
    await poll(() => modal.textContent()).toContain('采用民政报送的“梅园一村9号楼101室”');
    await modal.getByLabel('备注（记入变更历史和审计日志）').fill('上门核实已搬到9号楼');
    await modal.getByRole('button', { name: /确\s*定|OK/ }).click();

    await page.getByText('没有待核实的不一致。').waitFor();
    await poll(() => page.locator('.gz-content').textContent()).toContain('核实后采用');
    const text = (await page.locator('.gz-content').textContent()) ?? '';
    expect(text).toContain('上门核实已搬到9号楼');
    expect(text).not.toContain(elder.idNumber);
    // the address links to the dwelling, where the person now lives
    await page.getByRole('link', { name: '梅园一村9号楼101室' }).click();
    await page.getByText('居住人员（房屋 → 人）').waitFor();
    await poll(() => page.locator('.ant-table-tbody').textContent()).toContain(elder.name);

    // the queue is empty now; the authority table lists each field's source
    await page.goto('/ledger/conflicts');
    await page.getByRole('heading', { name: '不一致核实' }).waitFor();
    await page.getByText('没有待核实的不一致。').waitFor();
    await page.goto('/ledger/authority');
    await page.getByRole('heading', { name: '一数一源配置' }).waitFor();
    await poll(() => page.locator('.gz-content').textContent()).toContain('居民自报');
    // a social worker reads the table but does not change it
    await expect(page.getByRole('button', { name: '修改' }).count()).resolves.toBe(0);
    expect(h.pageErrors).toEqual([]);
  });
});
