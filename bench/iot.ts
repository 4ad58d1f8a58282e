import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { sql } from 'kysely';
import { DEVICE_PROFILE_IDS, type DeviceProfileId } from '../src/shared/iot-profiles.ts';
import { loadConfig } from '../src/server/config.ts';
import { startServer, type RunningServer } from '../src/server/bootstrap.ts';
import { hashToken } from '../src/server/platform/auth/password.ts';
import { DEMO_DEVICE_REGION } from '../src/server/modules/devices/demo.ts';
import { EmbeddedBroker } from '../src/server/modules/telemetry/transports.ts';
import { postgresServerUrl, seconds, withPostgresDatabase, type EngineLabel } from './support.ts';

/**
 * IoT ingestion: sustained messages/s from 10,000 simulated devices at QoS 1 through the whole
 * pipeline (authentication, normalisation, batched storage, rules, alarms; a PUBACK only after the
 * commit), as a ratio of the bare broker's publish → subscribe throughput with the same load in the
 * same run; the latency of a smoke alarm (publish → acknowledged, i.e. stored with its alarm) and
 * the server's memory per 10,000 connected devices. The load runs in a child process.
 */

const DEVICES = Number(process.env.BENCH_IOT_DEVICES ?? 10_000);
const PROBES = 20;

interface Device {
  id: string;
  token: string;
  profile: DeviceProfileId;
}

interface LoadResult {
  connectMs: number;
  sent: number;
  acked: number;
  received: number;
  errors: number;
  seconds: number;
  ackP50: number | null;
  ackP99: number | null;
  probes: number;
  probeP50: number | null;
  probeP99: number | null;
}

export interface IotRow {
  label: string;
  messagesPerSecond: number;
  result: LoadResult;
  memoryMiBPer10k: number | null;
}

function makeDevices(n: number): Device[] {
  return Array.from({ length: n }, (_, i) => ({ id: randomUUID(), token: `gzdev_${randomBytes(24).toString('base64url')}`, profile: DEVICE_PROFILE_IDS[i % DEVICE_PROFILE_IDS.length]! }));
}

/** Runs the load generator against `url`; `onConnected` runs once every device is connected, before the load starts. */
async function runLoad(job: Record<string, unknown>, onConnected: () => Promise<void> = async () => {}): Promise<LoadResult> {
  const child = fork(new URL('./mqtt-load.mjs', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<LoadResult>((resolve, reject) => {
    child.on('message', (message: { connected?: number; result?: LoadResult; error?: string }) => {
      if (message.connected !== undefined) void onConnected().then(() => child.send('go'), reject);
      else if (message.result) resolve(message.result);
      else reject(new Error(message.error ?? 'load generator failed'));
    });
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
    child.send(job);
  });
}

/** The baseline: aedes alone, no authentication or storage, one subscriber taking every message at QoS 1. */
async function bareBroker(devices: Device[]): Promise<IotRow> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const result = await runLoad({ url, devices, seconds, qos: 1, subscribe: 'devices/+/telemetry' });
    return { label: 'bare aedes (publish → subscribe)', messagesPerSecond: result.received / result.seconds, result, memoryMiBPer10k: null };
  } finally {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function registerDevices(server: RunningServer, devices: Device[]): Promise<void> {
  const db = server.platform.db;
  const region = await db.selectFrom('regions').select(['code', sql<string>`path::text`.as('path')]).where('code', '=', DEMO_DEVICE_REGION).executeTakeFirstOrThrow();
  for (let i = 0; i < devices.length; i += 1000) {
    await db
      .insertInto('devices')
      .values(
        devices.slice(i, i + 1000).map((d, j) => ({
          id: d.id,
          profile: d.profile,
          name: `压测·${i + j}`,
          region_code: region.code,
          region_path: region.path,
          expected_interval_s: 300,
          token_hash: hashToken(d.token),
        })),
      )
      .execute();
  }
}

async function gongzhi(label: EngineLabel, databaseUrl: string | undefined, devices: Device[]): Promise<IotRow> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-bench-iot-'));
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', mqttPort: 0, dataDir, databaseUrl, demo: true, demoCases: false, logLevel: 'warn', webDistDir: '/nonexistent' });
  const server = await startServer(config);
  try {
    await registerDevices(server, devices);
    const broker = server.services.get('mqtt-broker');
    if (!(broker instanceof EmbeddedBroker)) throw new Error('the embedded broker is not running');
    const smoke = devices.filter((d) => d.profile === 'smoke').slice(0, PROBES);
    const settled = () => {
      // run with --expose-gc (npm run bench does) so that both readings are of live memory
      (globalThis as { gc?: () => void }).gc?.();
      // the JavaScript heap: the broker's per-connection state lives there, and unlike RSS it is not
      // blurred by memory the previous run in this process hands back to the system
      return process.memoryUsage().heapUsed;
    };
    const before = settled();
    let memoryMiBPer10k = 0;
    const result = await runLoad({ url: `mqtt://127.0.0.1:${broker.boundPort}`, devices, seconds, qos: 1, probes: smoke.map((d) => ({ deviceId: d.id })) }, async () => {
      memoryMiBPer10k = ((settled() - before) / 1024 / 1024) * (10_000 / devices.length);
    });
    const stored = await server.platform.db.selectFrom('device_readings').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    if (Number(stored.n) < result.acked) throw new Error(`acknowledged ${result.acked} messages but stored ${stored.n}`);
    return { label: `Gongzhi on ${label} (auth, normalise, store, rules, alarms)`, messagesPerSecond: result.acked / result.seconds, result, memoryMiBPer10k };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runIotBench(): Promise<IotRow[]> {
  const devices = makeDevices(DEVICES);
  const rows = [await bareBroker(devices), await gongzhi('pglite', undefined, devices)];
  const postgresUrl = postgresServerUrl();
  if (postgresUrl) rows.push(await withPostgresDatabase(postgresUrl, 'iot', (url) => gongzhi('postgres', url, devices)));
  return rows;
}

export function iotTable(rows: IotRow[]): string {
  const baseline = rows[0]!.messagesPerSecond;
  const ms = (v: number | null) => (v === null ? '   -' : v.toFixed(1).padStart(6));
  const lines = [
    `IoT ingestion: ${DEVICES} devices at QoS 1 (one message in flight each), ${seconds} s; load generator in a child process`,
    'run                                                      msg/s   ratio   ack p50/p99 ms   smoke alarm p50/p99 ms   heap MiB/10k devices   errors',
    ...rows.map(
      (r) =>
        `${r.label.padEnd(55)} ${r.messagesPerSecond.toFixed(0).padStart(6)}  ${(r.messagesPerSecond / baseline).toFixed(2).padStart(6)}   ${ms(r.result.ackP50)} / ${ms(r.result.ackP99)}     ${ms(r.result.probeP50)} / ${ms(r.result.probeP99)} (${r.result.probes})   ${r.memoryMiBPer10k === null ? '-' : r.memoryMiBPer10k.toFixed(0)}   ${r.result.errors}`,
    ),
  ];
  return lines.join('\n');
}
