import { normalise, type RejectReason } from '../../../shared/iot-profiles.ts';
import { systemActor } from '../../platform/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AlarmSignal, AlarmSink, Reading, ReadingEvaluator } from './contracts.ts';
import type { DeviceCredentials } from './repository.ts';
import { addRejections, insertReadings, markOffline, markSeen, type LatestUpdate, type NewReading, type RejectionCount } from './repository.ts';

/** Where a message arrived: `devices/{id}/telemetry`, `…/events`, or `…/status` (online / offline, the MQTT last will). */
export type Channel = 'telemetry' | 'events' | 'status';

/** The envelope field a device may set so that a resent message is stored once. */
export const MESSAGE_ID_FIELD = 'msgId';
const MESSAGE_ID_MAX_LENGTH = 64;

export type IngestRejectReason = RejectReason | 'not_json' | 'too_large' | 'bad_message_id' | 'bad_status';
export type UnauthorisedReason = 'bad_credential' | 'foreign_topic' | 'retired';

export type IngestOutcome =
  | { status: 'stored'; readingId: string }
  | { status: 'duplicate' }
  | { status: 'status'; connectivity: 'online' | 'offline' }
  | { status: 'rejected'; reason: IngestRejectReason; message: string };

export interface IngestStats {
  stored: number;
  duplicates: number;
  rejected: Partial<Record<IngestRejectReason, number>>;
  unauthorised: Partial<Record<UnauthorisedReason | 'unknown_device', number>>;
  batches: number;
  failedBatches: number;
  queued: number;
  /** Messages per batch and milliseconds per batch, averaged over the last batches. */
  averageBatchSize: number;
  averageBatchMs: number;
}

export interface IngestorOptions {
  evaluators: readonly ReadingEvaluator[];
  sink: AlarmSink;
  maxPayloadBytes: number;
  /** Messages per transaction. */
  maxBatch?: number;
  /** How long the first message of a batch waits for company. */
  maxDelayMs?: number;
  /** Messages waiting at most; beyond it `submit` waits (MQTT stops reading the device's socket) instead of growing memory. */
  maxQueue?: number;
}

interface Pending {
  device: DeviceCredentials;
  reading: NewReading;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

interface PendingStatus {
  deviceId: string;
  connectivity: 'online' | 'offline';
  at: Date;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * The ingestion pipeline shared by MQTT and HTTP. Messages are validated as they arrive and
 * queued; a single writer takes up to `maxBatch` of them into one transaction that stores the
 * readings (de-duplicated by message id), updates each device's latest values and liveness,
 * counts rejections, evaluates the rules and applies the alarm signals. Only after that
 * transaction commits does `submit` resolve — the MQTT transport acknowledges a QoS 1 message
 * then, so an acknowledged message has been stored and evaluated, and one that was not is
 * resent by the device after a crash.
 */
export class Ingestor {
  private queue: Pending[] = [];
  private statuses: PendingStatus[] = [];
  private rejections = new Map<string, RejectionCount>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private waitingForRoom: Array<() => void> = [];
  private closed = false;
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private readonly maxQueue: number;
  private readonly counters: Omit<IngestStats, 'queued' | 'averageBatchSize' | 'averageBatchMs'> = {
    stored: 0,
    duplicates: 0,
    rejected: {},
    unauthorised: {},
    batches: 0,
    failedBatches: 0,
  };
  private averageBatchSize = 0;
  private averageBatchMs = 0;

  constructor(
    private readonly platform: Platform,
    private readonly options: IngestorOptions,
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 10;
    this.maxQueue = options.maxQueue ?? 50_000;
  }

  /** Validates a device's message and resolves once it is stored (or at once when rejected). */
  async submit(device: DeviceCredentials, channel: Channel, payload: Buffer | unknown, receivedAt = new Date()): Promise<IngestOutcome> {
    if (this.closed) throw new Error('ingestion is shutting down');
    if (channel === 'status') return this.submitStatus(device, payload, receivedAt);

    const parsed = this.parse(payload);
    if (!parsed.ok) return this.reject(device.id, parsed.reason, parsed.message, receivedAt);
    const { [MESSAGE_ID_FIELD]: msgId, ...fields } = parsed.value;
    if (msgId !== undefined && (typeof msgId !== 'string' || msgId.length === 0 || msgId.length > MESSAGE_ID_MAX_LENGTH)) {
      return this.reject(device.id, 'bad_message_id', `${MESSAGE_ID_FIELD} must be a string of 1 to ${MESSAGE_ID_MAX_LENGTH} characters`, receivedAt);
    }
    const normalised = normalise(device.profile, fields, receivedAt);
    if (!normalised.ok) return this.reject(device.id, normalised.reason, normalised.message, receivedAt);

    while (this.queue.length >= this.maxQueue) await new Promise<void>((resolve) => this.waitingForRoom.push(resolve));
    return new Promise<IngestOutcome>((resolve, reject) => {
      this.queue.push({
        device,
        reading: {
          deviceId: device.id,
          kind: channel === 'events' ? 'event' : 'telemetry',
          observedAt: normalised.observedAt,
          receivedAt,
          msgId: msgId ?? null,
          values: normalised.values,
        },
        resolve,
        reject,
      });
      this.schedule();
    });
  }

