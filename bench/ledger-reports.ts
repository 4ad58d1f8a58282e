import { performance } from 'node:perf_hooks';
import { CompiledQuery, sql, type KyselyPlugin, type QueryResult, type UnknownRow } from 'kysely';
import { buildReport } from '../src/server/modules/reports/engine.ts';
import { SHIPPED_TEMPLATES } from '../src/server/modules/reports/templates.ts';
import { reportXlsx } from '../src/server/modules/reports/xlsx.ts';
import type { Database } from '../src/server/platform/db/index.ts';
import { postgresServerUrl, withPostgresDatabase, withServer, type EngineLabel } from './support.ts';

/**
 * Ledger reports: the 人口统计表 (persons by sex and age band, living alone, households, dwellings,
 * for every committee, with street subtotals and the district total) for all 1,526 committees of
 * Pudong on a synthetic Pudong-scale ledger, loaded straight with SQL (generate_series). The
 * baseline in the same run is a bare `count(*) … group by region_code` over the same persons.
 *
 * Scale: BENCH_LEDGER_PERSONS (default 5,700,000 on PostgreSQL; PGlite a tenth, which it loads in
 * reasonable time) with households and dwellings at 2.2 / 5.7 of the persons.
 */

const POSTGRES_PERSONS = Number(process.env.BENCH_LEDGER_PERSONS ?? 5_700_000);
const PGLITE_PERSONS = Number(process.env.BENCH_LEDGER_PGLITE_PERSONS ?? Math.round(POSTGRES_PERSONS / 10));
const CHUNK = 500_000;

export interface LedgerReportsRow {
  label: EngineLabel;
  persons: number;
  households: number;
  loadSeconds: number;
  baselineMs: number;
  reportMs: number;
  xlsxMs: number;
  committees: number;
  xlsxBytes: number;
}

const log = (text: string) => console.error(`[ledger-reports] ${text}`);
const time = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
};

/**
 * Synthetic ledger: household h (and its dwelling) in committee h mod 1526; person i in household
 * i mod H, so homes hold two or three persons, and the persons past 2H land one to a home (living
 * alone). Birth dates spread over 1930–2025, sexes alternate. Uuids are md5 of the number, so the
 * rows reference each other without a lookup.
 */
async function loadLedger(db: Database, persons: number): Promise<{ households: number; seconds: number }> {
  const households = Math.round((persons * 2.2) / 5.7);
  const start = performance.now();
  await sql`create table bench_committees as select (row_number() over (order by code) - 1)::int as n, code, path from regions where level = 'committee'`.execute(db);
  await sql`create unique index on bench_committees (n)`.execute(db);
  for (let from = 0; from < households; from += CHUNK) {
    const to = Math.min(households, from + CHUNK) - 1;
    await sql`
      insert into ledger_households (id, region_code, region_path, household_number)
      select md5('h' || h)::uuid, c.code, c.path, 'B' || h
      from generate_series(${from}::int, ${to}::int) h join bench_committees c on c.n = h % 1526`.execute(db);
    await sql`
      insert into ledger_dwellings (id, region_code, region_path, dwelling_key, place, building, unit, room, address)
      select md5('d' || h)::uuid, c.code, c.path, 'k' || h, '小区' || (h / 300), (h / 30 % 10)::text, null, (h % 30)::text, '合成地址' || h
      from generate_series(${from}::int, ${to}::int) h join bench_committees c on c.n = h % 1526`.execute(db);
  }
  log(`  ${households.toLocaleString('en')} households and dwellings`);
  for (let from = 0; from < persons; from += CHUNK) {
    const to = Math.min(persons, from + CHUNK) - 1;
    await sql`
      insert into ledger_persons (id, region_code, region_path, name, name_initials, sex, birth_date, dwelling_id, household_id)
      select md5('p' || i)::uuid, c.code, c.path, '居民' || i, 'jm', case when i % 2 = 0 then 'male' else 'female' end,
        date '1930-01-01' + ((i * 7919) % 35000)::int, md5('d' || hh)::uuid, md5('h' || hh)::uuid
      from generate_series(${from}::bigint, ${to}::bigint) i
      cross join lateral (select case when i < ${2 * households}::bigint then i % ${households}::bigint else (i * 31) % ${households}::bigint end as hh) x
      join bench_committees c on c.n = x.hh % 1526`.execute(db);
    log(`  ${(to + 1).toLocaleString('en')} persons`);
  }
  await sql`analyze`.execute(db);
  return { households, seconds: (performance.now() - start) / 1000 };
}

