import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/server/platform/actor.ts';
import { verifyAuditChain } from '../../src/server/platform/audit.ts';
import { failStalledImports, IMPORT_STALL_MS } from '../../src/server/modules/ledger/commands.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';
import { csvText, encodeGbk, idNumberFor, multipartBody, syntheticPerson, xlsxBuffer } from '../helpers/ledger-data.ts';

const MEIYUAN = '310115005001'; // 梅园一村居委会, 陆家嘴
const HUIHAO = '310115005002'; // 汇豪天下居委会, 陆家嘴
const MAX_BYTES = 256 * 1024;

interface ImportView {
  id: string;
  status: 'running' | 'done' | 'failed';
  rows: number;
  imported: number;
  unchanged: number;
  rejected: number;
  conflicts: number;
  headerRow: number | null;
  message: string | null;
}
interface PersonView {
  id: string;
  name: string;
  idNumber: string | null;
  phone: string | null;
  birthDate: string | null;
  address: string | null;
  regionCode: string;
  tags: Array<{ code: string; name: string }>;
}
interface PersonDetailView extends PersonView {
  sources: Array<{ source: string; recordKey: string }>;
  fields: Array<{ field: string; value: string | null; source: string; authoritative: boolean }>;
  history: Array<{ field: string; value: string | null; source: string; outcome: string; recordKey: string | null }>;
  conflicts: Array<{ field: string; currentValue: string | null; currentSource: string; proposedValue: string | null; proposedSource: string }>;
}

const HEADER = ['记录编号', '姓名', '身份证号', '性别', '出生日期', '联系电话', '居住地址', '所属居委', '备注'];

