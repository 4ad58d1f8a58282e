import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_PROFILE_IDS } from '../../src/shared/iot-profiles.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { startAedes, subscribe, until, type TestBroker } from '../helpers/sim-mqtt.ts';

/**
 * `gongzhi simulate` as an operator runs it, as a separate process: it registers its devices
 * through the real import endpoint of a server this test starts (PGlite, on a free port), caches
 * their credentials under DATA_DIR, and publishes to an aedes broker on a free port.
 */

const BIN = new URL('../../bin/gongzhi.mjs', import.meta.url).pathname;
const MEIYUAN = '310115005001';
const HUIHAO = '310115005002';
// the demo admin's password is the command's default: none from the environment
const { GONGZHI_PASSWORD: _ignored, ...environment } = process.env;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

// each test starts the command as a new process (tsx compiles on start): generous under a loaded run
describe('gongzhi simulate', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-sim-'));
  let t: TestApp;
  let apiUrl: string;
  let broker: TestBroker;
  let observer: Awaited<ReturnType<typeof subscribe>>;

  function simulate(args: string[], onLine?: (line: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'simulate', '--api', apiUrl, '--mqtt', broker.url, ...args], {
        env: { ...environment, DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        const text = d.toString();
        stdout += text;
        for (const line of text.split('\n')) if (line) onLine?.(line, (signal) => child.kill(signal));
      });
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  const simulatedDevices = () => t.platform.db.selectFrom('devices').select(['id', 'name', 'profile', 'region_code', 'token_hash']).where('name', 'like', '模拟·%').orderBy('name').execute();

  beforeAll(async () => {
    t = await createTestApp('pglite');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    apiUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    broker = await startAedes();
    observer = await subscribe(broker.url, ['devices/#']);
  });
  afterAll(async () => {
    await observer?.close();
    await broker?.close();
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers its devices through the import endpoint as the demo admin, then publishes as them', async () => {
    const run = await simulate(['--devices', '12', '--rate', '40', '--duration', '2', '--seed', '9', '--anomalies', '0']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`devices: 12 (0 reused from ${join(dataDir, 'simulator-devices.json')}, 12 registered in ${MEIYUAN} at ${apiUrl})`);
    expect(run.stdout).toMatch(/sent \d+ · acknowledged \d+ · errors 0 · [\d.]+\/s · connected 12\/12/);
    const stopped = /stopped: sent (\d+) · acknowledged (\d+) · errors 0/.exec(run.stdout);
    expect(stopped).not.toBeNull();
    expect(Number(stopped![1])).toBeGreaterThan(0);
    expect(stopped![2]).toBe(stopped![1]);

    const devices = await simulatedDevices();
    expect(devices).toHaveLength(12);
    expect(new Set(devices.map((d) => d.profile))).toEqual(new Set(DEVICE_PROFILE_IDS));
    expect(devices.every((d) => d.region_code === MEIYUAN)).toBe(true);
    expect(devices.map((d) => d.name)).toContain('模拟·独立式烟感 00001');
    const audit = await t.platform.db.selectFrom('audit_log').select(['actor_username', 'details']).where('action', '=', 'device.create').where('object_id', 'in', devices.map((d) => d.id)).execute();
    expect(audit).toHaveLength(12);
    expect(audit.every((a) => a.actor_username === 'admin' && (a.details as { import?: boolean }).import === true)).toBe(true);

    // the broker saw each registered device sign in with its own id and the token the import issued
    const byId = new Map(devices.map((d) => [d.id, d]));
    const signIns = broker.connects.filter((c) => byId.has(c.clientId));
    expect(new Set(signIns.map((c) => c.clientId))).toEqual(new Set(byId.keys()));
    for (const c of signIns) expect({ username: c.username, hash: sha256(c.password ?? '') }).toEqual({ username: c.clientId, hash: byId.get(c.clientId)!.token_hash });
    const published = () => observer.seen.filter((m) => /\/(telemetry|events)$/.test(m.topic));
    // acknowledged by the broker before the process ended; forwarded to the observer soon after
    await until(() => published().length >= Number(stopped![1]));
    expect(published().length).toBe(Number(stopped![1]));
    expect(published().every((m) => byId.has(m.topic.split('/')[1]!) && m.qos === 1)).toBe(true);

    const cache = readFileSync(join(dataDir, 'simulator-devices.json'), 'utf8');
    expect((statSync(join(dataDir, 'simulator-devices.json')).mode & 0o777).toString(8)).toBe('600');
    expect(JSON.parse(cache)).toEqual({ fleets: [{ apiUrl, regionCode: MEIYUAN, devices: expect.any(Array) as unknown[] }] });
    expect((JSON.parse(cache) as { fleets: Array<{ devices: unknown[] }> }).fleets[0]!.devices).toHaveLength(12);
  });

  it('reuses the cached devices on the next run and registers only the ones missing', async () => {
    const again = await simulate(['--devices', '13', '--rate', '20', '--duration', '0.5']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('devices: 13 (12 reused');
    expect(again.stdout).toContain('1 registered');
    expect(await simulatedDevices()).toHaveLength(13);

    // another region is another fleet; the first one's credentials are kept
    const elsewhere = await simulate(['--devices', '1', '--rate', '5', '--duration', '0.5', '--region', HUIHAO]);
    expect(elsewhere.code).toBe(0);
    expect(elsewhere.stdout).toContain(`devices: 1 (0 reused`);
    const fleets = (JSON.parse(readFileSync(join(dataDir, 'simulator-devices.json'), 'utf8')) as { fleets: Array<{ regionCode: string; devices: unknown[] }> }).fleets;
    expect(fleets.map((f) => [f.regionCode, f.devices.length])).toEqual([
      [MEIYUAN, 13],
      [HUIHAO, 1],
    ]);
  });

  it('stops cleanly on SIGTERM: a last summary, and every device says offline', async () => {
    const statusesBefore = observer.seen.length;
    const run = await simulate(['--devices', '3', '--rate', '20'], (line, kill) => {
      if (line.startsWith('sent ')) kill('SIGTERM');
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/stopped: sent \d+ · acknowledged \d+ · errors 0/);
    const ids = (await simulatedDevices()).filter((d) => d.region_code === MEIYUAN && /0000[123]$/.test(d.name)).map((d) => d.id);
    expect(ids).toHaveLength(3);
    await until(() => ids.every((id) => observer.seen.slice(statusesBefore).some((m) => m.topic === `devices/${id}/status` && m.payload === 'offline')));
  });

  it('says why when it may not register devices, and exits 1', async () => {
    const wrong = await simulate(['--devices', '2', '--rate', '1', '--duration', '1', '--password', 'not-the-password', '--devices', '20']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('signing in as admin');
    expect(wrong.stderr).toContain('HTTP 401');
    const resident = await simulate(['--devices', '20', '--rate', '1', '--duration', '1', '--username', 'resident']);
    expect(resident.code).toBe(1);
    expect(resident.stderr).toMatch(/HTTP 403 FORBIDDEN/);
    expect(await simulatedDevices()).toHaveLength(14);
    const bad = await simulate(['--devices', 'many', '--rate', '1']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--devices must be a whole number from 1 to 100000');
  });
});
