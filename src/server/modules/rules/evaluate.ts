import { isTimeBased } from '../../../shared/rules.ts';
import type { CommandContext } from '../../platform/platform.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { AlarmSignal, Reading, ReadingEvaluator } from '../telemetry/contracts.ts';
import { INITIAL_STATE, onReading, onTick, type EffectiveRule, type RuleState, type Samples, type TickFacts } from './engine.ts';
import { allStoredRules, devicesInService, lastMatches, loadRuleStates, ruleGeneration, saveRuleStates, stateKey, windowIncreases, type DeviceRef } from './repository.ts';
import { RuleResolver, type RuleTarget } from './resolve.ts';

/**
 * Rule evaluation, live and replayed. `runReadings` and `runScheduled` are the one code path; the
 * live evaluators give them the cached rules and the database's state, the dry run one rule and
 * a state kept in memory.
 */

export interface RuleSource {
  rulesFor(target: RuleTarget): readonly EffectiveRule[];
}

export interface StateStore {
  load(deviceIds: readonly string[]): Promise<Map<string, RuleState>>;
  save(changes: ReadonlyArray<{ deviceId: string; ruleKey: string; state: RuleState }>, at: Date): Promise<void>;
}

/** Recent values of rate rules' fields, per device and rule key (memory only: a restart refills the window). */
export type SampleStore = Map<string, Samples>;

export function databaseStateStore(db: Executor): StateStore {
  return { load: (ids) => loadRuleStates(db, ids), save: (changes, at) => saveRuleStates(db, changes, at) };
}

export function memoryStateStore(): StateStore {
  const states = new Map<string, RuleState>();
  return {
    load: async () => new Map(states),
    save: async (changes) => {
      for (const c of changes) states.set(stateKey(c.deviceId, c.ruleKey), c.state);
    },
  };
}

const targetOf = (d: { id?: string; deviceId?: string; profile: string; regionPath: string }): RuleTarget => ({ deviceId: d.deviceId ?? d.id ?? null, profile: d.profile, regionPath: d.regionPath });

/** Readings (any devices, any order) through their devices' rules: one state read, one state write. */
export async function runReadings(source: RuleSource, store: StateStore, samples: SampleStore, readings: readonly Reading[], writtenAt: Date): Promise<AlarmSignal[]> {
  const rulesByDevice = new Map<string, readonly EffectiveRule[]>();
  for (const r of readings) if (!rulesByDevice.has(r.deviceId)) rulesByDevice.set(r.deviceId, source.rulesFor(targetOf(r)));
  const deviceIds = [...rulesByDevice].filter(([, rules]) => rules.length > 0).map(([id]) => id);
  if (deviceIds.length === 0) return [];

  const states = await store.load(deviceIds);
  const changed = new Map<string, { deviceId: string; ruleKey: string; state: RuleState }>();
  const signals: AlarmSignal[] = [];
  const ordered = [...readings].sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime());
  for (const reading of ordered) {
    for (const rule of rulesByDevice.get(reading.deviceId) ?? []) {
      const key = stateKey(reading.deviceId, rule.key);
      const before = states.get(key) ?? INITIAL_STATE;
      let ruleSamples: Samples | undefined;
      if (rule.definition.condition.kind === 'rate') {
        ruleSamples = samples.get(key) ?? [];
        samples.set(key, ruleSamples);
      }
      const step = onReading(rule, before, reading, ruleSamples);
      if (step.state !== before) {
        states.set(key, step.state);
        changed.set(key, { deviceId: reading.deviceId, ruleKey: rule.key, state: step.state });
      }
      if (step.signal) signals.push(step.signal);
    }
  }
  await store.save([...changed.values()], writtenAt);
  return signals;
}

