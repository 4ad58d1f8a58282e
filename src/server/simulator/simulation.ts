import mqtt, { type MqttClient } from 'mqtt';
import { DEVICE_PROFILES, type DeviceProfileId } from '../../shared/iot-profiles.ts';
import { SimulatedDevice, type AnomalyKind } from './generator.ts';

/**
 * The device simulator: one MQTT connection per device, authenticated as the device (username =
 * device id, password = its token), with a last will of `offline` on `devices/{id}/status` and a
 * retained `online` there on connect. Messages go to `devices/{id}/telemetry` or
 * `devices/{id}/events` as JSON with `observedAt` and a `msgId`, at a chosen rate overall.
 */

export interface SimulatedDeviceCredentials {
  id: string;
  profile: DeviceProfileId;
  token: string;
  /** The profile's reporting interval unless the device was registered with its own. */
  expectedIntervalS?: number;
}

export interface SimulationOptions {
  /** mqtt://host:port (or mqtts://, ws://) of the broker the platform listens to. */
  mqttUrl: string;
  devices: readonly SimulatedDeviceCredentials[];
  /** Messages per second, all devices together. */
  rate: number;
  /** Chance, per message, that an anomaly begins (0..1; default 0.01). */
  anomalyRate?: number;
  /** The anomalies that may occur (default: all of them). */
  anomalyKinds?: readonly AnomalyKind[];
  /** The same seed gives the same messages at the same times (default 1). */
  seed?: number;
  /** 1 (default): each message is acknowledged by the broker; 0: fire and forget. */
  qos?: 0 | 1;
  /** Part of every msgId, unique per run (default: the start time) so that re-runs are not taken for redeliveries. */
  runId?: string;
  /** Connections opened at once while starting (default 100). */
  connectConcurrency?: number;
  /** Called with each anomaly as it starts (for the CLI's log, the demo's log). */
  onAnomaly?: (event: { deviceId: string; profile: DeviceProfileId; kind: AnomalyKind; at: Date }) => void;
}

export interface SimulationStats {
  devices: number;
  /** Devices whose connection is up now. */
  connected: number;
  /** Messages handed to the MQTT client. */
  sent: number;
  /** Messages the broker acknowledged (PUBACK at QoS 1; written to the socket at QoS 0). */
  acknowledged: number;
  /** Failed publishes and connection errors (wrong credentials, broker unreachable). */
  errors: number;
  anomalies: number;
  lastError: string | null;
  startedAt: Date;
}

export interface Simulation {
  /** Resolves once every device is connected (or has failed to, counted in errors). */
  ready: Promise<void>;
  stats(): SimulationStats;
  /** Stops sending, publishes a retained `offline` for each device and disconnects cleanly. */
  stop(): Promise<void>;
}

export const statusTopic = (deviceId: string) => `devices/${deviceId}/status`;

/**
 * Each device reports at its own interval, all scaled by one factor so that together they send
 * `rate` messages a second: a smoke detector (hourly) speaks 60 times less often than a lift (every minute).
 */
export function reportingPeriodsMs(devices: readonly SimulatedDeviceCredentials[], rate: number): number[] {
  const intervals = devices.map((d) => d.expectedIntervalS ?? DEVICE_PROFILES[d.profile].defaultIntervalS);
  const naturalRate = intervals.reduce((sum, s) => sum + 1 / s, 0);
  const speedUp = rate / naturalRate;
  return intervals.map((s) => (s / speedUp) * 1000);
}

interface Running {
  credentials: SimulatedDeviceCredentials;
  generator: SimulatedDevice;
  client: MqttClient;
  periodMs: number;
  nextAt: number;
  silentUntil: number;
}

const TICK_MS = 50;
const STOP_GRACE_MS = 5000;

