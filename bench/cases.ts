/**
 * Case intake and the dispatch board, per engine, in one run and as ratios on this machine:
 *
 * 1. Intake: `POST /api/cases` by the district operator (a 12345 desk reporting anywhere in
 *    Pudong), cycling through 48 realistic Chinese reports in 48 committees, once with an explicit
 *    `categoryCode` and once without (the classifier picks it) — as a ratio of `GET /api/health`.
 * 2. The dispatch board: the console's case queries, one connection (so latency is service time,
 *    not queueing), first on a near-empty database (BENCH_BASELINE_CASES synthetic cases, 1,000 by
 *    default, plus the intake's cases), then after bulk-loading the fixture (bench/fixture.ts) up to
 *    BENCH_CASES (1,000,000 by default); the ratio is near-empty req/s over loaded req/s.
 *
 *   npm run bench -- cases
 *   BENCH_CASES=200000 BENCH_SECONDS=3 npm run bench -- cases
 *   BENCH_EXPLAIN=1 …    # also print EXPLAIN (ANALYZE, BUFFERS) of the list queries on the loaded database
 */
import { CompiledQuery, sql, type KyselyPlugin, type QueryResult, type UnknownRow } from 'kysely';
import type { RunningServer } from '../src/server/bootstrap.ts';
import { listCases, type CaseFilter, type CaseViewer } from '../src/server/modules/cases/repository.ts';
import type { Database } from '../src/server/platform/db/index.ts';
import { loadCases } from './fixture.ts';
import { load, postgresServerUrl, seconds, signIn, withPostgresDatabase, withServer, type EngineLabel, type Result } from './support.ts';

const totalCases = Number(process.env.BENCH_CASES ?? 1_000_000);
const baselineCases = Math.min(Number(process.env.BENCH_BASELINE_CASES ?? 1_000), totalCases);
const chunk = Number(process.env.BENCH_CHUNK ?? 100_000);
const explain = process.env.BENCH_EXPLAIN === '1';

/** 陆家嘴街道: the demo dispatcher's street. */
const STREET_CODE = '310115005';

/** What residents and the hotline say, with the category a desk would file it under. */
const REPORTS: readonly [string, string][] = [
  ['3号楼楼道里堆满了纸箱和旧家具，消防通道都堵住了', 'C0101'],
  ['有居民从窗口拉电线给电动车飞线充电，晚上一直插着', 'C0104'],
  ['隔壁一套两居室住了十几个人，怀疑是群租', 'C0201'],
  ['楼上卫生间漏水，渗到我家天花板，墙皮都掉了', 'C0203'],
  ['12号楼电梯这周坏了三次，老人上下楼很困难', 'C0204'],
  ['有人从高楼往下扔垃圾袋，差点砸到小孩', 'C0206'],
  ['小区垃圾箱房满溢了两天没人清运，味道很大', 'C0302'],
  ['楼上装修每天早上七点就开始电钻，周末也不停', 'C0401'],
  ['广场舞音响开得太大，晚上九点多还在跳', 'C0402'],
  ['小区门口人行道上停满了机动车，行人只能走马路', 'E0505'],
  ['沿街水果店把摊位摆到人行道上，占道经营', 'E0504'],
  ['地铁口共享单车乱停乱放，把出入口都挡住了', 'E0506'],
  ['路口有个井盖松动，车压过去哐哐响，不知道是哪家的', 'B0114'],
  ['东门外那盏路灯坏了一个星期，晚上一片漆黑', 'B0118'],
  ['绿化带边上有人倒了一堆生活垃圾', 'E0102'],
  ['这段路上全是泥浆和落叶，好几天没人扫', 'E0104'],
  ['路面突然塌陷出一个坑，已经有电瓶车摔倒', 'E0401'],
  ['下完雨这条路积水没过脚踝，下水口好像堵了', 'E0406'],
  ['工地晚上十一点还在打桩，吵得睡不着', 'E0301'],
  ['一楼住户在院子里私搭乱建了一间彩钢板房', 'E0101'],
  ['消防通道被几辆私家车长期占用', 'C0102'],
  ['楼上楼下因为晾衣服滴水吵起来了，需要居委会调解', 'C0501'],
  ['单元门和电线杆上贴满了开锁办证的小广告', 'E0201'],
  ['人行道砖块翘起来好几块，老人容易绊倒', 'E0110'],
];

interface Board {
  label: string;
  /** Path and query, and who asks. */
  path: (ctx: BoardContext) => string[];
  as: 'dispatcher' | 'operator';
}

interface BoardContext {
  detailIds: string[];
}

