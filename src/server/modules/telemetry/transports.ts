import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import type { Service } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import type { DeviceDirectory } from './directory.ts';
import type { Channel, Ingestor } from './ingest.ts';
import type { DeviceCredentials } from './repository.ts';

/** `devices/{deviceId}/telemetry|events|status` → its parts; anything else → null. */
export function parseDeviceTopic(topic: string): { deviceId: string; channel: Channel } | null {
  const match = /^devices\/([0-9a-fA-F-]{36})\/(telemetry|events|status)$/.exec(topic);
  return match ? { deviceId: match[1]!.toLowerCase(), channel: match[2] as Channel } : null;
}

const authError = (returnCode: 4 | 5, message: string): AuthenticateError => Object.assign(new Error(message), { returnCode });

/**
 * The embedded broker (aedes) devices connect to: username = device id, password = device token.
 * A device may publish only to its own topics and subscribe to nothing but them. A publish is
 * held until the ingestion has stored it; aedes sends the QoS 1 PUBACK only then.
 */
export class EmbeddedBroker implements Service {
  readonly name = 'mqtt-broker';
  private broker: Aedes | null = null;
  private server: Server | null = null;
  private readonly devices = new WeakMap<Client, DeviceCredentials>();
  private readonly clients = new Map<string, Set<Client>>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly platform: Platform,
    private readonly ingestor: Ingestor,
    private readonly directory: DeviceDirectory,
    private readonly port: number,
    private readonly host: string,
    /** Demo mode: if the port is taken (another broker runs here), listen on a free one instead of failing. */
    private readonly fallbackToFreePort: boolean,
  ) {}

  /** The port actually bound (the configured one, or the one the system chose for port 0). */
  get boundPort(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  get connectedDevices(): number {
    return this.broker?.connectedClients ?? 0;
  }

  async start(): Promise<void> {
    const broker = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        if (username === undefined) return done(authError(4, 'username (device id) required'), false);
        this.directory.authenticate(username, password?.toString('utf8')).then(
          (check) => {
            if (!check.ok) {
              this.ingestor.countUnauthorised(check.device?.id ?? null, check.reason);
              return done(authError(check.reason === 'retired' ? 5 : 4, check.reason), false);
            }
            this.devices.set(client, check.device);
            done(null, true);
          },
          (error: unknown) => done(authError(5, String(error)), false),
        );
      },
      authorizePublish: (client, packet, done) => {
        const device = client ? this.devices.get(client) : undefined;
        if (!client || !device) return done(new Error('not a device connection'));
        const target = parseDeviceTopic(packet.topic);
        if (!target || target.deviceId !== device.id) {
          this.ingestor.countUnauthorised(device.id, 'foreign_topic');
          return done(new Error(`device ${device.id} may not publish to ${packet.topic}`));
        }
        // Nothing subscribes to device data: don't keep retained copies of readings in the broker's memory.
        if (target.channel !== 'status') packet.retain = false;
        this.ingestor.submit(device, target.channel, packet.payload as Buffer).then(
          () => done(null),
          (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
        );
      },
      authorizeSubscribe: (client, subscription, done) => {
        const device = this.devices.get(client);
        if (device && subscription.topic.startsWith(`devices/${device.id}/`)) return done(null, subscription);
        done(new Error('devices may subscribe only to their own topics'), null);
      },
    });
    broker.on('clientReady', (client) => {
      const device = this.devices.get(client);
      if (!device) return;
      let set = this.clients.get(device.id);
      if (!set) this.clients.set(device.id, (set = new Set()));
      set.add(client);
    });
    broker.on('clientDisconnect', (client) => {
      const device = this.devices.get(client);
      if (device) this.clients.get(device.id)?.delete(client);
    });
    // A client's socket error (a device vanishing mid-packet) is the client's problem, not the server's.
    broker.on('clientError', (client, error) => this.platform.log.debug({ err: error, client: client.id }, 'mqtt client error'));
    broker.on('connectionError', (client, error) => this.platform.log.debug({ err: error, client: client.id }, 'mqtt connection error'));
    // A changed credential or state takes effect at once: drop the device's connections.
    this.unsubscribe = this.directory.onInvalidate((deviceId) => {
      for (const client of this.clients.get(deviceId) ?? []) client.close();
    });

    const server = createServer(broker.handle);
    const listen = (port: number) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, this.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    try {
      await listen(this.port);
    } catch (error) {
      if (!this.fallbackToFreePort || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      await listen(0);
      this.platform.log.warn({ wanted: this.port, port: (server.address() as AddressInfo).port }, 'MQTT port in use; the demo broker listens on a free port instead (set MQTT_PORT)');
    }
    this.broker = broker;
    this.server = server;
    this.platform.log.info({ port: this.boundPort }, 'embedded MQTT broker listening');
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    const server = this.server;
    const broker = this.broker;
    this.server = null;
    this.broker = null;
    // Stop accepting, store what was accepted, then drop the connections: a message whose PUBACK
    // was not sent will be resent by its device to the next instance.
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    await this.ingestor.stop();
    if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
    await closed;
  }
}

/**
 * Consumes device messages from an external broker (MQTT_URL) with an MQTT 5 shared subscription,
 * so that several Gongzhi instances split the load. The broker authenticates the devices (its own
 * auth plugin); here a message's device must exist and be active. The PUBACK to the broker is sent
 * once the message is stored; if storing fails the connection is dropped without acknowledging,
 * and the broker redelivers.
 */
export class ExternalBrokerConsumer implements Service {
  readonly name = 'mqtt-consumer';
  private client: MqttClient | null = null;

  constructor(
    private readonly platform: Platform,
    private readonly ingestor: Ingestor,
    private readonly directory: DeviceDirectory,
    private readonly url: string,
    private readonly sharedGroup: string,
    private readonly clientId: string,
  ) {}

  async start(): Promise<void> {
    const client = await mqtt.connectAsync(this.url, {
      protocolVersion: 5,
      clientId: this.clientId,
      clean: false,
      properties: { sessionExpiryInterval: 3600 },
      reconnectPeriod: 2000,
      customHandleAcks: (topic, payload, _packet, done) => {
        this.handle(topic, payload).then(
          () => done(0),
          (error: unknown) => {
            this.platform.log.error({ err: error, topic }, 'telemetry from the external broker not stored; reconnecting for redelivery');
            done(error instanceof Error ? error : new Error(String(error)));
            client.end(true, {}, () => client.reconnect());
          },
        );
      },
    });
    client.on('error', (error) => this.platform.log.warn({ err: error }, 'external MQTT broker error'));
    const topics = ['telemetry', 'events', 'status'].map((channel) => `$share/${this.sharedGroup}/devices/+/${channel}`);
    await client.subscribeAsync(topics, { qos: 1 });
    this.client = client;
    this.platform.log.info({ url: redactUrl(this.url), group: this.sharedGroup }, 'consuming device messages from the external MQTT broker');
  }

  private async handle(topic: string, payload: Buffer): Promise<void> {
    const target = parseDeviceTopic(topic);
    if (!target) return; // not a device topic: nothing to store, acknowledged
    const device = await this.directory.get(target.deviceId);
    if (!device || device.state === 'retired') {
      this.ingestor.countUnauthorised(device?.id ?? null, device ? 'retired' : 'unknown_device');
      return;
    }
    await this.ingestor.submit(device, target.channel, payload);
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    await this.ingestor.stop();
    if (client) await client.endAsync();
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
