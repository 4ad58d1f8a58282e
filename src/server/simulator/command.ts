import { join } from 'node:path';
import { obtainDevices } from './registration.ts';
import { startSimulation, type SimulationStats } from './simulation.ts';

/** `gongzhi simulate`: register (or reuse) N simulated devices, then make them talk until stopped. */

export interface SimulateCommandOptions {
  devices: number;
  rate: number;
  mqttUrl: string;
  apiUrl: string;
  username: string;
  password: string;
  regionCode: string;
  anomalyRate: number;
  /** Seconds; absent: until SIGINT or SIGTERM. */
  durationS?: number;
  seed: number;
  qos: 0 | 1;
  dataDir: string;
  /** Seconds between summary lines. */
  reportEveryS?: number;
  log?: (line: string) => void;
}

export const SIMULATOR_CACHE_FILE = 'simulator-devices.json';

export function summaryLine(stats: SimulationStats, previous: { sent: number; at: number }, now: number): string {
  const perSecond = ((stats.sent - previous.sent) * 1000) / Math.max(1, now - previous.at);
  return [
    `sent ${stats.sent}`,
    `acknowledged ${stats.acknowledged}`,
    `errors ${stats.errors}`,
    `${perSecond.toFixed(1)}/s`,
    `connected ${stats.connected}/${stats.devices}`,
    `anomalies ${stats.anomalies}`,
    ...(stats.lastError ? [`last error: ${stats.lastError}`] : []),
  ].join(' · ');
}

export async function runSimulateCommand(options: SimulateCommandOptions): Promise<SimulationStats> {
  const log = options.log ?? ((line: string) => console.log(line));
  const cacheFile = join(options.dataDir, SIMULATOR_CACHE_FILE);
  const { devices, registered, reused } = await obtainDevices({
    apiUrl: options.apiUrl,
    username: options.username,
    password: options.password,
    regionCode: options.regionCode,
    count: options.devices,
    cacheFile,
  });
  log(`devices: ${devices.length} (${reused} reused from ${cacheFile}, ${registered} registered in ${options.regionCode} at ${options.apiUrl})`);

  const simulation = startSimulation({
    mqttUrl: options.mqttUrl,
    devices,
    rate: options.rate,
    anomalyRate: options.anomalyRate,
    seed: options.seed,
    qos: options.qos,
    onAnomaly: (event) => log(`anomaly: ${event.kind} on ${event.profile} ${event.deviceId}`),
  });
  log(`simulating ${devices.length} devices at ${options.rate} messages/s over ${options.mqttUrl} (QoS ${options.qos}, anomaly rate ${options.anomalyRate}, seed ${options.seed})`);

  let previous = { sent: 0, at: Date.now() };
  const reporter = setInterval(() => {
    const now = Date.now();
    const stats = simulation.stats();
    log(summaryLine(stats, previous, now));
    previous = { sent: stats.sent, at: now };
  }, (options.reportEveryS ?? 2) * 1000);

  await new Promise<void>((resolve) => {
    const finish = () => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      clearTimeout(timer);
      resolve();
    };
    const timer = options.durationS !== undefined ? setTimeout(finish, options.durationS * 1000) : undefined;
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
  clearInterval(reporter);
  await simulation.stop();
  const stats = simulation.stats();
  log(`stopped: ${summaryLine(stats, { sent: 0, at: stats.startedAt.getTime() }, Date.now())}`);
  return stats;
}
