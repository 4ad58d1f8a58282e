import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, PASSWORD, poll, signIn, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';
import { csvText, idNumberFor } from '../helpers/ledger-data.ts';

interface Pair {
  id: string;
  a: { name: string };
  b: { name: string };
}

const HEADER = ['记录编号', '姓名', '身份证号', '性别', '出生日期', '联系电话', '居住地址', '所属居委'];
const wang = idNumberFor('1960-01-02', 22); // female
const li = idNumberFor('1955-03-04', 24); // female
const zhao = idNumberFor('1941-06-09', 31); // male
const chen = idNumberFor('1948-03-05', 17); // male
const pause = () => new Promise((resolve) => setTimeout(resolve, 100));

/**
 * 重复人员核对 and the import wizard's saved column mappings in a real browser, arranged through the
 * real import API: a social worker merges one queued pair, keeps another apart (not proposed again
 * after linkage runs again), undoes an automatic merge, and never sees another committee's pair;
 * then maps a department's unusual headers by hand, saves the mapping and picks it for the next file.
 */
describe('web console: ledger match review and saved mappings', { timeout: 180_000 }, () => {
  let h: BrowserHarness;
  const api = apiClient(() => h.server.url);

  /** Uploads a CSV as the data steward through POST /api/ledger/imports and waits for it and for the linkage after it. */
  async function importCsv(rows: string[][], source: string): Promise<void> {
    const login = await fetch(`${h.server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'steward', password: PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const form = new FormData();
    form.append('source', source);
    form.append('file', new Blob([csvText(rows)], { type: 'text/csv' }), `${source}.csv`);
    const started = await fetch(`${h.server.url}/api/ledger/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    let status = 'running';
    for (; status === 'running'; await pause()) status = (await api<{ status: string }>('steward', 'GET', `/api/ledger/imports/${id}`)).status;
    expect(status).toBe('done');
  }

  /** Waits until linkage has handled every finished import (it runs when their events are delivered). */
  async function linkageIdle(): Promise<void> {
    while ((await api<{ state: string }>('steward', 'GET', '/api/ledger/linkage/status')).state !== 'idle') await pause();
  }

  beforeAll(async () => {
    h = await startBrowserHarness('gongzhi-browser-ledger-matches-');
    await importCsv(
      [
        HEADER,
        ['GA-M1', '王芳', wang, '女', '1960-01-02', '', '梅园一村5号楼101室', '梅园一村居委会'],
        ['GA-M2', '李桂英', li, '女', '1955-03-04', '', '梅园一村6号楼202室', '梅园一村居委会'],
        ['GA-S1', '赵德明', zhao, '男', '1941-06-09', '', '梅园一村7号楼301室', '梅园一村居委会'],
        ['GA-X1', '陈国华', chen, '男', '1948-03-05', '', '汇豪天下3号楼2单元502室', '汇豪天下居委会'],
      ],
      '公安实有人口',
    );
    await importCsv(
      [
        HEADER,
        // day and month swapped, no ID number: probably the same person, queued for review
        ['MZ-M1', '王芳', '', '女', '1960-02-01', '', '梅园一村5号楼101室', '梅园一村居委会'],
        ['MZ-M2', '李桂英', '', '女', '1955-04-03', '', '梅园一村6号楼202室', '梅园一村居委会'],
        ['MZ-X3', '陈国华', '', '男', '1948-05-03', '', '汇豪天下3号楼502室', '汇豪天下居委会'],
        // traditional characters, the address in Chinese numerals: merged automatically
        ['MZ-S1', '趙德明', '', '男', '1941/6/9', '13900007777', '梅园一村七号楼三〇一室', '梅园一村居委会'],
      ],
      '民政',
    );
    await linkageIdle();
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  async function openAs(username: string, path: string): Promise<Page> {
    const page = await h.newPage(await h.newContext({ viewport: { width: 1360, height: 900 } }));
    await signIn(page, username);
    await page.getByTestId('logout').waitFor();
    await page.goto(path);
    return page;
  }

  /** The persons of the worker's ledger whose name contains `q`, as the 居民台账 search lists them. */
  async function ledgerRows(page: Page, q: string) {
    await page.goto('/ledger');
    await page.getByRole('heading', { name: '居民台账' }).waitFor();
    const search = page.getByPlaceholder('姓名、拼音首字母、身份证后四位或地址');
    await search.fill(q);
    await search.press('Enter');
    return page.locator('.ant-table-tbody tr.ant-table-row');
  }

  /** Controls in the part of the page without an accessible name, as the accessibility tree shows them. */
  async function unnamedControls(scope: Locator): Promise<string[]> {
    const tree = await scope.ariaSnapshot();
    return tree.split('\n').filter((line) => /^\s*- (button|combobox|textbox|link|checkbox|radio|switch|searchbox|spinbutton|menuitem|tab)( \[[^\]]*\])*:?$/.test(line));
  }

  /** The import preview's per-column selects, by header (as the preview cleans it: full-width brackets become ASCII). */
  function columnSelects(page: Page) {
    const column = (header: string) => page.locator('.ant-modal').getByLabel(`“${header}”列导入为`);
    /** What the column's select shows. */
    const shown = (header: string) => page.locator('.ant-modal .ant-select').filter({ has: page.getByLabel(`“${header}”列导入为`) }).textContent();
    /** Types to filter the options down to the field, takes it, and waits for the preview to have run again. */
    const choose = async (header: string, target: string) => {
      await column(header).click();
      await column(header).fill(target);
      await page.locator('.ant-select-item-option-active').getByText(target, { exact: true }).waitFor();
      await column(header).press('Enter');
      await poll(() => shown(header)).toBe(target);
      await poll(() => column(header).isDisabled()).toBe(false);
    };
    return { shown, choose };
  }

  it('lets a social worker merge one pair, keep another apart, undo an automatic merge, and see only their committee', async () => {
    // the steward sees three pairs; the 汇豪天下 one is outside the worker's committee
    const all = await api<{ items: Pair[] }>('steward', 'GET', '/api/ledger/matches');
    expect(all.items.map((m) => m.a.name).sort()).toEqual(['李桂英', '王芳', '陈国华']);

    const page = await openAs('worker', '/ledger');
    await page.getByRole('menuitem', { name: '重复人员核对' }).click();
    await page.getByRole('heading', { name: '待核对的重复人员' }).waitFor();
    const wangPair = page.getByRole('group', { name: '王芳 与 王芳' });
    const liPair = page.getByRole('group', { name: '李桂英 与 李桂英' });
    await wangPair.waitFor();
    await liPair.waitFor();
    await expect(page.getByRole('group').count()).resolves.toBe(2);
    await expect(unnamedControls(page.locator('.gz-content'))).resolves.toEqual([]);
    const content = page.locator('.gz-content');
    await expect(content.textContent()).resolves.not.toContain('陈国华');

    // both records side by side, with the score and the reasons
    const wangText = (await wangPair.textContent()) ?? '';
    expect(wangText).toMatch(/相似度得分 \d+\.\d/);
    expect(wangText).toContain('姓名：一致');
    expect(wangText).toContain('出生日期：月日颠倒');
    expect(wangText).toContain('住址：一致');
    expect(wangText).toMatch(/性别：?女/);
    expect(wangText).toContain('公安实有人口 · GA-M1');
    expect(wangText).toContain('民政 · MZ-M1');
    expect(wangText).toContain(`310***********${wang.slice(-4)}`);
    expect(wangText).not.toContain(wang);
    await expect(wangPair.locator('.ant-card').count()).resolves.toBe(2);

    // the automatic merge is listed among the recent merges
    const zhaoMerge = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '德明' });
    await poll(() => zhaoMerge.textContent()).toContain('自动');

    // 是同一人: one person with both sources
    await wangPair.getByRole('button', { name: '是同一人，合并' }).click();
    await wangPair.waitFor({ state: 'detached' });
    await poll(() => page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '王芳' }).textContent()).toContain('人工');

    // 不是同一人: gone from the queue, and not proposed again when linkage runs again
    await liPair.getByRole('button', { name: '不是同一人' }).click();
    await page.getByText('没有待核对的人员。').waitFor();
    await api('steward', 'POST', '/api/ledger/linkage/run', {});
    await page.reload();
    await page.getByRole('heading', { name: '待核对的重复人员' }).waitFor();
    await page.getByText('没有待核对的人员。').waitFor();
    expect((await api<{ items: Pair[] }>('steward', 'GET', '/api/ledger/matches')).items.map((m) => m.a.name)).toEqual(['陈国华']);

    // 撤销合并 of the automatic merge, confirmed
    await zhaoMerge.getByRole('button', { name: '撤销合并' }).click();
    await page.locator('.ant-popover').getByRole('button', { name: /^(确\s?定|OK)$/ }).click();
    await zhaoMerge.waitFor({ state: 'detached' });

    const wangRows = await ledgerRows(page, '王芳');
    await poll(() => wangRows.count()).toBe(1);
    await page.getByRole('button', { name: '王芳' }).click();
    const drawer = page.locator('.ant-drawer');
    await poll(() => drawer.textContent()).toContain('GA-M1');
    await expect(drawer.textContent()).resolves.toContain('MZ-M1');

    const zhaoRows = await ledgerRows(page, '德明');
    await poll(() => zhaoRows.count()).toBe(2);
    expect(h.pageErrors).toEqual([]);
  });

  it('maps unusual headers by hand, saves the mapping, and applies it to the next file', async () => {
    const page = await openAs('worker', '/ledger');
    await page.getByRole('heading', { name: '居民台账' }).waitFor();
    const headers = ['走访编号', '姓名', '证件号（18位）', '移动电话', '现住址'];
    const first = csvText([
      headers,
      ['ZF-001', '孙美华', idNumberFor('1950-07-08', 42), '13700001111', '梅园一村8号楼101室'],
      ['ZF-002', '周建国', idNumberFor('1952-09-10', 51), '13700002222', '梅园一村8号楼102室'],
    ]);
    await page.getByRole('button', { name: '导入表格' }).click();
    const wizard = page.locator('.ant-modal');
    await wizard.getByLabel('数据来源').click();
    await page.getByTitle('社工走访').click();
    await wizard.locator('input[type=file]').setInputFiles({ name: '走访登记1.csv', mimeType: 'text/csv', buffer: Buffer.from(first) });
    await wizard.getByRole('button', { name: /预\s*览/ }).click();
    await wizard.getByText('表头在第 1 行').waitFor();

    const { shown, choose } = columnSelects(page);
    await poll(() => shown('姓名')).toBe('姓名');
    await poll(() => shown('现住址')).toBe('居住地址');
    for (const header of ['走访编号', '证件号(18位)', '移动电话']) await poll(() => shown(header)).toBe('（不导入）');
    // before the ID column is mapped the preview has no ID numbers
    await expect(wizard.textContent()).resolves.not.toContain(`310***********${idNumberFor('1950-07-08', 42).slice(-4)}`);

    await choose('走访编号', '记录编号');
    await choose('证件号(18位)', '身份证号');
    await choose('移动电话', '联系电话');
    // the preview checked the rows again with the hand-made mapping
    await poll(() => wizard.textContent()).toContain(`310***********${idNumberFor('1950-07-08', 42).slice(-4)}`);

    await expect(unnamedControls(wizard)).resolves.toEqual([]);
    await wizard.getByLabel('列对应名称').fill('走访登记表');
    await wizard.getByRole('button', { name: '保存此列对应，下次直接选用' }).click();
    await page.getByText('列对应已保存').waitFor();
    await wizard.getByRole('button', { name: '开始导入' }).click();
    await poll(() => page.getByTestId('import-progress').textContent()).toContain('导入完成：共 2 行，导入 2 行');

    const saved = await api<{ items: Array<{ name: string; source: string; columns: Record<string, string> }> }>('worker', 'GET', '/api/ledger/mappings');
    expect(saved.items).toEqual([
      expect.objectContaining({ name: '走访登记表', source: '社工走访', columns: { 走访编号: 'record_key', 姓名: 'name', '证件号(18位)': 'id_number', 移动电话: 'phone', 现住址: 'residence_address' } }),
    ]);

    // the next file: the same headers; choosing the saved mapping also chooses its source
    await wizard.getByRole('button', { name: '再导入一个文件' }).click();
    const second = csvText([
      headers,
      ['ZF-003', '吴秀兰', idNumberFor('1948-11-12', 62), '13700003333', '梅园一村8号楼201室'],
      ['ZF-004', '郑志强', idNumberFor('1958-01-15', 71), '13700004444', '梅园一村8号楼202室'],
      ['ZF-005', '冯小红', '310115195801151234', '13700005555', '梅园一村8号楼203室'],
    ]);
    await wizard.getByLabel('列对应', { exact: true }).click();
    await page.getByTitle('走访登记表（社工走访）').click();
    await wizard.locator('input[type=file]').setInputFiles({ name: '走访登记2.csv', mimeType: 'text/csv', buffer: Buffer.from(second) });
    await wizard.getByRole('button', { name: /预\s*览/ }).click();
    await wizard.getByText('表头在第 1 行').waitFor();
    await poll(() => shown('走访编号')).toBe('记录编号');
    await expect(shown('证件号(18位)')).resolves.toBe('身份证号');
    await expect(shown('移动电话')).resolves.toBe('联系电话');
    await poll(() => wizard.textContent()).toContain('身份证号不正确');
    await wizard.getByRole('button', { name: '开始导入' }).click();
    await poll(() => page.getByTestId('import-progress').textContent()).toContain('导入完成：共 3 行，导入 2 行，未变化 0 行，未导入 1 行');

    // the records carry the visit numbers as their keys and the phones came in
    const links = await api<{ items: Array<{ recordKey: string }> }>('worker', 'GET', `/api/ledger/links?source=${encodeURIComponent('社工走访')}`);
    expect(links.items.map((l) => l.recordKey).sort()).toEqual(['ZF-001', 'ZF-002', 'ZF-003', 'ZF-004']);
    const found = await api<{ items: Array<{ phone: string | null }> }>('worker', 'GET', `/api/ledger/persons?q=${encodeURIComponent('吴秀兰')}`);
    expect(found.items.map((p) => p.phone)).toEqual(['137****3333']);
    expect(h.pageErrors).toEqual([]);
  });

  it('offers the header row to map by hand when no column is recognised', async () => {
    const page = await openAs('worker', '/ledger');
    await page.getByRole('heading', { name: '居民台账' }).waitFor();
    const csv = csvText([
      ['2026年11月走访名单', '', ''],
      ['居民', '证件（18位）', '住处'],
      ['何玉兰', idNumberFor('1944-02-03', 82), '梅园一村9号楼301室'],
      ['许大明', idNumberFor('1946-05-06', 91), '梅园一村9号楼302室'],
    ]);
    await page.getByRole('button', { name: '导入表格' }).click();
    const wizard = page.locator('.ant-modal');
    await wizard.getByLabel('数据来源').click();
    await page.getByTitle('社工走访').click();
    await wizard.locator('input[type=file]').setInputFiles({ name: '走访名单.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await wizard.getByRole('button', { name: /预\s*览/ }).click();
    await poll(() => wizard.textContent()).toContain('没有找到表头');
    await wizard.getByText('第 2 行看起来是表头').waitFor();

    const { shown, choose } = columnSelects(page);
    await expect(shown('住处')).resolves.toBe('（不导入）');
    await expect(unnamedControls(wizard)).resolves.toEqual([]);
    // the name alone is not a header yet: the row stays to be mapped
    await choose('居民', '姓名');
    await expect(wizard.getByText('第 2 行看起来是表头').count()).resolves.toBe(1);
    await choose('证件(18位)', '身份证号');
    await wizard.getByText('表头在第 2 行').waitFor();
    await expect(shown('居民')).resolves.toBe('姓名');
    await expect(wizard.textContent()).resolves.not.toContain('没有找到表头');
    await wizard.getByRole('button', { name: '开始导入' }).click();
    await poll(() => page.getByTestId('import-progress').textContent()).toContain('导入完成：共 2 行，导入 2 行');
    const found = await api<{ items: Array<{ name: string }> }>('worker', 'GET', `/api/ledger/persons?q=${encodeURIComponent('何玉兰')}`);
    expect(found.items.map((p) => p.name)).toEqual(['何玉兰']);
    expect(h.pageErrors).toEqual([]);
  });
});
