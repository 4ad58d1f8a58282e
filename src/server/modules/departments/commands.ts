import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { recordChange, type CommandContext } from '../../platform/platform.ts';
import type { Department } from './repository.ts';
import { insertDepartment, updateDepartment } from './repository.ts';

export async function createDepartment(
  ctx: CommandContext,
  input: { code: string; name: string; kind: string; region: { code: string; regionPath: string } },
): Promise<string> {
  let id: string;
  try {
    id = await insertDepartment(ctx.trx, { code: input.code, name: input.name, kind: input.kind, regionCode: input.region.code, regionPath: input.region.regionPath });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CONFLICT', { field: 'code' }, { cause: error });
    throw error;
  }
  await recordChange(ctx, {
    audit: { action: 'department.create', objectType: 'department', objectId: id, regionPath: input.region.regionPath, details: { code: input.code, name: input.name, kind: input.kind } },
    event: { type: 'department.created', aggregateType: 'department', aggregateId: id, regionPath: input.region.regionPath, payload: { code: input.code, name: input.name, kind: input.kind, regionCode: input.region.code } },
  });
  return id;
}

export async function editDepartment(ctx: CommandContext, department: Department, patch: { name?: string; kind?: string }): Promise<void> {
  await updateDepartment(ctx.trx, department.id, patch);
  await recordChange(ctx, {
    audit: { action: 'department.update', objectType: 'department', objectId: department.id, regionPath: department.regionPath, details: { from: { name: department.name, kind: department.kind }, to: patch } },
    event: { type: 'department.updated', aggregateType: 'department', aggregateId: department.id, regionPath: department.regionPath, payload: patch },
  });
}
