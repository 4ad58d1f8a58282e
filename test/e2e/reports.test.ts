import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextMonthlyRun } from '../../src/server/modules/reports/commands.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';
import { csvText, multipartBody, syntheticPerson } from '../helpers/ledger-data.ts';

const LUJIAZUI = '310115005';
const MEIYUAN = '310115005001'; // 梅园一村居委会
const HUIHAO = '310115005002'; // 汇豪天下居委会

type Who = 'steward' | 'worker' | 'dispatcher' | 'operator' | 'handler' | 'admin' | 'head';
interface ReportBody {
  template: { code: string; version: number };
  title: string;
  region: { code: string; name: string };
  asOf: string;
  generatedBy: string;
  columns: Array<{ key: string; label: string }>;
  rows: Array<{ kind: 'data' | 'subtotal' | 'total'; cells: Array<string | number | null> }>;
  rowCount: number;
}

// A small ledger of three departments: 公安 (people, homes, households), 民政 (低保), 残联 (残疾).
const elder = syntheticPerson(1, '1935-03-04'); // alone at 3号楼101室: 高龄, 独居
const mother = syntheticPerson(2, '1990-06-07'); // household H2, 户主, 低保
const child = syntheticPerson(3, '2015-08-09'); // household H2, 残疾
const huihaoElder = syntheticPerson(4, '1940-01-02'); // 汇豪天下, alone: 高龄, 独居