/** BENCH_EXPLAIN=1: the report statement's plan, with timings. */
async function explain(db: Database, definition: Parameters<typeof buildReport>[1], where: Parameters<typeof buildReport>[2]): Promise<void> {
  const queries: CompiledQuery[] = [];
  const capture: KyselyPlugin = {
    transformQuery: (args) => {
      queries.push(db.getExecutor().compileQuery(args.node, args.queryId));
      return args.node;
    },
    transformResult: async (args: { result: QueryResult<UnknownRow> }) => args.result,
  };
  await buildReport(db.withPlugin(capture), definition, where, { personal: false }, 'zh-CN');
  const query = queries.at(-1)!;
  const plan = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers) ${query.sql}`, [...query.parameters]));
  console.error(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
}

async function benchEngine(label: EngineLabel, databaseUrl: string | undefined, persons: number): Promise<LedgerReportsRow> {
  return withServer(databaseUrl, async (server) => {
    const db = server.database.db;
    log(`${label}: loading ${persons.toLocaleString('en')} persons`);
    const loaded = await loadLedger(db, persons);
    const template = SHIPPED_TEMPLATES.find((t) => t.code === 'population-by-committee')!;
    const where = { scope: { kind: 'all' } as const, regionPath: '310115', regionName: '浦东新区' };
    // one warm-up of each (caches, plans), then the timed run
    await sql`select region_code, count(*) from ledger_persons group by region_code`.execute(db);
    const [, baselineMs] = await time(() => sql`select region_code, count(*) from ledger_persons group by region_code`.execute(db));
    log(`${label}: baseline ${baselineMs.toFixed(0)} ms`);
    await buildReport(db, template.definition, where, { personal: false }, 'zh-CN');
    const [table, reportMs] = await time(() => buildReport(db, template.definition, where, { personal: false }, 'zh-CN'));
    log(`${label}: report ${reportMs.toFixed(0)} ms`);
    if (process.env.BENCH_EXPLAIN) await explain(db, template.definition, where);
    const [xlsx, xlsxMs] = await time(() => reportXlsx(table, { regionName: '浦东新区', asOf: '2026-12-01', generatedBy: 'bench', generatedAt: new Date(), templateLabel: 'population-by-committee v1' }, 'zh-CN'));
    return { label, persons, households: loaded.households, loadSeconds: loaded.seconds, baselineMs, reportMs, xlsxMs, committees: table.rowCount, xlsxBytes: xlsx.length };
  });
}

export async function runLedgerReportsBench(): Promise<LedgerReportsRow[]> {
  const rows: LedgerReportsRow[] = [];
  const postgresUrl = postgresServerUrl();
  if (postgresUrl) rows.push(await withPostgresDatabase(postgresUrl, 'ledger_reports', (url) => benchEngine('postgres', url, POSTGRES_PERSONS)));
  if (PGLITE_PERSONS > 0) rows.push(await benchEngine('pglite', undefined, PGLITE_PERSONS));
  return rows;
}

export function ledgerReportsTable(rows: readonly LedgerReportsRow[]): string {
  const lines = [
    '人口统计表 for the whole district (every committee, street subtotals, total), one SQL statement',
    'engine     persons     households  load s   baseline ms  report ms  ratio  XLSX ms  committees  XLSX KiB',
  ];
  for (const r of rows) {
    lines.push(
      `${r.label.padEnd(9)} ${r.persons.toLocaleString('en').padStart(10)} ${r.households.toLocaleString('en').padStart(12)} ${r.loadSeconds.toFixed(0).padStart(7)} ${r.baselineMs.toFixed(0).padStart(12)} ${r.reportMs.toFixed(0).padStart(10)} ${(r.reportMs / r.baselineMs).toFixed(1).padStart(6)} ${r.xlsxMs.toFixed(0).padStart(8)} ${String(r.committees).padStart(11)} ${(r.xlsxBytes / 1024).toFixed(0).padStart(9)}`,
    );
  }
  return lines.join('\n');
}
