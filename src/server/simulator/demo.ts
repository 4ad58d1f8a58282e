import { DEMO_DEVICES } from '../modules/devices/demo.ts';
import { startSimulation, type Simulation } from './simulation.ts';

/**
 * Demo mode's live devices: the eleven demo devices of 梅园一村 (modules/devices/demo.ts, whose
 * demo-only tokens are public) talk to the platform's own broker, a few messages a minute
 * together, now and then with an anomaly, so that the demo shows alarms arriving.
 */

export interface DemoSimulationOptions {
  /** The embedded broker, e.g. mqtt://127.0.0.1:1883 (its port is MQTT_PORT). */
  mqttUrl: string;
  /** Messages per minute, all eleven devices together (default 6). */
  perMinute?: number;
  /** Chance per message that an anomaly begins (default 0.03: about one every five or six minutes). */
  anomalyRate?: number;
  /** Told of each anomaly as it begins, e.g. the server's logger. */
  logger?: { info: (fields: Record<string, unknown>, message: string) => void };
}

export const DEMO_MESSAGES_PER_MINUTE = 6;
export const DEMO_ANOMALY_RATE = 0.03;

/**
 * Starts the demo devices. Call it once the broker listens (devices that cannot connect yet keep
 * retrying every two seconds); `stop()` it before closing the broker.
 */
export function startDemoSimulation(options: DemoSimulationOptions): Simulation {
  const { logger } = options;
  return startSimulation({
    mqttUrl: options.mqttUrl,
    devices: DEMO_DEVICES.map(({ id, profile, token }) => ({ id, profile, token })),
    rate: (options.perMinute ?? DEMO_MESSAGES_PER_MINUTE) / 60,
    anomalyRate: options.anomalyRate ?? DEMO_ANOMALY_RATE,
    // a new course of events on each start, not the same anomalies at the same minutes
    seed: Date.now() >>> 0,
    qos: 1,
    ...(logger ? { onAnomaly: (event) => logger.info({ deviceId: event.deviceId, profile: event.profile, anomaly: event.kind }, 'demo device anomaly') } : {}),
  });
}
