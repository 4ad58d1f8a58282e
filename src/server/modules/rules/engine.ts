import { ALARM_TYPES } from '../../../shared/alarms.ts';
import type { TelemetryValue } from '../../../shared/iot-profiles.ts';
import { fillTemplate, withinActiveHours, type Compare, type CompareOp, type Predicate, type RuleDefinition } from '../../../shared/rules.ts';
import type { AlarmSignal, Reading } from '../telemetry/contracts.ts';

/**
 * The pure heart of rule evaluation: one rule, one device, one step (a reading, or a tick of the
 * clock with the facts the database computed). Live evaluation, the one-minute job and the dry run
 * all drive these two functions; they differ only in where rules, state and facts come from.
 */

/** A rule as it applies to a device: the built-in one or the most specific override. */
export interface EffectiveRule {
  /** The stored rule's id, or the built-in rule's key. */
  id: string;
  key: string;
  definition: RuleDefinition;
}

/** What is remembered per device and rule key between steps. */
export interface RuleState {
  /** The alarm was last signalled active. */
  active: boolean;
  /** Since when a duration's predicate has held. */
  since: Date | null;
}

export const INITIAL_STATE: RuleState = Object.freeze({ active: false, since: null });

/** What the database knows at a tick, for the time-based kinds. */
export interface TickFacts {
  /** absence: the last matching reading, or the device's registration when there is none. */
  lastMatchAt?: Date | null;
  /** window-total: the increase over the window; null when the window lacks a reading at either end. */
  increase?: number | null;
}

export interface Step {
  state: RuleState;
  signal: AlarmSignal | null;
}

/** Samples of a field for rate-of-change rules, oldest first. */
export type Samples = Array<{ at: number; value: number }>;

export function compareValues(actual: TelemetryValue | undefined, op: CompareOp, expected: TelemetryValue): boolean {
  if (actual === undefined) return false;
  switch (op) {
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    default:
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      return op === '>' ? actual > expected : op === '>=' ? actual >= expected : op === '<' ? actual < expected : actual <= expected;
  }
}

export function testPredicate(predicate: Predicate | Compare, values: Readonly<Record<string, TelemetryValue>>): boolean {
  switch (predicate.kind) {
    case 'compare':
      return compareValues(values[predicate.field], predicate.op, predicate.value);
    case 'all':
      return predicate.conditions.every((c) => testPredicate(c, values));
    case 'any':
      return predicate.conditions.some((c) => testPredicate(c, values));
  }
}

const momentary = (rule: EffectiveRule) => ALARM_TYPES[rule.definition.alarmType].momentary;

/** The rule's text with the values filled in; none when a placeholder has no value (e.g. a duration expiring on the clock). */
function detailOf(rule: EffectiveRule, values: Record<string, TelemetryValue> | undefined): AlarmSignal['detail'] | undefined {
  const template = rule.definition.detail;
  if (!template) return undefined;
  const zh = fillTemplate(template['zh-CN'], values ?? {});
  const en = fillTemplate(template.en, values ?? {});
  return UNFILLED.test(zh) || UNFILLED.test(en) ? undefined : { 'zh-CN': zh, en };
}
const UNFILLED = /\{\w+\}/;

function signal(deviceId: string, rule: EffectiveRule, active: boolean, at: Date, values?: Record<string, TelemetryValue>): AlarmSignal {
  const d = rule.definition;
  const detail = active ? detailOf(rule, values) : undefined;
  return {
    deviceId,
    type: d.alarmType,
    active,
    at,
    ...(d.severity ? { severity: d.severity } : {}),
    source: { kind: 'rule', ruleId: rule.id },
    ...(values ? { values } : {}),
    ...(detail ? { detail } : {}),
  };
}

/**
 * Moves to `holds`: a signal only when that changes what was signalled. Momentary alarm types
 * signal every occurrence and never a return to normal (the alarm waits for acknowledgement).
 */
