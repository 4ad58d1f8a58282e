/**
 * Read throughput of a real authenticated endpoint (a district's children: 42 streets with their
 * committee counts, scope-filtered) as a ratio of /api/health on the same server, in one run.
 * PGlite always; PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set.
 *
 *   npm run bench                 # 10 s per endpoint
 *   BENCH_SECONDS=3 npm run bench
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/server/config.ts';
import { startServer } from '../src/server/bootstrap.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Result { requestsPerSecond: number; p50: number; p99: number; errors: number; non2xx: number }

async function load(url: string, headers: Record<string, string>): Promise<Result> {
  const result = await autocannon({ url, headers, connections, duration: seconds, workers: 1 });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

async function withPostgresDatabase<T>(serverUrl: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = `gongzhi_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function benchEngine(label: string, databaseUrl: string | undefined) {
  const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-bench-'));
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', dataDir, databaseUrl, demo: true, logLevel: 'warn', webDistDir: '/nonexistent', loginRateLimitPerMinute: 1000 });
  const server = await startServer(config);
  try {
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'gongzhi-demo' }) });
    const { token } = (await login.json()) as { token: string };
    const health = await load(`${server.url}/api/health`, {});
    const children = await load(`${server.url}/api/regions/310115/children`, { authorization: `Bearer ${token}` });
    return { label, health, children, ratio: children.requestsPerSecond / health.requestsPerSecond };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rows = [await benchEngine('pglite', undefined)];
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (postgresUrl) rows.push(await withPostgresDatabase(postgresUrl, (url) => benchEngine('postgres', url)));

console.log(`\n${connections} connections, ${seconds} s per endpoint, server and load generator on this machine (${(await import('node:os')).cpus().length} cores)\n`);
console.log('engine    endpoint                           req/s     p50 ms  p99 ms  errors');
for (const r of rows) {
  for (const [name, res] of [['GET /api/health', r.health], ['GET /api/regions/310115/children', r.children]] as const) {
    console.log(`${r.label.padEnd(9)} ${name.padEnd(34)} ${res.requestsPerSecond.toFixed(0).padStart(7)}  ${String(res.p50).padStart(6)}  ${String(res.p99).padStart(6)}  ${res.errors + res.non2xx}`);
  }
  console.log(`${r.label.padEnd(9)} ratio children / health: ${r.ratio.toFixed(3)}\n`);
}

console.log((await import('./classifier.ts')).classifierSection());