const BOARD: readonly Board[] = [
  { label: 'active by deadline (street)', as: 'dispatcher', path: () => ['/api/cases?active=true&sort=deadline&limit=50'] },
  { label: 'status=reported (street)', as: 'dispatcher', path: () => ['/api/cases?status=reported'] },
  { label: 'overdue (district)', as: 'operator', path: () => ['/api/cases?overdue=true'] },
  { label: 'console default (district)', as: 'operator', path: () => ['/api/cases?limit=20&offset=0'] },
  { label: 'case detail (street)', as: 'dispatcher', path: (ctx) => ctx.detailIds.map((id) => `/api/cases/${id}`) },
];

/** The repository filters the board's endpoints pass (the same as routes.ts builds from those query strings). */
const BOARD_FILTERS: readonly { label: string; as: 'dispatcher' | 'operator'; filter: CaseFilter }[] = [
  { label: 'active by deadline (street)', as: 'dispatcher', filter: { active: true, sort: 'deadline', limit: 50, offset: 0 } },
  { label: 'status=reported (street)', as: 'dispatcher', filter: { status: 'reported', limit: 50, offset: 0 } },
  { label: 'overdue (district)', as: 'operator', filter: { overdue: true, limit: 50, offset: 0 } },
  { label: 'console default (district)', as: 'operator', filter: { limit: 20, offset: 0 } },
];

export interface BoardRow {
  label: string;
  cases: number;
  result: Result;
}

export interface CasesReport {
  engine: EngineLabel;
  health: Result;
  intakeWithCategory: Result;
  intakeClassifier: Result;
  loadSeconds: number;
  near: BoardRow[];
  loaded: BoardRow[];
  plans: string[];
}

