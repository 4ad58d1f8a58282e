import { readFileSync } from 'node:fs';
import { ALLOWED_CHILD_LEVELS, type RegionLevel } from '../../../shared/regions.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { recordChange, type CommandContext } from '../../platform/platform.ts';
import type { NewRegion } from '../../platform/db/schema.ts';
import { deleteRegion, insertRegions, nextLocalChildCode, regionExists, regionInUse, renameRegion, type Region } from './repository.ts';

interface RegionTreeFile {
  source: string;
  district: { code: string; name: string };
  streets: Array<{ code: string; name: string; kind: string; committees: Array<{ code: string; name: string; kind: string }> }>;
}

export function loadRegionTreeFile(): RegionTreeFile {
  const url = new URL('../../data/pudong-regions.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as RegionTreeFile;
}

/** Imports the official division tree (district → streets → committees). Idempotent. */
export async function importRegionTree(ctx: CommandContext, tree: RegionTreeFile): Promise<{ imported: number }> {
  if (await regionExists(ctx.trx, tree.district.code)) return { imported: 0 };
  const d = tree.district;
  const rows: NewRegion[] = [{ code: d.code, parent_code: null, level: 'district', kind: 'district', name: d.name, path: d.code, source: tree.source }];
  for (const s of tree.streets) {
    rows.push({ code: s.code, parent_code: d.code, level: 'street', kind: s.kind, name: s.name, path: `${d.code}.${s.code}`, source: tree.source });
    for (const c of s.committees) {
      rows.push({ code: c.code, parent_code: s.code, level: 'committee', kind: c.kind, name: c.name, path: `${d.code}.${s.code}.${c.code}`, source: tree.source });
    }
  }
  await insertRegions(ctx.trx, rows);
  await recordChange(ctx, {
    audit: { action: 'region.import', objectType: 'region', objectId: d.code, regionPath: d.code, details: { source: tree.source, count: rows.length } },
    event: { type: 'region.imported', aggregateType: 'region', aggregateId: d.code, regionPath: d.code, payload: { source: tree.source, count: rows.length } },
  });
  return { imported: rows.length };
}

/** Adds a grid (网格) or building (楼栋) under a committee or grid. Codes are derived from the parent. */
export async function createLocalRegion(ctx: CommandContext, parent: Region, input: { level: RegionLevel; name: string }): Promise<string> {
  if (!(ALLOWED_CHILD_LEVELS[parent.level as RegionLevel] ?? []).includes(input.level) || (input.level !== 'grid' && input.level !== 'building')) {
    throw new AppError('REGION_LEVEL_NOT_ALLOWED', { parentLevel: parent.level, level: input.level });
  }
  const code = await nextLocalChildCode(ctx.trx, parent.code, input.level === 'grid' ? 'G' : 'B');
  const path = `${parent.regionPath}.${code}`;
  try {
    await insertRegions(ctx.trx, [{ code, parent_code: parent.code, level: input.level, kind: input.level, name: input.name, path, source: 'local' }]);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('REGION_CODE_TAKEN', { code }, { cause: error });
    throw error;
  }
  await recordChange(ctx, {
    audit: { action: 'region.create', objectType: 'region', objectId: code, regionPath: path, details: { level: input.level, name: input.name, parentCode: parent.code } },
    event: { type: 'region.created', aggregateType: 'region', aggregateId: code, regionPath: path, payload: { code, level: input.level, name: input.name, parentCode: parent.code } },
  });
  return code;
}

/** Official divisions come from the national statistics codes and are not edited by hand. */
function assertLocal(region: Region): void {
  if (region.source !== 'local') throw new AppError('OFFICIAL_REGION_READONLY');
}

export async function renameLocalRegion(ctx: CommandContext, region: Region, name: string): Promise<void> {
  assertLocal(region);
  await renameRegion(ctx.trx, region.code, name);
  await recordChange(ctx, {
    audit: { action: 'region.rename', objectType: 'region', objectId: region.code, regionPath: region.regionPath, details: { from: region.name, to: name } },
    event: { type: 'region.renamed', aggregateType: 'region', aggregateId: region.code, regionPath: region.regionPath, payload: { name } },
  });
}

export async function removeLocalRegion(ctx: CommandContext, region: Region): Promise<void> {
  assertLocal(region);
  if (await regionInUse(ctx.trx, region.code)) throw new AppError('REGION_IN_USE');
  await deleteRegion(ctx.trx, region.code);
  await recordChange(ctx, {
    audit: { action: 'region.delete', objectType: 'region', objectId: region.code, regionPath: region.regionPath, details: { name: region.name } },
    event: { type: 'region.deleted', aggregateType: 'region', aggregateId: region.code, regionPath: region.regionPath, payload: {} },
  });
}
