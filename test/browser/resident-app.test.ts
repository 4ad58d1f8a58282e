import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, poll, signIn, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

/**
 * The resident app (/m) on a phone-sized screen against the real server (demo data on a fresh
 * embedded database): a resident reports in three steps choosing a building, follows the report,
 * and after the desk and the unit have done their part, confirms the fix and rates it; elder mode
 * with the location from the phone and the "is this your problem?" step.
 */

const PHONE = { width: 390, height: 844 };
const COMMITTEE = '310115005001'; // 梅园一村居委会, the demo resident's committee
const ELDER = { locale: 'zh-CN', fontSize: 'xlarge', highContrast: true };


interface CaseBody {
  id: string;
  number: string;
  status: string;
  lat: number | null;
  lng: number | null;
  regionCode: string;
  regionName: string;
  allowedActions: string[];
}

describe('resident app on a phone', { timeout: 180_000 }, () => {
  let h: BrowserHarness;
  let building = '';

  /** The JSON API as one of the demo accounts (bearer token). */
  const apiAs = apiClient(() => h.server.url);

  beforeAll(async () => {
    h = await startBrowserHarness('gongzhi-resident-');
    // The committee head registers a grid with a building in it, and a building of its own.
    const grid = await apiAs<{ code: string }>('head', 'POST', `/api/regions/${COMMITTEE}/children`, { level: 'grid', name: '第一网格' });
    building = (await apiAs<{ code: string }>('head', 'POST', `/api/regions/${grid.code}/children`, { level: 'building', name: '3号楼' })).code;
    await apiAs('head', 'POST', `/api/regions/${COMMITTEE}/children`, { level: 'building', name: '12号楼' });
  }, 180_000);

  afterAll(() => h?.close());

  /** A fresh phone-sized browser profile; `elder` starts it in elder mode (large text, high contrast). */
  async function openPhone(options: { elder?: boolean; geolocation?: { latitude: number; longitude: number } } = {}): Promise<Page> {
    const context = await h.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      ...(options.geolocation ? { geolocation: options.geolocation, permissions: ['geolocation'] } : {}),
    });
    if (options.elder) await context.addInitScript((prefs) => window.localStorage.setItem('gongzhi.preferences', JSON.stringify(prefs)), ELDER);
    return h.newPage(context);
  }

  const login = signIn;

  /** Screenshot at the phone's width once animations have settled. */
  async function shot(page: Page, name: string): Promise<void> {
    await page.waitForTimeout(350);
    // Nothing sticks out sideways on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: `/tmp/gz-m-${name}.png`, fullPage: true });
  }

  /** The smallest height of the visible buttons and links that act as buttons. */
  const smallestTarget = (page: Page) =>
    page.evaluate(() => {
      const targets = [...document.querySelectorAll<HTMLElement>('.gz-m button, .gz-m a.gz-m-tile, .gz-m a.gz-m-card, .gz-m label.gz-m-camera')].filter((el) => el.offsetParent !== null && !el.closest('.ant-switch'));
      return Math.min(...targets.map((el) => el.getBoundingClientRect().height));
    });

  const bodyFontSize = (page: Page) => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.gz-m')!).fontSize));

  /** Sends the report; when similar open cases are offered (the demo month has some), says it is a different problem. */
  async function submitNew(page: Page): Promise<void> {
    await page.getByTestId('m-submit').click();
    await Promise.race([page.waitForURL('**/m/report/done'), page.getByTestId('m-step-similar').waitFor()]);
    if (!page.url().endsWith('/m/report/done')) {
      await page.getByTestId('m-similar-no').click();
      await page.waitForURL('**/m/report/done');
    }
  }

  let caseId = '';
  let caseNumber = '';

  it('a resident lands on /m after sign-in and reports in three steps, choosing a building, with a photo', async () => {
    const page = await openPhone();
    await login(page, 'resident');
    await page.waitForURL(/\/m$/);
    await poll(() => page.getByTestId('m-hello').textContent()).toContain('您好');
    expect(await bodyFontSize(page)).toBeGreaterThanOrEqual(16);
    expect(await smallestTarget(page)).toBeGreaterThanOrEqual(48);
    await shot(page, 'home');

    await page.getByTestId('m-go-report').click();
    await page.waitForURL('**/m/report');
    await poll(() => page.getByTestId('m-step').textContent()).toBe('第 1 步，共 3 步');
    expect(await page.getByTestId('m-photo-input').getAttribute('capture')).toBe('environment');
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 120, b: 40 } } }).png().toBuffer();
    await page.getByTestId('m-photo-input').setInputFiles({ name: 'louDao.png', mimeType: 'image/png', buffer: png });
    await poll(() => page.locator('.gz-m-photo img').count()).toBe(1);
    await shot(page, 'step1-photo');
    await page.getByTestId('m-next').click();

    await poll(() => page.getByTestId('m-step').textContent()).toBe('第 2 步，共 3 步');
    expect(await page.getByTestId('m-step-place').textContent()).toContain('梅园一村居委会');
    await page.getByTestId('m-choose-building').click();
    await page.getByTestId('m-building').filter({ hasText: '第一网格' }).click();
    await page.getByTestId('m-building').filter({ hasText: '3号楼' }).click();
    await poll(() => page.getByTestId('m-place-chosen').textContent()).toContain('3号楼');
    await page.getByTestId('m-address').fill('2单元门口');
    await shot(page, 'step2-place');
    await page.getByTestId('m-next').click();

    await poll(() => page.getByTestId('m-step').textContent()).toBe('第 3 步，共 3 步');
    expect(await page.getByTestId('m-step-words').textContent()).toContain('可以按键盘上的话筒说话');
    // Nothing said yet: the resident is asked, nothing is sent.
    await page.getByTestId('m-submit').click();
    await poll(() => page.getByRole('alert').first().textContent()).toContain('请说说是什么问题');
    await page.getByTestId('m-description').fill('3号楼楼道里堆满了纸箱，老人过不去');
    await poll(() => page.getByTestId('m-understood').textContent()).toBe('我们理解为：楼道堆物');
    await page.getByTestId('m-change-category').click();
    expect(await page.getByTestId('m-category-option').count()).toBe(3);
    await page.getByTestId('m-category-option').filter({ hasText: '楼道堆物' }).click();
    await shot(page, 'step3-words');
    await submitNew(page);
    caseNumber = (await page.getByTestId('m-case-number').textContent()) ?? '';
    expect(caseNumber).toMatch(/^GZ\d{8}-\d{6}$/);
    expect(await page.getByTestId('m-done').textContent()).toContain('每一步都会发消息告诉您');
    expect(await page.getByTestId('m-photo-error').count()).toBe(0);
    await shot(page, 'done');

    await page.getByTestId('m-view-report').click();
    await page.waitForURL(/\/m\/reports\/[0-9a-f-]{36}$/);
    caseId = page.url().split('/').pop() ?? '';
    await poll(() => page.getByTestId('m-detail-status').textContent()).toBe('待受理');
    expect(await page.getByTestId('m-detail-place').textContent()).toBe('3号楼 · 2单元门口');
    await poll(() => page.locator('[data-testid=m-detail-photos] img').count()).toBe(1);
    expect(await page.getByTestId('m-timeline').textContent()).toContain('您提交了反映');

    await page.getByTestId('m-back').click();
    await page.waitForURL('**/m/reports');
    const card = page.locator(`[data-testid=m-case-card][data-number="${caseNumber}"]`);
    await poll(() => card.getByTestId('m-case-status').textContent()).toBe('待受理');
    await shot(page, 'mine');

    // English is one tap away.
    await page.goto('/m');
    await page.getByTestId('language-switch').click();
    await poll(() => page.getByTestId('m-go-report').textContent()).toContain('Report a problem');
    await shot(page, 'home-en');
    await page.getByTestId('m-go-mine').click();
    await poll(() => card.getByTestId('m-case-status').textContent()).toBe('Waiting');
    await page.getByTestId('m-back').click();
    await page.getByTestId('language-switch').click();
    await poll(() => page.getByTestId('m-go-report').textContent()).toContain('我要反映');

    const created = await apiAs<CaseBody>('resident', 'GET', `/api/cases/${caseId}`);
    expect(created.number).toBe(caseNumber);
    expect(created.regionName).toBe('3号楼');
    expect(created.regionCode).toBe(building);
    expect(created.lat).toBeNull();
  });

  it('after the desk and the unit have done their part, the resident confirms the fix and rates it in elder mode', async () => {
    expect(caseId).not.toBe('');
    await apiAs('dispatcher', 'POST', `/api/cases/${caseId}/transitions`, { action: 'register', categoryCode: 'C0101' });
    await apiAs('dispatcher', 'POST', `/api/cases/${caseId}/transitions`, { action: 'dispatch' });
    await apiAs('handler', 'POST', `/api/cases/${caseId}/transitions`, { action: 'accept' });
    await apiAs('handler', 'POST', `/api/cases/${caseId}/transitions`, { action: 'handled', result: '纸箱已清理，楼道已恢复通畅' });
    // Notifications are written from the outbox, a moment after the transition.
    await poll(async () => (await apiAs<{ unread: number }>('resident', 'GET', '/api/notifications/unread-count')).unread).toBeGreaterThan(0);

    const page = await openPhone();
    await login(page, 'resident');
    await page.waitForURL(/\/m$/);
    await page.getByTestId('m-hello').waitFor();
    // Elder mode from the home screen's switch.
    await page.getByTestId('m-elder').click();
    await poll(() => page.evaluate(() => document.body.classList.contains('gz-high-contrast'))).toBe(true);
    expect(await bodyFontSize(page)).toBeGreaterThanOrEqual(22);
    expect(await smallestTarget(page)).toBeGreaterThanOrEqual(48);
    await poll(() => page.getByTestId('m-go-mine').textContent()).toContain('有 1 件等您确认');
    // The unit's "handled" reached the resident's inbox.
    await poll(() => page.getByTestId('m-go-messages').textContent()).toContain('新消息');
    await shot(page, 'elder-home');

    await page.getByTestId('m-go-messages').click();
    await page.waitForURL('**/m/messages');
    await poll(() => page.getByTestId('m-message-list').textContent()).toContain(caseNumber);
    await shot(page, 'elder-messages');
    await page.getByTestId('m-message').filter({ hasText: caseNumber }).first().click();
    await page.waitForURL(`**/m/reports/${caseId}`);

    await poll(() => page.getByTestId('m-detail-status').textContent()).toBe('请您确认');
    const timeline = (await page.getByTestId('m-timeline').textContent()) ?? '';
    expect(timeline).toContain('负责单位说已办好');
    expect(timeline).toContain('纸箱已清理');
    await shot(page, 'elder-verify');
    await page.getByTestId('m-verify-yes').click();

    await poll(() => page.getByTestId('m-detail-status').textContent()).toBe('已办结');
    await page.getByTestId('m-rate-submit').click();
    await poll(() => page.getByTestId('m-rate').textContent()).toContain('请先点星星');
    await page.getByTestId('m-star-5').click();
    await page.getByTestId('m-rate-comment').fill('处理得很快，谢谢');
    await shot(page, 'elder-rate');
    await page.getByTestId('m-rate-submit').click();
    await poll(() => page.getByTestId('m-rating').textContent()).toContain('您的评价：5 星');
    expect(await page.getByTestId('m-detail-status').textContent()).toBe('已办结');
    expect(await page.getByTestId('m-rate').count()).toBe(0);
    // Within the window the resident may still reopen it.
    expect(await page.getByTestId('m-reopen-open').count()).toBe(1);
    await shot(page, 'elder-closed');

    const closed = await apiAs<CaseBody & { rating: number | null }>('resident', 'GET', `/api/cases/${caseId}`);
    expect(closed.status).toBe('closed');
    expect(closed.rating).toBe(5);

    await page.getByTestId('m-back').click();
    await page.waitForURL('**/m/reports');
    await poll(() => page.locator(`[data-testid=m-case-card][data-number="${caseNumber}"]`).getByTestId('m-case-status').textContent()).toBe('已办结');
  });

  it('in elder mode the phone’s location is sent as WGS-84, and similar cases nearby are offered first', async () => {
    // 陆家嘴, in WGS-84 as browsers report it.
    const page = await openPhone({ elder: true, geolocation: { latitude: 31.2336, longitude: 121.5055 } });
    // A neighbour (the committee head, on a round) already reported the full bins a few metres away.
    const earlier = await apiAs<{ id: string; number: string }>('head', 'POST', '/api/cases', {
      description: '楼下垃圾桶满了，好几天没人清运，味道很大',
      regionCode: COMMITTEE,
      lat: 31.2338,
      lng: 121.5057,
    });

    await login(page, 'resident');
    await page.waitForURL(/\/m$/);
    await page.getByTestId('m-hello').waitFor();
    expect(await bodyFontSize(page)).toBeGreaterThanOrEqual(22);
    // Fewer choices in elder mode: no desktop console link on the home screen.
    expect(await page.getByText('电脑版').count()).toBe(0);

    await page.getByTestId('m-go-report').click();
    await page.getByTestId('m-next').click(); // no photo
    await page.getByTestId('m-locate').click();
    await poll(() => page.getByTestId('m-located').textContent()).toContain('已记下您现在的位置');
    expect(await page.getByTestId('m-address').count()).toBe(0);
    await shot(page, 'elder-place');
    await page.getByTestId('m-next').click();
    await page.getByTestId('m-description').fill('楼下垃圾桶满了没人清');
    await poll(() => page.getByTestId('m-understood').count()).toBe(1);
    await page.getByTestId('m-submit').click();

    await poll(() => page.getByTestId('m-step-similar').textContent()).toContain('附近已经有人反映过类似问题，是同一件事吗？');
    const offered = page.getByTestId('m-similar-item').filter({ hasText: '垃圾桶满了' });
    expect(await offered.textContent()).toMatch(/约 \d+ 米/);
    await shot(page, 'elder-similar');
    await page.getByTestId('m-similar-no').click();
    await page.waitForURL('**/m/report/done');
    const number = (await page.getByTestId('m-case-number').textContent()) ?? '';
    expect(number).toMatch(/^GZ\d{8}-\d{6}$/);
    expect(number).not.toBe(caseNumber);
    const list = await apiAs<{ items: CaseBody[] }>('resident', 'GET', '/api/cases');
    const sent = list.items.find((c) => c.number === number);
    expect(sent?.lat).toBeCloseTo(31.2336, 4);
    expect(sent?.lng).toBeCloseTo(121.5055, 4);

    // The same problem again: this time the resident follows the neighbour's case instead of reporting it twice.
    await page.goto('/m/report?step=3');
    await page.getByTestId('m-description').fill('楼下的垃圾桶又满了，没人清');
    await page.getByTestId('m-submit').click();
    await poll(() => page.getByTestId('m-similar-item').filter({ hasText: '垃圾桶满了' }).count()).toBeGreaterThan(0);
    await page.getByTestId('m-similar-item').filter({ hasText: '垃圾桶满了' }).getByTestId('m-similar-follow').click();
    await page.waitForURL('**/m/report/done');
    expect(await page.getByTestId('m-done').textContent()).toContain('已关注');
    expect(await page.getByTestId('m-case-number').textContent()).toBe(earlier.number);
    const followed = await apiAs<{ followers: number; following: boolean }>('resident', 'GET', `/api/cases/${earlier.id}`);
    expect(followed).toMatchObject({ following: true, followers: 1 });
  });

  it('staff keep the console after sign-in', async () => {
    const page = await openPhone();
    await login(page, 'dispatcher');
    await page.waitForURL((url) => url.pathname === '/');
    await page.locator('.gz-shell').waitFor();
  });

  it('a grid worker reports a patrol finding from the phone with the same three steps', async () => {
    const page = await openPhone();
    await login(page, 'worker');
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByTestId('patrol-report').click();
    await page.waitForURL('**/m/report');
    await page.getByTestId('m-next').click();
    await poll(() => page.getByTestId('m-step').textContent()).toBe('第 2 步，共 3 步');
    await page.getByTestId('m-next').click();
    await page.getByTestId('m-description').fill('巡查发现：12号楼门口共享单车乱停放，堵住了消防通道');
    await poll(() => page.getByTestId('m-understood').textContent()).toContain('我们理解为');
    await submitNew(page);
    const number = (await page.getByTestId('m-case-number').textContent()) ?? '';
    const found = await apiAs<{ items: Array<{ number: string; channel: string }> }>('dispatcher', 'GET', `/api/cases?q=${number}`);
    expect(found.items).toEqual([expect.objectContaining({ number, channel: 'patrol' })]);
  });

  it('raised no uncaught errors in the page', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