describe.each(ENGINES)('reports (多表合一) on %s', (engine) => {
  let t: TestApp;
  const token = {} as Record<Who, string>;

  const get = (who: Who, url: string, headers: Record<string, string> = {}) => t.request({ url, token: token[who], headers });
  const json = async (who: Who, url: string) => {
    const res = await get(who, url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ReportBody;
  };
  const errorOf = (res: LightMyRequestResponse) => ({ status: res.statusCode, code: (res.json() as { error: { code: string } }).error.code });

  async function importCsv(text: string, name: string, source: string) {
    const body = await multipartBody({ source }, { bytes: Buffer.from(text), name });
    const res = await t.app.inject({ method: 'POST', url: '/api/ledger/imports', headers: { authorization: `Bearer ${token.steward}`, 'content-type': body.contentType }, payload: body.payload });
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json() as { id: string };
    for (;;) {
      const view = (await get('steward', `/api/ledger/imports/${id}`)).json() as { status: string; imported: number; rejected: number };
      if (view.status !== 'running') return view;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async function workbook(res: LightMyRequestResponse) {
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    return book.worksheets[0]!;
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    for (const who of ['steward', 'worker', 'dispatcher', 'operator', 'handler', 'admin', 'head'] as Who[]) token[who] = await t.login(who);
    const police = await importCsv(
      csvText([
        ['记录编号', '姓名', '身份证号', '性别', '出生日期', '联系电话', '居住地址', '户号', '与户主关系', '所属居委'],
        ['GA-1', elder.name, elder.idNumber, elder.sex, elder.birthDate, elder.phone, '梅园一村3号楼101室', 'H1', '户主', '梅园一村居委会'],
        ['GA-2', mother.name, mother.idNumber, mother.sex, mother.birthDate, mother.phone, '梅园一村5号楼202室', 'H2', '户主', '梅园一村居委会'],
        ['GA-3', child.name, child.idNumber, child.sex, child.birthDate, '', '梅园一村5号楼202室', 'H2', '=HYPERLINK("http://x","子")', '梅园一村居委会'],
        ['GA-4', huihaoElder.name, huihaoElder.idNumber, huihaoElder.sex, huihaoElder.birthDate, huihaoElder.phone, '汇豪天下1号楼1801室', 'H3', '户主', '汇豪天下居委会'],
      ]),
      '公安.csv',
      '公安实有人口',
    );
    expect(police).toMatchObject({ status: 'done', imported: 4, rejected: 0 });
    expect(await importCsv(csvText([['姓名', '身份证号', '低保', '所属居委'], [mother.name, mother.idNumber, '是', '梅园一村居委会']]), '民政.csv', '民政')).toMatchObject({ status: 'done', imported: 1 });
    expect(await importCsv(csvText([['姓名', '身份证号', '残疾', '所属居委'], [child.name, child.idNumber, '是', '梅园一村居委会']]), '残联.csv', '残联')).toMatchObject({ status: 'done', imported: 1 });
  });
  afterAll(async () => t?.close());

  it('lists the shipped templates, marking those with sensitive data', async () => {
    const res = await get('worker', '/api/reports');
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: Array<{ code: string; name: string; sensitive: boolean; version: number; builtin: boolean }> }).items;
    expect(items.map((i) => i.name)).toEqual(expect.arrayContaining(['高龄老人名单', '独居老人关爱台账', '残疾人基本情况', '低保家庭名册', '人口统计表', '房屋人口对照表']));
    expect(items.filter((i) => i.sensitive).map((i) => i.code).sort()).toEqual(['dibao-households', 'disability-basics']);
    expect(items.every((i) => i.builtin && i.version === 1)).toBe(true);
    expect((await get('dispatcher', '/api/reports')).statusCode).toBe(200);
    expect(errorOf(await t.request({ url: '/api/reports', token: await t.login('resident') }))).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('高龄老人名单: grouped by committee with subtotals and a total; numbers masked; names in full only for committee staff', async () => {
    const body = await json('steward', `/api/reports/elderly-roster?region=${LUJIAZUI}`);
    expect(body).toMatchObject({ region: { code: LUJIAZUI, name: '陆家嘴街道' }, template: { code: 'elderly-roster', version: 1 }, rowCount: 2, generatedBy: '演示·数据管理员' });
    const col = (key: string) => body.columns.findIndex((c) => c.key === key);
    expect(body.rows.map((r) => r.kind)).toEqual(['data', 'subtotal', 'data', 'subtotal', 'total']);
    expect(body.rows[0]!.cells[col('name')]).toBe(elder.name);
    expect(body.rows[0]!.cells[col('committee')]).toBe('梅园一村居委会');
    expect(body.rows[0]!.cells[col('id_number')]).toBe(`310***********${elder.idNumber.slice(-4)}`);
    expect(body.rows[0]!.cells[col('phone')]).toBe(`139****${elder.phone.slice(-4)}`);
    expect(String(body.rows[0]!.cells[col('tags')])).toContain('高龄');
    expect(body.rows[1]!.cells[0]).toBe('小计（梅园一村居委会）：1 人');
    expect(body.rows[4]!.cells[0]).toBe('合计：2 人');

    // the street's desk reads the report without names in full, addresses or birth days
    const desk = await json('dispatcher', `/api/reports/elderly-roster?region=${LUJIAZUI}`);
    expect(desk.rows[0]!.cells[col('name')]).toBe(`${[...elder.name][0]}*`.padEnd([...elder.name].length, '*'));
    expect(desk.rows[0]!.cells[col('residence_address')]).toBeNull();
    expect(desk.rows[0]!.cells[col('birth_date')]).toBe('1935');
  });

  it('keeps a social worker to their committee: another committee or the street is not found', async () => {
    const own = await json('worker', '/api/reports/elderly-roster');
    expect(own.region.code).toBe(MEIYUAN);
    expect(own.rows.filter((r) => r.kind === 'data').map((r) => r.cells[1])).toEqual([elder.name]);
    expect(errorOf(await get('worker', `/api/reports/elderly-roster?region=${HUIHAO}`))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await get('worker', `/api/reports/elderly-roster?region=${LUJIAZUI}`))).toEqual({ status: 404, code: 'NOT_FOUND' });
    const population = await json('worker', '/api/reports/population-by-committee');
    expect(population.rows.filter((r) => r.kind === 'data')).toHaveLength(1);
  });

  it('残疾人基本情况 and 低保家庭名册: refused to roles without access to sensitive data; full ID numbers where the template needs them', async () => {
    expect(errorOf(await get('dispatcher', `/api/reports/disability-basics?region=${LUJIAZUI}`))).toEqual({ status: 403, code: 'REPORT_SENSITIVE_FORBIDDEN' });
    expect(errorOf(await get('operator', '/api/reports/dibao-households?format=xlsx'))).toEqual({ status: 403, code: 'REPORT_SENSITIVE_FORBIDDEN' });
    const disability = await json('worker', '/api/reports/disability-basics');
    const col = (key: string) => disability.columns.findIndex((c) => c.key === key);
    expect(disability.rowCount).toBe(1);
    expect(disability.rows[0]!.cells[col('id_number')]).toBe(child.idNumber);
    expect(disability.rows[0]!.cells[col('tag.dibao')]).toBe('');
    expect(disability.columns[col('tag.dibao')]!.label).toBe('是否低保');

    const dibao = await json('steward', `/api/reports/dibao-households?region=${LUJIAZUI}`);
    const h = (key: string) => dibao.columns.findIndex((c) => c.key === key);
    expect(dibao.rowCount).toBe(1);
    const row = dibao.rows[0]!.cells;
    expect(row[h('household_number')]).toBe('H2');
    expect(row[h('head_name')]).toBe(mother.name);
    expect(row[h('head_id_number')]).toBe(mother.idNumber);
    expect(row[h('member_count')]).toBe(2);
    expect(String(row[h('members')]).split('、').sort()).toEqual([mother.name, child.name].sort());
  });

  it('人口统计表: every committee of the region with street subtotals and the total, as the department’s XLSX', async () => {
    const body = await json('steward', `/api/reports/population-by-committee?region=${LUJIAZUI}`);
    expect(body.rowCount).toBe(35);
    const keys = body.columns.map((c) => c.key);
    const meiyuan = body.rows.find((r) => r.cells[1] === '梅园一村居委会')!.cells;
    expect(meiyuan[keys.indexOf('persons')]).toBe(3);
    expect(meiyuan[keys.indexOf('households')]).toBe(2);
    expect(meiyuan[keys.indexOf('dwellings')]).toBe(2);
    expect(meiyuan[keys.indexOf('living_alone')]).toBe(1);
    expect(meiyuan[keys.indexOf('age_80')]).toBe(1);
    expect(meiyuan[keys.indexOf('age_0_17')]).toBe(1);
    const total = body.rows.at(-1)!;
    expect(total.kind).toBe('total');
    expect(total.cells[0]).toBe('合计（陆家嘴街道）');
    expect(total.cells[keys.indexOf('persons')]).toBe(4);
    expect(body.rows.filter((r) => r.kind === 'subtotal')).toHaveLength(1);

    // the whole district: all 1,526 committees in one statement
    const district = await json('operator', '/api/reports/population-by-committee?region=310115');
    expect(district.rowCount).toBe(1526);
    expect(district.rows.filter((r) => r.kind === 'subtotal')).toHaveLength(42);

    const sheet = await workbook(await get('steward', `/api/reports/population-by-committee?region=${LUJIAZUI}&format=xlsx`));
    expect(sheet.getCell('A1').value).toBe('人口统计表（按居村委）');
    expect(String(sheet.getCell('A2').value)).toMatch(/区域：陆家嘴街道\s+统计截止日期：\d{4}-\d{2}-\d{2}/);
    expect(sheet.getRow(3).getCell(1).value).toBe('街镇');
    expect(sheet.getRow(3).getCell(1).font?.bold).toBe(true);
    expect(sheet.getRow(3).getCell(3).border?.top?.style).toBe('thin');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(sheet.getColumn(2).width).toBe(20);
    // 35 committees, 1 street subtotal, 1 total, a blank line, then 制表人 / 制表时间
    const totalRow = sheet.getRow(3 + 37);
    expect(totalRow.getCell(1).value).toBe('合计（陆家嘴街道）');
    expect(totalRow.getCell(1).font?.bold).toBe(true);
    expect(totalRow.getCell(3).value).toBe(4);
    expect(String(sheet.getRow(3 + 39).getCell(1).value)).toMatch(/^制表人：演示·数据管理员\s+制表时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(sheet.columnCount).toBe(body.columns.length);
  });

  it('房屋人口对照表: persons under their dwelling; a value that looks like a formula stays text in the XLSX', async () => {
    const body = await json('worker', '/api/reports/dwelling-population');
    expect(body.rows.map((r) => r.kind)).toEqual(['data', 'subtotal', 'data', 'data', 'subtotal', 'total']);
    expect(String(body.rows[4]!.cells[0])).toMatch(/^小计（.*5.*202.*）：2 人$/);
    const sheet = await workbook(await get('worker', '/api/reports/dwelling-population?format=xlsx'));
    const values: unknown[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => values.push(cell.value)));
    expect(values).toContain(`'=HYPERLINK("http://x","子")`);
    expect(values.some((v) => typeof v === 'object' && v !== null && 'formula' in v)).toBe(false);
  });

  it('audits every export: who, template, region, rows', async () => {
    await json('head', '/api/reports/elderly-roster');
    const entries = await t.platform.db.selectFrom('audit_log').select(['action', 'actor_username', 'details']).where('action', '=', 'report.export').orderBy('id', 'desc').limit(1).execute();
    expect(entries[0]).toMatchObject({ action: 'report.export', actor_username: 'head', details: { template: 'elderly-roster', version: 1, region: MEIYUAN, rows: 1, format: 'json' } });
  });

  it('refuses bad templates, regions and formats with stable codes', async () => {
    expect(errorOf(await get('steward', '/api/reports/no-such-report'))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await get('steward', '/api/reports/elderly-roster?format=pdf'))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await get('steward', '/api/reports/elderly-roster?region=abc'))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await get('steward', '/api/reports/elderly-roster?region=310115999999'))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await get('steward', '/api/reports/BAD!'))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('designs a template: validated against the catalogue, saved as versions, previewed', async () => {
    const definition = {
      kind: 'list',
      subject: 'person',
      title: '梅园一村80岁以上独居老人',
      filter: { tagsAll: ['elderly', 'living_alone'] },
      columns: [{ field: 'name' }, { field: 'age' }, { field: 'phone', unmasked: true }],
      totals: true,
    };
    const create = (who: Who, body: unknown) => t.request({ method: 'POST', url: '/api/reports/templates', token: token[who], body });
    expect(errorOf(await create('worker', { code: 'alone-80', name: '独居高龄', definition }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(errorOf(await create('steward', { code: 'alone-80', name: '独居高龄', definition: { ...definition, columns: [{ field: 'salary' }] } }))).toEqual({ status: 422, code: 'REPORT_TEMPLATE_INVALID' });
    expect(errorOf(await create('steward', { code: 'alone-80', name: '独居高龄', definition: { ...definition, filter: { tagsAll: ['unknown_tag'] } } }))).toEqual({ status: 422, code: 'REPORT_TEMPLATE_INVALID' });
    expect(errorOf(await create('steward', { code: 'alone-80', name: '独居高龄', definition: { ...definition, kind: 'pie' } }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await create('steward', { code: 'runs', name: '独居高龄', definition }))).toEqual({ status: 422, code: 'REPORT_TEMPLATE_INVALID' });
    const first = await create('steward', { code: 'alone-80', name: '独居高龄', definition });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ code: 'alone-80', version: 1, sensitive: false });
    const second = await create('steward', { code: 'alone-80', name: '独居高龄老人', definition: { ...definition, columns: [...definition.columns, { field: 'committee' }] } });
    expect(second.json()).toMatchObject({ version: 2, name: '独居高龄老人' });

    const latest = await json('steward', `/api/reports/alone-80?region=${LUJIAZUI}`);
    expect(latest.template.version).toBe(2);
    expect(latest.rowCount).toBe(2);
    // the data steward may see the full number the template asks for
    expect(latest.rows.map((r) => r.cells[2])).toContain(elder.phone);
    expect((await json('steward', `/api/reports/alone-80?region=${LUJIAZUI}&version=1`)).columns).toHaveLength(3);
    // the street's desk may not: masked even though the template asks
    expect((await json('dispatcher', `/api/reports/alone-80?region=${MEIYUAN}`)).rows[0]!.cells[2]).toBe(`139****${elder.phone.slice(-4)}`);

    const preview = await t.request({ method: 'POST', url: '/api/reports/preview', token: token.steward, body: { definition: { ...definition, filter: {} }, region: MEIYUAN } });
    expect(preview.statusCode, preview.body).toBe(200);
    expect((preview.json() as ReportBody).rowCount).toBe(3);
  });

  describe('runs and schedules', () => {
    let server: Server;
    let url: string;
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          received.push({ headers: req.headers, body });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/reports`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('keeps a run with its file for download, audited', async () => {
      const created = await t.request({ method: 'POST', url: '/api/reports/elderly-roster/runs', token: token.worker, body: {} });
      expect(created.statusCode, created.body).toBe(201);
      const run = created.json() as { id: string; rows: number; version: number; downloadUrl: string; createdBy: string; format: string };
      expect(run).toMatchObject({ rows: 1, version: 1, createdBy: '演示·社工', format: 'xlsx' });
      const list = (await get('worker', '/api/reports/runs')).json() as { items: Array<{ id: string }> };
      expect(list.items.map((r) => r.id)).toContain(run.id);
      const sheet = await workbook(await get('worker', run.downloadUrl));
      expect(sheet.getCell('A1').value).toBe('高龄老人名单');
      expect(errorOf(await get('dispatcher', '/api/reports/runs/00000000-0000-4000-8000-000000000000/file'))).toEqual({ status: 404, code: 'NOT_FOUND' });
      const audit = await t.platform.db.selectFrom('audit_log').select(['action']).where('object_id', '=', run.id).orderBy('id').execute();
      expect(audit.map((a) => a.action)).toEqual(['report.run', 'report.download']);
    });

    it('generates a scheduled report on its day and pushes it to the department’s inbox and to webhooks', async () => {
      const department = await t.platform.db.selectFrom('departments').select('id').where('code', '=', `${LUJIAZUI}-CGZD`).executeTakeFirstOrThrow();
      const hook = await t.request({ method: 'POST', url: '/api/webhooks', token: token.admin, body: { url, eventTypes: ['report.published'] } });
      expect(hook.statusCode, hook.body).toBe(201);
      expect(errorOf(await t.request({ method: 'POST', url: '/api/reports/schedules', token: token.worker, body: { template: 'population-by-committee', dayOfMonth: 1 } }))).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(errorOf(await t.request({ method: 'POST', url: '/api/reports/schedules', token: token.dispatcher, body: { template: 'disability-basics', dayOfMonth: 1 } }))).toEqual({ status: 403, code: 'REPORT_SENSITIVE_FORBIDDEN' });
      const created = await t.request({
        method: 'POST',
        url: '/api/reports/schedules',
        token: token.steward,
        body: { template: 'population-by-committee', region: LUJIAZUI, dayOfMonth: 5, hour: 8, departmentId: department.id },
      });
      expect(created.statusCode, created.body).toBe(201);
      const schedule = created.json() as { id: string; nextRunAt: string; departmentName: string };
      const due = new Date(schedule.nextRunAt);
      // 08:00 in Shanghai is 00:00 UTC
      expect(due.getUTCDate()).toBe(5);
      expect(due.getUTCHours()).toBe(0);

      // not yet due: nothing; then due: one run, and the schedule moves to the next month
      expect(await t.platform.jobs.runNow('reports.schedules', new Date(due.getTime() - 60_000))).toBe(0);
      expect(await t.platform.jobs.runNow('reports.schedules', new Date(due.getTime() + 60_000))).toBe(1);
      expect(await t.platform.jobs.runNow('reports.schedules', new Date(due.getTime() + 120_000))).toBe(0);
      const after = (await get('steward', '/api/reports/schedules')).json() as { items: Array<{ id: string; nextRunAt: string }> };
      expect(after.items.find((s) => s.id === schedule.id)!.nextRunAt).toBe(nextMonthlyRun(5, 8, new Date(due.getTime() + 60_000)).toISOString());

      await t.platform.events.drain();
      // the department's inbox: a message with the run, which the handler may download
      const inbox = (await get('handler', '/api/notifications')).json() as { items: Array<{ kind: string; text: string; params?: unknown }> };
      const message = inbox.items.find((n) => n.kind === 'report_published');
      expect(message?.text).toContain('人口统计表');
      const runs = (await get('handler', '/api/reports/runs')).json() as { items: Array<{ id: string; scheduleId: string | null; downloadUrl: string; createdBy: string }> };
      const pushed = runs.items.find((r) => r.scheduleId === schedule.id)!;
      expect(pushed.createdBy).toBe('演示·数据管理员（定时报表）');
      const sheet = await workbook(await get('handler', pushed.downloadUrl));
      expect(String(sheet.getCell('A2').value)).toContain('陆家嘴街道');

      // the webhook: a signed POST naming the run
      expect(await t.platform.jobs.runNow('webhooks.send')).toBe(1);
      expect(received).toHaveLength(1);
      const delivered = JSON.parse(received[0]!.body) as { type: string; data: { runId: string; template: string; regionCode: string; downloadUrl: string } };
      expect(delivered).toMatchObject({ type: 'report.published', data: { runId: pushed.id, template: 'population-by-committee', regionCode: LUJIAZUI, downloadUrl: pushed.downloadUrl } });
      expect(received[0]!.headers['x-gongzhi-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

      // paused: nothing more
      const paused = await t.request({ method: 'POST', url: `/api/reports/schedules/${schedule.id}/active`, token: token.steward, body: { active: false } });
      expect(paused.json()).toMatchObject({ active: false });
      expect(await t.platform.jobs.runNow('reports.schedules', new Date(due.getTime() + 400 * 86_400_000))).toBe(0);
    });
    it('moves a schedule on when its report can no longer be generated, and audits the failure', async () => {
      const definition = { kind: 'summary', title: '人数', filter: {}, groupBy: 'committee', measures: [{ key: 'persons', label: '人数', kind: 'persons' }], totals: false };
      expect((await t.request({ method: 'POST', url: '/api/reports/templates', token: token.steward, body: { code: 'sched-fail', name: '人数', definition } })).statusCode).toBe(201);
      const created = await t.request({ method: 'POST', url: '/api/reports/schedules', token: token.dispatcher, body: { template: 'sched-fail', dayOfMonth: 10 } });
      expect(created.statusCode, created.body).toBe(201);
      const schedule = created.json() as { id: string; nextRunAt: string };
      // a new version counts 低保, which the street's desk may not see
      const sensitive = { ...definition, measures: [{ key: 'dibao', label: '低保', kind: 'tag', tag: 'dibao' }] };
      expect((await t.request({ method: 'POST', url: '/api/reports/templates', token: token.steward, body: { code: 'sched-fail', name: '人数', definition: sensitive } })).json()).toMatchObject({ version: 2, sensitive: true });
      const due = new Date(new Date(schedule.nextRunAt).getTime() + 1000);
      expect(await t.platform.jobs.runNow('reports.schedules', due)).toBe(1);
      const failed = await t.platform.db.selectFrom('audit_log').select(['action', 'details']).where('object_id', '=', schedule.id).where('action', '=', 'report.schedule.failed').execute();
      expect(failed).toHaveLength(1);
      const runs = await t.platform.db.selectFrom('report_runs').select('id').where('schedule_id', '=', schedule.id).execute();
      expect(runs).toHaveLength(0);
      const after = (await get('dispatcher', '/api/reports/schedules')).json() as { items: Array<{ id: string; nextRunAt: string }> };
      expect(after.items.find((x) => x.id === schedule.id)!.nextRunAt).toBe(nextMonthlyRun(10, 8, due).toISOString());
    });
  });
});
