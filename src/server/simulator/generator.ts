import type { DeviceProfileId, TelemetryValue } from '../../shared/iot-profiles.ts';
import { mulberry32 } from '../../shared/random.ts';

/**
 * What simulated devices say. Each device is a small state machine (a meter's reading, a bin's
 * fill, a battery's charge, an anomaly under way) driven by a generator seeded from the run's seed
 * and the device's position, so that the same seed and the same observation times give the same
 * messages: a pure function, tested as one. Rhythms follow the hour in Shanghai.
 */

/** Things that go wrong, each a scenario the rules and alarms must catch. */
export const ANOMALY_KINDS = [
  'smoke', // a smoke detector sees smoke
  'gas_spike', // combustible gas well above the detector's threshold for a few minutes
  'bin_full', // a bin fills to the brim and stays full until it is emptied
  'fire_lane_occupied', // a car stands on the fire lane for minutes
  'meter_stuck', // a household meter stops moving: an elderly resident used no water for hours
  'gate_forced', // an access gate forced open
  'camera_recognition', // an AI camera recognises a blocked fire lane, a shop spilling out or exposed garbage
  'ebike_in_lift', // an e-bike wheeled into a lift; the controller holds the doors
  'silent', // the device loses power: its connection drops without a goodbye, it says nothing for minutes
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

const PROFILE_ANOMALIES: Record<DeviceProfileId, readonly AnomalyKind[]> = {
  smoke: ['smoke'],
  gas: ['gas_spike'],
  'water-meter': ['meter_stuck'],
  'door-magnet': [],
  lift: ['ebike_in_lift'],
  'fire-lane': ['fire_lane_occupied'],
  'fire-tank': [],
  bin: ['bin_full'],
  parking: [],
  gate: ['gate_forced'],
  'camera-ai': ['camera_recognition'],
};

/** How long an anomaly lasts, in minutes (from, to); absent: it is one message. */
const ANOMALY_MINUTES: Partial<Record<AnomalyKind, readonly [number, number]>> = {
  smoke: [2, 6],
  gas_spike: [1, 5],
  bin_full: [30, 120],
  fire_lane_occupied: [5, 30],
  meter_stuck: [6 * 60, 14 * 60],
  silent: [3, 20],
};

export type MessageChannel = 'telemetry' | 'events';

/** One thing a device sends, with the values of its profile (observedAt and msgId are added by `next`). */
export interface DeviceMessage {
  channel: MessageChannel;
  payload: Record<string, TelemetryValue>;
  /** Set on the message that starts an anomaly. */
  anomaly?: AnomalyKind;
}

/** What a device does at one moment: send a message, or nothing (it is silent). */
export type DeviceStep = { kind: 'message'; message: DeviceMessage } | { kind: 'silent'; anomaly?: AnomalyKind; until: Date };

export interface GeneratorOptions {
  seed: number;
  /** Chance, per message, that an anomaly begins (0..1). */
  anomalyRate: number;
  /** The anomalies that may occur (default: all). */
  anomalyKinds?: readonly AnomalyKind[];
  /** Makes message ids unique across runs over the same devices (the platform de-duplicates by device and msgId). */
  runId: string;
}

/** FNV-1a over a string, for a per-device seed that depends on its position and the run's seed. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The hour of the day in Shanghai (UTC+8, no daylight saving) as a fraction, 0 ≤ h < 24. */
export function shanghaiHour(at: Date): number {
  return (((at.getTime() / 3_600_000 + 8) % 24) + 24) % 24;
}

/** A household's water use through the day, in m³/h: a morning and an evening peak, little at night. */
function householdFlow(hour: number): number {
  const peak = (centre: number, width: number, height: number) => height * Math.exp(-(((hour - centre) / width) ** 2));
  return 0.004 + peak(7.5, 1.2, 0.06) + peak(12, 1, 0.025) + peak(19.5, 1.6, 0.07);
}

/** How busy doors and gates are: mornings and evenings, quiet at night (0..1). */
function footfall(hour: number): number {
  const peak = (centre: number, width: number) => Math.exp(-(((hour - centre) / width) ** 2));
  return Math.min(1, 0.03 + 0.9 * peak(7.8, 1.3) + 0.35 * peak(12.5, 1.5) + 0.9 * peak(18.5, 1.8));
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

interface ActiveAnomaly {
  kind: AnomalyKind;
  until: Date;
}

/** One simulated device. `next(at)` says what it does at `at` (times must not go backwards). */
export class SimulatedDevice {
  readonly profile: DeviceProfileId;
  private readonly random: () => number;
  private readonly options: GeneratorOptions;
  private readonly anomalies: readonly AnomalyKind[];
  private sequence = 0;
  private lastAt: Date | null = null;
  private anomaly: ActiveAnomaly | null = null;
  private battery: number;
  private volume: number;
  private fill: number;
  private floor = 1;
  private parked: boolean;
  private lastCollectionAt: number | null = null;
  /** Household (or building) scale of a water meter: 1 for a flat, more for a building's main meter. */
  private readonly households: number;
  private readonly tankLevel: number;

  constructor(profile: DeviceProfileId, index: number, options: GeneratorOptions) {
    this.profile = profile;
    this.options = options;
    this.random = mulberry32(hash32(`${options.seed}:${index}:${profile}`));
    const allowed: readonly AnomalyKind[] = options.anomalyKinds ?? ANOMALY_KINDS;
    this.anomalies = [...PROFILE_ANOMALIES[profile], 'silent' as const].filter((k) => allowed.includes(k));
    this.battery = 55 + Math.floor(this.random() * 46);
    this.volume = round(100 + this.random() * 4000, 3);
    this.fill = round(this.random() * 60, 1);
    this.parked = this.random() < 0.5;
    this.households = this.random() < 0.2 ? 24 : 1;
    this.tankLevel = 3.2 + this.random() * 0.6;
  }

  private between(low: number, high: number): number {
    return low + this.random() * (high - low);
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** Batteries drain slowly: about one percent every hundred messages. */
  private drain(): number {
    if (this.battery > 1 && this.random() < 0.01) this.battery -= 1;
    return this.battery;
  }

  private active(kind: AnomalyKind, at: Date): boolean {
    return this.anomaly?.kind === kind && at < this.anomaly.until;
  }

  private startAnomaly(at: Date): AnomalyKind | undefined {
    if (this.anomalies.length === 0 || this.random() >= this.options.anomalyRate) return undefined;
    const kind = this.pick(this.anomalies);
    const minutes = ANOMALY_MINUTES[kind];
    const until = new Date(at.getTime() + (minutes ? this.between(minutes[0], minutes[1]) * 60_000 : 0));
    this.anomaly = { kind, until };
    return kind;
  }

  next(at: Date): DeviceStep {
    const elapsedH = this.lastAt ? Math.max(0, (at.getTime() - this.lastAt.getTime()) / 3_600_000) : 0;
    this.lastAt = at;
    if (this.anomaly && at >= this.anomaly.until) this.anomaly = null;
    if (this.active('silent', at)) return { kind: 'silent', until: this.anomaly!.until };
    const started = this.anomaly ? undefined : this.startAnomaly(at);
    if (started === 'silent') return { kind: 'silent', anomaly: 'silent', until: this.anomaly!.until };

    const { channel, payload } = this.values(at, shanghaiHour(at), elapsedH, started);
    this.sequence += 1;
    const message: DeviceMessage = {
      channel,
      payload: { ...payload, observedAt: at.toISOString(), msgId: `${this.options.runId}-${this.sequence.toString(36)}` },
      ...(started ? { anomaly: started } : {}),
    };
    return { kind: 'message', message };
  }

  /** The profile's values at `at` (`started`: the anomaly that begins with this message). */
  private values(at: Date, hour: number, elapsedH: number, started: AnomalyKind | undefined): { channel: MessageChannel; payload: Record<string, TelemetryValue> } {
    const telemetry = (payload: Record<string, TelemetryValue>) => ({ channel: 'telemetry' as const, payload });
    const event = (payload: Record<string, TelemetryValue>) => ({ channel: 'events' as const, payload });
    switch (this.profile) {
      case 'smoke':
        return telemetry({ smoke: this.active('smoke', at), battery: this.drain() });
      case 'gas': {
        const spike = this.active('gas_spike', at);
        const concentration = round(spike ? this.between(25, 60) : Math.abs(this.between(-0.8, 2.5)), 1);
        return telemetry({ concentration, alarm: concentration >= 20 });
      }
      case 'water-meter': {
        const stuck = this.active('meter_stuck', at);
        const flowRate = stuck ? 0 : round(householdFlow(hour) * this.households * this.between(0.6, 1.4), 4);
        this.volume = round(this.volume + flowRate * elapsedH, 3);
        return telemetry({ volume: this.volume, flowRate, leak: false, battery: this.drain() });
      }
      case 'door-magnet':
        return telemetry({ open: this.random() < footfall(hour) * 0.6, battery: this.drain() });
      case 'lift': {
        if (started === 'ebike_in_lift') return telemetry({ ebikeDetected: true, floor: 1, doorHeld: true });
        // a trip: somewhere between the ground floor and the eighteenth, more often when people come and go
        if (this.random() < 0.2 + footfall(hour) * 0.6) this.floor = this.floor === 1 ? 2 + Math.floor(this.random() * 17) : 1;
        return telemetry({ ebikeDetected: false, floor: this.floor, doorHeld: false });
      }
      case 'fire-lane':
        return telemetry({ occupied: this.active('fire_lane_occupied', at), battery: this.drain() });
      case 'fire-tank':
        return telemetry({ level: round(this.tankLevel + this.between(-0.02, 0.02), 2), battery: this.drain() });
      case 'bin': {
        // emptied at the collection rounds (07:00 and 19:00) unless it has just overflowed
        const collection = this.lastCollection(at);
        if (this.anomaly?.kind !== 'bin_full' && collection) this.fill = this.between(0, 5);
        else this.fill = Math.min(100, this.fill + elapsedH * (2 + footfall(hour) * 10) * this.between(0.5, 1.5));
        if (this.active('bin_full', at)) this.fill = Math.max(this.fill, this.between(96, 100));
        return telemetry({ fillLevel: round(this.fill, 1), temperature: round(18 + this.between(-3, 6), 1), battery: this.drain() });
      }
      case 'parking': {
        const busy = hour >= 9 && hour < 21 ? 0.7 : 0.25;
        if (this.random() < 0.15) this.parked = this.random() < busy;
        return telemetry({ occupied: this.parked, battery: this.drain() });
      }
      case 'gate': {
        if (started === 'gate_forced') return event({ event: 'forced', direction: 'in', count: 1 });
        const passages = Math.round(footfall(hour) * this.between(0, 12));
        return event({ event: passages > 0 ? 'open' : 'close', direction: this.random() < 0.5 ? 'in' : 'out', count: passages });
      }
      case 'camera-ai': {
        if (started === 'camera_recognition') {
          return event({ event: this.pick(['fire_lane_blocked', 'shop_spill', 'garbage_exposed'] as const), confidence: round(this.between(0.72, 0.98), 2) });
        }
        return telemetry({ event: 'heartbeat' });
      }
    }
  }

  /** True once per collection round (07:00 and 19:00 Shanghai time) that passed since the last message. */
  private lastCollection(at: Date): boolean {
    const hourMs = 3_600_000;
    const shanghaiMidnight = Math.floor((at.getTime() + 8 * hourMs) / (24 * hourMs)) * 24 * hourMs - 8 * hourMs;
    const rounds = [shanghaiMidnight - 5 * hourMs, shanghaiMidnight + 7 * hourMs, shanghaiMidnight + 19 * hourMs].filter((t) => t <= at.getTime());
    const latest = rounds.at(-1)!;
    const due = this.lastCollectionAt !== null && latest > this.lastCollectionAt;
    this.lastCollectionAt = latest;
    return due;
  }
}
