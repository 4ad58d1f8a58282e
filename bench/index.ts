/**
 * `npm run bench` runs every part; `npm run bench -- <part> …` (or BENCH_PARTS=http,cases) only those named:
 *
 * - http: read throughput of a real authenticated endpoint (a district's children: 42 streets with
 *   their committee counts, scope-filtered) as a ratio of /api/health on the same server.
 * - cases: case intake over HTTP and the dispatch board on a near-empty and a 1,000,000-case
 *   database (bench/cases.ts).
 * - classifier: the category classifier's held-out accuracy (bench/classifier.ts).
 * - iot: MQTT ingestion from 10,000 devices at QoS 1 against the bare broker (bench/iot.ts).
 * - ledger-import: a department's CSV through the ledger import against a bare multi-row INSERT of
 *   the same rows (bench/ledger-import.ts; BENCH_LEDGER_ROWS, BENCH_LEDGER_ROWS_PGLITE).
 * - ledger-reports: the 人口统计表 for all 1,526 committees on a Pudong-scale synthetic ledger (bench/ledger-reports.ts).
 * - ledger-linkage: record linkage time and precision/recall on generated records with known truth (bench/ledger-linkage.ts).
 * - services: every eligibility rule over N synthetic residents vs one SQL scan, and re-evaluating one resident (bench/services.ts).
 *
 * PGlite always; PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set.
 *
 *   npm run bench                 # 10 s per endpoint
 *   BENCH_SECONDS=3 npm run bench -- http classifier
 */
import { casesTable, runCasesBench } from './cases.ts';
import { classifierSection } from './classifier.ts';
import { iotTable, runIotBench } from './iot.ts';
import { ledgerImportTable, runLedgerImportBench } from './ledger-import.ts';
import { linkageTable, runLinkageBench } from './ledger-linkage.ts';
import { ledgerReportsTable, runLedgerReportsBench } from './ledger-reports.ts';
import { runServicesBench, servicesTable } from './services.ts';
import { connections, cores, load, postgresServerUrl, seconds, signIn, withPostgresDatabase, withServer, type EngineLabel } from './support.ts';

const PARTS = ['http', 'cases', 'classifier', 'iot', 'ledger-import', 'ledger-linkage', 'ledger-reports', 'services'] as const;
type Part = (typeof PARTS)[number];
const isPart = (p: string): p is Part => (PARTS as readonly string[]).includes(p);

const asked = [...process.argv.slice(2), ...(process.env.BENCH_PARTS ?? '').split(',')].map((p) => p.trim()).filter((p) => p !== '');
const unknown = asked.filter((p) => !isPart(p));
if (unknown.length) {
  console.error(`unknown bench part(s): ${unknown.join(', ')}; known: ${PARTS.join(', ')}`);
  process.exit(2);
}
const parts = new Set<Part>(asked.length ? asked.filter(isPart) : PARTS);

async function benchHttp(label: EngineLabel, databaseUrl: string | undefined) {
  return withServer(databaseUrl, async (server) => {
    const token = await signIn(server.url, 'admin');
    const health = await load(`${server.url}/api/health`);
    const children = await load(`${server.url}/api/regions/310115/children`, { headers: { authorization: `Bearer ${token}` } });
    return { label, health, children, ratio: children.requestsPerSecond / health.requestsPerSecond };
  });
}

console.log(`\nserver and load generator on this machine (${await cores()} cores); one run, ratios within it\n`);

if (parts.has('http')) {
  const rows = [await benchHttp('pglite', undefined)];
  const postgresUrl = postgresServerUrl();
  if (postgresUrl) rows.push(await withPostgresDatabase(postgresUrl, 'http', (url) => benchHttp('postgres', url)));
  console.log(`${connections} connections, ${seconds} s per endpoint`);
  console.log('engine    endpoint                           req/s     p50 ms  p99 ms  errors');
  for (const r of rows) {
    for (const [name, res] of [['GET /api/health', r.health], ['GET /api/regions/310115/children', r.children]] as const) {
      console.log(`${r.label.padEnd(9)} ${name.padEnd(34)} ${res.requestsPerSecond.toFixed(0).padStart(7)}  ${String(res.p50).padStart(6)}  ${String(res.p99).padStart(6)}  ${res.failed}`);
    }
    console.log(`${r.label.padEnd(9)} ratio children / health: ${r.ratio.toFixed(3)}\n`);
  }
}

if (parts.has('cases')) console.log(`${casesTable(await runCasesBench())}\n`);

if (parts.has('classifier')) console.log(classifierSection());

if (parts.has('iot')) console.log(`${iotTable(await runIotBench())}\n`);

if (parts.has('ledger-import')) console.log(`${ledgerImportTable(await runLedgerImportBench())}\n`);
if (parts.has('ledger-reports')) console.log(`${ledgerReportsTable(await runLedgerReportsBench())}\n`);
if (parts.has('ledger-linkage')) console.log(`${linkageTable(await runLinkageBench())}\n`);
if (parts.has('services')) console.log(`${servicesTable(await runServicesBench())}\n`);
