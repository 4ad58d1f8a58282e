import { isTimeBased, type RuleDefinition } from '../../../shared/rules.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { AlarmSignal } from '../telemetry/contracts.ts';
import type { EffectiveRule } from './engine.ts';
import { memoryStateStore, runReadings, runScheduled, type RuleSource, type SampleStore } from './evaluate.ts';
import { DRY_RUN_MAX_READINGS, DRY_RUN_MAX_TICKS } from './policy.ts';
import { recordedReadings, type DeviceRef } from './repository.ts';

export interface DryRunDevice {
  deviceId: string;
  name: string;
  regionCode: string;
  raised: Date[];
  cleared: Date[];
}

export interface DryRunResult {
  readings: number;
  /** True when the period held more readings than a dry run replays (the rest were not replayed). */
  truncated: boolean;
  ticks: number;
  devices: DryRunDevice[];
}

const DRY_RUN_RULE_ID = 'dry-run';

/**
 * What a rule would have done over a past period: the recorded readings, in time order, through
 * the same `runReadings` as live ingestion, and — for time-based rules — the one-minute job's
 * `runScheduled` stepped through the period between them. State starts empty and lives in
 * memory; nothing is written.
 */
export async function dryRun(db: Executor, devices: readonly DeviceRef[], definition: RuleDefinition, from: Date, to: Date): Promise<DryRunResult> {
  const rule: EffectiveRule = { id: DRY_RUN_RULE_ID, key: DRY_RUN_RULE_ID, definition };
  const source: RuleSource = { rulesFor: (target) => (target.profile === definition.profile ? [rule] : []) };
  const store = memoryStateStore();
  const samples: SampleStore = new Map();
  const readings = await recordedReadings(db, devices, from, to, DRY_RUN_MAX_READINGS + 1);
  const truncated = readings.length > DRY_RUN_MAX_READINGS;
  if (truncated) readings.length = DRY_RUN_MAX_READINGS;

  const signals: AlarmSignal[] = [];
  const period = to.getTime() - from.getTime();
  const step = Math.max(5 * 60_000, Math.ceil(period / DRY_RUN_MAX_TICKS));
  let ticks = 0;
  let next = 0;
  if (isTimeBased(definition.condition)) {
    for (let tick = from.getTime() + step; tick <= to.getTime(); tick += step) {
      let end = next;
      while (end < readings.length && readings[end]!.observedAt.getTime() <= tick) end += 1;
      signals.push(...(await runReadings(source, store, samples, readings.slice(next, end), new Date(tick))));
      next = end;
      signals.push(...(await runScheduled(db, source, store, devices, new Date(tick))));
      ticks += 1;
    }
  }
  signals.push(...(await runReadings(source, store, samples, readings.slice(next), to)));

  const byDevice = new Map(devices.map((d) => [d.id, { deviceId: d.id, name: d.name, regionCode: d.regionCode, raised: [] as Date[], cleared: [] as Date[] }]));
  for (const s of signals) {
    const entry = byDevice.get(s.deviceId);
    if (entry) (s.active ? entry.raised : entry.cleared).push(s.at);
  }
  return { readings: readings.length, truncated, ticks, devices: [...byDevice.values()] };
}
