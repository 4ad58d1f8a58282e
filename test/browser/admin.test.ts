import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll, signIn, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

/**
 * Category and calendar administration in the console, in a real browser against the real server
 * (demo data on a fresh embedded database): an administrator edits a category's time limit (a new
 * version), switches it off and on with a reason, reads the 2026 calendar, enters 2027 by hand and
 * checks a deadline across it; a dispatcher reads the same pages without the edit buttons.
 */



interface CategoryJson {
  version: number;
  active: boolean;
  timeLimits: { normal: { amount: number; clock: string } } | null;
  versions: { version: number; note: string | null }[];
}

describe('web console: category and calendar administration', { timeout: 180_000 }, () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness('gongzhi-browser-admin-');
  }, 180_000);

  afterAll(() => h?.close());

  async function openPage(): Promise<Page> {
    return h.newPage(await h.newContext({ viewport: { width: 1360, height: 900 } }));
  }

  async function login(page: Page, username: string): Promise<void> {
    await signIn(page, username);
    await page.getByTestId('logout').waitFor();
  }

  /** The API as the page's session sees it. */
  const getJson = <T>(page: Page, path: string) =>
    page.evaluate(async (url) => {
      const response = await fetch(url, { headers: { Accept: 'application/json' } });
      return (await response.json()) as unknown;
    }, path) as Promise<T>;

  /** Types a date (and time) into an antd picker input and confirms it. */
  async function typeDate(input: Locator, value: string): Promise<void> {
    await input.click();
    await input.press('ControlOrMeta+a');
    await input.pressSequentially(value);
    await input.press('Enter');
  }

  const day = (page: Page, date: string) => page.locator(`td[data-date="${date}"]`);

  async function search(page: Page, text: string): Promise<void> {
    await page.getByPlaceholder('编码、名称或关键词').fill(text);
    await page.getByPlaceholder('编码、名称或关键词').press('Enter');
  }

  it('an administrator changes a time limit: a new version, and the API serves the new limit', async () => {
    const page = await openPage();
    await login(page, 'admin');
    await page.locator('.ant-menu').getByText('案件分类').click();
    await page.waitForURL('**/categories');
    expect(await page.getByTestId('category-manage-notice').textContent()).toContain('已登记的案件继续按登记时的版本计算时限');
    await search(page, '楼道堆物');
    const row = page.locator('tr[data-row-key="C0101"]');
    await poll(() => row.textContent()).toContain('3 工作日 / 1 工作日 / 4 紧急工作时');
    const before = await getJson<CategoryJson>(page, '/api/categories/C0101');

    await page.getByTestId('category-edit-C0101').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('已登记的案件继续按登记时的版本计算时限');
    // client-side validation mirrors the schema: critical longer than normal is refused before sending
    await dialog.getByTestId('limit-critical-amount').fill('999');
    await page.locator('#category-save').click();
    await poll(() => dialog.getByTestId('category-order-error').count()).toBe(1);
    await dialog.getByTestId('limit-critical-amount').fill('4');
    await dialog.getByTestId('limit-normal-amount').fill('5');
    await dialog.getByTestId('category-note').fill('区城运中心通知：楼道堆物一般时限调整为 5 个工作日');
    await page.screenshot({ path: '/tmp/gz-admin-category-edit.png' });
    await page.locator('#category-save').click();
    await poll(() => row.textContent()).toContain('5 工作日 / 1 工作日 / 4 紧急工作时');

    const after = await getJson<CategoryJson>(page, '/api/categories/C0101');
    expect(after.version).toBe(before.version + 1);
    expect(after.timeLimits?.normal).toEqual({ amount: 5, clock: 'working_days' });
    expect(after.versions[0]).toMatchObject({ version: after.version, note: '区城运中心通知：楼道堆物一般时限调整为 5 个工作日' });

    // the history shows the new version as current, and the old one with its old limit
    await page.getByTestId('category-history-C0101').click();
    const drawer = page.getByTestId('category-detail');
    await poll(() => drawer.getByTestId('category-current-version').textContent()).toBe(`第 ${after.version} 版`);
    const versions = drawer.getByTestId('category-versions').locator('tr.ant-table-row');
    await poll(() => versions.count()).toBe(after.version);
    expect(await versions.first().textContent()).toContain('当前');
    expect(await versions.first().textContent()).toContain('admin');
    await versions.nth(1).locator('.ant-table-row-expand-icon').click();
    await poll(() => drawer.getByTestId('category-versions').textContent()).toContain('3 工作日');
    await page.screenshot({ path: '/tmp/gz-admin-category-history.png' });
  });

  it('an administrator switches a category off and on again, giving a reason', async () => {
    const page = await openPage();
    await login(page, 'admin');
    await page.goto('/categories');
    await search(page, 'C0102');
    const row = page.locator('tr[data-row-key="C0102"]');
    await row.waitFor();
    const version = (await getJson<CategoryJson>(page, '/api/categories/C0102')).version;

    await page.getByTestId('category-toggle-C0102').click();
    await page.getByRole('dialog').waitFor();
    // the reason is required
    await page.locator('#category-state-confirm').click();
    await poll(() => page.getByRole('dialog').textContent()).toContain('请填写原因');
    await page.getByTestId('category-state-reason').fill('该事项并入 C0101 处理');
    await page.locator('#category-state-confirm').click();
    await poll(() => row.textContent()).toContain('已停用');
    await page.waitForTimeout(400); // the button's colour transition
    await page.screenshot({ path: '/tmp/gz-admin-categories.png' });
    await poll(() => getJson<CategoryJson>(page, '/api/categories/C0102').then((c) => c.active)).toBe(false);
    expect(await page.getByTestId('category-toggle-C0102').textContent()).toContain('启');

    await page.getByTestId('category-toggle-C0102').click();
    await page.getByTestId('category-state-reason').fill('恢复单独登记');
    await page.locator('#category-state-confirm').click();
    await poll(() => getJson<CategoryJson>(page, '/api/categories/C0102').then((c) => c.active)).toBe(true);
    await poll(() => row.textContent()).not.toContain('已停用');
    // switching on and off is not a version
    expect((await getJson<CategoryJson>(page, '/api/categories/C0102')).version).toBe(version);
    const audit = await getJson<{ items: { action: string; reason: string | null }[] }>(page, '/api/audit?objectType=category&limit=20');
    expect(audit.items.find((e) => e.action === 'category.deactivate')?.reason).toBe('该事项并入 C0101 处理');
    expect(audit.items.find((e) => e.action === 'category.activate')?.reason).toBe('恢复单独登记');

    // a new leaf: the server's refusal of a taken code is shown with its message, then a free code works
    await page.getByTestId('category-add').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByTestId('category-parent').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'C01 消防安全' }).click();
    await dialog.getByTestId('category-code').fill('C0101');
    await dialog.getByTestId('category-name').fill('电动自行车违规停放');
    await dialog.getByTestId('category-name-en').fill('E-bikes parked in stairwells');
    await dialog.getByTestId('category-department').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '城管执法' }).click();
    await page.locator('#category-save').click();
    await poll(() => dialog.getByTestId('category-error').textContent()).toContain('该案件分类编码已存在');
    await dialog.getByTestId('category-code').fill('C0196');
    await page.locator('#category-save').click();
    await dialog.waitFor({ state: 'hidden' });
    const created = await getJson<CategoryJson & { name: string }>(page, '/api/categories/C0196');
    expect(created).toMatchObject({ name: '电动自行车违规停放', version: 1, active: true });
  });

  it('the calendar shows 国庆 2026, an administrator enters 2027, and the deadline calculator counts across it', async () => {
    const page = await openPage();
    await login(page, 'admin');
    await page.locator('.ant-menu').getByText('工作日历').click();
    await page.waitForURL('**/calendar');
    await page.getByTestId('calendar-year-select').click();
    await page.locator('.ant-select-item-option').filter({ hasText: /^2026$/ }).click();
    await poll(() => page.getByTestId('calendar-year-title').textContent()).toBe('2026 年');
    await poll(() => day(page, '2026-10-01').getAttribute('data-kind')).toBe('holiday');
    expect(await day(page, '2026-10-01').textContent()).toBe('1休');
    expect(await day(page, '2026-10-10').getAttribute('data-kind')).toBe('workday');
    expect(await day(page, '2026-10-10').textContent()).toBe('10班');
    expect(await day(page, '2026-10-11').getAttribute('data-kind')).toBe('weekend');
    expect(await day(page, '2026-10-12').getAttribute('data-kind')).toBe('working');
    expect(await page.getByTestId('calendar-year-counts').count()).toBe(1);
    expect(await page.getByTestId('calendar-years').textContent()).toContain('内置 chinese-days@');
    expect(await page.getByTestId('calendar-hours').textContent()).toBe('08:00–12:0014:00–18:00');
    await page.screenshot({ path: '/tmp/gz-admin-calendar.png', fullPage: true });

    // 2027 is not known yet: the calculator says so rather than guessing
    const calculate = async (start: string, amount: string) => {
      await typeDate(page.locator('#start'), start);
      await page.getByTestId('deadline-amount').fill(amount);
      await page.getByTestId('deadline-submit').click();
    };
    await calculate('2026-12-31 10:00', '2');
    await poll(() => page.getByTestId('deadline-error').textContent()).toContain('2027');

    await page.getByTestId('calendar-add-year').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('calendar-editor-year').inputValue()).toBe('2027');
    await dialog.getByTestId('calendar-add-holiday').click();
    const holiday = dialog.getByTestId('calendar-holiday-0');
    await holiday.getByLabel('名称').fill('元旦');
    const range = holiday.locator('.ant-picker-input input');
    await typeDate(range.nth(0), '2027-01-01');
    await typeDate(range.nth(1), '2027-01-03');
    await dialog.getByTestId('calendar-add-workday').click();
    const workday = dialog.getByTestId('calendar-workday-0');
    await workday.getByLabel('名称').fill('元旦');
    // a weekday cannot be a 调休 working day: typed anyway, the form refuses it
    await typeDate(workday.locator('.ant-picker-input input'), '2027-01-08');
    await page.locator('#calendar-year-save').click();
    await poll(() => dialog.getByTestId('calendar-editor-errors').textContent()).toContain('不是周末');
    await typeDate(workday.locator('.ant-picker-input input'), '2027-01-09');
    await page.screenshot({ path: '/tmp/gz-admin-calendar-editor.png' });
    await page.locator('#calendar-year-save').click();
    await dialog.waitFor({ state: 'hidden' });

    await poll(() => page.getByTestId('calendar-year-title').textContent()).toBe('2027 年');
    await poll(() => day(page, '2027-01-01').getAttribute('data-kind')).toBe('holiday');
    expect(await day(page, '2027-01-03').getAttribute('data-kind')).toBe('holiday');
    expect(await day(page, '2027-01-09').getAttribute('data-kind')).toBe('workday');
    expect(await day(page, '2027-01-09').textContent()).toBe('9班');
    await poll(() => page.getByTestId('calendar-years').textContent()).toContain('管理员录入');
    const year = await getJson<{ source: string; days: { date: string; kind: string; name: string | null }[] }>(page, '/api/calendar/years/2027');
    expect(year.source).toBe('manual');
    expect(year.days).toEqual([
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-01-02', kind: 'holiday', name: '元旦' },
      { date: '2027-01-03', kind: 'holiday', name: '元旦' },
      { date: '2027-01-09', kind: 'workday', name: '元旦' },
    ]);

    // Thursday 31 Dec, 2 working days: 1 Jan is a holiday, then the weekend → Tuesday 5 Jan 18:00
    await calculate('2026-12-31 10:00', '2');
    await poll(() => page.getByTestId('deadline-value').textContent()).toBe('2027/01/05 18:00:00');
    expect(await page.getByTestId('deadline-error').count()).toBe(0);
    // Thursday 7 Jan, 2 working days: Friday, then the 调休 Saturday → Saturday 9 Jan 18:00
    await calculate('2027-01-07 10:00', '2');
    await poll(() => page.getByTestId('deadline-value').textContent()).toBe('2027/01/09 18:00:00');
    await page.screenshot({ path: '/tmp/gz-admin-calendar-2027.png', fullPage: true });
  });

  it('a street dispatcher reads categories and the calendar without edit buttons', async () => {
    const page = await openPage();
    await login(page, 'dispatcher');
    await page.locator('.ant-menu').getByText('案件分类').click();
    await page.waitForURL('**/categories');
    await search(page, '楼道堆物');
    await page.locator('tr[data-row-key="C0101"]').waitFor();
    expect(await page.getByTestId('category-readonly-notice').count()).toBe(1);
    expect(await page.getByTestId('category-add').count()).toBe(0);
    expect(await page.getByTestId('category-edit-C0101').count()).toBe(0);
    expect(await page.getByTestId('category-toggle-C0101').count()).toBe(0);
    // the history is there to read
    await page.getByTestId('category-history-C0101').click();
    await poll(() => page.getByTestId('category-versions').locator('tr.ant-table-row').count()).toBeGreaterThan(1);

    await page.goto('/calendar');
    await poll(() => page.getByTestId('calendar-year-title').textContent()).toBe('2026 年');
    await poll(() => day(page, '2026-10-10').getAttribute('data-kind')).toBe('workday');
    expect(await page.getByTestId('calendar-readonly-notice').count()).toBe(1);
    expect(await page.getByTestId('calendar-add-year').count()).toBe(0);
    expect(await page.getByTestId('calendar-edit-year').count()).toBe(0);
    expect(await page.getByTestId('calendar-edit-hours').count()).toBe(0);
    // the calculator is for everyone who reads the calendar
    await page.getByTestId('deadline-submit').click();
    await poll(() => page.getByTestId('deadline-result').count()).toBe(1);

    // residents have neither page
    const resident = await openPage();
    await login(resident, 'resident');
    expect(await resident.locator('.ant-menu').getByText('工作日历').count()).toBe(0);
  });

  it('reads well in English and in elder mode', async () => {
    const page = await openPage();
    await login(page, 'admin');
    await page.goto('/calendar');
    await poll(() => day(page, '2026-10-01').getAttribute('data-kind')).toBe('holiday');
    await page.getByTestId('language-switch').click();
    await poll(() => page.getByTestId('calendar-year-title').textContent()).toBe('2026');
    expect(await day(page, '2026-10-01').textContent()).toBe('1Off');
    expect(await page.locator('.ant-menu').getByText('Working calendar').count()).toBe(1);
    await page.screenshot({ path: '/tmp/gz-admin-calendar-en.png', fullPage: true });
    await page.goto('/categories');
    await page.getByPlaceholder('Code, name or keyword').fill('C0101');
    await page.getByPlaceholder('Code, name or keyword').press('Enter');
    await page.getByTestId('category-edit-C0101').click();
    await page.getByRole('dialog').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/gz-admin-category-edit-en.png' });
    await page.keyboard.press('Escape');

    // elder mode: extra large text and high contrast, back in Chinese
    await page.getByTestId('language-switch').click();
    await page.getByTestId('display-settings').click();
    await page.getByText('一键开启长者模式').click();
    await page.goto('/calendar');
    await poll(() => day(page, '2026-10-10').getAttribute('data-kind')).toBe('workday');
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/gz-admin-calendar-elder.png', fullPage: true });
    await page.goto('/categories');
    await search(page, 'C0101');
    await page.getByTestId('category-edit-C0101').click();
    await page.getByRole('dialog').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/gz-admin-category-edit-elder.png' });
  });

  it('raised no uncaught errors in the page', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
