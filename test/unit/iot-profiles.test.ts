import { describe, expect, it } from 'vitest';
import { DEVICE_PROFILE_IDS, DEVICE_PROFILES, normalise, type DeviceProfileId } from '../../src/shared/iot-profiles.ts';

const NOW = new Date('2026-12-01T08:00:00Z');

/**
 * Per profile, written out by hand (not derived from the profile table): a good payload with the
 * values it normalises to, a value out of range, a value of the wrong type.
 */
const CASES: Record<DeviceProfileId, { good: Record<string, unknown>; outOfRange: Record<string, unknown>; wrongType: Record<string, unknown> }> = {
  smoke: { good: { smoke: true, battery: 87 }, outOfRange: { smoke: false, battery: 101 }, wrongType: { smoke: 'yes', battery: 80 } },
  gas: { good: { concentration: 12.5, alarm: false }, outOfRange: { concentration: 120, alarm: true }, wrongType: { concentration: '12', alarm: false } },
  'water-meter': { good: { volume: 1234.567, flowRate: 0.4, leak: false, battery: 60 }, outOfRange: { volume: -1 }, wrongType: { volume: 10, leak: 1 } },
  'door-magnet': { good: { open: true }, outOfRange: { open: false, battery: -3 }, wrongType: { open: 'open' } },
  lift: { good: { ebikeDetected: true, floor: -2, doorHeld: true }, outOfRange: { ebikeDetected: false, floor: 101 }, wrongType: { ebikeDetected: true, floor: 3.5 } },
  'fire-lane': { good: { occupied: true, battery: 40 }, outOfRange: { occupied: true, battery: 120 }, wrongType: { occupied: null } },
  'fire-tank': { good: { level: 2.35 }, outOfRange: { level: 25 }, wrongType: { level: '2.35' } },
  bin: { good: { fillLevel: 85, temperature: 31.2 }, outOfRange: { fillLevel: 85, temperature: 200 }, wrongType: { fillLevel: [85] } },
  parking: { good: { occupied: false }, outOfRange: { occupied: false, battery: 1000 }, wrongType: { occupied: 0 } },
  gate: { good: { event: 'forced', direction: 'in', count: 1 }, outOfRange: { event: 'exploded' }, wrongType: { event: 3 } },
  'camera-ai': { good: { event: 'fire_lane_blocked', confidence: 0.93 }, outOfRange: { event: 'shop_spill', confidence: 1.2 }, wrongType: { event: 'garbage_exposed', confidence: 'high' } },
};

describe('IoT device profiles', () => {
  it('defines the eleven profiles of issue #4, each with names, fields with units and a FIWARE mapping', () => {
    expect([...DEVICE_PROFILE_IDS].sort()).toEqual(['bin', 'camera-ai', 'door-magnet', 'fire-lane', 'fire-tank', 'gas', 'gate', 'lift', 'parking', 'smoke', 'water-meter']);
    for (const id of DEVICE_PROFILE_IDS) {
      const p = DEVICE_PROFILES[id];
      expect(p.id).toBe(id);
      expect(p.name['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(p.name.en).toMatch(/^[A-Z]/);
      expect(p.defaultIntervalS).toBeGreaterThan(0);
      expect(['Device', 'Alert', 'ParkingSpot', 'WasteContainer']).toContain(p.fiware.model);
      expect(p.fields.some((f) => f.required)).toBe(true);
      for (const f of p.fields) if (f.type === 'number' || f.type === 'integer') expect(f.min).toBeLessThan(f.max);
    }
    expect(DEVICE_PROFILES.bin.fiware.model).toBe('WasteContainer');
    expect(DEVICE_PROFILES.parking.fiware.model).toBe('ParkingSpot');
    expect(DEVICE_PROFILES['camera-ai'].fiware.model).toBe('Alert');
  });

  it('follows the contract for smoke: {"smoke": true|false, "battery": 0..100}', () => {
    expect(normalise('smoke', { smoke: false, battery: 0 }, NOW)).toEqual({ ok: true, values: { smoke: false, battery: 0 }, observedAt: NOW });
    expect(normalise('smoke', { smoke: true, battery: 100 }, NOW)).toMatchObject({ ok: true });
    expect(normalise('smoke', { battery: 50 }, NOW)).toMatchObject({ ok: false, reason: 'missing_field', field: 'smoke' });
  });

  describe.each(DEVICE_PROFILE_IDS)('%s', (id) => {
    const c = CASES[id];

    it('accepts a good payload and returns exactly its values, observed at receipt', () => {
      expect(normalise(id, c.good, NOW)).toEqual({ ok: true, values: c.good, observedAt: NOW });
    });

    it('takes the observation time from observedAt, and leaves it out of the values', () => {
      const result = normalise(id, { ...c.good, observedAt: '2026-12-01T15:59:30+08:00' }, NOW);
      expect(result).toEqual({ ok: true, values: c.good, observedAt: new Date('2026-12-01T07:59:30Z') });
    });

    it('rejects a value out of range', () => {
      expect(normalise(id, c.outOfRange, NOW)).toMatchObject({ ok: false, reason: 'out_of_range' });
    });

    it('rejects a value of the wrong type', () => {
      expect(normalise(id, c.wrongType, NOW)).toMatchObject({ ok: false, reason: 'wrong_type' });
    });

    it('rejects an unknown field', () => {
      expect(normalise(id, { ...c.good, temperatur: 21 }, NOW)).toEqual({ ok: false, reason: 'unknown_field', field: 'temperatur', message: 'unknown field "temperatur"' });
    });

    it('rejects a timestamp far in the future, and one that is not ISO 8601 with a zone', () => {
      expect(normalise(id, { ...c.good, observedAt: '2026-12-01T09:00:00Z' }, NOW)).toMatchObject({ ok: false, reason: 'timestamp_in_future', field: 'observedAt' });
      // within the allowed clock drift of five minutes
      expect(normalise(id, { ...c.good, observedAt: '2026-12-01T08:04:00Z' }, NOW)).toMatchObject({ ok: true });
      expect(normalise(id, { ...c.good, observedAt: '2026-12-01 08:00' }, NOW)).toMatchObject({ ok: false, reason: 'bad_timestamp' });
      expect(normalise(id, { ...c.good, observedAt: 1764576000000 }, NOW)).toMatchObject({ ok: false, reason: 'bad_timestamp' });
    });
  });

  it('rejects payloads that are not objects, and unknown profiles', () => {
    for (const payload of [null, [], 'smoke', 1, true]) expect(normalise('smoke', payload, NOW)).toMatchObject({ ok: false, reason: 'not_an_object' });
    expect(normalise('toaster', { smoke: true }, NOW)).toMatchObject({ ok: false, reason: 'unknown_profile' });
    expect(normalise('smoke', { smoke: true, battery: Number.NaN }, NOW)).toMatchObject({ ok: false, reason: 'wrong_type' });
  });
});
