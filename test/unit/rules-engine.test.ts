import { describe, expect, it } from 'vitest';
import type { DeviceProfileId, TelemetryValue } from '../../src/shared/iot-profiles.ts';
import { checkDefinition, DEFAULT_RULES, shanghaiClock, shanghaiDayStart, withinActiveHours, type RuleDefinition } from '../../src/shared/rules.ts';
import { INITIAL_STATE, onTick, type EffectiveRule } from '../../src/server/modules/rules/engine.ts';
import { memoryStateStore, runReadings, type RuleSource, type SampleStore } from '../../src/server/modules/rules/evaluate.ts';
import type { StoredRule } from '../../src/server/modules/rules/repository.ts';
import { RuleResolver } from '../../src/server/modules/rules/resolve.ts';
import type { AlarmSignal, Reading } from '../../src/server/modules/telemetry/contracts.ts';

/** A controllable clock: minutes after 2026-12-01 10:00 Shanghai (02:00 UTC), a Tuesday. */
const T0 = Date.parse('2026-12-01T02:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const MEIYUAN_PATH = '310115.310115005.310115005001';

let seq = 0;
function reading(deviceId: string, profile: DeviceProfileId, minute: number, values: Record<string, TelemetryValue>): Reading {
  seq += 1;
  return { id: String(seq), deviceId, profile, regionCode: '310115005001', regionPath: MEIYUAN_PATH, kind: 'telemetry', observedAt: at(minute), receivedAt: at(minute), values };
}

/** Drives readings through one rule (or the built-in rules) the way live ingestion does, one batch per reading. */
function harness(source: RuleSource) {
  const store = memoryStateStore();
  const samples: SampleStore = new Map();
  const signals: AlarmSignal[] = [];
  return {
    store,
    signals,
    async feed(...readings: Reading[]) {
      for (const r of readings) signals.push(...(await runReadings(source, store, samples, [r], r.observedAt)));
      return signals;
    },
  };
}
const only = (definition: RuleDefinition): RuleSource => ({ rulesFor: () => [{ id: 'r1', key: 'k1', definition }] });
const brief = (signals: AlarmSignal[]) => signals.map((s) => ({ type: s.type, active: s.active, at: s.at.toISOString() }));

describe('rule engine', () => {
  const thresholds: Array<[string, RuleDefinition, Record<string, TelemetryValue>, boolean]> = [
    ['level < 2 with 1.5', { profile: 'fire-tank', condition: { kind: 'compare', field: 'level', op: '<', value: 2 }, alarmType: 'fire-tank-low' }, { level: 1.5 }, true],
    ['level < 2 with 2', { profile: 'fire-tank', condition: { kind: 'compare', field: 'level', op: '<', value: 2 }, alarmType: 'fire-tank-low' }, { level: 2 }, false],
    ['fill >= 90 with 90', { profile: 'bin', condition: { kind: 'compare', field: 'fillLevel', op: '>=', value: 90 }, alarmType: 'bin-full' }, { fillLevel: 90 }, true],
    ['temperature > 60 missing', { profile: 'bin', condition: { kind: 'compare', field: 'temperature', op: '>', value: 60 }, alarmType: 'bin-overheat' }, { fillLevel: 10 }, false],
    ['level <= 2 with 2', { profile: 'fire-tank', condition: { kind: 'compare', field: 'level', op: '<=', value: 2 }, alarmType: 'threshold' }, { level: 2 }, true],
    ['event != heartbeat', { profile: 'camera-ai', condition: { kind: 'compare', field: 'event', op: '!=', value: 'heartbeat' }, alarmType: 'threshold' }, { event: 'shop_spill' }, true],
    ['event == forced with open', { profile: 'gate', condition: { kind: 'compare', field: 'event', op: '==', value: 'forced' }, alarmType: 'gate-forced' }, { event: 'open' }, false],
    [
      'gas: alarm OR concentration >= 20, only the concentration',
      DEFAULT_RULES.find((r) => r.key === 'gas-leak')!.definition,
      { alarm: false, concentration: 25 },
      true,
    ],
    ['gas: neither', DEFAULT_RULES.find((r) => r.key === 'gas-leak')!.definition, { alarm: false, concentration: 5 }, false],
    [
      'AND of two, one failing',
      { profile: 'bin', condition: { kind: 'all', conditions: [{ kind: 'compare', field: 'fillLevel', op: '>=', value: 80 }, { kind: 'compare', field: 'temperature', op: '>', value: 40 }] }, alarmType: 'threshold' },
      { fillLevel: 85, temperature: 30 },
      false,
    ],
    [
      'AND containing an OR',
      {
        profile: 'bin',
        condition: {
          kind: 'all',
          conditions: [
            { kind: 'compare', field: 'fillLevel', op: '>=', value: 80 },
            { kind: 'any', conditions: [{ kind: 'compare', field: 'temperature', op: '>', value: 40 }, { kind: 'compare', field: 'battery', op: '<', value: 10 }] },
          ],
        },
        alarmType: 'threshold',
      },
      { fillLevel: 85, temperature: 30, battery: 5 },
      true,
    ],
  ];
  it.each(thresholds)('%s', async (_name, definition, values, fires) => {
    const h = harness(only(definition));
    await h.feed(reading('d1', definition.profile, 0, values));
    expect(h.signals.map((s) => s.active)).toEqual(fires ? [true] : []);
  });

  it('signals transitions only: raised once while it holds, cleared once when it stops', async () => {
    const h = harness(new RuleResolver([]));
    await h.feed(
      reading('bin1', 'bin', 0, { fillLevel: 95 }),
      reading('bin1', 'bin', 1, { fillLevel: 97 }),
      reading('bin1', 'bin', 2, { fillLevel: 20 }),
      reading('bin1', 'bin', 3, { fillLevel: 30 }),
    );
    expect(brief(h.signals)).toEqual([
      { type: 'bin-full', active: true, at: at(0).toISOString() },
      { type: 'bin-full', active: false, at: at(2).toISOString() },
    ]);
    expect(h.signals[0]).toMatchObject({ source: { kind: 'rule', ruleId: 'bin-full' }, values: { fillLevel: 95 }, detail: { 'zh-CN': '满溢度 95%', en: 'Fill level 95%' } });
  });

  it('raises a duration rule only once the condition has held long enough, at the moment it did', async () => {
    const h = harness(new RuleResolver([]));
    await h.feed(reading('lane', 'fire-lane', 0, { occupied: true }), reading('lane', 'fire-lane', 3, { occupied: true }));
    expect(h.signals).toEqual([]);
    await h.feed(reading('lane', 'fire-lane', 7, { occupied: true }), reading('lane', 'fire-lane', 9, { occupied: false }));
    expect(brief(h.signals)).toEqual([
      { type: 'fire-lane-blocked', active: true, at: at(5).toISOString() },
      { type: 'fire-lane-blocked', active: false, at: at(9).toISOString() },
    ]);
    // an interruption restarts the clock
    await h.feed(reading('lane', 'fire-lane', 10, { occupied: true }), reading('lane', 'fire-lane', 13, { occupied: false }), reading('lane', 'fire-lane', 14, { occupied: true }), reading('lane', 'fire-lane', 18, { occupied: true }));
    expect(h.signals).toHaveLength(2);
  });

  it('expires a duration on the clock tick when no message comes', () => {
    const rule: EffectiveRule = { id: 'fire-tank-low', key: 'fire-tank-low', definition: DEFAULT_RULES.find((r) => r.key === 'fire-tank-low')!.definition };
    const held = { active: false, since: at(0) };
    expect(onTick('t', rule, held, {}, at(9)).signal).toBeNull();
    const step = onTick('t', rule, held, {}, at(11));
    expect(step.signal).toMatchObject({ type: 'fire-tank-low', active: true, at: at(10) });
    expect(step.signal).not.toHaveProperty('detail'); // "水位 {level} m" has no reading to fill it
    expect(onTick('t', rule, step.state, {}, at(12)).signal).toBeNull();
  });

  it('fires an absence on the tick after the hours pass, at the moment they did, and clears it with a matching reading', async () => {
    const rule: EffectiveRule = { id: 'door-no-open', key: 'door-no-open', definition: DEFAULT_RULES.find((r) => r.key === 'door-no-open')!.definition };
    expect(onTick('door', rule, INITIAL_STATE, { lastMatchAt: at(0) }, at(23 * 60)).signal).toBeNull();
    const step = onTick('door', rule, INITIAL_STATE, { lastMatchAt: at(0) }, at(25 * 60));
    expect(step.signal).toMatchObject({ type: 'door-no-open', active: true, at: at(24 * 60) });
    const store = memoryStateStore();
    await store.save([{ deviceId: 'door', ruleKey: 'door-no-open', state: step.state }], at(25 * 60));
    const closed = await runReadings(new RuleResolver([]), store, new Map(), [reading('door', 'door-magnet', 26 * 60, { open: false })], at(26 * 60));
    expect(closed).toEqual([]);
    const opened = await runReadings(new RuleResolver([]), store, new Map(), [reading('door', 'door-magnet', 27 * 60, { open: true })], at(27 * 60));
    expect(brief(opened)).toEqual([{ type: 'door-no-open', active: false, at: at(27 * 60).toISOString() }]);
  });

  it('compares a window total: water-no-use below 0.01 m³, water-overuse above 2 m³', () => {
    const noUse: EffectiveRule = { id: 'water-no-use', key: 'water-no-use', definition: DEFAULT_RULES.find((r) => r.key === 'water-no-use')!.definition };
    expect(onTick('m', noUse, INITIAL_STATE, { increase: 0.004 }, at(0)).signal).toMatchObject({ active: true, values: { increase: 0.004 }, detail: { 'zh-CN': '12 小时用水 0.004 m³' } });
    expect(onTick('m', noUse, INITIAL_STATE, { increase: 0.5 }, at(0)).signal).toBeNull();
    expect(onTick('m', noUse, INITIAL_STATE, { increase: null }, at(0)).signal).toBeNull();
  });

  it('computes the rate of change per minute over the window', async () => {
    const falling: RuleDefinition = { profile: 'fire-tank', condition: { kind: 'rate', field: 'level', op: '<', perMinute: -0.5, windowMinutes: 10 }, alarmType: 'threshold' };
    const h = harness(only(falling));
    await h.feed(reading('t', 'fire-tank', 0, { level: 10 }), reading('t', 'fire-tank', 2, { level: 9.5 }));
    expect(h.signals).toEqual([]); // −0.25 per minute
    await h.feed(reading('t', 'fire-tank', 4, { level: 7 }));
    expect(h.signals[0]).toMatchObject({ active: true, values: { rate: -0.75 } }); // (7 − 10) / 4
    // the first samples leave the window; the baseline is the last one before it: (7 − 7) / 12
    await h.feed(reading('t', 'fire-tank', 16, { level: 7 }));
    expect(brief(h.signals).map((s) => s.active)).toEqual([true, false]);
  });

  it('holds only inside active hours (Asia/Shanghai), windows crossing midnight included', async () => {
    expect(shanghaiClock(at(0))).toEqual({ minutes: 600, weekday: 2 });
    const night = { from: '22:00', to: '06:00', days: [2] };
    expect(withinActiveHours(night, new Date('2026-12-01T14:30:00Z'))).toBe(true); // Tue 22:30
    expect(withinActiveHours(night, new Date('2026-12-01T20:00:00Z'))).toBe(true); // Wed 04:00, window began Tuesday
    expect(withinActiveHours(night, new Date('2026-12-02T14:30:00Z'))).toBe(false); // Wed 22:30
    expect(withinActiveHours(night, at(0))).toBe(false);

    const daytime: RuleDefinition = { profile: 'bin', condition: { kind: 'compare', field: 'fillLevel', op: '>=', value: 90 }, alarmType: 'bin-full', activeHours: { from: '08:00', to: '18:00', days: [1, 2, 3, 4, 5] } };
    const h = harness(only(daytime));
    await h.feed(reading('b', 'bin', -180, { fillLevel: 99 })); // 07:00
    expect(h.signals).toEqual([]);
    await h.feed(reading('b', 'bin', 0, { fillLevel: 99 }), reading('b', 'bin', 8 * 60 + 30, { fillLevel: 99 })); // 10:00, then 18:30
    expect(brief(h.signals)).toEqual([
      { type: 'bin-full', active: true, at: at(0).toISOString() },
      { type: 'bin-full', active: false, at: at(8 * 60 + 30).toISOString() },
    ]);
  });

  it('starts the calendar day at midnight in Shanghai, not UTC', () => {
    expect(shanghaiDayStart(new Date('2026-12-01T15:59:00Z')).toISOString()).toBe('2026-11-30T16:00:00.000Z'); // 23:59 on the 1st
    expect(shanghaiDayStart(new Date('2026-12-01T16:00:00Z')).toISOString()).toBe('2026-12-01T16:00:00.000Z'); // 00:00 on the 2nd
  });

  it('signals every occurrence of a momentary type and never a return to normal', async () => {
    const h = harness(new RuleResolver([]));
    await h.feed(
      reading('lift', 'lift', 0, { ebikeDetected: true }),
      reading('lift', 'lift', 1, { ebikeDetected: true }),
      reading('lift', 'lift', 2, { ebikeDetected: false }),
      reading('lift', 'lift', 3, { ebikeDetected: true }),
    );
    expect(brief(h.signals)).toEqual([0, 1, 3].map((m) => ({ type: 'ebike-in-lift', active: true, at: at(m).toISOString() })));
  });

  it('restarts the duration of a momentary type when its condition stops', async () => {
    const forcedFor2: RuleDefinition = { profile: 'gate', condition: { kind: 'duration', predicate: { kind: 'compare', field: 'event', op: '==', value: 'forced' }, minutes: 2 }, alarmType: 'gate-forced' };
    const h = harness(only(forcedFor2));
    await h.feed(reading('g', 'gate', 0, { event: 'forced' }), reading('g', 'gate', 3, { event: 'forced' }), reading('g', 'gate', 4, { event: 'close' }), reading('g', 'gate', 5, { event: 'forced' }));
    expect(brief(h.signals)).toEqual([{ type: 'gate-forced', active: true, at: at(2).toISOString() }]);
  });

  it('lets the most specific rule win: device over committee over street over the built-in one', () => {
    const stored = (id: string, regionPath: string, deviceId: string | null, value: number, enabled = true): StoredRule => ({
      id,
      key: 'fire-tank-low',
      profile: 'fire-tank',
      regionCode: deviceId ? null : regionPath.split('.').pop()!,
      regionName: null,
      regionPath,
      deviceId,
      deviceName: null,
      definition: { profile: 'fire-tank', condition: { kind: 'compare', field: 'level', op: '<', value }, alarmType: 'fire-tank-low' },
      enabled,
      version: 1,
      updatedAt: at(0),
    });
    const street = stored('street', '310115.310115005', null, 3);
    const committee = stored('committee', MEIYUAN_PATH, null, 4);
    const device = stored('device', MEIYUAN_PATH, 'd1', 5);
    const otherStreet = stored('weifang', '310115.310115004', null, 6);
    const resolver = new RuleResolver([device, otherStreet, committee, street]);
    const winner = (deviceId: string | null, regionPath: string) => resolver.rulesFor({ deviceId, profile: 'fire-tank', regionPath }).find((r) => r.key === 'fire-tank-low')?.id;
    expect(winner('d1', MEIYUAN_PATH)).toBe('device');
    expect(winner('d2', MEIYUAN_PATH)).toBe('committee');
    expect(winner('d3', '310115.310115005.310115005002')).toBe('street');
    expect(winner('d4', '310115.310115006.310115006001')).toBe('fire-tank-low');
    // switched off for a committee: nothing there, the street's rule stays elsewhere
    const off = new RuleResolver([street, stored('committee-off', MEIYUAN_PATH, null, 4, false)]);
    expect(off.rulesFor({ deviceId: 'd2', profile: 'fire-tank', regionPath: MEIYUAN_PATH }).map((r) => r.key)).not.toContain('fire-tank-low');
    expect(off.rulesFor({ deviceId: 'd3', profile: 'fire-tank', regionPath: '310115.310115005.310115005002' }).find((r) => r.key === 'fire-tank-low')?.id).toBe('street');
  });

  it('checks definitions against the profile: unknown fields and values of the wrong type', () => {
    expect(checkDefinition({ profile: 'bin', condition: { kind: 'compare', field: 'level', op: '<', value: 2 }, alarmType: 'threshold' })).toHaveLength(1);
    expect(checkDefinition({ profile: 'bin', condition: { kind: 'compare', field: 'fillLevel', op: '==', value: true }, alarmType: 'threshold' })).toHaveLength(1);
    expect(checkDefinition({ profile: 'gate', condition: { kind: 'compare', field: 'event', op: '==', value: 'exploded' }, alarmType: 'threshold' })).toHaveLength(1);
    expect(checkDefinition({ profile: 'gate', condition: { kind: 'window-total', field: 'event', op: '>', value: 1, window: { hours: 1 } }, alarmType: 'threshold' })).toHaveLength(1);
    for (const rule of DEFAULT_RULES) expect({ key: rule.key, problems: checkDefinition(rule.definition) }).toEqual({ key: rule.key, problems: [] });
  });
});