function transition(deviceId: string, rule: EffectiveRule, state: RuleState, holds: boolean, at: Date, values?: Record<string, TelemetryValue>, since: Date | null = null): Step {
  const sameSince = state.since?.getTime() === since?.getTime();
  if (momentary(rule)) return { state: sameSince ? state : { active: false, since }, signal: holds ? signal(deviceId, rule, true, at, values) : null };
  const next = state.active === holds && sameSince ? state : { active: holds, since };
  return { state: next, signal: state.active === holds ? null : signal(deviceId, rule, holds, at, values) };
}

const minutesMs = (m: number) => m * 60_000;
const hoursMs = (h: number) => h * 3600_000;

/** One reading through one rule. `samples` holds the device's recent values of a rate rule's field. */
export function onReading(rule: EffectiveRule, state: RuleState, reading: Reading, samples?: Samples): Step {
  const { condition, activeHours } = rule.definition;
  const at = reading.observedAt;
  const values = reading.values;
  if (!withinActiveHours(activeHours, at)) return state.active || state.since ? transition(reading.deviceId, rule, state, false, at) : { state, signal: null };
  switch (condition.kind) {
    case 'compare':
    case 'all':
    case 'any':
      return transition(reading.deviceId, rule, state, testPredicate(condition, values), at, values);
    case 'duration': {
      if (!testPredicate(condition.predicate, values)) return transition(reading.deviceId, rule, state, false, at, values);
      const since = state.since ?? at;
      const due = new Date(since.getTime() + minutesMs(condition.minutes));
      if (due.getTime() > at.getTime()) return { state: state.since ? state : { active: state.active, since }, signal: null };
      return transition(reading.deviceId, rule, state, true, state.active ? at : due, values, since);
    }
    case 'absence':
      // a matching reading ends an absence; only the clock starts one
      if (condition.predicate === null || testPredicate(condition.predicate, values)) return state.active ? transition(reading.deviceId, rule, state, false, at, values) : { state, signal: null };
      return { state, signal: null };
    case 'window-total':
      return { state, signal: null };
    case 'rate': {
      const value = values[condition.field];
      if (typeof value !== 'number' || !samples) return { state, signal: null };
      const now = at.getTime();
      samples.push({ at: now, value });
      samples.sort((a, b) => a.at - b.at);
      // keep one sample at or before the window's start as the baseline, like a window total
      const start = now - minutesMs(condition.windowMinutes);
      while (samples.length > 2 && samples[1]!.at <= start) samples.shift();
      if (samples.length > 256) samples.splice(0, samples.length - 256);
      const oldest = samples[0]!;
      if (oldest.at >= now) return { state, signal: null };
      const rate = (value - oldest.value) / ((now - oldest.at) / 60_000);
      return transition(reading.deviceId, rule, state, compareValues(rate, condition.op, condition.perMinute), at, { ...values, rate });
    }
  }
}

/** One tick of the clock through one time-based rule. */
export function onTick(deviceId: string, rule: EffectiveRule, state: RuleState, facts: TickFacts, now: Date): Step {
  const { condition, activeHours } = rule.definition;
  if (!withinActiveHours(activeHours, now)) return state.active || state.since ? transition(deviceId, rule, state, false, now) : { state, signal: null };
  switch (condition.kind) {
    case 'duration': {
      if (state.active || !state.since) return { state, signal: null };
      const due = new Date(state.since.getTime() + minutesMs(condition.minutes));
      return due.getTime() <= now.getTime() ? transition(deviceId, rule, state, true, due, undefined, state.since) : { state, signal: null };
    }
    case 'absence': {
      if (!facts.lastMatchAt) return { state, signal: null };
      const due = new Date(facts.lastMatchAt.getTime() + hoursMs(condition.hours));
      const holds = due.getTime() <= now.getTime();
      return transition(deviceId, rule, state, holds, holds ? due : facts.lastMatchAt);
    }
    case 'window-total': {
      if (facts.increase === null || facts.increase === undefined) return { state, signal: null };
      const increase = Math.round(facts.increase * 1e6) / 1e6;
      return transition(deviceId, rule, state, compareValues(increase, condition.op, condition.value), now, { increase });
    }
    default:
      return { state, signal: null };
  }
}
