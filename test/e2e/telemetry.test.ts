import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_DEVICES } from '../../src/server/modules/devices/demo.ts';
import { EmbeddedBroker } from '../../src/server/modules/telemetry/transports.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { openTestDatabase } from '../helpers/db.ts';
import { ENGINES } from '../helpers/engines.ts';

const smoke = DEMO_DEVICES.find((d) => d.profile === 'smoke')!;
const meter = DEMO_DEVICES.find((d) => d.profile === 'water-meter')!;
const gate = DEMO_DEVICES.find((d) => d.profile === 'gate')!;

async function deviceRow(t: TestApp, id: string) {
  return t.platform.db
    .selectFrom('devices')
    .select(['connectivity', 'rejected_count', 'unauthorised_count', 'last_rejection', 'last_values', 'last_seen_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function readingCount(t: TestApp, deviceId: string): Promise<number> {
  const row = await t.platform.db.selectFrom('device_readings').select((eb) => eb.fn.countAll<string>().as('n')).where('device_id', '=', deviceId).executeTakeFirstOrThrow();
  return Number(row.n);
}

function brokerOf(t: TestApp): EmbeddedBroker {
  const broker = t.services.get('mqtt-broker');
  if (!(broker instanceof EmbeddedBroker)) throw new Error('no embedded broker');
  return broker;
}

function connectDevice(port: number, device: { id: string; token: string }, options: mqtt.IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: device.id, password: device.token, clientId: `test-${randomUUID()}`, reconnectPeriod: 0, ...options });
}

