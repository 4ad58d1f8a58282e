import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/server/modules/ledger/importer.ts';
import { systemActor } from '../../src/server/platform/actor.ts';
import { poll, signIn, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';
import { csvText, syntheticPerson } from '../helpers/ledger-data.ts';

/**
 * The resident ledger in the console, in a real browser against the real server: a social worker
 * finds residents of their committee (masked), opens one to see each value's source, the history
 * and the difference waiting for review, and reveals the ID number with a reason.
 */
describe('web console: resident ledger', { timeout: 180_000 }, () => {
  let h: BrowserHarness;
  const dir = mkdtempSync(join(tmpdir(), 'gongzhi-browser-ledger-files-'));
  const elder = syntheticPerson(31, '1938-04-05');
  const other = syntheticPerson(32, '1970-01-01');

  beforeAll(async () => {
    h = await startBrowserHarness('gongzhi-browser-ledger-');
    const police = join(dir, 'police.csv');
    writeFileSync(police, csvText([
      ['记录编号', '姓名', '身份证号', '联系电话', '居住地址', '所属居委'],
      ['GA-1', elder.name, elder.idNumber, elder.phone, '梅园一村3号楼2单元502室', '梅园一村居委会'],
      ['GA-2', other.name, other.idNumber, other.phone, '汇豪天下5号楼1801室', '汇豪天下居委会'],
    ]));
    const civil = join(dir, 'civil.csv');
    writeFileSync(civil, csvText([['姓名', '身份证号', '居住地址', '低保', '所属居委'], [elder.name, elder.idNumber, '梅园一村9号楼101室', '是', '梅园一村']]));
    for (const [path, source] of [[police, '公安实有人口'], [civil, '民政']] as const) {
      const result = await importFile(h.server.platform, systemActor('browser-test'), { path, source });
      expect(result.status).toBe('done');
    }
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openAs(username: string): Promise<Page> {
    const page = await h.newPage(await h.newContext({ viewport: { width: 1360, height: 900 } }));
    await signIn(page, username);
    await page.getByTestId('logout').waitFor();
    await page.getByRole('menuitem', { name: '居民台账' }).click();
    await page.getByRole('heading', { name: '居民台账' }).waitFor();
    return page;
  }

  it('shows a social worker their committee, a person’s sources, history and conflict, and reveals with a reason', async () => {
    const page = await openAs('worker');
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await poll(() => rows.count()).toBe(1);
    await expect(rows.first().textContent()).resolves.toContain(`310***********${elder.idNumber.slice(-4)}`);
    await expect(page.locator('.ant-table-tbody').textContent()).resolves.not.toContain(other.name);
    await expect(rows.first().textContent()).resolves.toContain('高龄');

    await page.getByRole('button', { name: elder.name }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('待核实的不一致').waitFor();
    await poll(() => drawer.textContent()).toContain('梅园一村9号楼101室（民政）');
    await expect(drawer.textContent()).resolves.toContain('公安实有人口 · 权威来源');
    await expect(drawer.textContent()).resolves.toContain('GA-1');
    await expect(drawer.textContent()).resolves.toContain('不一致，待核实');
    await expect(drawer.textContent()).resolves.not.toContain(elder.idNumber);

    await drawer.getByRole('button', { name: '查看完整' }).first().click();
    const modal = page.locator('.ant-modal');
    await modal.getByLabel('查看原因（将记入审计日志）').fill('办理高龄津贴核对身份');
    await modal.getByRole('button', { name: /确\s*定|OK/ }).click();
    await poll(() => modal.textContent()).toContain(elder.idNumber);
    expect(h.pageErrors).toEqual([]);
  });

  it('shows a street dispatcher names and numbers masked and no welfare tags', async () => {
    const page = await openAs('dispatcher');
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await poll(() => rows.count()).toBe(2);
    const text = (await page.locator('.ant-table-tbody').textContent()) ?? '';
    expect(text).toContain(`${elder.name[0]}*`);
    expect(text).not.toContain(elder.name);
    expect(text).not.toContain('低保');
    expect(h.pageErrors).toEqual([]);
  });

  it('imports a spreadsheet through the wizard: preview, run with progress, problem list', async () => {
    const page = await openAs('worker');
    const visit = syntheticPerson(33);
    const csv = csvText([['姓名', '身份证号', '联系电话'], [visit.name, visit.idNumber, visit.phone], ['钱九', '310115195001011230', '']]);
    await page.getByRole('button', { name: '导入表格' }).click();
    const wizard = page.locator('.ant-modal');
    await wizard.getByLabel('数据来源').click();
    await page.getByTitle('社工走访').click();
    await wizard.locator('input[type=file]').setInputFiles({ name: '走访.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await wizard.getByRole('button', { name: /预\s*览/ }).click();
    await wizard.getByText('表头在第 1 行').waitFor();
    await poll(() => wizard.textContent()).toContain('身份证号不正确');
    await expect(wizard.textContent()).resolves.toContain(`310***********${visit.idNumber.slice(-4)}`);
    await wizard.getByRole('button', { name: '开始导入' }).click();
    await poll(() => page.getByTestId('import-progress').textContent()).toContain('导入完成：共 2 行，导入 1 行');
    const report = await wizard.getByRole('link', { name: '下载问题清单（XLSX）' }).getAttribute('href');
    expect(report).toMatch(/^\/api\/ledger\/imports\/[0-9a-f-]{36}\/errors\.xlsx$/);
    await wizard.getByRole('button', { name: 'Close' }).or(wizard.locator('.ant-modal-close')).first().click();
    await page.getByPlaceholder('姓名、拼音首字母、身份证后四位或地址').fill(visit.idNumber.slice(-4));
    await page.getByPlaceholder('姓名、拼音首字母、身份证后四位或地址').press('Enter');
    await poll(() => page.locator('.ant-table-tbody').textContent()).toContain(visit.name);
    expect(h.pageErrors).toEqual([]);
  });
});