async function count(db: Database): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*)::text as n from cases`.execute(db);
  return Number(rows[0]!.n);
}

async function boardRound(server: RunningServer, tokens: Record<'dispatcher' | 'operator', string>): Promise<BoardRow[]> {
  const db = server.database.db;
  const { rows } = await sql<{ id: string }>`
    select c.id from cases c join regions r on r.code = ${STREET_CODE}
    where c.region_path <@ r.path order by c.id limit 20`.execute(db);
  const ctx: BoardContext = { detailIds: rows.map((r) => r.id) };
  const cases = await count(db);
  const out: BoardRow[] = [];
  for (const board of BOARD) {
    const paths = board.path(ctx);
    const result = await load(`${server.url}${paths[0]}`, {
      connections: 1,
      headers: { authorization: `Bearer ${tokens[board.as]}` },
      requests: paths.map((path) => ({ method: 'GET', path })),
    });
    out.push({ label: board.label, cases, result });
  }
  return out;
}

/** Captures the SQL a repository call runs, so it can be explained with the same text and parameters. */
class Capture implements KyselyPlugin {
  readonly queries: CompiledQuery[] = [];
  constructor(private readonly db: Database) {}
  transformQuery: KyselyPlugin['transformQuery'] = (args) => {
    this.queries.push(this.db.getExecutor().compileQuery(args.node, args.queryId));
    return args.node;
  };
  transformResult = async (args: { result: QueryResult<UnknownRow> }) => args.result;
}

export async function explainBoard(db: Database): Promise<string[]> {
  const { rows } = await sql<{ code: string; path: string }>`select code, path::text as path from regions where code in (${STREET_CODE}, '310115')`.execute(db);
  const pathOf = (code: string) => rows.find((r) => r.code === code)!.path;
  const viewers: Record<'dispatcher' | 'operator', CaseViewer> = {
    dispatcher: { scope: { kind: 'paths', paths: [pathOf(STREET_CODE)] }, userId: null, role: 'street_dispatcher', departmentId: null },
    operator: { scope: { kind: 'paths', paths: [pathOf('310115')] }, userId: null, role: 'district_operator', departmentId: null },
  };
  const out: string[] = [];
  for (const board of BOARD_FILTERS) {
    const capture = new Capture(db);
    await listCases(db.withPlugin(capture), viewers[board.as], board.filter);
    for (const query of capture.queries) {
      const plan = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers) ${query.sql}`, [...query.parameters]));
      out.push(`-- ${board.label}\n${query.sql}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    }
  }
  return out;
}

function intakeRequests(committees: string[], token: string, withCategory: boolean) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  return Array.from({ length: 48 }, (_, i) => {
    const [description, categoryCode] = REPORTS[i % REPORTS.length]!;
    const regionCode = committees[Math.floor((i * committees.length) / 48)]!;
    const body = { description: `${description}（${i + 1}）`, regionCode, ...(withCategory ? { categoryCode } : {}), channel: 'hotline', callType: 'complaint' };
    return { method: 'POST' as const, path: '/api/cases', headers, body: JSON.stringify(body) };
  });
}

export async function benchCases(engine: EngineLabel, databaseUrl: string | undefined, log: (line: string) => void): Promise<CasesReport> {
  return withServer(databaseUrl, async (server) => {
    const db = server.database.db;
    const tokens = { dispatcher: await signIn(server.url, 'dispatcher'), operator: await signIn(server.url, 'operator') };
    // Intake goes to committees outside the dispatcher's street, so it does not change what the street board shows.
    const committees = (
      await sql<{ code: string }>`select code from regions where level = 'committee' and parent_code <> ${STREET_CODE} order by code`.execute(db)
    ).rows.map((r) => r.code);

    log(`${engine}: health and intake`);
    const health = await load(`${server.url}/api/health`);
    const intakeWithCategory = await load(`${server.url}/api/cases`, { requests: intakeRequests(committees, tokens.operator, true) });
    const intakeClassifier = await load(`${server.url}/api/cases`, { requests: intakeRequests(committees, tokens.operator, false) });

    log(`${engine}: board on a near-empty database (${baselineCases} synthetic cases)`);
    await loadCases(db, 0, baselineCases, chunk);
    const near = await boardRound(server, tokens);

    log(`${engine}: loading ${totalCases.toLocaleString('en')} cases`);
    const loadSeconds = await loadCases(db, baselineCases, totalCases, chunk, (done) => log(`  ${done.toLocaleString('en')}`));
    log(`${engine}: board with ${totalCases.toLocaleString('en')} cases`);
    const loaded = await boardRound(server, tokens);
    const plans = explain ? await explainBoard(db) : [];
    return { engine, health, intakeWithCategory, intakeClassifier, loadSeconds, near, loaded, plans };
  });
}

export async function runCasesBench(log: (line: string) => void = (line) => console.error(line)): Promise<CasesReport[]> {
  const reports = [await benchCases('pglite', undefined, log)];
  const serverUrl = postgresServerUrl();
  if (serverUrl) reports.push(await withPostgresDatabase(serverUrl, 'cases', (url) => benchCases('postgres', url, log)));
  return reports;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function casesTable(reports: CasesReport[]): string {
  const lines: string[] = [];
  lines.push(`case intake: 10 connections, ${seconds} s each; ratio = req/s over GET /api/health req/s in the same run`);
  lines.push('engine    endpoint                                   req/s   p50 ms  p99 ms  failed   ratio');
  for (const r of reports) {
    for (const [name, res] of [
      ['GET /api/health', r.health],
      ['POST /api/cases (categoryCode)', r.intakeWithCategory],
      ['POST /api/cases (classifier)', r.intakeClassifier],
    ] as const) {
      lines.push(`${r.engine.padEnd(9)} ${name.padEnd(40)} ${fmt(res.requestsPerSecond).padStart(7)}  ${String(res.p50).padStart(6)}  ${String(res.p99).padStart(6)}  ${String(res.failed).padStart(6)}  ${(res.requestsPerSecond / r.health.requestsPerSecond).toFixed(3).padStart(6)}`);
    }
  }
  lines.push('');
  lines.push(`dispatch board: 1 connection, ${seconds} s per query; ms = mean (1000 / req/s), p50 / p99 from autocannon; slowdown = near-empty req/s over loaded req/s`);
  lines.push('engine    query                          cases        req/s   mean ms  p50  p99  failed  slowdown');
  for (const r of reports) {
    r.loaded.forEach((big, i) => {
      const small = r.near[i]!;
      for (const row of [small, big]) {
        const res = row.result;
        const slowdown = row === big ? `${(small.result.requestsPerSecond / res.requestsPerSecond).toFixed(1)}×` : '';
        lines.push(
          `${r.engine.padEnd(9)} ${row.label.padEnd(30)} ${fmt(row.cases).padStart(9)}  ${fmt(res.requestsPerSecond).padStart(7)}  ${(1000 / res.requestsPerSecond).toFixed(1).padStart(7)}  ${String(res.p50).padStart(3)}  ${String(res.p99).padStart(3)}  ${String(res.failed).padStart(6)}  ${slowdown.padStart(8)}`,
        );
      }
    });
    lines.push(`${r.engine.padEnd(9)} fixture load: ${fmt(totalCases - baselineCases)} cases in ${r.loadSeconds.toFixed(0)} s (chunks of ${fmt(chunk)}, then VACUUM ANALYZE)`);
  }
  for (const r of reports) for (const plan of r.plans) lines.push('', `[${r.engine}] ${plan}`);
  return lines.join('\n');
}