describe.each(ENGINES)('telemetry ingestion (%s)', (engine) => {
  let t: TestApp;
  const clients: MqttClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
    await t?.close();
  });

  const post = (device: { id: string; token?: string }, body: unknown, channel = 'telemetry') =>
    t.request({ method: 'POST', url: `/api/devices/${device.id}/${channel}`, body, headers: device.token ? { authorization: `Bearer ${device.token}` } : {} });

  it('stores HTTP telemetry once per message id, keeps the latest values and marks the device online', async () => {
    t = await createTestApp(engine);
    const first = await post(smoke, { smoke: false, battery: 88, msgId: 'm-1' });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toMatchObject({ status: 'stored' });
    const again = await post(smoke, { smoke: false, battery: 88, msgId: 'm-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ status: 'duplicate' });
    const battery = await post(smoke, { smoke: false, battery: 87 });
    expect(battery.statusCode).toBe(202);

    expect(await readingCount(t, smoke.id)).toBe(2);
    const row = await deviceRow(t, smoke.id);
    expect(row.connectivity).toBe('online');
    expect(row.last_values).toEqual({ smoke: false, battery: 87 });
    expect(row.last_seen_at).not.toBeNull();

    const gateEvent = await post(gate, { event: 'forced' }, 'events');
    expect(gateEvent.statusCode).toBe(202);
    const kinds = await t.platform.db.selectFrom('device_readings').select('kind').where('device_id', '=', gate.id).execute();
    expect(kinds).toEqual([{ kind: 'event' }]);
  });

  it('raises a critical, latched smoke alarm in the transaction that stores the reading', async () => {
    t = await createTestApp(engine);
    expect((await post(smoke, { smoke: true, battery: 70 })).statusCode).toBe(202);
    const alarm = await t.platform.db.selectFrom('alarms').select(['type', 'severity', 'latched', 'state', 'repeat_count']).where('device_id', '=', smoke.id).executeTakeFirstOrThrow();
    expect(alarm).toEqual({ type: 'smoke', severity: 'critical', latched: true, state: 'active_unack', repeat_count: 1 });
    // the smoke clears, the alarm stays until someone resets it
    expect((await post(smoke, { smoke: false, battery: 70 })).statusCode).toBe(202);
    const after = await t.platform.db.selectFrom('alarms').select(['state']).where('device_id', '=', smoke.id).execute();
    expect(after).toEqual([{ state: 'active_unack' }]);
  });

  it('refuses a wrong token, another device’s token and malformed messages, counting them and storing nothing', async () => {
    t = await createTestApp(engine);
    const wrong = await post({ id: smoke.id, token: 'gzdev_wrong' }, { smoke: false, battery: 90 });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('DEVICE_UNAUTHENTICATED');
    const foreign = await post({ id: smoke.id, token: meter.token }, { smoke: false, battery: 90 });
    expect(foreign.statusCode).toBe(401);
    const none = await post({ id: smoke.id }, { smoke: false, battery: 90 });
    expect(none.statusCode).toBe(401);
    const unknown = await post({ id: randomUUID(), token: smoke.token }, { smoke: false, battery: 90 });
    expect(unknown.statusCode).toBe(401);

    const bad: unknown[] = [
      { smoke: 'yes', battery: 90 },
      { smoke: false, battery: 190 },
      { smoke: false, battery: 90, colour: 'red' },
      { battery: 90 },
      { smoke: false, battery: 90, observedAt: new Date(Date.now() + 3_600_000).toISOString() },
      { smoke: false, battery: 90, msgId: 'x'.repeat(65) },
    ];
    for (const body of bad) {
      const response = await post(smoke, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(response.json().error.code).toBe('TELEMETRY_REJECTED');
    }
    const notAnObject = await t.request({ method: 'POST', url: `/api/devices/${smoke.id}/telemetry`, body: '[1,2]', headers: { authorization: `Bearer ${smoke.token}`, 'content-type': 'application/json' } });
    expect(notAnObject.statusCode).toBe(400);

    // the counters are written with the next batch
    await post(meter, { volume: 1.5 });
    const row = await deviceRow(t, smoke.id);
    expect(row.rejected_count).toBe(bad.length);
    expect(row.unauthorised_count).toBe(3);
    expect(row.last_rejection).toMatchObject({ reason: 'bad_message_id' });
    expect(row.connectivity).toBe('unknown');
    expect(await readingCount(t, smoke.id)).toBe(0);
  });

  it('takes MQTT from authenticated devices and acknowledges QoS 1 only once the reading is stored', async () => {
    t = await createTestApp(engine, {}, { startServices: true });
    const port = brokerOf(t).boundPort;
    const device = await connectDevice(port, meter);
    clients.push(device);
    for (let i = 0; i < 20; i++) {
      await device.publishAsync(`devices/${meter.id}/telemetry`, JSON.stringify({ volume: 100 + i * 0.01, msgId: `q1-${i}` }), { qos: 1 });
      // the PUBACK has arrived: the reading is in the database already
      expect(await readingCount(t, meter.id)).toBe(i + 1);
    }
    // a resent message id is stored once
    await device.publishAsync(`devices/${meter.id}/telemetry`, JSON.stringify({ volume: 100, msgId: 'q1-0' }), { qos: 1 });
    expect(await readingCount(t, meter.id)).toBe(20);
    const row = await deviceRow(t, meter.id);
    expect(row.last_values).toEqual({ volume: 100.19 });
    expect(row.connectivity).toBe('online');
  });

  it('refuses wrong MQTT credentials and another device’s topic, and survives garbage', async () => {
    t = await createTestApp(engine, {}, { startServices: true });
    const port = brokerOf(t).boundPort;
    await expect(connectDevice(port, { id: smoke.id, token: 'gzdev_wrong' })).rejects.toThrow();
    await expect(connectDevice(port, { id: 'not-a-device', token: smoke.token })).rejects.toThrow();

    const device = await connectDevice(port, smoke);
    clients.push(device);
    await device.publishAsync(`devices/${smoke.id}/telemetry`, 'not json at all', { qos: 1 });
    await device.publishAsync(`devices/${smoke.id}/telemetry`, Buffer.alloc(64 * 1024, 0x7b), { qos: 1 });
    await device.publishAsync(`devices/${smoke.id}/telemetry`, JSON.stringify({ smoke: false, battery: 101 }), { qos: 1 });
    expect(device.connected).toBe(true);
    await device.publishAsync(`devices/${smoke.id}/telemetry`, JSON.stringify({ smoke: false, battery: 99 }), { qos: 1 });
    expect(await readingCount(t, smoke.id)).toBe(1);

    // publishing as another device closes the connection and stores nothing
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    device.publish(`devices/${meter.id}/telemetry`, JSON.stringify({ volume: 1 }), { qos: 1 });
    await closed;
    await t.request({ method: 'POST', url: `/api/devices/${meter.id}/telemetry`, body: { volume: 2 }, headers: { authorization: `Bearer ${meter.token}` } });
    expect(await readingCount(t, meter.id)).toBe(1);

    const row = await deviceRow(t, smoke.id);
    expect(row.rejected_count).toBe(3);
    expect(row.unauthorised_count).toBe(2);
    const stats = (await t.request({ url: '/api/telemetry/stats', token: await t.login('admin') })).json();
    expect(stats).toMatchObject({ transport: 'embedded', stored: 2, rejected: { not_json: 1, too_large: 1, out_of_range: 1 }, unauthorised: { bad_credential: 1, unknown_device: 1, foreign_topic: 1 } });
  });

  it('marks a device offline from its last will and online again from its next message', async () => {
    t = await createTestApp(engine, {}, { startServices: true });
    const port = brokerOf(t).boundPort;
    const device = await connectDevice(port, gate, { will: { topic: `devices/${gate.id}/status`, payload: Buffer.from('offline'), qos: 1, retain: true } });
    await device.publishAsync(`devices/${gate.id}/status`, 'online', { qos: 1, retain: true });
    expect((await deviceRow(t, gate.id)).connectivity).toBe('online');
    device.stream.destroy(); // an ungraceful end: the broker publishes the will
    await waitFor(async () => (await deviceRow(t, gate.id)).connectivity === 'offline');
    await post(gate, { event: 'open' }, 'events');
    expect((await deviceRow(t, gate.id)).connectivity).toBe('online');
  });

  it('stores each message id once when the same messages arrive at the same time over MQTT and HTTP', async () => {
    t = await createTestApp(engine, {}, { startServices: true });
    const port = brokerOf(t).boundPort;
    const [a, b] = await Promise.all([connectDevice(port, meter), connectDevice(port, meter)]);
    clients.push(a, b);
    const messages = Array.from({ length: 50 }, (_, i) => JSON.stringify({ volume: 200 + i, msgId: `c-${i}` }));
    await Promise.all([
      ...messages.map((m) => a.publishAsync(`devices/${meter.id}/telemetry`, m, { qos: 1 })),
      ...messages.map((m) => b.publishAsync(`devices/${meter.id}/telemetry`, m, { qos: 1 })),
      ...messages.map((m) => post(meter, JSON.parse(m))),
    ]);
    expect(await readingCount(t, meter.id)).toBe(50);
  });

  it('turns silent devices offline on the liveness sweep and deletes readings past retention', async () => {
    t = await createTestApp(engine, { telemetryRetentionDays: 30 });
    await post(smoke, { smoke: false, battery: 80 });
    const seen = (await deviceRow(t, smoke.id)).last_seen_at!;
    // within 2.5 expected intervals (smoke: 1 h) it stays online; demo devices never heard of and due sooner go offline
    await t.platform.jobs.runNow('telemetry.liveness', new Date(seen.getTime() + 2 * 3_600_000));
    expect((await deviceRow(t, smoke.id)).connectivity).toBe('online');
    expect((await deviceRow(t, gate.id)).connectivity).toBe('offline');
    // after it the smoke detector is offline too
    expect(await t.platform.jobs.runNow('telemetry.liveness', new Date(seen.getTime() + 3 * 3_600_000))).toBeGreaterThanOrEqual(1);
    expect((await deviceRow(t, smoke.id)).connectivity).toBe('offline');
    expect(await t.platform.jobs.runNow('telemetry.liveness', new Date(seen.getTime() + 3 * 3_600_000))).toBe(0);

    expect(await t.platform.jobs.runNow('telemetry.retention', new Date(Date.now() + 29 * 86_400_000))).toBe(0);
    expect(await t.platform.jobs.runNow('telemetry.retention', new Date(Date.now() + 31 * 86_400_000))).toBe(1);
    expect(await readingCount(t, smoke.id)).toBe(0);
  });

  it('loses no acknowledged QoS 1 message when the server restarts in the middle of a burst', async () => {
    const database = await openTestDatabase(engine);
    try {
      t = await createTestApp(engine, {}, { startServices: true, database });
      const port = brokerOf(t).boundPort;
      const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: meter.id, password: meter.token, clientId: 'restart-test', clean: false, reconnectPeriod: 200 });
      clients.push(device);
      // large enough that the restart lands mid-burst even on a loaded machine
      const total = 1000;
      const acked = new Set<number>();
      const sent = Array.from({ length: total }, (_, i) =>
        device.publishAsync(`devices/${meter.id}/telemetry`, JSON.stringify({ volume: 1000 + i, msgId: `burst-${i}` }), { qos: 1 }).then(() => acked.add(i)),
      );
      await waitFor(async () => acked.size >= 50);
      await t.close(); // mid-burst: some messages stored and acknowledged, others not
      const before = acked.size;
      t = await createTestApp(engine, { mqttPort: port }, { startServices: true, database });
      await Promise.all(sent);
      expect(before).toBeLessThan(total);
      expect(await readingCount(t, meter.id)).toBe(total);
      const distinct = await sql<{ n: string }>`select count(distinct msg_id)::text as n from device_readings where device_id = ${meter.id}`.execute(t.platform.db);
      expect(Number(distinct.rows[0]!.n)).toBe(total);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
      await t.close();
      await database.close();
      t = undefined as unknown as TestApp;
    }
  }, 90_000);
});