export function startSimulation(options: SimulationOptions): Simulation {
  if (!(options.rate > 0)) throw new RangeError('the rate must be a positive number of messages per second');
  const qos = options.qos ?? 1;
  const runId = options.runId ?? Date.now().toString(36);
  const generatorOptions = {
    seed: options.seed ?? 1,
    anomalyRate: options.anomalyRate ?? 0.01,
    runId,
    ...(options.anomalyKinds ? { anomalyKinds: options.anomalyKinds } : {}),
  };
  const stats: Omit<SimulationStats, 'connected'> = { devices: options.devices.length, sent: 0, acknowledged: 0, errors: 0, anomalies: 0, lastError: null, startedAt: new Date() };
  const fail = (error: Error | string) => {
    stats.errors += 1;
    stats.lastError = typeof error === 'string' ? error : error.message;
  };
  const periods = reportingPeriodsMs(options.devices, options.rate);
  const started = Date.now();
  let stopping = false;

  function connect(credentials: SimulatedDeviceCredentials): MqttClient {
    const client = mqtt.connect(options.mqttUrl, {
      clientId: credentials.id,
      username: credentials.id,
      password: credentials.token,
      clean: true,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      will: { topic: statusTopic(credentials.id), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    client.on('connect', () => {
      client.publish(statusTopic(credentials.id), 'online', { qos: 1, retain: true }, (error) => error && fail(error));
    });
    client.on('error', fail);
    return client;
  }

  const running: Running[] = [];
  const ready = (async () => {
    const batch = options.connectConcurrency ?? 100;
    for (let i = 0; i < options.devices.length && !stopping; i += batch) {
      const slice = options.devices.slice(i, i + batch);
      await Promise.all(
        slice.map((credentials, j) => {
          const index = i + j;
          const periodMs = periods[index]!;
          const client = connect(credentials);
          // spread the first messages over one period so the devices do not speak in chorus
          running.push({ credentials, client, periodMs, nextAt: started + ((index * 0.618034) % 1) * periodMs, silentUntil: 0, generator: new SimulatedDevice(credentials.profile, index, generatorOptions) });
          // connected, refused, or gave up (a broker that never answers closes the connection after connectTimeout)
          return new Promise<void>((resolve) => {
            for (const outcome of ['connect', 'error', 'close'] as const) client.once(outcome, () => resolve());
          });
        }),
      );
    }
  })();

  function publish(device: Running, now: number): void {
    const step = device.generator.next(new Date(now));
    if (step.kind === 'silent') {
      device.silentUntil = step.until.getTime();
      if (step.anomaly) {
        stats.anomalies += 1;
        options.onAnomaly?.({ deviceId: device.credentials.id, profile: device.credentials.profile, kind: step.anomaly, at: new Date(now) });
        // a power cut: the connection drops without a DISCONNECT, so the broker publishes the will
        device.client.end(true);
      }
      return;
    }
    const { message } = step;
    if (message.anomaly) {
      stats.anomalies += 1;
      options.onAnomaly?.({ deviceId: device.credentials.id, profile: device.credentials.profile, kind: message.anomaly, at: new Date(now) });
    }
    stats.sent += 1;
    device.client.publish(`devices/${device.credentials.id}/${message.channel}`, JSON.stringify(message.payload), { qos }, (error) => {
      if (error) fail(error);
      else stats.acknowledged += 1;
    });
  }

  const timer = setInterval(() => {
    const now = Date.now();
    for (const device of running) {
      if (device.nextAt > now) continue;
      if (device.silentUntil > now) {
        device.nextAt = device.silentUntil;
        continue;
      }
      if (device.silentUntil > 0) {
        device.silentUntil = 0;
        device.client.reconnect();
      }
      device.nextAt += device.periodMs;
      // after a stall (a busy event loop) catch up by at most one period instead of bursting
      if (device.nextAt < now - device.periodMs) device.nextAt = now;
      if (device.client.connected) publish(device, now);
    }
  }, TICK_MS);

  return {
    ready,
    stats: () => ({ ...stats, connected: running.filter((d) => d.client.connected).length }),
    async stop() {
      stopping = true;
      clearInterval(timer);
      await ready;
      await Promise.all(
        running.map(
          ({ client, credentials }) =>
            new Promise<void>((resolve) => {
              if (!client.connected) {
                client.end(true, {}, () => resolve());
                return;
              }
              // a broker that stopped answering must not keep the simulator from exiting
              const giveUp = setTimeout(() => client.end(true, {}, () => resolve()), STOP_GRACE_MS);
              // a clean goodbye sends no will: say offline first, so the retained status is true
              client.publish(statusTopic(credentials.id), 'offline', { qos: 1, retain: true }, () =>
                client.end(false, {}, () => {
                  clearTimeout(giveUp);
                  resolve();
                }),
              );
            }),
        ),
      );
    },
  };
}
