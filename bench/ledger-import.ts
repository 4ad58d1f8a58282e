import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/server/config.ts';
import { startServer, type RunningServer } from '../src/server/bootstrap.ts';
import { systemActor } from '../src/server/platform/actor.ts';
import { importFile } from '../src/server/modules/ledger/importer.ts';
import { readSheet, sniffFile } from '../src/server/modules/ledger/sheet.ts';
import { csvText, idNumberFor } from '../test/helpers/ledger-data.ts';
import { postgresServerUrl, withPostgresDatabase, type EngineLabel } from './support.ts';

/**
 * Ledger import: a department's CSV (公安实有人口, the authority for identity and addresses) of N
 * rows streamed through the real import path (`importFile`, what `gongzhi ledger import` runs:
 * sniffing, header detection, validation, 一数一源, history, source records, dwellings, households,
 * audit and event per batch) into an empty ledger, as rows/s against a bare multi-row INSERT of the
 * same file's rows (read by the same reader, every cell as text) into a plain table in the same run.
 * Peak heap and RSS are sampled during the import.
 *
 * The file is deterministic: persons spread over the installation's committees (the real region
 * tree), about 2.6 to a household at one dwelling, unique valid ID numbers, and a few per cent of
 * the errors departments' files have: bad check digits, names missing, unknown committees (refused);
 * mobile numbers with a digit missing (left out); dates as Excel serials and with slashes.
 */

const ROWS_POSTGRES = Number(process.env.BENCH_LEDGER_ROWS ?? 1_000_000);
const ROWS_PGLITE = Number(process.env.BENCH_LEDGER_ROWS_PGLITE ?? 200_000);
const BARE_BATCH = 1000;