  /** A credential or topic check failed for a known device: counted on it with the next batch. */
  countUnauthorised(deviceId: string | null, reason: UnauthorisedReason | 'unknown_device', at = new Date()): void {
    this.counters.unauthorised[reason] = (this.counters.unauthorised[reason] ?? 0) + 1;
    if (deviceId === null) return;
    this.count(deviceId, 'unauthorised', { reason, message: reason, at: at.toISOString() });
  }

  stats(): IngestStats {
    return {
      ...this.counters,
      rejected: { ...this.counters.rejected },
      unauthorised: { ...this.counters.unauthorised },
      queued: this.queue.length,
      averageBatchSize: Math.round(this.averageBatchSize * 10) / 10,
      averageBatchMs: Math.round(this.averageBatchMs * 10) / 10,
    };
  }

  /** Stores what was accepted, then refuses new messages. */
  async stop(): Promise<void> {
    this.closed = true;
    await this.flushAll();
  }

  /** Writes everything queued now (tests and shutdown). */
  async flushAll(): Promise<void> {
    while (this.queue.length > 0 || this.statuses.length > 0 || this.rejections.size > 0 || this.flushing) {
      if (this.flushing) await this.flushing;
      else await this.startFlush();
    }
  }

  private parse(payload: Buffer | unknown): { ok: true; value: Record<string, unknown> } | { ok: false; reason: IngestRejectReason; message: string } {
    let value: unknown = payload;
    if (Buffer.isBuffer(payload)) {
      if (payload.length > this.options.maxPayloadBytes) return { ok: false, reason: 'too_large', message: `the message exceeds ${this.options.maxPayloadBytes} bytes` };
      try {
        value = JSON.parse(payload.toString('utf8'));
      } catch {
        return { ok: false, reason: 'not_json', message: 'the message is not JSON' };
      }
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'not_an_object', message: 'the payload must be a JSON object' };
    return { ok: true, value: value as Record<string, unknown> };
  }

  private submitStatus(device: DeviceCredentials, payload: Buffer | unknown, at: Date): Promise<IngestOutcome> {
    const text = Buffer.isBuffer(payload) ? payload.toString('utf8').trim() : payload;
    if (text !== 'online' && text !== 'offline') return Promise.resolve(this.reject(device.id, 'bad_status', 'the status must be "online" or "offline"', at));
    return new Promise<IngestOutcome>((resolve, reject) => {
      this.statuses.push({ deviceId: device.id, connectivity: text, at, resolve, reject });
      this.schedule();
    });
  }

  private reject(deviceId: string, reason: IngestRejectReason, message: string, at: Date): IngestOutcome {
    this.counters.rejected[reason] = (this.counters.rejected[reason] ?? 0) + 1;
    this.count(deviceId, 'malformed', { reason, message, at: at.toISOString() });
    this.schedule();
    return { status: 'rejected', reason, message };
  }

  private count(deviceId: string, kind: 'malformed' | 'unauthorised', last: RejectionCount['last']): void {
    const entry = this.rejections.get(deviceId) ?? { deviceId, malformed: 0, unauthorised: 0, last };
    entry[kind] += 1;
    entry.last = last;
    this.rejections.set(deviceId, entry);
  }

  private schedule(): void {
    if (this.flushing) return; // the running flush looks again when it ends
    if (this.queue.length >= this.maxBatch) {
      void this.startFlush();
      return;
    }
    this.timer ??= setTimeout(() => void this.startFlush(), this.maxDelayMs);
  }

  private startFlush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.flushing ??= this.flush().finally(() => {
      this.flushing = null;
      if (this.queue.length > 0 || this.statuses.length > 0 || this.rejections.size > 0) this.schedule();
    });
    return this.flushing;
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    const statuses = this.statuses.splice(0);
    const rejections = [...this.rejections.values()];
    this.rejections.clear();
    for (const wake of this.waitingForRoom.splice(0)) wake();
    if (batch.length === 0 && statuses.length === 0 && rejections.length === 0) return;

