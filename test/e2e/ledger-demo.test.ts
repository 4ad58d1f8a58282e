import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LEDGER_FILES, demoStoryPerson, seedDemoLedger } from '../../src/server/modules/ledger/demo.ts';
import { shanghaiDay } from '../../src/server/modules/services/commands.ts';
import { seedDemoServices } from '../../src/server/modules/services/demo.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';
import { multipartBody } from '../helpers/ledger-data.ts';

/**
 * The demo ledger: the register imported at the first start, the three departments' files offered to
 * the wizard, and a worker importing the messy two — conflicts and duplicates to review follow.
 */
describe.each(ENGINES)('the demo ledger on %s', (engine) => {
  let t: TestApp;
  let dataDir: string;
  let worker: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-ledger-demo-'));
    t = await createTestApp(engine, { dataDir, demoCases: true });
    await seedDemoLedger(t.platform);
    worker = await t.login('worker');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports the police register once and offers the three departments’ files to the wizard', async () => {
    const stats = (await t.request({ url: '/api/ledger/stats', token: worker })).json() as { persons: number; households: number; dwellings: number };
    expect(stats.persons).toBeGreaterThan(100);
    expect(stats.households).toBeGreaterThan(30);
    // a second start changes nothing
    await seedDemoLedger(t.platform);
    expect(((await t.request({ url: '/api/ledger/stats', token: worker })).json() as { persons: number }).persons).toBe(stats.persons);

    const listed = (await t.request({ url: '/api/ledger/demo-files', token: worker })).json() as { items: Array<{ name: string; source: string; url: string; bytes: number }> };
    expect(listed.items.map((f) => [f.name, f.source])).toEqual(DEMO_LEDGER_FILES.map((f) => [f.name, f.source]));
    const xlsx = await t.request({ url: listed.items[1]!.url, token: worker });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain(encodeURIComponent(listed.items[1]!.name));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.getRow(2).values).toContain('所属居委');
    expect((await t.request({ url: '/api/ledger/demo-files/7', token: worker })).statusCode).toBe(404);
    expect((await t.request({ url: '/api/ledger/demo-files', token: await t.login('dispatcher') })).statusCode).toBe(403);
  });

  it('tells the demo’s story: the resident turns 80 today and hears of 高龄津贴 without asking', async () => {
    await seedDemoServices(t.platform);
    await t.platform.events.drain();
    const today = shanghaiDay();
    const story = demoStoryPerson(today);
    expect(story.birthDate).toBe(`${Number(today.slice(0, 4)) - 80}${today.slice(4)}`);
    const resident = await t.login('resident');
    const menu = (await t.request({ url: '/api/me/menu', token: resident })).json() as Array<{ name: string; reasons: string[]; autoGrant: boolean }>;
    const band = menu.find((m) => m.name.startsWith('高龄津贴'));
    expect(band).toMatchObject({ autoGrant: true, reasons: [`年满80周岁（${story.birthDate}出生）`] });
    // living alone at 80: the other 高龄 services too
    expect(menu.map((m) => m.name)).toEqual(expect.arrayContaining(['社区老年助餐', '社区助浴']));
    const inbox = (await t.request({ url: '/api/notifications?limit=100', token: resident })).json() as { items: Array<{ kind: string; text: string }> };
    const told = inbox.items.filter((n) => n.kind === 'service_matched' || n.kind === 'services_verified').map((n) => n.text).join('\n');
    expect(told).toContain('高龄津贴');
    expect(told).toContain('年满80周岁');
    // the story person is in the register as the police would send her, and her household is hers alone
    const found = (await t.request({ url: `/api/ledger/persons?q=${encodeURIComponent('王秀英')}`, token: worker })).json() as { items: Array<{ name: string; birthDate: string; address: string; tags: Array<{ code: string }> }> };
    const her = found.items.find((p) => p.birthDate === story.birthDate)!;
    expect(her).toMatchObject({ name: '王秀英', address: '浦东新区陆家嘴街道梅园一村9号楼1单元101室' });
    expect(her.tags.map((tag) => tag.code)).toEqual(expect.arrayContaining(['elderly', 'living_alone']));
  });

  it('lets the worker import the civil-affairs, health and disability federation lists: conflicts and probable duplicates to review follow', async () => {
    const listed = (await t.request({ url: '/api/ledger/demo-files', token: worker })).json() as { items: Array<{ name: string; source: string; url: string }> };
    for (const demo of listed.items.slice(1)) {
      const bytes = (await t.request({ url: demo.url, token: worker })).rawPayload;
      const body = await multipartBody({ source: demo.source }, { bytes, name: demo.name });
      const res = await t.app.inject({ method: 'POST', url: '/api/ledger/imports', headers: { authorization: `Bearer ${worker}`, 'content-type': body.contentType }, payload: body.payload });
      expect(res.statusCode, res.body).toBe(202);
      const { id } = res.json() as { id: string };
      let view: { status: string; rows: number; imported: number; rejected: number };
      do {
        await new Promise((resolve) => setTimeout(resolve, 20));
        view = (await t.request({ url: `/api/ledger/imports/${id}`, token: worker })).json() as typeof view;
      } while (view.status === 'running');
      expect(view.status).toBe('done');
      expect(view.imported).toBeGreaterThan(0);
    }
    await t.platform.events.drain();
    const stats = (await t.request({ url: '/api/ledger/stats', token: worker })).json() as { conflicts: number; pendingMatches: number };
    expect(stats.conflicts).toBeGreaterThan(0);
    const merges = (await t.request({ url: '/api/ledger/merges', token: worker })).json() as { items: unknown[] };
    // linkage ran after the imports: most duplicates merged on their own, the doubtful wait for the worker
    expect(merges.items.length + stats.pendingMatches).toBeGreaterThan(0);
    // the 残联 list gave the 残疾 tag (its authority): the committee's 残疾人基本情况 now writes itself
    const disabled = (await t.request({ url: '/api/reports/disability-basics?format=json', token: worker })).json() as { rowCount: number };
    expect(disabled.rowCount).toBeGreaterThan(0);
  }, 180_000);
});
