import type { DeviceProfileId } from './iot-profiles.ts';

/** What a coverage norm counts: devices per committee, or per registered building. */
export const COVERAGE_UNITS = ['committee', 'building'] as const;
export type CoverageUnit = (typeof COVERAGE_UNITS)[number];

/**
 * The district-wide starting norms, seeded once and edited by the district (or overridden by a
 * street or committee) through PUT /api/coverage/norms. They follow the Shanghai community
 * scenarios: every building a smoke detector (per stairwell in practice — register stairwells as
 * buildings to count them), and per committee one of each shared installation: the fire lane,
 * the fire-water tank, a gate, a camera watching the fire lane and a bin station. Water meters and
 * door magnets for elderly residents living alone depend on the ledger and carry no fixed norm.
 */
export const DEFAULT_COVERAGE_NORMS: ReadonlyArray<{ profile: DeviceProfileId; unit: CoverageUnit; expected: number }> = [
  { profile: 'smoke', unit: 'building', expected: 1 },
  { profile: 'fire-lane', unit: 'committee', expected: 1 },
  { profile: 'fire-tank', unit: 'committee', expected: 1 },
  { profile: 'gate', unit: 'committee', expected: 1 },
  { profile: 'camera-ai', unit: 'committee', expected: 1 },
  { profile: 'bin', unit: 'committee', expected: 1 },
];
