import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openPGlite } from '../../src/server/platform/db/index.ts';

/** The `gongzhi` command as an operator runs it: separate processes on one data directory. */

const BIN = new URL('../../bin/gongzhi.mjs', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-cli-'));
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', PASSWORD_HASH_COST: '10' };

function run(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no URL within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /running at (http:\/\/localhost:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before listening:\n${out}`)));
  });
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('gongzhi CLI on an empty data directory', () => {
  it('starts in demo mode, answers health, serves a demo login, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'start', '--demo', '--no-web-build'], { env: { ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await waitForUrl(child, 60_000);
      const health = await fetch(`${url}/api/health`);
      expect(await health.json()).toMatchObject({ status: 'ok', db: 'pglite' });
      const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'worker', password: 'gongzhi-demo' }) });
      expect(login.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  it('migrates (nothing left to do), adds a user from stdin, and verifies the audit chain', async () => {
    const migrate = await run(['migrate']);
    expect(migrate.stdout).toContain('database is up to date');
    const added = await run(['user', 'add', '--username', 'district-admin', '--display-name', '区管理员', '--role', 'admin', '--password-stdin'], 'a-strong-password\n');
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/created district-admin .* as admin of 浦东新区/);
    const weak = await run(['user', 'add', '--username', 'weak', '--display-name', 'x', '--password-stdin'], 'short\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('WEAK_PASSWORD');
    const verify = await run(['audit', 'verify']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/audit chain intact: \d+ entries/);
  }, 60_000);

  it('reports the first tampered entry and exits 1', async () => {
    const database = await openPGlite({ dataDir: join(dataDir, 'pglite') });
    const { rows } = await sql<{ id: string }>`select id::text from audit_log where action = 'user.create' order by id desc limit 1`.execute(database.db);
    const victim = rows[0]!.id;
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(database.db);
    await sql`update audit_log set actor_username = 'someone-else' where id = ${victim}::bigint`.execute(database.db);
    await database.close();
    const verify = await run(['audit', 'verify']);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain(`audit chain BROKEN at entry ${victim} (hash_mismatch)`);
  }, 60_000);
});
