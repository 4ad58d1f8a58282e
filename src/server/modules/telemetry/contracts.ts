import type { AlarmSeverity, AlarmTypeId } from '../../../shared/alarms.ts';
import type { DeviceProfileId, TelemetryValue } from '../../../shared/iot-profiles.ts';
import type { CommandContext } from '../../platform/platform.ts';

/**
 * The IoT pipeline's seams (issue #4). Ingestion stores readings; evaluators (the rules) turn
 * readings into alarm signals; a sink (the alarms) applies them. Ingestion calls them in the
 * transaction that stores the batch, before any QoS 1 message of the batch is acknowledged, so a
 * reading that was acknowledged has also been evaluated.
 */

/** One accepted, normalised, de-duplicated message from a device. */
export interface Reading {
  /** device_readings.id (a bigint, as a string). */
  id: string;
  deviceId: string;
  profile: DeviceProfileId;
  regionCode: string;
  regionPath: string;
  /** `telemetry` for measurements and heartbeats, `event` for things that happened (devices/{id}/events). */
  kind: 'telemetry' | 'event';
  observedAt: Date;
  receivedAt: Date;
  values: Record<string, TelemetryValue>;
}

/**
 * "This condition holds / no longer holds for this device". The sink keeps one alarm per device and
 * type: an active signal raises it or counts a repeat, an inactive one returns it to normal.
 */
export interface AlarmSignal {
  deviceId: string;
  type: AlarmTypeId;
  active: boolean;
  /** When the condition began or ended (the reading's observation time, or the evaluation time). */
  at: Date;
  /** Overrides the type's default severity (a rule may say so). */
  severity?: AlarmSeverity;
  source: { kind: 'rule'; ruleId: string } | { kind: 'liveness' };
  /** What was seen: the values that made the condition hold. */
  values?: Record<string, TelemetryValue>;
  /** A human sentence for the alarm list, in both languages (e.g. "水位 1.2 m，低于 2 m"). */
  detail?: { 'zh-CN': string; en: string };
}

/** Called with the readings a batch stored (never duplicates); returns the signals they cause. */
export type ReadingEvaluator = (ctx: CommandContext, readings: readonly Reading[]) => Promise<AlarmSignal[]>;

/** Called on a schedule (every minute): the signals of conditions that depend on time passing. */
export type ScheduledEvaluator = (ctx: CommandContext, now: Date) => Promise<AlarmSignal[]>;

/** Applies signals to the alarms, in the caller's transaction. */
export type AlarmSink = (ctx: CommandContext, signals: readonly AlarmSignal[]) => Promise<void>;