    const started = performance.now();
    try {
      const outcomes = await this.platform.transaction(systemActor('telemetry'), async (ctx) => {
        const unique = firstOfEachMessageId(batch.map((p) => p.reading));
        const stored = await insertReadings(ctx.trx, unique.map((i) => batch[i]!.reading));
        const readingIdOf = new Map(stored.map((s) => [unique[s.index]!, s.id]));

        // a duplicate says the device is alive, but its values are old news
        const storedReadings = [...readingIdOf.keys()].map((i) => batch[i]!.reading);
        const backOnline = await markSeen(ctx.trx, latestPerDevice(storedReadings, batch.map((p) => p.reading), statuses.filter((s) => s.connectivity === 'online')));
        const offline = statuses.filter((s) => s.connectivity === 'offline');
        const wentOffline = await markOffline(ctx.trx, [...new Set(offline.map((s) => s.deviceId))], offline[0]?.at ?? new Date());
        await addRejections(ctx.trx, rejections);

        const readings: Reading[] = [];
        for (const [index, id] of readingIdOf) {
          const { device, reading: r } = batch[index]!;
          readings.push({ id, deviceId: r.deviceId, profile: device.profile, regionCode: device.regionCode, regionPath: device.regionPath, kind: r.kind, observedAt: r.observedAt, receivedAt: r.receivedAt, values: r.values });
        }
        readings.sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime());
        const now = new Date();
        const signals: AlarmSignal[] = [
          ...backOnline.map((deviceId): AlarmSignal => ({ deviceId, type: 'device-offline', active: false, at: now, source: { kind: 'liveness' } })),
          ...wentOffline.map((deviceId): AlarmSignal => ({ deviceId, type: 'device-offline', active: true, at: now, source: { kind: 'liveness' }, detail: { 'zh-CN': '设备断开连接（遗嘱消息）', en: 'The device disconnected (last will)' } })),
        ];
        for (const evaluate of this.options.evaluators) signals.push(...(await evaluate(ctx, readings)));
        if (signals.length > 0) await this.options.sink(ctx, signals);
        return readingIdOf;
      });
      this.counters.batches += 1;
      batch.forEach((p, i) => {
        const id = outcomes.get(i);
        if (id !== undefined) {
          this.counters.stored += 1;
          p.resolve({ status: 'stored', readingId: id });
        } else {
          this.counters.duplicates += 1;
          p.resolve({ status: 'duplicate' });
        }
      });
      for (const s of statuses) s.resolve({ status: 'status', connectivity: s.connectivity });
    } catch (error) {
      this.counters.failedBatches += 1;
      this.platform.log.error({ err: error, messages: batch.length }, 'telemetry batch failed; its messages are not acknowledged');
      for (const p of batch) p.reject(error);
      for (const s of statuses) s.reject(error);
    } finally {
      const ms = performance.now() - started;
      this.averageBatchSize = this.averageBatchSize * 0.9 + batch.length * 0.1;
      this.averageBatchMs = this.averageBatchMs * 0.9 + ms * 0.1;
    }
  }
}

/** Indexes of the readings to store: a message id seen earlier in the same batch is a duplicate. */
function firstOfEachMessageId(readings: readonly NewReading[]): number[] {
  const seen = new Set<string>();
  const keep: number[] = [];
  readings.forEach((r, i) => {
    if (r.msgId !== null) {
      const key = `${r.deviceId}|${r.msgId}`;
      if (seen.has(key)) return;
      seen.add(key);
    }
    keep.push(i);
  });
  return keep;
}

/** Per device: when it was last heard from and the newest value of each field (by observation time). */
function latestPerDevice(stored: readonly NewReading[], received: readonly NewReading[], online: readonly PendingStatus[]): LatestUpdate[] {
  const byDevice = new Map<string, { seenAt: Date; values: Record<string, NewReading['values'][string]>; observed: Record<string, number> }>();
  const entry = (deviceId: string, at: Date) => {
    let e = byDevice.get(deviceId);
    if (!e) byDevice.set(deviceId, (e = { seenAt: at, values: {}, observed: {} }));
    if (at > e.seenAt) e.seenAt = at;
    return e;
  };
  for (const r of received) entry(r.deviceId, r.receivedAt);
  for (const r of stored) {
    const e = entry(r.deviceId, r.receivedAt);
    for (const [field, value] of Object.entries(r.values)) {
      if ((e.observed[field] ?? -Infinity) <= r.observedAt.getTime()) {
        e.values[field] = value;
        e.observed[field] = r.observedAt.getTime();
      }
    }
  }
  for (const s of online) entry(s.deviceId, s.at);
  return [...byDevice].map(([deviceId, e]) => ({ deviceId, seenAt: e.seenAt, values: e.values }));
}