/** The time-based rules of these devices at `now`: one query per distinct rule, one state read, one state write. */
export async function runScheduled(db: Executor, source: RuleSource, store: StateStore, devices: readonly DeviceRef[], now: Date): Promise<AlarmSignal[]> {
  const groups = new Map<string, { rule: EffectiveRule; devices: DeviceRef[] }>();
  for (const device of devices) {
    for (const rule of source.rulesFor(targetOf(device))) {
      if (!isTimeBased(rule.definition.condition)) continue;
      const group = groups.get(rule.id) ?? { rule, devices: [] };
      group.devices.push(device);
      groups.set(rule.id, group);
    }
  }
  if (groups.size === 0) return [];

  const facts = new Map<string, TickFacts>();
  for (const { rule, devices: members } of groups.values()) {
    const condition = rule.definition.condition;
    if (condition.kind === 'absence') {
      const last = await lastMatches(db, members, condition.predicate, now);
      for (const d of members) facts.set(stateKey(d.id, rule.key), { lastMatchAt: last.get(d.id) ?? null });
    } else if (condition.kind === 'window-total') {
      const increases = await windowIncreases(db, members, condition.field, condition.window, now);
      for (const d of members) facts.set(stateKey(d.id, rule.key), { increase: increases.get(d.id) ?? null });
    }
  }

  const states = await store.load([...new Set([...groups.values()].flatMap((g) => g.devices.map((d) => d.id)))]);
  const changed: Array<{ deviceId: string; ruleKey: string; state: RuleState }> = [];
  const signals: AlarmSignal[] = [];
  for (const { rule, devices: members } of groups.values()) {
    for (const device of members) {
      const key = stateKey(device.id, rule.key);
      const before = states.get(key) ?? INITIAL_STATE;
      const step = onTick(device.id, rule, before, facts.get(key) ?? {}, now);
      if (step.state !== before) changed.push({ deviceId: device.id, ruleKey: rule.key, state: step.state });
      if (step.signal) signals.push(step.signal);
    }
  }
  await store.save(changed, now);
  return signals;
}

/* ---------------------------------------------------------------------------------------------
 * The live rule cache
 * ------------------------------------------------------------------------------------------- */

interface CacheEntry {
  generation: string;
  resolver: RuleResolver;
  samples: SampleStore;
}

/**
 * Rules per database, rebuilt when the generation changes. Every batch reads the generation (one
 * primary-key row), so a change committed by any instance is seen by the next batch everywhere.
 */
const cache = new Map<string, CacheEntry>();

export async function liveRules(db: Executor): Promise<CacheEntry> {
  const { databaseId, generation } = await ruleGeneration(db);
  const entry = cache.get(databaseId);
  if (entry && entry.generation === generation) return entry;
  const fresh: CacheEntry = { generation, resolver: new RuleResolver(await allStoredRules(db)), samples: entry?.samples ?? new Map() };
  cache.set(databaseId, fresh);
  return fresh;
}

/**
 * The rules' ReadingEvaluator: called by ingestion inside the batch's transaction. Returns the
 * transitions (and each occurrence of a momentary alarm type). Queries per batch, whatever its
 * size: the rule generation, the rules when they changed, the states of the batch's devices, and
 * one write of the states that changed.
 */
export const evaluateReadings: ReadingEvaluator = async (ctx, readings) => {
  if (readings.length === 0) return [];
  const { resolver, samples } = await liveRules(ctx.trx);
  return runReadings(resolver, databaseStateStore(ctx.trx), samples, readings, ctx.now ?? new Date());
};

/**
 * The time-based rules (absence, window totals, durations that expire without a new message) for
 * every device in service that has one, at `now`. The integrator runs it from a one-minute job and
 * applies the signals.
 */
export async function evaluateScheduled(ctx: CommandContext, now: Date): Promise<AlarmSignal[]> {
  const { resolver } = await liveRules(ctx.trx);
  const devices = await devicesInService(ctx.trx, resolver.profilesWith((r) => isTimeBased(r.definition.condition)));
  return runScheduled(ctx.trx, resolver, databaseStateStore(ctx.trx), devices, now);
}
