import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/server/config.ts';
import { startServer, type RunningServer } from '../src/server/bootstrap.ts';

export const seconds = Number(process.env.BENCH_SECONDS ?? 10);
export const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

export type EngineLabel = 'pglite' | 'postgres';

export interface Result {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Requests that failed or answered anything but 2xx. */
  failed: number;
  requests: number;
}

export interface LoadOptions {
  headers?: Record<string, string>;
  /** Cycled in order by every connection (autocannon's request pipeline); a fixed set, so it works in a worker thread. */
  requests?: { method: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string> }[];
  connections?: number;
  seconds?: number;
}

/** Loads one endpoint from a worker thread (the server keeps the main thread). */
export async function load(url: string, options: LoadOptions = {}): Promise<Result> {
  const result = await autocannon({
    url,
    headers: options.headers ?? {},
    connections: options.connections ?? connections,
    duration: options.seconds ?? seconds,
    workers: 1,
    ...(options.requests ? { requests: options.requests } : {}),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.errors + result.non2xx,
    requests: result.requests.total,
  };
}

/** A database of its own on the PostgreSQL server at `serverUrl`, dropped afterwards. */
export async function withPostgresDatabase<T>(serverUrl: string, suffix: string, work: (url: string) => Promise<T>): Promise<T> {
  const name = `gongzhi_bench_${suffix}_${process.pid}`;
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

/** The PostgreSQL server to include, if any. */
export const postgresServerUrl = (): string | undefined => process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

/** A demo-mode server on a fresh database (PGlite in a temporary directory, or `databaseUrl`), listening on a free port. */
export async function withServer<T>(databaseUrl: string | undefined, work: (server: RunningServer) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-bench-'));
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', dataDir, databaseUrl, demo: true, logLevel: 'warn', webDistDir: '/nonexistent', loginRateLimitPerMinute: 1000 });
  const server = await startServer(config);
  try {
    return await work(server);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Signs a demo account in; returns the bearer token. */
export async function signIn(baseUrl: string, username: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'gongzhi-demo' }) });
  if (!response.ok) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  return token;
}

export const cores = async (): Promise<number> => (await import('node:os')).cpus().length;
