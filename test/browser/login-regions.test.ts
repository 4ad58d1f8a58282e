import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll, signIn, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

/**
 * The web console in a real browser against the real server (demo data on a fresh embedded
 * database): sign-in, the region browser and its scope limits, language and scope switching.
 */

const SCREENSHOT = '/tmp/gz-shot.png';


describe('web console: sign-in and region browser', { timeout: 180_000 }, () => {
  let h: BrowserHarness;

  beforeAll(async () => {
    h = await startBrowserHarness('gongzhi-browser-');
  }, 120_000);

  afterAll(() => h?.close());

  /** A fresh browser profile (cookies, localStorage) with a page on the console. */
  async function openPage(): Promise<Page> {
    return h.newPage(await h.newContext({ viewport: { width: 1360, height: 860 } }));
  }

  async function login(page: Page, username: string): Promise<void> {
    await signIn(page, username);
    await page.getByTestId('logout').waitFor();
  }

  const childRows = (page: Page) => page.locator('[data-testid=region-children] tr.ant-table-row');

  it('the login page is Chinese first, with the language switch and elder mode visible', async () => {
    const page = await openPage();
    await page.goto('/');
    await page.waitForURL('**/login');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.title()).toContain('共治');
    await poll(() => page.getByTestId('language-switch').textContent()).toContain('English');
    expect(await page.getByTestId('display-settings').textContent()).toContain('长者模式');

    await page.getByLabel('用户名').fill('dispatcher');
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码不正确');

    // The server's messages follow the UI language.
    await page.getByTestId('language-switch').click();
    await page.getByLabel('Password').fill('still-not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await poll(() => page.getByTestId('login-error').textContent()).toContain('The username or password is incorrect');
  });

  it('a street dispatcher browses their street and its committees, but not the district', async () => {
    const page = await openPage();
    await login(page, 'dispatcher');
    await poll(() => page.getByTestId('current-scope').textContent()).toBe('街镇城运调度员 · 陆家嘴街道');
    expect(await page.getByTestId('scope-switcher').count()).toBe(0);
    // Role-aware menu: no users or audit log for a dispatcher.
    const menu = page.locator('.ant-menu');
    expect(await menu.getByText('用户', { exact: true }).count()).toBe(0);
    expect(await menu.getByText('审计日志').count()).toBe(0);

    await menu.getByText('区域', { exact: true }).click();
    await page.waitForURL('**/regions/310115005');
    await poll(() => page.getByTestId('region-title').textContent()).toContain('陆家嘴街道');
    await poll(() => childRows(page).count()).toBe(35);
    expect(await page.getByTestId('region-counts').textContent()).toContain('35 个居村委');
    expect(await childRows(page).first().textContent()).toContain('梅园一村居委会');
    await page.waitForTimeout(300); // let the table's loading fade finish before the picture
    await page.screenshot({ path: SCREENSHOT });

    await childRows(page).filter({ hasText: '梅园一村居委会' }).locator('td').nth(2).click();
    await page.waitForURL('**/regions/310115005001');
    await poll(() => page.getByTestId('region-title').textContent()).toContain('梅园一村居委会');
    const crumbs = page.getByTestId('region-breadcrumb');
    expect((await crumbs.textContent())?.replace(/\s/g, '')).toBe('陆家嘴街道/梅园一村居委会');
    expect(await crumbs.getByRole('link', { name: '陆家嘴街道' }).getAttribute('href')).toBe('/regions/310115005');
    // Dispatchers may add grids and buildings under a committee.
    expect(await page.getByText('新增网格/楼栋').count()).toBe(1);

    await page.goto('/regions/310115');
    await poll(() => page.getByTestId('not-in-scope').textContent()).toBe('不在您的管辖范围内或不存在');
    expect(await childRows(page).count()).toBe(0);

    await page.goto('/no-such-page');
    await poll(() => page.getByText('页面不存在', { exact: true }).count()).toBe(1);

    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
    // The session is gone on the server too: protected pages lead back to the login page.
    await page.goto('/regions/310115005');
    await page.waitForURL('**/login');
  });

  it('an administrator sees the 42 streets of Pudong and can switch the console to English', async () => {
    const page = await openPage();
    await login(page, 'admin');
    await page.goto('/regions/310115');
    await poll(() => childRows(page).count()).toBe(42);
    expect(await page.getByTestId('region-counts').textContent()).toMatch(/42 个街镇 · 1526 个居村委/);
    expect(await page.locator('.ant-menu').getByText('审计日志').count()).toBe(1);

    // the category catalogue: 楼道堆物 with its time limits, found by keyword
    await page.locator('.ant-menu').getByText('案件分类').click();
    await page.waitForURL('**/categories');
    await page.getByPlaceholder('编码、名称或关键词').fill('楼道堆物');
    await page.getByPlaceholder('编码、名称或关键词').press('Enter');
    const row = page.locator('tr[data-row-key="C0101"]');
    await poll(() => row.textContent()).toContain('楼道堆物');
    expect(await row.textContent()).toContain('3 工作日 / 1 工作日 / 4 紧急工作时');
    await page.screenshot({ path: '/tmp/gz-categories.png' });
    await page.goto('/regions/310115');
    await poll(() => childRows(page).count()).toBe(42);

    await page.getByTestId('language-switch').click();
    await poll(() => page.locator('.ant-menu').getByText('Regions', { exact: true }).count()).toBe(1);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByTestId('region-counts').textContent()).toContain('42 streets and towns');
    expect(await childRows(page).first().textContent()).toContain('Street / town');
    await page.goto('/regions/310115999999');
    await poll(() => page.getByTestId('not-in-scope').textContent()).toBe('Outside your area, or does not exist');
    // The choice is remembered.
    await page.reload();
    await poll(() => page.locator('.ant-menu').getByText('Home', { exact: true }).count()).toBe(1);
  });

  it('a user with two assignments switches scope in the header', async () => {
    const page = await openPage();
    await login(page, 'head');
    const switcher = page.getByTestId('scope-switcher');
    await poll(() => switcher.textContent()).toContain('居村委负责人 · 梅园一村居委会');
    expect(await page.getByTestId('home-region').textContent()).toBe('梅园一村居委会');

    await switcher.click();
    await page.locator('.ant-select-item-option').filter({ hasText: '社工 · 汇豪天下居委会' }).click();
    await poll(() => page.getByTestId('home-region').textContent()).toBe('汇豪天下居委会');
    await poll(() => switcher.textContent()).toContain('社工 · 汇豪天下居委会');

    await page.goto('/regions');
    await page.waitForURL('**/regions/310115005002');
    await poll(() => page.getByTestId('region-title').textContent()).toContain('汇豪天下居委会');
    // The committee of the other assignment is outside the active scope now.
    await page.goto('/regions/310115005001');
    await poll(() => page.getByTestId('not-in-scope').count()).toBe(1);
  });

  it('a report goes round the closed loop: resident reports, dispatcher registers and dispatches, handler handles, resident verifies and rates', async () => {
    const resident = await openPage();
    await login(resident, 'resident');
    // Residents land in the resident app (/m); the console's pages stay open to them.
    await resident.waitForURL('**/m');
    await resident.goto('/cases');
    await resident.getByTestId('report-case').click();
    await resident.getByTestId('report-description').fill('3号楼楼道里堆满了纸箱');
    await poll(() => resident.getByTestId('report-suggestions').textContent()).toContain('楼道堆物');
    await resident.getByTestId('report-submit').click();
    await resident.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const caseUrl = new URL(resident.url()).pathname;
    await poll(() => resident.getByTestId('case-status').textContent()).toBe('待立案');
    const number = (await resident.getByTestId('case-number').textContent()) ?? '';
    expect(number).toMatch(/^GZ\d{8}-\d{6}$/);

    const status = (page: Page) => page.getByTestId('case-status').textContent();
    const act = async (page: Page, action: string) => {
      await page.getByTestId(`action-${action}`).click();
      await page.getByRole('dialog').waitFor();
    };

    const dispatcher = await openPage();
    await login(dispatcher, 'dispatcher');
    await dispatcher.goto('/cases');
    // the board opens on the open cases, nearest deadline first; find this one by its number
    await dispatcher.getByTestId('case-search').locator('input').fill(number);
    await dispatcher.getByTestId('case-search').locator('input').press('Enter');
    await dispatcher.locator('tr.ant-table-row').filter({ hasText: number }).click();
    await dispatcher.waitForURL(`**${caseUrl}`);
    await poll(() => status(dispatcher)).toBe('待立案');
    await act(dispatcher, 'register');
    if (!((await dispatcher.getByTestId('case-category').textContent()) ?? '').includes('C0101')) {
      await dispatcher.getByRole('dialog').locator('.ant-select').first().click();
      await dispatcher.keyboard.type('C0101');
      await dispatcher.locator('.ant-select-item-option').filter({ hasText: '楼道堆物' }).click();
    }
    await dispatcher.getByTestId('transition-submit').click();
    await poll(() => status(dispatcher)).toBe('待派遣');
    expect(await dispatcher.getByTestId('case-category').textContent()).toContain('楼道堆物');
    await act(dispatcher, 'dispatch');
    expect(await dispatcher.getByRole('dialog').textContent()).toContain('自动');
    await dispatcher.getByTestId('transition-submit').click();
    await poll(() => status(dispatcher)).toBe('待签收');
    expect(await dispatcher.getByTestId('case-main-unit').textContent()).toBe('陆家嘴城管执法中队');

    const handler = await openPage();
    await login(handler, 'handler');
    await handler.goto(caseUrl);
    await poll(() => status(handler)).toBe('待签收');
    await act(handler, 'accept');
    await handler.getByTestId('transition-submit').click();
    await poll(() => status(handler)).toBe('处置中');
    await act(handler, 'handled');
    await handler.getByTestId('field-result').fill('纸箱已清理，楼道已恢复通畅');
    await handler.getByTestId('transition-submit').click();
    await poll(() => status(handler)).toBe('待核查');

    await resident.reload();
    await poll(() => status(resident)).toBe('待核查');
    await act(resident, 'verify');
    await resident.getByTestId('verify-pass').click();
    await poll(() => status(resident)).toBe('已结案');
    await act(resident, 'rate');
    await resident.getByRole('dialog').locator('.ant-rate-star').nth(4).click();
    await resident.getByTestId('transition-submit').click();
    await poll(() => resident.getByTestId('case-rating').textContent()).toContain('5 星');
    expect(await resident.getByTestId('case-timeline').textContent()).toContain('处理反馈');
    await resident.screenshot({ path: '/tmp/gz-case.png' });
  });

  it('takes a 12345 call, puts it on the street board, tells the desk, and bulk-dispatches it to the suggested unit', async () => {
    const operator = await openPage();
    await login(operator, 'operator');
    await operator.locator('.ant-menu').getByText('热线受理', { exact: true }).click();
    await operator.waitForURL('**/hotline');
    await operator.getByTestId('hotline-caller-name').fill('李先生');
    await operator.getByTestId('hotline-caller-phone').fill('021-5888123');
    await operator.getByTestId('hotline-caller-phone').fill('13800001234');
    await operator.getByTestId('hotline-call-type').getByText('投诉').click();
    await operator.getByTestId('hotline-place').click();
    await operator.keyboard.type('梅园一村');
    await operator.locator('.ant-select-item-option').filter({ hasText: '310115005001' }).click();
    await operator.getByTestId('hotline-description').fill('来电投诉：梅园一村5号楼楼道里堆满杂物，老人上下楼困难');
    await poll(() => operator.getByTestId('hotline-suggestions').textContent()).toContain('楼道堆物');
    await operator.getByTestId('hotline-suggestions').getByText('楼道堆物').click();
    await operator.getByTestId('hotline-submit').click();
    const created = (await operator.getByTestId('hotline-created').textContent()) ?? '';
    const number = /GZ\d{8}-\d{6}/.exec(created)?.[0] ?? '';
    expect(number).not.toBe('');

    const dispatcher = await openPage();
    await login(dispatcher, 'dispatcher');
    // the new report is in the desk's messages
    await poll(async () => Number((await dispatcher.getByTestId('notifications').locator('..').locator('.ant-badge-count').textContent().catch(() => '0')) || 0)).toBeGreaterThan(0);
    await dispatcher.getByTestId('notifications').click();
    await dispatcher.getByTestId('notification-list').getByText(number).click();
    await dispatcher.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const caseUrl = new URL(dispatcher.url()).pathname;
    expect(await dispatcher.getByTestId('case-channel').textContent()).toBe('12345 热线');
    expect(await dispatcher.getByTestId('case-caller').textContent()).toContain('138****1234');
    await dispatcher.getByTestId('reveal-caller').click();
    await dispatcher.getByTestId('reveal-reason').fill('回访核实问题位置');
    await dispatcher.locator('#reveal-confirm').click();
    await poll(() => dispatcher.getByTestId('case-caller').textContent()).toContain('13800001234');
    expect(await dispatcher.getByTestId('clock-stage').textContent()).toContain('立案时限');

    await dispatcher.getByTestId('action-register').click();
    await dispatcher.getByTestId('transition-submit').click();
    await poll(() => dispatcher.getByTestId('case-status').textContent()).toBe('待派遣');
    expect(await dispatcher.getByTestId('clock-handling').textContent()).toContain('处置时限');

    // the board's 待派遣 queue: select it and dispatch to the suggested unit
    await dispatcher.goto('/cases');
    await dispatcher.getByTestId('case-queues').getByText('待派遣', { exact: true }).click();
    const row = dispatcher.locator('tr.ant-table-row').filter({ hasText: number });
    await row.locator('input[type=checkbox]').check();
    await dispatcher.getByTestId('bulk-dispatch').click();
    await poll(() => dispatcher.locator('tr.ant-table-row').filter({ hasText: number }).count()).toBe(0);
    // the same board on a map (no base map configured here: dots on a plain ground)
    await dispatcher.getByTestId('case-queues').getByText('只看在办', { exact: true }).click();
    await dispatcher.getByTestId('board-view').getByText('地图', { exact: true }).click();
    await dispatcher.getByTestId('case-map').waitFor();
    await dispatcher.goto(caseUrl);
    await poll(() => dispatcher.getByTestId('case-status').textContent()).toBe('待签收');
    expect(await dispatcher.getByTestId('case-main-unit').textContent()).toBe('陆家嘴城管执法中队');
    await dispatcher.screenshot({ path: '/tmp/gz-hotline-case.png', fullPage: true });
  });

  it('raised no uncaught errors in the page', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
