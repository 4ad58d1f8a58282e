import { describe, expect, it } from 'vitest';
import { DEVICE_PROFILE_IDS, normalise, type DeviceProfileId, type TelemetryValue } from '../../src/shared/iot-profiles.ts';
import { ANOMALY_KINDS, shanghaiHour, SimulatedDevice, type AnomalyKind, type DeviceStep, type GeneratorOptions } from '../../src/server/simulator/generator.ts';
import { reportingPeriodsMs } from '../../src/server/simulator/simulation.ts';

const START = Date.parse('2026-11-30T16:00:00Z'); // midnight in Shanghai
const OPTIONS: GeneratorOptions = { seed: 7, anomalyRate: 0.02, runId: 'r1' };

/** A device's steps every `everyMin` minutes for `count` steps. */
function run(profile: DeviceProfileId, options: GeneratorOptions, count: number, everyMin = 5, index = 0): Array<{ at: Date; step: DeviceStep }> {
  const device = new SimulatedDevice(profile, index, options);
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(START + i * everyMin * 60_000);
    return { at, step: device.next(at) };
  });
}

const messages = (steps: Array<{ at: Date; step: DeviceStep }>) =>
  steps.flatMap(({ at, step }) => (step.kind === 'message' ? [{ at, ...step.message }] : []));

