import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, poll, signIn, startBrowserHarness, type BrowserHarness } from '../helpers/browser.ts';

/**
 * 居民议事 in the resident app, elder mode, on a phone: a notice arrives in 消息 and opens from it; a
 * neighbour's proposal is supported up to its threshold, the committee opens the vote, 消息 says so
 * and leads to it, and the resident votes with one big button; the ballot counts once. A volunteer checks themselves in and out
 * on the task's day; the hours earn points only once the committee confirms them on the console.
 */

const PHONE = { width: 390, height: 844 };
const COMMITTEE = '310115005001'; // 梅园一村, the demo resident's committee
const ELDER = { locale: 'zh-CN', fontSize: 'xlarge', highContrast: true };

describe('居民议事 in elder mode on a phone', { timeout: 180_000 }, () => {
  let h: BrowserHarness;
  const apiAs = apiClient(() => h.server.url);

  beforeAll(async () => {
    h = await startBrowserHarness('gongzhi-civic-');
  }, 180_000);
  afterAll(() => h?.close());

  it('supports a neighbour’s proposal and votes on it with large type and one tap', async () => {
    await apiAs('admin', 'POST', '/api/users', { username: 'neighbour', displayName: '测试邻居', password: 'neighbour-pass-1', assignment: { role: 'resident', regionCode: COMMITTEE } });
    await apiAs('head', 'PUT', `/api/proposal-thresholds/${COMMITTEE}`, { supportThreshold: 2 });
    const proposal = await apiAs<{ id: string }>('neighbour', 'POST', '/api/proposals', { title: '小区增设晾衣架', description: '楼下空地增设公共晾衣架，方便老人晒被子。' }, 'neighbour-pass-1');
    await apiAs('neighbour', 'POST', `/api/proposals/${proposal.id}/support`, {}, 'neighbour-pass-1');
    await apiAs('worker', 'POST', '/api/notices', { title: '议事会通知', body: '本周六上午在居委会讨论晾衣架的议题。' });

    const context = await h.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    await context.addInitScript((prefs) => window.localStorage.setItem('gongzhi.preferences', JSON.stringify(prefs)), ELDER);
    const page = await h.newPage(context);
    await signIn(page, 'resident');
    await page.waitForURL('**/m');

    // the notice came to 消息 without looking for it; tapping the message opens it, in large type
    await page.getByTestId('m-go-messages').click();
    const noticeMessage = page.getByTestId('m-message').filter({ hasText: '新通知：议事会通知' });
    await poll(async () => {
      if ((await noticeMessage.count()) === 0) await page.reload();
      return noticeMessage.count();
    }).toBe(1);
    await noticeMessage.click();
    await page.waitForURL(/\/m\/notices\/[0-9a-f-]{36}$/);
    await poll(() => page.getByTestId('m-notice-body').textContent()).toContain('晾衣架');
    expect(await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.gz-m')!).fontSize))).toBeGreaterThanOrEqual(22);
    await page.goto('/m/proposals');

    // support: the second supporter reaches the threshold
    await page.getByTestId('m-proposal').filter({ hasText: '小区增设晾衣架' }).click();
    await page.getByTestId('m-support').click();
    await poll(() => page.getByTestId('m-proposal-status').textContent()).toBe('支持已达标，待开启表决');
    // elder mode offers few choices: no comment form
    expect(await page.locator('textarea').count()).toBe(0);

    // the committee opens the vote; the resident votes with one big button
    await apiAs('head', 'POST', `/api/proposals/${proposal.id}/open-vote`, { closesAt: new Date(Date.now() + 86_400_000).toISOString() });
    // 消息 says the vote is open and leads to it
    await page.goto('/m/messages');
    const voteMessage = page.getByTestId('m-message').filter({ hasText: '居民议事“小区增设晾衣架”开始投票' });
    await poll(async () => {
      if ((await voteMessage.count()) === 0) await page.reload();
      return voteMessage.count();
    }).toBe(1);
    await voteMessage.click();
    await page.waitForURL(`**/m/proposals/${proposal.id}`);
    const yes = page.getByTestId('m-vote-yes');
    expect((await yes.boundingBox())!.height).toBeGreaterThanOrEqual(56);
    await yes.click();
    await poll(() => page.getByTestId('m-voted').textContent()).toBe('您已投票：赞成');
    await page.screenshot({ path: '/tmp/gz-m-civic-voted.png', fullPage: true });

    const seen = await apiAs<{ myVote: string | null; mayVote: boolean }>('resident', 'GET', `/api/proposals/${proposal.id}`);
    expect(seen).toMatchObject({ myVote: 'yes', mayVote: false });
    expect(h.pageErrors).toEqual([]);
  });

  it('a volunteer checks themselves in and out on the phone; the committee confirms the hours, which earn the points', async () => {
    const HOUR = 3_600_000;
    const task = await apiAs<{ id: string }>('worker', 'POST', '/api/volunteer-tasks', {
      kind: 'visit_alone', title: '今天探访独居老人', startsAt: new Date(Date.now() - 2 * HOUR).toISOString(), endsAt: new Date(Date.now() + 2 * HOUR).toISOString(), capacity: 3, pointsPerHour: 10,
    });
    await apiAs('resident', 'PUT', '/api/volunteers/me', { skills: ['陪聊'], availability: '上午', partyMember: false });

    const context = await h.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    await context.addInitScript((prefs) => window.localStorage.setItem('gongzhi.preferences', JSON.stringify(prefs)), ELDER);
    const page = await h.newPage(context);
    await signIn(page, 'resident');
    await page.waitForURL('**/m');
    await page.goto('/m/points');
    const card = page.getByTestId('m-task').filter({ hasText: '今天探访独居老人' });
    await card.getByTestId('m-task-signup').click();
    await card.getByTestId('m-task-check-in').click();
    await card.getByTestId('m-task-check-out').waitFor();
    // arrange: they arrived an hour ago
    await h.server.platform.db.updateTable('volunteer_signups').set({ checked_in_at: new Date(Date.now() - HOUR) }).where('task_id', '=', task.id).execute();
    await card.getByTestId('m-task-check-out').click();
    await poll(() => card.getByTestId('m-task-awaiting').textContent()).toBe('已签退，等待居委会确认时长');
    expect((await apiAs<{ entries: Array<{ reason: string }> }>('resident', 'GET', '/api/me/points')).entries.filter((e) => e.reason === 'volunteer')).toEqual([]);

    const desk = await h.newPage(await h.newContext({ viewport: { width: 1360, height: 900 } }));
    await signIn(desk, 'worker');
    await desk.getByTestId('logout').waitFor();
    await desk.goto('/volunteers');
    const row = desk.locator('tr.ant-table-row').filter({ hasText: '今天探访独居老人' });
    await row.locator('.ant-table-row-expand-icon').click();
    await desk.getByTestId('volunteer-confirm').click();
    // the hours column: from the waiting tag and button to the hours
    await poll(() => desk.locator('.ant-table-expanded-row tr.ant-table-row').first().locator('td').last().textContent()).toBe('1');

    // the notice form says whom a tagged notice reaches: verified residents with the tag, and those not verified yet
    type Audience = { total: number; linked: number; unlinked: number };
    const everyone = await apiAs<Audience>('worker', 'GET', '/api/notices/audience');
    const audience = await apiAs<Audience>('worker', 'GET', '/api/notices/audience?tags=elderly');
    await desk.goto('/notices');
    await desk.getByTestId('notice-add').click();
    await poll(() => desk.getByTestId('notice-audience-linked').textContent()).toBe(`已实名核验：${everyone.linked} 人`);
    await desk.locator('.ant-modal .ant-select').click();
    await desk.locator('.ant-select-item-option').filter({ hasText: '高龄' }).click();
    await poll(() => desk.getByTestId('notice-audience-linked').textContent()).toBe(`已实名核验且有所选标签：${audience.linked} 人`);
    await expect(desk.getByTestId('notice-audience-unlinked').textContent()).resolves.toBe(`尚未实名核验：${audience.unlinked} 人（标签未知，也会收到）`);
    await expect(desk.getByTestId('notice-audience').textContent()).resolves.toContain(`将送达 ${audience.total} 位居民`);

    await poll(async () => (await apiAs<{ entries: Array<{ reason: string; amount: number }> }>('resident', 'GET', '/api/me/points')).entries.filter((e) => e.reason === 'volunteer').map((e) => e.amount)).toEqual([10]);
    await page.reload();
    await poll(() => card.textContent()).toContain('已服务 1 小时');
    expect(h.pageErrors).toEqual([]);
  });
});
