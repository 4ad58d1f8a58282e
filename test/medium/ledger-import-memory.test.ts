import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import v8 from 'node:v8';
import vm from 'node:vm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/server/platform/actor.ts';
import type { Platform } from '../../src/server/platform/platform.ts';
import { beginImport, IMPORT_BATCH_ROWS, inspectFile, runImport } from '../../src/server/modules/ledger/importer.ts';
import { prepareRow, type RowContext } from '../../src/server/modules/ledger/rows.ts';
import { readSheet, sniffFile } from '../../src/server/modules/ledger/sheet.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { csvText, syntheticPerson } from '../helpers/ledger-data.ts';

/**
 * Memory stays bounded however long the file: heap measured after forced garbage collections at
 * fixed points of the import (never timing). A reader or an import that kept rows would grow by
 * hundreds of bytes per row — tens of megabytes over these files.
 */

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const MB = 1024 * 1024;

const HEADER = ['记录编号', '姓名', '身份证号', '性别', '联系电话', '居住地址', '所属居委'];
const COMMITTEES = ['梅园一村居委会', '汇豪天下居委会'];

function dataRow(i: number): string[] {
  const p = syntheticPerson(i);
  return [`R${i}`, p.name, p.idNumber, p.sex, p.phone, `梅园一村${1 + (i % 40)}号楼${1 + (i % 3)}单元${100 + (i % 700)}室`, COMMITTEES[i % 2]!];
}

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(csvText([HEADER]));
  for (let i = 0; i < rows; i += 1000) {
    const chunk = csvText(Array.from({ length: Math.min(1000, rows - i) }, (_, k) => dataRow(i + k)));
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function writeXlsx(path: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = workbook.addWorksheet('名单');
  sheet.addRow(['2026年 演示 名单']).commit();
  sheet.addRow(HEADER).commit();
  for (let i = 0; i < rows; i += 1) sheet.addRow(dataRow(i)).commit();
  sheet.commit();
  await workbook.commit();
}

describe('ledger import memory', () => {
  let dir: string;
  let t: TestApp;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongzhi-ledger-memory-'));
    t = await createTestApp('pglite');
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function readerGrowth(path: string, rows: number): Promise<{ growth: number; seen: number; ready: number }> {
    const sniffed = await sniffFile(path);
    if (sniffed.format === null) throw new Error('not a sheet');
    const file = await inspectFile(t.platform, path, 'big', {});
    const index = {
      streets: [{ code: '310115005', name: '陆家嘴街道', path: '310115.310115005', streetName: null }],
      committees: COMMITTEES.map((name, i) => ({ code: `31011500500${i + 1}`, name, path: `310115.310115005.31011500500${i + 1}`, streetName: '陆家嘴街道' })),
    };
    const context: RowContext = { mapping: file.mapping, regions: index, tags: [], defaultCommittee: null, today: new Date() };
    let seen = 0;
    let ready = 0;
    let baseline = 0;
    let peak = 0;
    for await (const row of readSheet(path, sniffed)) {
      if (row.number <= file.mapping.headerRow) continue;
      if (prepareRow('公安实有人口', row.number, row.cells, context).kind === 'ready') ready += 1;
      seen += 1;
      if (seen === Math.floor(rows / 10)) baseline = heapAfterGc();
      if (seen > rows / 10 && seen % Math.floor(rows / 10) === 0) peak = Math.max(peak, heapAfterGc());
    }
    return { growth: peak - baseline, seen, ready };
  }

  it('streams a 200,000-row CSV (about 20 MB) with flat memory', async () => {
    const path = join(dir, 'big.csv');
    await writeCsv(path, 200_000);
    expect((await stat(path)).size).toBeGreaterThan(15 * MB);
    const { growth, seen, ready } = await readerGrowth(path, 200_000);
    expect(seen).toBe(200_000);
    expect(ready).toBe(200_000);
    expect(growth).toBeLessThan(8 * MB);
  }, 300_000);

  it('streams a 50,000-row XLSX with flat memory (beyond its shared-string table)', async () => {
    const path = join(dir, 'big.xlsx');
    await writeXlsx(path, 50_000);
    const { growth, seen, ready } = await readerGrowth(path, 50_000);
    expect(seen).toBe(50_000);
    expect(ready).toBe(50_000);
    expect(growth).toBeLessThan(8 * MB);
  }, 300_000);

  it('imports ten batches of rows into the database with flat memory', async () => {
    const rows = 10 * IMPORT_BATCH_ROWS;
    const path = join(dir, 'db.csv');
    await writeCsv(path, rows);
    const actor = systemActor('memory-test');
    const samples: number[] = [];
    let batches = 0;
    // the platform as the import sees it, sampling the heap after every batch transaction from the 2nd on
    const measured: Platform = {
      ...t.platform,
      transaction: async (who, work, options) => {
        const result = await t.platform.transaction(who, work, options);
        batches += 1;
        if (batches >= 3) samples.push(heapAfterGc());
        return result;
      },
    };
    const file = await inspectFile(measured, path, 'db.csv', {});
    const id = await beginImport(measured, actor, file, '公安实有人口');
    const outcome = await runImport(measured, actor, id, file, '公安实有人口');
    expect(outcome).toMatchObject({ status: 'done', counts: { rows, imported: rows, rejected: 0 } });
    const persons = await t.platform.db.selectFrom('ledger_persons').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(persons.n)).toBe(rows);
    expect(samples.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...samples.slice(1)) - samples[0]!).toBeLessThan(16 * MB);
  }, 600_000);

  it('stops at a batch that fails while the next is being read: failed, earlier batches kept', async () => {
    const path = join(dir, 'fails.csv');
    await writeCsv(path, Math.round(3.2 * IMPORT_BATCH_ROWS));
    const actor = systemActor('memory-test');
    let transactions = 0;
    // the import's own record, then batch 1 commits, batch 2 fails in the database, the rest never run
    const failing: Platform = {
      ...t.platform,
      transaction: (who, work, options) => {
        transactions += 1;
        if (transactions === 3) return Promise.reject(new Error('database went away'));
        return t.platform.transaction(who, work, options);
      },
    };
    const before = await t.platform.db.selectFrom('ledger_source_records').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const file = await inspectFile(failing, path, 'fails.csv', {});
    const id = await beginImport(failing, actor, file, '民政');
    const outcome = await runImport(failing, actor, id, file, '民政');
    expect(outcome).toMatchObject({ status: 'failed', counts: { rows: IMPORT_BATCH_ROWS, imported: IMPORT_BATCH_ROWS } });
    const after = await t.platform.db.selectFrom('ledger_source_records').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(IMPORT_BATCH_ROWS);
    const run = await t.platform.db.selectFrom('ledger_imports').select(['status', 'rows']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(run).toEqual({ status: 'failed', rows: IMPORT_BATCH_ROWS });
  }, 300_000);
});