const HEADER = ['序号', '记录编号', '姓名', '公民身份号码', '性别', '出生日期', '联系电话', '户籍地址', '现住址', '所属居委', '户号', '与户主关系', '人员类别', '备注'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华建国桂玉兰志海燕平刚辉鹏红霞林飞斌宇浩凯健俊帆帅旭宁颖琳晶欣怡佳雪梅琴云莉萍慧婷';
const RELATIONS = ['户主', '配偶', '子', '女', '母亲'];
const CATEGORIES = ['低保', '残疾', '优抚', '孤老', '低保、残疾', '低收入'];
const DAYS = 90 * 365;
/** ID numbers: row → (birth day, sequence) through a multiplicative permutation, so every row's is distinct. */
const ID_SPACE = DAYS * 1000;
const PERMUTE = 7_919;

interface Committee {
  street: string;
  name: string;
}

const pick = (chars: string, n: number): string => chars[n % chars.length]!;

/** One data row of the department's file; `i` from 0. */
export function departmentRow(i: number, committees: readonly Committee[], rows: number): string[] {
  const household = Math.floor((i * 10) / 26);
  const member = i - Math.ceil((household * 26) / 10);
  // consecutive households fill one committee after another
  const c = committees[Math.floor((household / (rows / 2.6 + 1)) * committees.length)]!;
  const j = (i * PERMUTE + 13) % ID_SPACE;
  const birth = new Date(Date.UTC(1935, 0, 1) + (j % DAYS) * 86_400_000);
  const birthDate = birth.toISOString().slice(0, 10);
  const sequence = Math.floor(j / DAYS);
  let idNumber = idNumberFor(birthDate, sequence);
  const name = pick(SURNAMES, i * 31 + 7) + pick(GIVEN, i * 17 + 3) + (i % 3 === 0 ? pick(GIVEN, i * 13 + 5) : '');
  let phone = `13${String(900_000_000 + ((i * 7_753) % 99_999_999)).slice(-9)}`;
  const estate = c.name.replace(/(居民委员会|居委会|村委会|居委)$/, '');
  const place = `${1 + (household % 40)}号楼${1 + (household % 3)}单元${1 + (Math.floor(household / 3) % 18)}0${1 + (household % 4)}室`;
  const residence = `浦东新区${c.street}${estate}${place}`;
  let committee = `${c.street}${c.name}`;
  let displayedName: string = name;
  let birthCell = birthDate;
  // the errors of real files, a few per cent, spread by residues
  if (i % 97 === 5) idNumber = idNumber.slice(0, 17) + (idNumber.endsWith('1') ? '2' : '1');
  if (i % 211 === 7) displayedName = '';
  if (i % 307 === 11) committee = `${c.street}不存在居委会`;
  if (i % 53 === 3) phone = phone.slice(0, 10);
  if (i % 41 === 1) birthCell = String(Math.round((birth.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000));
  else if (i % 43 === 2) birthCell = birthDate.replace(/-0?/g, '/');
  return [
    String(i + 1),
    `GA${String(i + 1).padStart(8, '0')}`,
    displayedName,
    idNumber,
    sequence % 2 === 1 ? '男' : '女',
    birthCell,
    phone,
    i % 5 === 0 ? `上海市浦东新区${c.street}${estate}${place}` : residence,
    residence,
    committee,
    `HH${String(household).padStart(8, '0')}`,
    member <= 0 ? '户主' : RELATIONS[member % RELATIONS.length]!,
    i % 9 === 0 ? CATEGORIES[(i / 9) % CATEGORIES.length]! : '',
    i % 50 === 0 ? '2026年走访核实' : '',
  ];
}

async function writeFile(path: string, committees: readonly Committee[], rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(csvText([HEADER]));
  for (let i = 0; i < rows; i += 1000) {
    const chunk = csvText(Array.from({ length: Math.min(1000, rows - i) }, (_, k) => departmentRow(i + k, committees, rows)));
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The same file's rows, every cell as text, into a plain table with multi-row INSERTs: the floor of any import. */
async function bareInsert(server: RunningServer, path: string): Promise<number> {
  const db = server.platform.db;
  const columns = HEADER.map((_, k) => `c${k}`);
  await sql.raw(`create table bench_bare_rows (${columns.map((c) => `${c} text`).join(', ')})`).execute(db);
  const sniffed = await sniffFile(path);
  if (sniffed.format === null) throw new Error('the bench file is not a sheet');
  const started = performance.now();
  let batch: string[][] = [];
  let rows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch.map((r) => sql`(${sql.join(HEADER.map((_, k) => r[k] ?? ''))})`);
    await sql`insert into bench_bare_rows (${sql.raw(columns.join(', '))}) values ${sql.join(values)}`.execute(db);
    rows += batch.length;
    batch = [];
  };
  for await (const row of readSheet(path, sniffed)) {
    if (row.number === 1) continue;
    batch.push(row.cells);
    if (batch.length >= BARE_BATCH) await flush();
  }
  await flush();
  const elapsed = (performance.now() - started) / 1000;
  await sql`drop table bench_bare_rows`.execute(db);
  return rows / elapsed;
}

export interface LedgerImportRow {
  label: EngineLabel;
  rows: number;
  fileMiB: number;
  seconds: number;
  importRowsPerSecond: number;
  bareRowsPerSecond: number;
  imported: number;
  rejected: number;
  persons: number;
  peakHeapMiB: number;
  peakRssMiB: number;
}

async function benchEngine(label: EngineLabel, databaseUrl: string | undefined, rows: number): Promise<LedgerImportRow> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-bench-ledger-'));
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', mqttPort: 0, dataDir, databaseUrl, demo: true, demoCases: false, logLevel: 'warn', webDistDir: '/nonexistent' });
  const server = await startServer(config);
  try {
    const committees = await server.platform.db
      .selectFrom('regions as r')
      .innerJoin('regions as s', 's.code', 'r.parent_code')
      .select(['s.name as street', 'r.name as name'])
      .where('r.level', '=', 'committee')
      .orderBy('r.code')
      .execute();
    const path = join(dataDir, 'gongan.csv');
    await writeFile(path, committees, rows);
    const bareRowsPerSecond = await bareInsert(server, path);

    const memory = { heap: 0, rss: 0 };
    const sample = () => {
      const m = process.memoryUsage();
      memory.heap = Math.max(memory.heap, m.heapUsed);
      memory.rss = Math.max(memory.rss, m.rss);
    };
    const sampler = setInterval(sample, 250);
    const started = performance.now();
    const outcome = await importFile(server.platform, systemActor('bench'), { path, source: '公安实有人口' });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    sample();
    if (outcome.status !== 'done') throw new Error(`import ${outcome.status}: ${outcome.message}`);
    const persons = await server.platform.db.selectFrom('ledger_persons').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return {
      label,
      rows,
      fileMiB: statSync(path).size / 2 ** 20,
      seconds,
      importRowsPerSecond: rows / seconds,
      bareRowsPerSecond,
      imported: outcome.counts.imported,
      rejected: outcome.counts.rejected,
      persons: Number(persons.n),
      peakHeapMiB: memory.heap / 2 ** 20,
      peakRssMiB: memory.rss / 2 ** 20,
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runLedgerImportBench(): Promise<LedgerImportRow[]> {
  const results = [await benchEngine('pglite', undefined, ROWS_PGLITE)];
  const postgresUrl = postgresServerUrl();
  if (postgresUrl) results.push(await withPostgresDatabase(postgresUrl, 'ledger', (url) => benchEngine('postgres', url, ROWS_POSTGRES)));
  return results;
}

export function ledgerImportTable(rows: readonly LedgerImportRow[]): string {
  const lines = [
    'ledger import (公安实有人口 CSV into an empty ledger, through importFile; bare = multi-row INSERT of the same rows as text)',
    'engine    rows       MiB   seconds  import rows/s  bare rows/s  ratio   imported  rejected  persons   peak heap MiB  peak RSS MiB',
  ];
  for (const r of rows) {
    lines.push(
      `${r.label.padEnd(9)} ${String(r.rows).padEnd(9)} ${r.fileMiB.toFixed(0).padStart(5)}  ${r.seconds.toFixed(1).padStart(7)}  ${r.importRowsPerSecond.toFixed(0).padStart(13)}  ${r.bareRowsPerSecond.toFixed(0).padStart(11)}  ${(r.importRowsPerSecond / r.bareRowsPerSecond).toFixed(3).padStart(5)}  ${String(r.imported).padStart(8)}  ${String(r.rejected).padStart(8)}  ${String(r.persons).padStart(8)}  ${r.peakHeapMiB.toFixed(0).padStart(13)}  ${r.peakRssMiB.toFixed(0).padStart(12)}`,
    );
  }
  return lines.join('\n');
}
