import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_PROFILE_IDS, normalise } from '../../src/shared/iot-profiles.ts';
import { startSimulation, type SimulatedDeviceCredentials } from '../../src/server/simulator/simulation.ts';
import { startDemoSimulation } from '../../src/server/simulator/demo.ts';
import { DEMO_DEVICES } from '../../src/server/modules/devices/demo.ts';
import { startAedes, subscribe, until, type Seen, type TestBroker } from '../helpers/sim-mqtt.ts';

/**
 * The simulator against real brokers: an aedes broker this test starts on a free port (holding
 * devices to their credentials), and the real Mosquitto when TEST_MQTT_URL is set. A subscriber
 * checks what arrives; nothing of the platform's ingestion is involved.
 */

const fleet = (): SimulatedDeviceCredentials[] => DEVICE_PROFILE_IDS.map((profile) => ({ id: randomUUID(), profile, token: `gzdev_test_${randomUUID()}` }));

const BROKERS: Array<{ name: string; start: (devices: SimulatedDeviceCredentials[]) => Promise<{ url: string; broker?: TestBroker; close(): Promise<void> }> }> = [
  {
    name: 'aedes',
    start: async (devices) => {
      const tokens = new Map(devices.map((d) => [d.id, d.token]));
      const broker = await startAedes((username, password) => username === 'test-observer' || (username !== undefined && tokens.get(username) === password));
      return { url: broker.url, broker, close: () => broker.close() };
    },
  },
  ...(process.env.TEST_MQTT_URL ? [{ name: 'mosquitto', start: () => Promise.resolve({ url: process.env.TEST_MQTT_URL!, close: () => Promise.resolve() }) }] : []),
];