describe.runIf(process.env.TEST_MQTT_URL)('telemetry from an external broker', () => {
  let t: TestApp | undefined;
  afterEach(async () => t?.close());

  it.each(ENGINES)('consumes device topics with a shared subscription and acknowledges after storing (%s)', async (engine) => {
    const url = process.env.TEST_MQTT_URL!;
    t = await createTestApp(engine, { mqttUrl: url, mqttSharedGroup: `test-${randomUUID()}`, mqttClientId: `gongzhi-test-${randomUUID()}` }, { startServices: true });
    const device = await mqtt.connectAsync(url, { clientId: `device-${randomUUID()}` });
    try {
      for (let i = 0; i < 5; i++) await device.publishAsync(`devices/${meter.id}/telemetry`, JSON.stringify({ volume: 300 + i, msgId: `ext-${i}` }), { qos: 1 });
      await device.publishAsync(`devices/${meter.id}/telemetry`, JSON.stringify({ volume: 300, msgId: 'ext-0' }), { qos: 1 });
      await device.publishAsync(`devices/${meter.id}/telemetry`, 'garbage', { qos: 1 });
      await waitFor(async () => (await readingCount(t!, meter.id)) === 5 && (await deviceRow(t!, meter.id)).rejected_count === 1);
      expect((await deviceRow(t, meter.id)).last_values).toEqual({ volume: 304 });
    } finally {
      await device.endAsync();
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