describe.each(ENGINES)('the committee ledger on %s', (engine) => {
  let t: TestApp;
  const token: Record<'steward' | 'worker' | 'dispatcher' | 'resident' | 'head', string> = { steward: '', worker: '', dispatcher: '', resident: '', head: '' };

  beforeAll(async () => {
    t = await createTestApp(engine, { ledgerImportMaxBytes: MAX_BYTES });
    for (const who of Object.keys(token) as Array<keyof typeof token>) token[who] = await t.login(who);
  });
  afterAll(async () => t?.close());

  const errorOf = (res: LightMyRequestResponse) => ({ status: res.statusCode, code: (res.json() as { error: { code: string } }).error.code });

  async function upload(who: keyof typeof token, file: { bytes: Buffer; name: string } | null, fields: Record<string, string>, url = '/api/ledger/imports') {
    const body = await multipartBody(fields, file);
    return t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token[who]}`, 'content-type': body.contentType }, payload: body.payload });
  }

  /** Uploads, then follows the import until it ends (polling its status, as the console does). */
  async function importAndWait(who: keyof typeof token, bytes: Buffer, name: string, source: string, mapping?: Record<string, string>): Promise<ImportView> {
    const res = await upload(who, { bytes, name }, { source, ...(mapping ? { mapping: JSON.stringify(mapping) } : {}) });
    expect(res.statusCode, res.body).toBe(202);
    const started = res.json() as { id: string; status: string };
    expect(started.status).toBe('running');
    return waitFor(who, started.id);
  }

  /** Polls an import's status until it ends, yielding to I/O between polls (the import reads its file). */
  async function waitFor(who: keyof typeof token, id: string): Promise<ImportView> {
    for (;;) {
      const view = await t.request({ url: `/api/ledger/imports/${id}`, token: token[who] });
      expect(view.statusCode).toBe(200);
      const body = view.json() as ImportView;
      if (body.status !== 'running') return body;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  const persons = async (who: keyof typeof token, query = '') => {
    const res = await t.request({ url: `/api/ledger/persons${query}`, token: token[who] });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: PersonView[]; total: number };
  };
  const detail = (who: keyof typeof token, id: string) => t.request({ url: `/api/ledger/persons/${id}`, token: token[who] });
  const counts = async () => {
    const row = await sql<{ persons: string; imports: string; history: string; records: string }>`
      select (select count(*) from ledger_persons) as persons, (select count(*) from ledger_imports) as imports,
             (select count(*) from ledger_field_history) as history, (select count(*) from ledger_source_records) as records`.execute(t.platform.db);
    return row.rows[0]!;
  };

  const elder = syntheticPerson(1, '1940-03-15'); // 86 years old: 高龄
  const young = syntheticPerson(2, '1985-07-01');
  const huihao = syntheticPerson(3, '1950-01-01');
  const gbkPerson = syntheticPerson(4, '1962-11-30');
  const old15 = '310115' + '400101' + '123'; // a first-generation 15-digit number: born 1940-01-01, male
  const badCheck = elder.idNumber.slice(0, 17) + (elder.idNumber[17] === '1' ? '2' : '1');

  const police = csvText([
    HEADER,
    ['GA-001', elder.name, elder.idNumber, elder.sex, elder.birthDate, elder.phone, '浦东新区陆家嘴街道梅园一村3号楼2单元502室', '梅园一村居委会', '演示'],
    ['GA-002', young.name, young.idNumber, young.sex, '', young.phone, '梅园一村三号楼二单元五〇二室', '梅园一村', ''],
    ['GA-003', huihao.name, huihao.idNumber, huihao.sex, '18264', '021-5888 1234', '汇豪天下5号楼1801室', '汇豪天下居委会', ''],
    ['', '', '', '', '', '', '', '', ''],
    ['GA-004', '刘一', badCheck, '男', '', '', '', '梅园一村居委会', ''],
    ['GA-005', '赵老伯', old15, '男', '1940-01-01', '12345', '梅园一村7号楼101室', '梅园一村居委会', ''],
    ['GA-006', '=HYPERLINK("http://x","点我")', gbkPerson.idNumber, '', '', '', '', '梅园一村居委会', ''],
    ['GA-007', '孙某', '', '女', '', '', '', '不存在居委会', ''],
  ]);

  it('imports a department CSV: validates every row, keeps good rows, refuses bad ones with reasons', async () => {
    const view = await importAndWait('steward', Buffer.from(police), '公安实有人口.csv', '公安实有人口');
    expect(view).toMatchObject({ status: 'done', headerRow: 1, rows: 7, imported: 4, rejected: 3, unchanged: 0, conflicts: 0 });

    const all = await persons('steward', '?limit=200');
    expect(all.total).toBe(4);
    const byName = new Map(all.items.map((p) => [p.name, p]));
    // the 15-digit number is upgraded; the bad phone is left out but the row stays
    const zhao = byName.get('赵老伯')!;
    expect(zhao.idNumber).toMatch(/^310\*{11}123[\dX]$/);
    expect(zhao.phone).toBeNull();
    // the Excel serial is a date (18264 = 1950-01-01) and agrees with the ID number
    expect(byName.get(huihao.name)).toMatchObject({ birthDate: '1950-01-01', regionCode: HUIHAO, phone: '*******1234' });
    // masked by default even for the data steward
    expect(byName.get(elder.name)).toMatchObject({ idNumber: `310***********${elder.idNumber.slice(-4)}`, phone: `139****${elder.phone.slice(-4)}` });
    // derived tags: 高龄 from the birth date
    expect(byName.get(elder.name)!.tags.map((x) => x.code)).toContain('elderly');
    expect(byName.get(young.name)!.tags.map((x) => x.code)).not.toContain('elderly');
  });

  it('writes the error report as XLSX with row numbers and reasons, formulas neutralised', async () => {
    const list = await t.platform.db.selectFrom('ledger_imports').select('id').orderBy('created_at').executeTakeFirstOrThrow();
    const res = await t.request({ url: `/api/ledger/imports/${list.id}/errors.xlsx`, token: token.steward });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows: string[][] = [];
    workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    expect(rows[1]).toEqual(['行号', '字段', '问题', '处理', '原始内容']);
    const problems = rows.slice(2);
    expect(problems).toContainEqual(['6', '身份证号', expect.stringContaining('校验位'), '整行未导入', badCheck]);
    expect(problems).toContainEqual(['7', '联系电话', expect.stringContaining('电话号码不正确'), '该项未导入，其余已导入', '12345']);
    expect(problems).toContainEqual(['9', '所属居委', expect.stringContaining('所属居委不存在'), '整行未导入', '不存在居委会']);
    const formula = problems.find((p) => p[0] === '8')!;
    expect(formula[4]).toBe(`'=HYPERLINK("http://x","点我")`);
    // no cell anywhere starts with a formula character
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('re-importing the same file changes nothing', async () => {
    const before = await counts();
    const view = await importAndWait('steward', Buffer.from(police), '公安实有人口.csv', '公安实有人口');
    expect(view).toMatchObject({ status: 'done', rows: 7, imported: 0, unchanged: 4, rejected: 3, conflicts: 0 });
    const after = await counts();
    expect({ ...after, imports: before.imports }).toEqual(before);
    expect(Number(after.imports)).toBe(Number(before.imports) + 1);
  });

  it('keeps one source per field (一数一源): a non-authoritative value opens a conflict, the authority replaces', async () => {
    const elderId = (await persons('steward', `?q=${elder.idNumber.slice(-4)}`)).items.find((p) => p.name === elder.name)!.id;
    // 民政 says another address (民政 is not the authority for addresses) and 低保 (it is for 低保)
    const civil = csvText([
      ['序号', '姓名', '公民身份号码', '现住址', '低保', '所属居委'],
      ['1', elder.name, elder.idNumber, '梅园一村9号楼101室', '是', '梅园一村'],
    ]);
    const view = await importAndWait('steward', Buffer.from(civil), '民政低保.csv', '民政');
    expect(view).toMatchObject({ status: 'done', imported: 1, conflicts: 1 });
    let d = (await detail('steward', elderId)).json() as PersonDetailView;
    expect(d.fields.find((f) => f.field === 'residence_address')).toMatchObject({ value: '浦东新区陆家嘴街道梅园一村3号楼2单元502室', source: '公安实有人口', authoritative: true });
    expect(d.fields.find((f) => f.field === 'tag.dibao')).toMatchObject({ value: 'yes', source: '民政', authoritative: true });
    expect(d.tags.map((x) => x.code)).toEqual(expect.arrayContaining(['elderly', 'dibao']));
    expect(d.conflicts).toEqual([expect.objectContaining({ field: 'residence_address', currentSource: '公安实有人口', proposedValue: '梅园一村9号楼101室', proposedSource: '民政' })]);
    expect(d.sources).toEqual(expect.arrayContaining([{ source: '公安实有人口', recordKey: 'GA-001', receivedAt: expect.any(String) }, expect.objectContaining({ source: '民政' })]));
    expect(d.history.filter((h) => h.field === 'residence_address').map((h) => [h.source, h.outcome])).toEqual([
      ['公安实有人口', 'set'],
      ['民政', 'conflict'],
    ]);

    // 卫健 writes the same dwelling its own way: that agrees with the register, no conflict to review
    const health = csvText([
      ['序号', '姓名', '公民身份号码', '现住址', '所属居委'],
      ['1', elder.name, elder.idNumber, '梅园一村三号楼二单元五〇二室', '梅园一村'],
    ]);
    expect(await importAndWait('steward', Buffer.from(health), '卫健.csv', '卫健')).toMatchObject({ status: 'done', imported: 1, conflicts: 0 });
    d = (await detail('steward', elderId)).json() as PersonDetailView;
    expect(d.fields.find((f) => f.field === 'residence_address')).toMatchObject({ value: '浦东新区陆家嘴街道梅园一村3号楼2单元502室', source: '公安实有人口' });
    expect(d.conflicts).toHaveLength(1);

    // the authority changes the address: it replaces the value; the history keeps all three
    const moved = police.replace('浦东新区陆家嘴街道梅园一村3号楼2单元502室', '梅园一村8号楼303室');
    const again = await importAndWait('steward', Buffer.from(moved), '公安实有人口-更新.csv', '公安实有人口');
    expect(again).toMatchObject({ status: 'done', imported: 1, unchanged: 3 });
    d = (await detail('steward', elderId)).json() as PersonDetailView;
    expect(d.fields.find((f) => f.field === 'residence_address')).toMatchObject({ value: '梅园一村8号楼303室', source: '公安实有人口' });
    expect(d.history.filter((h) => h.field === 'residence_address').map((h) => h.outcome)).toEqual(['set', 'conflict', 'confirmed', 'replaced']);
    expect(d.history.find((h) => h.outcome === 'replaced')!.recordKey).toBe('GA-001');
  });

  it('imports GBK CSV and XLSX with a merged title row, Excel dates and empty rows', async () => {
    const gbk = encodeGbk(csvText([
      ['姓名', '身份证号', '联系电话', '所属居委'],
      [gbkPerson.name, gbkPerson.idNumber, gbkPerson.phone, '梅园一村居委会'],
    ]));
    const gbkView = await importAndWait('steward', gbk, '卫健.csv', '卫健');
    expect(gbkView).toMatchObject({ status: 'done', imported: 1, rejected: 0 });
    expect((await persons('steward', `?q=${encodeURIComponent(gbkPerson.name)}`)).items.map((p) => p.name)).toContain(gbkPerson.name);

    const p5 = syntheticPerson(5, '1931-05-06');
    const p6 = syntheticPerson(6, '2001-12-24');
    const xlsx = await xlsxBuffer(
      [
        ['姓名', '公民身份号码', '出生年月', '手机', '现住址', '所属居委', '残疾'],
        [p5.name, p5.idNumber, new Date('1931-05-06T00:00:00Z'), p5.phone, '梅园一村11号楼1单元101室', '梅园一村居委会', '是'],
        [null, null, null, null, null, null, null],
        [p6.name, p6.idNumber, 37249, p6.phone, '梅园一村11号楼1单元102室', '梅园一村居委会', '否'],
        // an ID number typed into a number cell: Excel keeps only 15–17 significant digits
        ['钱七', Number('310115195001011234'), null, null, null, '梅园一村居委会', null],
      ],
      { title: '2026年梅园一村残疾人基本情况', textColumns: [2] },
    );
    const view = await importAndWait('steward', xlsx, '残联.xlsx', '残联');
    expect(view).toMatchObject({ status: 'done', headerRow: 2, rows: 3, imported: 2, rejected: 1 });
    const errors = await t.platform.db.selectFrom('ledger_import_errors').select(['row_number', 'reason']).where('import_id', '=', view.id).execute();
    expect(errors).toEqual([{ row_number: 6, reason: 'id_number_lost_digits' }]);
    const found = (await persons('steward', `?q=${p5.idNumber.slice(-4)}`)).items.find((p) => p.name === p5.name)!;
    expect(found).toMatchObject({ birthDate: '1931-05-06' });
    expect(found.tags.map((x) => x.code)).toEqual(expect.arrayContaining(['elderly', 'disability']));
  });

  it('searches by pinyin initials, ID tail and address; filters by tag and region', async () => {
    // elder is 李伟 (li wei), young is 张伟 (zhang wei)
    expect(elder.name).toBe('李伟');
    expect((await persons('steward', '?q=lw')).items.map((p) => p.name).sort()).toEqual(['刘伟', '李伟'].sort());
    expect((await persons('steward', '?q=ZW')).items.map((p) => p.name)).toEqual(['张伟']);
    expect((await persons('steward', '?q=汇豪天下')).items.map((p) => p.name)).toEqual([huihao.name]);
    expect((await persons('steward', `?tag=${encodeURIComponent('高龄')}`)).items.map((p) => p.name).sort()).toEqual([elder.name, '赵老伯', syntheticPerson(5, '1931-05-06').name].sort());
    expect((await persons('steward', `?region=${HUIHAO}`)).total).toBe(1);
  });

  it('masks by role, reveals one value with a reason and audits it', async () => {
    const elderRow = (await persons('worker', '?tag=dibao')).items[0]!;
    expect(elderRow).toMatchObject({ name: elder.name, idNumber: `310***********${elder.idNumber.slice(-4)}` });

    // a street dispatcher reads the ledger but not names in full, addresses or welfare tags
    const desk = (await persons('dispatcher', `?q=${elder.idNumber.slice(-4)}`)).items.find((p) => p.id === elderRow.id)!;
    expect(desk.name).toBe(`${elder.name[0]}*`);
    expect(desk.address).toBeNull();
    expect(desk.tags.map((x) => x.code)).not.toContain('dibao');
    expect((await persons('dispatcher', '?tag=dibao')).total).toBe(0);
    const deskDetail = (await detail('dispatcher', elderRow.id)).json() as PersonDetailView;
    expect(deskDetail.fields.map((f) => f.field)).not.toContain('tag.dibao');
    expect(JSON.stringify(deskDetail)).not.toContain(elder.idNumber);
    expect(JSON.stringify(deskDetail)).not.toContain(elder.phone);

    const reveal = (who: keyof typeof token, body: unknown) => t.request({ method: 'POST', url: `/api/ledger/persons/${elderRow.id}/reveal`, token: token[who], body });
    expect(errorOf(await reveal('dispatcher', { field: 'id_number', reason: '核对身份' }))).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(errorOf(await reveal('worker', { field: 'id_number' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await reveal('worker', { field: 'name', reason: '核对' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const res = await reveal('worker', { field: 'id_number', reason: '办理高龄津贴核对身份' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ field: 'id_number', value: elder.idNumber });
    const audit = await t.platform.db.selectFrom('audit_log').select(['actor_username', 'reason', 'details']).where('action', '=', 'ledger.person.reveal').where('object_id', '=', elderRow.id).execute();
    expect(audit).toEqual([{ actor_username: 'worker', reason: '办理高龄津贴核对身份', details: { field: 'id_number', present: true } }]);
    expect((await verifyAuditChain(t.platform.db)).ok).toBe(true);
  });

  it('isolates committees: a social worker sees only their own, and imports only into it', async () => {
    const huihaoId = (await persons('steward', `?region=${HUIHAO}`)).items[0]!.id;
    expect((await detail('worker', huihaoId)).statusCode).toBe(404);
    expect(errorOf(await t.request({ method: 'POST', url: `/api/ledger/persons/${huihaoId}/reveal`, token: token.worker, body: { field: 'phone', reason: '回访' } }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    const mine = await persons('worker', '?limit=200');
    expect(mine.items.every((p) => p.regionCode === MEIYUAN)).toBe(true);
    expect((await persons('worker', `?region=${HUIHAO}`)).total).toBe(0);
    expect(errorOf(await t.request({ url: `/api/ledger/stats?region=${HUIHAO}`, token: token.worker }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    const stats = (await t.request({ url: '/api/ledger/stats', token: token.worker })).json() as Record<string, number>;
    expect(stats).toMatchObject({ persons: mine.total, pendingMatches: 0, conflicts: 1 });
    const all = (await t.request({ url: '/api/ledger/stats', token: token.steward })).json() as Record<string, number>;
    expect(all.persons).toBe(mine.total + 1);

    // the worker's own rows without a committee column land in their committee; another committee is refused
    const p7 = syntheticPerson(7);
    const csv = csvText([
      ['姓名', '身份证号', '所属居委'],
      [p7.name, p7.idNumber, ''],
      ['周八', idNumberFor('1990-02-03', 11), '汇豪天下居委会'],
    ]);
    const view = await importAndWait('worker', Buffer.from(csv), '走访.csv', '社工走访');
    expect(view).toMatchObject({ status: 'done', imported: 1, rejected: 1 });
    expect((await persons('worker', `?q=${p7.idNumber.slice(-4)}`)).items.map((p) => [p.name, p.regionCode])).toContainEqual([p7.name, MEIYUAN]);
    expect((await t.request({ url: `/api/ledger/imports/${view.id}`, token: token.dispatcher })).statusCode).toBe(403);
    expect((await t.request({ url: `/api/ledger/persons`, token: token.resident })).statusCode).toBe(403);
  });

  it('refuses files that are not spreadsheets, too large, headerless or from an unknown source — nothing imported', async () => {
    const before = await counts();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    expect(errorOf(await upload('steward', { bytes: png, name: 'list.csv' }, { source: '民政' }))).toEqual({ status: 415, code: 'LEDGER_IMPORT_NOT_SPREADSHEET' });
    const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)]);
    expect(errorOf(await upload('steward', { bytes: xls, name: 'old.xls' }, { source: '民政' }))).toEqual({ status: 415, code: 'LEDGER_IMPORT_NOT_SPREADSHEET' });
    expect(errorOf(await upload('steward', { bytes: Buffer.from('PK\u0003\u0004 not really a zip'), name: 'x.xlsx' }, { source: '民政' }))).toEqual({ status: 422, code: 'LEDGER_IMPORT_UNREADABLE' });
    expect(errorOf(await upload('steward', { bytes: Buffer.alloc(0), name: 'empty.csv' }, { source: '民政' }))).toEqual({ status: 422, code: 'LEDGER_IMPORT_EMPTY' });
    expect(errorOf(await upload('steward', { bytes: Buffer.from('a,b,c\n1,2,3\n'), name: 'x.csv' }, { source: '民政' }))).toEqual({ status: 422, code: 'LEDGER_IMPORT_NO_HEADER' });
    // the preview names the row a person would map by hand (below a title row), and the hand-made mapping finds it
    const untitled = Buffer.from('2026年走访名单,,\n居民,证件（18位）,住处\n张三,310115195001011234,梅园一村\n');
    const unmapped = await upload('worker', { bytes: untitled, name: 'x.csv' }, { source: '社工走访' }, '/api/ledger/imports/preview');
    expect(unmapped.statusCode).toBe(422);
    expect(unmapped.json()).toMatchObject({ error: { code: 'LEDGER_IMPORT_NO_HEADER', details: { row: 2, headers: ['居民', '证件(18位)', '住处'] } } });
    const mapped = await upload('worker', { bytes: untitled, name: 'x.csv' }, { source: '社工走访', mapping: JSON.stringify({ 居民: 'name', '证件(18位)': 'id_number' }) }, '/api/ledger/imports/preview');
    expect(mapped.statusCode, mapped.body).toBe(200);
    expect(mapped.json()).toMatchObject({ headerRow: 2, columns: [{ target: 'name' }, { target: 'id_number' }, { target: null }] });
    expect(errorOf(await upload('steward', { bytes: Buffer.from(police), name: 'x.csv' }, { source: '不知道' }))).toEqual({ status: 422, code: 'LEDGER_SOURCE_UNKNOWN' });
    expect(errorOf(await upload('steward', { bytes: Buffer.from(police), name: 'x.csv' }, {}))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await upload('steward', null, { source: '民政' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await upload('steward', { bytes: Buffer.from(police), name: 'x.csv' }, { source: '民政', mapping: '{"姓名":"password"}' }))).toEqual({ status: 422, code: 'LEDGER_MAPPING_INVALID' });
    const big = Buffer.from(csvText([HEADER, ...Array.from({ length: 5000 }, (_, i) => [`K${i}`, '张三', '', '', '', '', '', '梅园一村', 'x'.repeat(40)])]));
    expect(big.length).toBeGreaterThan(MAX_BYTES);
    expect(errorOf(await upload('steward', { bytes: big, name: 'big.csv' }, { source: '民政' }))).toEqual({ status: 413, code: 'LEDGER_IMPORT_TOO_LARGE' });
    // a declared 2 GB body is refused before it is read
    const declared = await t.app.inject({ method: 'POST', url: '/api/ledger/imports', headers: { authorization: `Bearer ${token.steward}`, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(2 * 1024 ** 3) }, payload: '--x--' });
    expect(errorOf(declared).status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it('previews the detected mapping and the first rows without writing anything', async () => {
    const before = await counts();
    const res = await upload('worker', { bytes: Buffer.from(police), name: 'p.csv' }, { source: 'police' }, '/api/ledger/imports/preview');
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json() as { format: string; encoding: string; headerRow: number; columns: Array<{ header: string; target: string | null }>; rows: Array<{ rowNumber: number; status: string; values: Record<string, string>; problems: Array<{ code: string; effect: string }> }> };
    expect(preview).toMatchObject({ format: 'csv', encoding: 'utf-8', headerRow: 1 });
    expect(preview.columns.map((c) => c.target)).toEqual(['record_key', 'name', 'id_number', 'sex', 'birth_date', 'phone', 'residence_address', 'committee', 'note']);
    expect(preview.rows.find((r) => r.rowNumber === 2)).toMatchObject({ status: 'ready', values: { name: elder.name, id_number: `310***********${elder.idNumber.slice(-4)}` } });
    // the worker's scope is 梅园一村: the 汇豪天下 row would be refused
    expect(preview.rows.find((r) => r.rowNumber === 4)).toMatchObject({ status: 'rejected', problems: [{ code: 'committee_unknown', effect: 'reject' }] });
    expect(await counts()).toEqual(before);
  });

  it('places persons in dwellings and households; 独居 follows who lives where', async () => {
    // young lives at 梅园一村3号楼2单元502室 (written with Chinese numerals), alone since elder moved out
    const youngRow = () => persons('worker', `?q=${young.idNumber.slice(-4)}`).then((r) => r.items.find((p) => p.name === young.name)!);
    expect((await youngRow()).tags.map((x) => x.code)).toContain('living_alone');
    const spouse = syntheticPerson(8, '1986-02-14');
    const households = csvText([
      ['户号', '姓名', '身份证号', '与户主关系', '居住地址', '所属居委', '紧急联系人', '紧急联系人电话'],
      ['H-0001', young.name, young.idNumber, '户主', '梅园一村3号楼2单元502室', '梅园一村居委会', spouse.name, spouse.phone],
      ['H-0001', spouse.name, spouse.idNumber, '配偶', '梅园一村 3-2-502', '梅园一村居委会', young.name, young.phone],
    ]);
    const view = await importAndWait('steward', Buffer.from(households), '户籍.csv', '公安实有人口');
    expect(view).toMatchObject({ status: 'done', imported: 2, rejected: 0 });
    const now = await youngRow();
    expect(now.tags.map((x) => x.code)).not.toContain('living_alone');
    const d = (await detail('worker', now.id)).json() as PersonDetailView & { householdNumber: string };
    expect(d.householdNumber).toBe('H-0001');
    expect(d.fields.find((f) => f.field === 'emergency_contact_phone')).toMatchObject({ value: `139****${spouse.phone.slice(-4)}`, source: '公安实有人口', authoritative: false });
    const dwellings = await t.platform.db.selectFrom('ledger_persons as p').innerJoin('ledger_dwellings as w', 'w.id', 'p.dwelling_id').select(['p.name', 'w.dwelling_key']).where('p.name', 'in', [young.name, spouse.name]).execute();
    expect(dwellings.map((r) => r.dwelling_key)).toEqual(['梅园一村|3|2|502', '梅园一村|3|2|502']);
    const stats = (await t.request({ url: `/api/ledger/stats?region=${MEIYUAN}`, token: token.worker })).json() as Record<string, number>;
    expect(stats.households).toBe(1);
  });

  it('saves a column mapping and imports a file with unusual headers through it', async () => {
    const bad = await t.request({ method: 'POST', url: '/api/ledger/mappings', token: token.worker, body: { name: '房管导出', source: '房管', columns: { 居民: 'password' } } });
    expect(errorOf(bad)).toEqual({ status: 422, code: 'LEDGER_MAPPING_INVALID' });
    const saved = await t.request({ method: 'POST', url: '/api/ledger/mappings', token: token.worker, body: { name: '房管导出', source: 'housing', columns: { 居民: 'name', 证件: 'id_number', 房屋: 'residence_address' } } });
    expect(saved.statusCode, saved.body).toBe(201);
    const mapping = saved.json() as { id: string; source: string };
    expect(mapping.source).toBe('房管');
    const list = (await t.request({ url: '/api/ledger/mappings', token: token.worker })).json() as { items: Array<{ id: string; name: string }> };
    expect(list.items.map((m) => m.name)).toEqual(['房管导出']);
    expect(((await t.request({ url: '/api/ledger/mappings', token: token.steward })).json() as { items: unknown[] }).items).toHaveLength(1);

    const p9 = syntheticPerson(9);
    const file = Buffer.from(csvText([['居民', '证件', '房屋'], [p9.name, p9.idNumber, '梅园一村12号楼3单元301室']]));
    // without the mapping, 居民 and 证件 mean nothing
    expect(errorOf(await upload('worker', { bytes: file, name: 'f.csv' }, { source: '房管' }))).toEqual({ status: 422, code: 'LEDGER_IMPORT_NO_HEADER' });
    const res = await upload('worker', { bytes: file, name: 'f.csv' }, { source: '房管', mappingId: mapping.id });
    expect(res.statusCode, res.body).toBe(202);
    const id = (res.json() as { id: string }).id;
    expect(await waitFor('worker', id)).toMatchObject({ status: 'done', imported: 1 });
    expect((await persons('worker', `?q=${p9.idNumber.slice(-4)}`)).items.map((p) => [p.name, p.regionCode])).toEqual([[p9.name, MEIYUAN]]);
    // another committee's worker does not see this mapping
    expect(errorOf(await upload('dispatcher', { bytes: file, name: 'f.csv' }, { source: '房管', mappingId: mapping.id }))).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('marks an import whose process stopped as failed, and leaves running ones alone', async () => {
    const insert = (minutesAgo: number) =>
      t.platform.db
        .insertInto('ledger_imports')
        .values({ source_name: '民政', file_name: 'x.csv', format: 'csv', region_path: '310115', created_by: null, header_row: 1, message: null, finished_at: null, progressed_at: new Date(Date.now() - minutesAgo * 60_000) })
        .returning('id')
        .executeTakeFirstOrThrow();
    const stalled = await insert(IMPORT_STALL_MS / 60_000 + 1);
    const alive = await insert(1);
    const failed = await t.platform.transaction(systemActor('test'), (ctx) => failStalledImports(ctx, new Date()));
    expect(failed).toBe(1);
    const view = (await t.request({ url: `/api/ledger/imports/${stalled.id}`, token: token.steward })).json() as ImportView;
    expect(view).toMatchObject({ status: 'failed', message: 'LEDGER_IMPORT_INTERRUPTED' });
    expect(((await t.request({ url: `/api/ledger/imports/${alive.id}`, token: token.steward })).json() as ImportView).status).toBe('running');
  });
});