describe.each(BROKERS)('the simulator on $name', ({ name, start }) => {
  const devices = fleet();
  const ids = new Set(devices.map((d) => d.id));
  let url: string;
  let broker: TestBroker | undefined;
  let closeBroker: () => Promise<void>;
  let observer: Awaited<ReturnType<typeof subscribe>>;
  const ours = (seen: Seen[]) => seen.filter((m) => ids.has(m.topic.split('/')[1]!));

  beforeAll(async () => {
    ({ url, broker, close: closeBroker } = await start(devices));
    observer = await subscribe(url, ['devices/+/telemetry', 'devices/+/events', 'devices/+/status']);
  });
  afterAll(async () => {
    // Mosquitto keeps retained messages across tests: clear this run's statuses
    for (const d of devices) await observer?.client.publishAsync(`devices/${d.id}/status`, '', { retain: true, qos: 1 });
    await observer?.close();
    await closeBroker?.();
  });

  it('publishes each device’s telemetry and events on its own topics at QoS 1 with msgIds, every message acknowledged', async () => {
    const simulation = startSimulation({ mqttUrl: url, devices, rate: 200, anomalyRate: 0, seed: 3, runId: 'medium' });
    await simulation.ready;
    const sentBy = (id: string) => ours(observer.seen).filter((m) => m.topic === `devices/${id}/telemetry` || m.topic === `devices/${id}/events`);
    await until(() => devices.every((d) => sentBy(d.id).length >= 2));
    await simulation.stop();
    const stats = simulation.stats();
    expect(stats).toMatchObject({ devices: devices.length, connected: 0, errors: 0 });
    expect(stats.sent).toBeGreaterThanOrEqual(2 * devices.length);
    expect(stats.acknowledged).toBe(stats.sent);

    for (const d of devices) {
      const messages = sentBy(d.id);
      const channel = d.profile === 'gate' ? 'events' : 'telemetry';
      expect(messages.every((m) => m.topic === `devices/${d.id}/${channel}` && m.qos === 1), `${d.profile} on ${channel} at QoS 1`).toBe(true);
      const msgIds = new Set<unknown>();
      for (const m of messages) {
        const { msgId, ...payload } = JSON.parse(m.payload) as Record<string, unknown>;
        expect(msgId).toMatch(/^medium-[0-9a-z]+$/);
        msgIds.add(msgId);
        const normalised = normalise(d.profile, payload);
        expect(normalised.ok ? 'ok' : normalised.message).toBe('ok');
      }
      expect(msgIds.size).toBe(messages.length);
    }
    // online on connect, offline when stopped cleanly (a clean DISCONNECT sends no will, so the device says it)
    const statuses = (id: string) => ours(observer.seen).filter((m) => m.topic === `devices/${id}/status`).map((m) => m.payload);
    await until(() => devices.every((d) => statuses(d.id).length >= 2));
    for (const d of devices) expect(statuses(d.id)).toEqual(['online', 'offline']);
    if (broker) {
      const connected = broker.connects.filter((c) => ids.has(c.clientId));
      expect(connected).toHaveLength(devices.length);
      for (const d of devices) expect(connected.find((c) => c.clientId === d.id)).toEqual({ clientId: d.id, username: d.id, password: d.token, accepted: true });
    }
  });

  it('keeps the status retained: a late subscriber learns a running device is online', async () => {
    const [smoke] = devices;
    const simulation = startSimulation({ mqttUrl: url, devices: [smoke!], rate: 1, anomalyRate: 0 });
    await simulation.ready;
    const late = await subscribe(url, [`devices/${smoke!.id}/status`]);
    await until(() => late.seen.length > 0);
    expect(late.seen[0]).toEqual({ topic: `devices/${smoke!.id}/status`, payload: 'online', qos: 1, retain: true });
    await late.close();
    await simulation.stop();
  });

  it('drops the connection of a device that falls silent, so the broker publishes its will', async () => {
    const [, gas] = devices;
    const before = ours(observer.seen).length;
    const anomalies: string[] = [];
    const simulation = startSimulation({ mqttUrl: url, devices: [gas!], rate: 20, anomalyRate: 1, anomalyKinds: ['silent'], seed: 5, onAnomaly: (event) => anomalies.push(`${event.profile} ${event.kind}`) });
    await simulation.ready;
    const statuses = () => ours(observer.seen.slice(before)).filter((m) => m.topic === `devices/${gas!.id}/status`).map((m) => m.payload);
    await until(() => statuses().length >= 2);
    expect(statuses()).toEqual(['online', 'offline']);
    expect(simulation.stats()).toMatchObject({ sent: 0, anomalies: 1, connected: 0 });
    await simulation.stop();
    expect(anomalies).toEqual(['gas silent']);
  });

  it.runIf(name === 'aedes')('counts a refused credential as an error and sends nothing for that device', async () => {
    const [, , meter] = devices;
    const simulation = startSimulation({ mqttUrl: url, devices: [{ ...meter!, token: 'gzdev_wrong' }], rate: 5 });
    await simulation.ready;
    const stats = simulation.stats();
    await simulation.stop();
    expect(stats).toMatchObject({ connected: 0, sent: 0 });
    expect(stats.errors).toBeGreaterThanOrEqual(1);
    expect(stats.lastError).toMatch(/Bad username or password|Not authorized/i);
    expect(broker!.connects.filter((c) => c.clientId === meter!.id && !c.accepted)).not.toHaveLength(0);
  });
});

describe('the demo simulation', () => {
  it('speaks as the eleven demo devices with their demo tokens, to the broker it is given', async () => {
    const tokens = new Map(DEMO_DEVICES.map((d) => [d.id, d.token]));
    const broker = await startAedes((username, password) => username === 'test-observer' || (username !== undefined && tokens.get(username) === password));
    const observer = await subscribe(broker.url, ['devices/+/telemetry', 'devices/+/events']);
    const logged: Array<Record<string, unknown>> = [];
    // faster than the demo's few a minute, so the test need not wait
    const simulation = startDemoSimulation({ mqttUrl: broker.url, perMinute: 6000, anomalyRate: 0.5, logger: { info: (fields) => logged.push(fields) } });
    await simulation.ready;
    // every device has spoken, or fallen silent (an anomaly too) before it could
    const accounted = () => new Set([...observer.seen.map((m) => m.topic.split('/')[1]), ...logged.filter((f) => f.anomaly === 'silent').map((f) => f.deviceId)]);
    await until(() => accounted().size === DEMO_DEVICES.length && logged.length > 0);
    await simulation.stop();
    expect(broker.connects.filter((c) => tokens.has(c.clientId)).every((c) => c.accepted && c.username === c.clientId)).toBe(true);
    expect(simulation.stats().errors).toBe(0);
    expect(logged[0]).toMatchObject({ deviceId: expect.any(String) as string, profile: expect.any(String) as string, anomaly: expect.any(String) as string });
    await observer.close();
    await broker.close();
  });
});
