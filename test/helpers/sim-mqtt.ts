import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';

/** A message a test subscriber saw. */
export interface Seen {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
}

export interface TestBroker {
  url: string;
  /** The CONNECTs the broker accepted or refused: client id, username, password. */
  connects: Array<{ clientId: string; username: string | undefined; password: string | undefined; accepted: boolean }>;
  close(): Promise<void>;
}

/**
 * A real aedes broker on a free port. `accept` decides each CONNECT (default: every one), so a test
 * can hold devices to their credentials as the platform does.
 */
export async function startAedes(accept: (username: string | undefined, password: string | undefined) => boolean = () => true): Promise<TestBroker> {
  const connects: TestBroker['connects'] = [];
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const pass = password?.toString('utf8');
      const accepted = accept(username, pass);
      connects.push({ clientId: client.id, username, password: pass, accepted });
      if (accepted) done(null, true);
      else done(Object.assign(new Error('bad username or password'), { returnCode: 4 as const }), false);
    },
  });
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    connects,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A subscriber that records what it sees on `topics` (QoS 1 subscriptions). */
export async function subscribe(url: string, topics: string[], credentials: { username: string; password: string } = { username: 'test-observer', password: 'observer' }): Promise<{ seen: Seen[]; client: MqttClient; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const client = await mqtt.connectAsync(url, { clientId: `observer-${randomUUID()}`, ...credentials, reconnectPeriod: 0 });
  client.on('message', (topic, payload, packet) => seen.push({ topic, payload: payload.toString('utf8'), qos: packet.qos, retain: packet.retain }));
  await client.subscribeAsync(topics, { qos: 1 });
  return { seen, client, close: () => client.endAsync() };
}

/** Polls until `condition` holds; the test's own timeout bounds the wait. */
export async function until(condition: () => boolean, pollMs = 20): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, pollMs));
}