describe('simulated devices', () => {
  it('are reproducible: the same seed and times give the same messages; another seed gives others', () => {
    for (const profile of DEVICE_PROFILE_IDS) {
      const a = run(profile, OPTIONS, 400);
      expect(run(profile, OPTIONS, 400), profile).toEqual(a);
      expect(run(profile, { ...OPTIONS, seed: 8 }, 400), profile).not.toEqual(a);
      expect(run(profile, OPTIONS, 400, 5, 1), `${profile}, another device`).not.toEqual(a);
    }
  });

  it('send only what their profile allows, with a zoned observedAt and a unique msgId of at most 64 characters', () => {
    for (const profile of DEVICE_PROFILE_IDS) {
      const sent = messages(run(profile, { ...OPTIONS, anomalyRate: 0.1 }, 2000));
      expect(sent.length, profile).toBeGreaterThan(1000);
      const ids = new Set<string>();
      for (const m of sent) {
        const { msgId, ...payload } = m.payload;
        expect(typeof msgId === 'string' && msgId.length <= 64 && msgId.startsWith('r1-')).toBe(true);
        ids.add(String(msgId));
        expect(payload.observedAt).toBe(m.at.toISOString());
        const result = normalise(profile, payload, m.at);
        expect(result.ok ? 'ok' : `${profile}: ${result.message} in ${JSON.stringify(payload)}`).toBe('ok');
        const expectedChannel = profile === 'gate' || (profile === 'camera-ai' && payload.event !== 'heartbeat') ? 'events' : 'telemetry';
        expect(m.channel, profile).toBe(expectedChannel);
      }
      expect(ids.size, profile).toBe(sent.length);
    }
  });

  it('produce every anomaly at the rate asked, and none at rate 0', () => {
    const seen = new Map<AnomalyKind, number>();
    let total = 0;
    for (const profile of DEVICE_PROFILE_IDS) {
      for (const { step } of run(profile, { ...OPTIONS, anomalyRate: 0.05 }, 3000, 1)) {
        const kind = step.kind === 'message' ? step.message.anomaly : step.anomaly;
        total += step.kind === 'message' ? 1 : 0;
        if (kind) seen.set(kind, (seen.get(kind) ?? 0) + 1);
      }
      expect(run(profile, { ...OPTIONS, anomalyRate: 0 }, 3000, 1).every(({ step }) => step.kind === 'message' && !step.message.anomaly)).toBe(true);
    }
    expect([...seen.keys()].sort()).toEqual([...ANOMALY_KINDS].sort());
    const started = [...seen.values()].reduce((a, b) => a + b, 0);
    // anomalies that last take turns away from new ones, so the share is below the rate, not far below
    expect(started / total).toBeGreaterThan(0.01);
    expect(started / total).toBeLessThan(0.05);
  });

  it('keep to the kinds allowed', () => {
    const steps = run('smoke', { ...OPTIONS, anomalyRate: 0.5, anomalyKinds: ['silent'] }, 500);
    const kinds = new Set(steps.map(({ step }) => (step.kind === 'message' ? step.message.anomaly : step.anomaly)).filter(Boolean));
    expect([...kinds]).toEqual(['silent']);
    expect(steps.some(({ step }) => step.kind === 'silent')).toBe(true);
  });

  it('follow the rhythms of a day: water used mostly morning and evening, doors opened then, bins emptied, batteries draining', () => {
    const day = 24 * 60;
    const meter = messages(run('water-meter', { ...OPTIONS, anomalyRate: 0 }, 3 * day, 1));
    const volumes = meter.map((m) => m.payload.volume as number);
    expect(volumes).toEqual([...volumes].sort((a, b) => a - b));
    const flowAt = (from: number, to: number) => {
      const rates = meter.filter((m) => shanghaiHour(m.at) >= from && shanghaiHour(m.at) < to).map((m) => m.payload.flowRate as number);
      return rates.reduce((a, b) => a + b, 0) / rates.length;
    };
    expect(flowAt(7, 8)).toBeGreaterThan(5 * flowAt(2, 4));
    expect(flowAt(19, 20)).toBeGreaterThan(5 * flowAt(2, 4));

    const door = messages(run('door-magnet', { ...OPTIONS, anomalyRate: 0 }, 3 * day, 1));
    const openShare = (from: number, to: number) => {
      const window = door.filter((m) => shanghaiHour(m.at) >= from && shanghaiHour(m.at) < to);
      return window.filter((m) => m.payload.open === true).length / window.length;
    };
    expect(openShare(7, 9)).toBeGreaterThan(4 * openShare(1, 5));
    expect(openShare(17.5, 19.5)).toBeGreaterThan(4 * openShare(1, 5));

    const bin = messages(run('bin', { ...OPTIONS, anomalyRate: 0 }, 2 * day, 1));
    const fill = bin.map((m) => m.payload.fillLevel as number);
    const drops = fill.flatMap((f, i) => (i > 0 && f < fill[i - 1]! - 10 ? [shanghaiHour(bin[i]!.at)] : []));
    expect(drops.length).toBeGreaterThanOrEqual(3);
    for (const hour of drops) expect([7, 19]).toContain(Math.floor(hour));

    const smoke = messages(run('smoke', { ...OPTIONS, anomalyRate: 0 }, 2000, 60));
    const battery = smoke.map((m) => m.payload.battery as number);
    expect(battery).toEqual([...battery].sort((a, b) => b - a));
    expect(battery.at(-1)).toBeLessThan(battery[0]!);
  });

  it('show each anomaly in the values: smoke, gas above the alarm threshold, a stuck meter, a full bin, an occupied fire lane', () => {
    const during = (profile: DeviceProfileId, kind: AnomalyKind, check: (payload: Record<string, TelemetryValue>) => void) => {
      const sent = messages(run(profile, { ...OPTIONS, anomalyRate: 0.3, anomalyKinds: [kind] }, 400, 1));
      const first = sent.findIndex((m) => m.anomaly === kind);
      expect(first, `${profile} ${kind}`).toBeGreaterThanOrEqual(0);
      check(sent[first]!.payload);
      return sent.slice(first);
    };
    during('smoke', 'smoke', (p) => expect(p.smoke).toBe(true));
    during('gas', 'gas_spike', (p) => expect(p).toMatchObject({ alarm: true, concentration: expect.any(Number) as number }));
    during('bin', 'bin_full', (p) => expect(p.fillLevel).toBeGreaterThanOrEqual(96));
    during('fire-lane', 'fire_lane_occupied', (p) => expect(p.occupied).toBe(true));
    during('gate', 'gate_forced', (p) => expect(p.event).toBe('forced'));
    during('lift', 'ebike_in_lift', (p) => expect(p).toMatchObject({ ebikeDetected: true, doorHeld: true }));
    during('camera-ai', 'camera_recognition', (p) => expect(['fire_lane_blocked', 'shop_spill', 'garbage_exposed']).toContain(p.event));
    const stuck = during('water-meter', 'meter_stuck', (p) => expect(p.flowRate).toBe(0));
    // six hours at least: the next five hours of readings do not move
    const flat = stuck.filter((m) => m.at.getTime() - stuck[0]!.at.getTime() < 5 * 3_600_000).map((m) => m.payload.volume);
    expect(flat.length).toBeGreaterThan(200);
    expect(new Set(flat).size).toBe(1);
  });

  it('share one rate among devices by their profiles’ intervals', () => {
    const devices = [
      { id: 'a', profile: 'smoke' as const, token: 't' },
      { id: 'b', profile: 'lift' as const, token: 't' },
      { id: 'c', profile: 'gas' as const, token: 't', expectedIntervalS: 60 },
    ];
    const periods = reportingPeriodsMs(devices, 10);
    expect(periods.reduce((sum, p) => sum + 1000 / p, 0)).toBeCloseTo(10, 9);
    expect(periods[0]! / periods[1]!).toBeCloseTo(60, 9); // hourly against every minute
    expect(periods[2]).toBeCloseTo(periods[1]!, 9); // the device's own interval wins over its profile's
  });
});
