import { DEVICE_PROFILE_IDS, type DeviceProfileId } from '../../../shared/iot-profiles.ts';
import type { CoverageUnit } from '../../../shared/coverage.ts';
import { pathWithin } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { Region } from '../regions/repository.ts';
import { alarmUse, committeesUnder, deviceCounts, listNorms, type CommitteeRow, type NormRow } from './repository.ts';

export interface Summary {
  devices: number;
  online: number;
  onlineRate: number | null;
  expected: number;
  covered: number;
  coverageRate: number | null;
  alarms: number;
  withCase: number;
  handled: number;
  applicationRate: number | null;
}

export interface Gap {
  profile: DeviceProfileId;
  expected: number;
  devices: number;
}

export type BlindSpotReason = 'no_devices' | 'below_norm' | 'all_offline';

export interface CoverageReport {
  region: { code: string; name: string; level: string };
  since: Date;
  totals: Summary;
  profiles: Array<{ profile: DeviceProfileId; devices: number; online: number; expected: number; covered: number }>;
  units: Array<Summary & { code: string; name: string; level: string; gaps: Gap[] }>;
  blindSpots: { total: number; items: Array<{ code: string; name: string; reasons: BlindSpotReason[]; gaps: Gap[]; devices: number; online: number }> };
}

const BLIND_SPOT_LIMIT = 100;

/** Per committee and profile: devices, online, expected. */
interface Cell {
  devices: number;
  online: number;
  expected: number;
}

const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

function summarise(cells: Iterable<Cell>, use: { alarms: number; withCase: number; handled: number }): Summary {
  let devices = 0;
  let online = 0;
  let expected = 0;
  let covered = 0;
  for (const c of cells) {
    devices += c.devices;
    online += c.online;
    expected += c.expected;
    covered += Math.min(c.devices, c.expected);
  }
  return { devices, online, onlineRate: rate(online, devices), expected, covered, coverageRate: rate(covered, expected), ...use, applicationRate: rate(use.handled, use.alarms) };
}

/** The norm that applies to a committee: the one set on its deepest ancestor (or itself). */
function normFor(norms: readonly NormRow[], committeePath: string, profile: string, unit: CoverageUnit): number {
  let best: NormRow | null = null;
  for (const n of norms) {
    if (n.profile !== profile || n.unit !== unit || !pathWithin(committeePath, n.regionPath)) continue;
    if (!best || n.regionPath.length > best.regionPath.length) best = n;
  }
  return best?.expected ?? 0;
}

/**
 * Coverage and use of a region: devices against the norms per committee (committee norms plus
 * building norms × registered buildings), online rate, blind spots (committees with no devices,
 * fewer than the norm, or none online), and the application rate — alarms that led to a case that
 * was closed, over process alarms — since `since`. Units are the region's children (streets of the
 * district, committees of a street) or the committee itself.
 */
export async function coverageReport(db: Executor, region: Region, children: readonly Region[], since: Date): Promise<CoverageReport> {
  const committees = await committeesUnder(db, region.regionPath);
  const counts = await deviceCounts(db, region.regionPath);
  const use = await alarmUse(db, region.regionPath, since);
  const norms = await listNorms(db, region.regionPath, true);

  const countOf = new Map(counts.map((c) => [`${c.committeePath}|${c.profile}`, c]));
  const useOf = new Map(use.map((u) => [u.committeePath, u]));
  const cellsOf = (c: CommitteeRow): Map<DeviceProfileId, Cell> =>
    new Map(
      DEVICE_PROFILE_IDS.map((profile) => {
        const count = countOf.get(`${c.path}|${profile}`);
        const expected = normFor(norms, c.path, profile, 'committee') + normFor(norms, c.path, profile, 'building') * c.buildings;
        return [profile, { devices: count?.devices ?? 0, online: count?.online ?? 0, expected }];
      }),
    );
  const perCommittee = committees.map((c) => ({ committee: c, cells: cellsOf(c), use: useOf.get(c.path) ?? { alarms: 0, withCase: 0, handled: 0 } }));
  const gapsOf = (cells: Map<DeviceProfileId, Cell>): Gap[] =>
    [...cells].filter(([, c]) => c.devices < c.expected).map(([profile, c]) => ({ profile, expected: c.expected, devices: c.devices }));
  const sumUse = (list: typeof perCommittee) =>
    list.reduce((acc, p) => ({ alarms: acc.alarms + p.use.alarms, withCase: acc.withCase + p.use.withCase, handled: acc.handled + p.use.handled }), { alarms: 0, withCase: 0, handled: 0 });
  const mergeCells = (list: typeof perCommittee): Map<DeviceProfileId, Cell> => {
    const merged = new Map<DeviceProfileId, Cell>(DEVICE_PROFILE_IDS.map((p) => [p, { devices: 0, online: 0, expected: 0 }]));
    for (const { cells } of list) {
      for (const [profile, c] of cells) {
        const m = merged.get(profile)!;
        m.devices += c.devices;
        m.online += c.online;
        m.expected += c.expected;
      }
    }
    return merged;
  };

  const allCells = perCommittee.flatMap((p) => [...p.cells.values()]);
  const unitRegions = region.level === 'committee' || children.length === 0 ? [region] : children;
  const units = unitRegions.map((u) => {
    const inside = perCommittee.filter((p) => pathWithin(p.committee.path, u.regionPath));
    const cellList = inside.flatMap((p) => [...p.cells.values()]);
    return { code: u.code, name: u.name, level: u.level, ...summarise(cellList, sumUse(inside)), gaps: gapsOf(mergeCells(inside)) };
  });

  const blind = perCommittee
    .map(({ committee, cells }) => {
      const list = [...cells.values()];
      const devices = list.reduce((n, c) => n + c.devices, 0);
      const online = list.reduce((n, c) => n + c.online, 0);
      const gaps = gapsOf(cells);
      const reasons: BlindSpotReason[] = [];
      if (devices === 0) reasons.push('no_devices');
      if (gaps.length > 0) reasons.push('below_norm');
      if (devices > 0 && online === 0) reasons.push('all_offline');
      return { code: committee.code, name: committee.name, reasons, gaps, devices, online, missing: gaps.reduce((n, g) => n + g.expected - g.devices, 0) };
    })
    .filter((b) => b.reasons.length > 0)
    // the largest holes first; committees that have devices but none online before empty ones
    .sort((a, b) => b.missing - a.missing || Number(b.reasons.includes('all_offline')) - Number(a.reasons.includes('all_offline')) || a.code.localeCompare(b.code));

  const profileTotals = mergeCells(perCommittee);
  return {
    region: { code: region.code, name: region.name, level: region.level },
    since,
    totals: summarise(allCells, sumUse(perCommittee)),
    profiles: DEVICE_PROFILE_IDS.map((profile) => {
      const c = profileTotals.get(profile)!;
      const covered = perCommittee.reduce((n, p) => n + Math.min(p.cells.get(profile)!.devices, p.cells.get(profile)!.expected), 0);
      return { profile, devices: c.devices, online: c.online, expected: c.expected, covered };
    }),
    units,
    blindSpots: { total: blind.length, items: blind.slice(0, BLIND_SPOT_LIMIT).map(({ missing: _missing, ...b }) => b) },
  };
}
