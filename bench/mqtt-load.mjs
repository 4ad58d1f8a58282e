// MQTT load generator for bench/iot.ts, run as a child process so that the broker under test
// keeps its own event loop. Plain JavaScript: it only needs mqtt.js.
//
// Receives its job over IPC: { url, devices: [{ id, token, profile }], seconds, qos, subscribe?,
// probes?: { deviceId, every } } and answers { connected, connectMs, sent, acked, received,
// errors, seconds, ackP50, ackP99, probeP50, probeP99 }.
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';

const payloadOf = {
  smoke: (n) => ({ smoke: false, battery: 90 - (n % 10) }),
  gas: (n) => ({ concentration: (n % 7) * 0.5, alarm: false }),
  'water-meter': (n) => ({ volume: 1000 + n * 0.001, flowRate: 0.2 }),
  'door-magnet': (n) => ({ open: n % 2 === 0, battery: 80 }),
  lift: (n) => ({ ebikeDetected: false, floor: n % 18 }),
  'fire-lane': () => ({ occupied: false, battery: 77 }),
  'fire-tank': (n) => ({ level: 4 + (n % 5) * 0.1, battery: 70 }),
  bin: (n) => ({ fillLevel: n % 80, temperature: 21 }),
  parking: (n) => ({ occupied: n % 3 === 0, battery: 66 }),
  gate: (n) => ({ event: n % 2 === 0 ? 'open' : 'close', direction: 'in', count: 1 }),
  'camera-ai': () => ({ event: 'heartbeat' }),
};

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function connectAll(url, devices) {
  const clients = new Array(devices.length);
  let next = 0;
  const worker = async () => {
    while (next < devices.length) {
      const i = next++;
      const d = devices[i];
      clients[i] = await mqtt.connectAsync(url, { username: d.id, password: d.token, clientId: `bench-${d.id}`, reconnectPeriod: 0, keepalive: 300 });
    }
  };
  await Promise.all(Array.from({ length: 100 }, worker));
  return clients;
}

async function run(job) {
  const { url, devices, seconds, qos } = job;
  let received = 0;
  let subscriber = null;
  if (job.subscribe) {
    subscriber = await mqtt.connectAsync(url, { clientId: 'bench-subscriber', reconnectPeriod: 0 });
    subscriber.on('message', () => received++);
    await subscriber.subscribeAsync(job.subscribe, { qos });
  }
  const connectStarted = performance.now();
  const clients = await connectAll(url, devices);
  const connectMs = performance.now() - connectStarted;
  process.send({ connected: clients.length });
  await new Promise((resolve) => process.once('message', resolve)); // the parent measures memory, then says go

  let sent = 0;
  let acked = 0;
  let errors = 0;
  const ackMs = [];
  const probeMs = [];
  const deadline = performance.now() + seconds * 1000;
  const probeIds = new Set((job.probes ?? []).map((p) => p.deviceId));
  const loop = async (client, device) => {
    let n = 0;
    while (performance.now() < deadline) {
      const probe = probeIds.has(device.id) && n % 10 === 3;
      const body = probe ? { smoke: true, battery: 50, msgId: `probe-${n}` } : { ...payloadOf[device.profile](n), msgId: `m-${n}` };
      n++;
      const started = performance.now();
      sent++;
      try {
        await client.publishAsync(`devices/${device.id}/telemetry`, JSON.stringify(body), { qos });
        acked++;
        const ms = performance.now() - started;
        if (probe) probeMs.push(ms);
        else if (acked % 16 === 0) ackMs.push(ms);
      } catch {
        errors++;
        return;
      }
    }
  };
  const started = performance.now();
  await Promise.all(clients.map((c, i) => loop(c, devices[i])));
  const elapsed = (performance.now() - started) / 1000;
  // a subscriber may still be draining what the broker accepted
  if (subscriber) {
    let last = -1;
    while (received !== last) {
      last = received;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  if (subscriber) await subscriber.endAsync(true);
  ackMs.sort((a, b) => a - b);
  probeMs.sort((a, b) => a - b);
  return {
    connectMs: Math.round(connectMs),
    sent,
    acked,
    received,
    errors,
    seconds: elapsed,
    ackP50: percentile(ackMs, 50),
    ackP99: percentile(ackMs, 99),
    probes: probeMs.length,
    probeP50: percentile(probeMs, 50),
    probeP99: percentile(probeMs, 99),
  };
}

process.once('message', (job) => {
  run(job).then(
    (result) => process.send({ result }, () => process.exit(0)),
    (error) => process.send({ error: String(error?.stack ?? error) }, () => process.exit(1)),
  );
});
