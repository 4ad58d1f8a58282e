import { randomBytes } from 'node:crypto';
import { checkDefinition, DEFAULT_RULES_BY_KEY, type RuleDefinition } from '../../../shared/rules.ts';
import { scopeOf } from '../../platform/access.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { recordChange, type CommandContext } from '../../platform/platform.ts';
import { findRegion } from '../regions/repository.ts';
import { RULE_REGION_LEVELS } from './policy.ts';
import { bumpRuleGeneration, deleteRule, findDeviceRef, insertRule, insertRuleVersion, updateRule, type StoredRule } from './repository.ts';

export interface NewRule {
  /** A built-in rule's key (an override) or a new key (a custom rule); generated when absent. */
  key?: string;
  regionCode?: string;
  deviceId?: string;
  definition: RuleDefinition;
  enabled: boolean;
  note: string | null;
}

function checkOrThrow(definition: RuleDefinition): void {
  const problems = checkDefinition(definition);
  if (problems.length) throw new AppError('RULE_DEFINITION_INVALID', { message: problems.map((p) => p.message).join('; '), problems });
}

/** An override keeps the built-in rule's profile: it changes parameters, not what it watches. */
function checkKeyProfile(key: string, definition: RuleDefinition): void {
  const builtIn = DEFAULT_RULES_BY_KEY.get(key);
  if (builtIn && builtIn.definition.profile !== definition.profile) throw new AppError('RULE_PROFILE_MISMATCH', { key, expected: builtIn.definition.profile });
}

const userIdOf = (ctx: CommandContext) => (ctx.actor.kind === 'user' ? ctx.actor.userId : null);

/** Adds an override or a custom rule for a street, committee or device inside the caller's scope. */
export async function createRule(ctx: CommandContext, input: NewRule): Promise<string> {
  checkOrThrow(input.definition);
  const key = input.key ?? `custom-${randomBytes(4).toString('hex')}`;
  checkKeyProfile(key, input.definition);
  const scope = scopeOf(ctx.actor);
  let place: { regionCode: string | null; regionPath: string; deviceId: string | null };
  if (input.deviceId !== undefined) {
    const device = await findDeviceRef(ctx.trx, scope, input.deviceId);
    if (!device) throw new AppError('NOT_FOUND', { deviceId: input.deviceId });
    if (device.profile !== input.definition.profile) throw new AppError('RULE_PROFILE_MISMATCH', { key, expected: device.profile });
    place = { regionCode: null, regionPath: device.regionPath, deviceId: device.id };
  } else {
    const code = input.regionCode ?? '';
    const region = await findRegion(ctx.trx, scope, code);
    if (!region) throw new AppError('NOT_FOUND', { regionCode: code });
    if (!RULE_REGION_LEVELS.includes(region.level)) throw new AppError('RULE_SCOPE_INVALID', { regionCode: code, level: region.level });
    place = { regionCode: region.code, regionPath: region.regionPath, deviceId: null };
  }
  let id: string;
  try {
    id = await insertRule(ctx.trx, { key, profile: input.definition.profile, ...place, definition: input.definition, enabled: input.enabled, userId: userIdOf(ctx) });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('RULE_EXISTS', { key }, { cause: error });
    throw error;
  }
  await insertRuleVersion(ctx.trx, { ruleId: id, version: 1, change: 'create', definition: input.definition, enabled: input.enabled, note: input.note, userId: userIdOf(ctx) });
  await bumpRuleGeneration(ctx.trx);
  await recordChange(ctx, {
    audit: {
      action: 'rule.create',
      objectType: 'device_rule',
      objectId: id,
      regionPath: place.regionPath,
      details: { key, regionCode: place.regionCode, deviceId: place.deviceId, enabled: input.enabled, definition: input.definition },
      reason: input.note,
    },
    event: { type: 'rule.created', aggregateType: 'device_rule', aggregateId: id, regionPath: place.regionPath, payload: { key, profile: input.definition.profile } },
  });
  return id;
}

export interface RulePatch {
  definition?: RuleDefinition;
  enabled?: boolean;
  note: string | null;
}

/** Changes a stored rule's parameters or switches it on or off: a new version, the old one kept. */
export async function editRule(ctx: CommandContext, rule: StoredRule, patch: RulePatch): Promise<number> {
  const definition = patch.definition ?? rule.definition;
  if (patch.definition) {
    checkOrThrow(definition);
    if (definition.profile !== rule.profile) throw new AppError('RULE_PROFILE_MISMATCH', { key: rule.key, expected: rule.profile });
  }
  const enabled = patch.enabled ?? rule.enabled;
  const version = await updateRule(ctx.trx, rule.id, { definition, enabled, userId: userIdOf(ctx) });
  await insertRuleVersion(ctx.trx, { ruleId: rule.id, version, change: 'update', definition, enabled, note: patch.note, userId: userIdOf(ctx) });
  await bumpRuleGeneration(ctx.trx);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (patch.definition) changes.definition = { from: rule.definition, to: definition };
  if (patch.enabled !== undefined) changes.enabled = { from: rule.enabled, to: enabled };
  await recordChange(ctx, {
    audit: { action: 'rule.update', objectType: 'device_rule', objectId: rule.id, regionPath: rule.regionPath, details: { key: rule.key, version, ...changes }, reason: patch.note },
    event: { type: 'rule.updated', aggregateType: 'device_rule', aggregateId: rule.id, regionPath: rule.regionPath, payload: { key: rule.key, version, enabled } },
  });
  return version;
}

/** Removes an override (its scope falls back to the inherited rule) or a custom rule; the history stays. */
export async function removeRule(ctx: CommandContext, rule: StoredRule, note: string | null): Promise<void> {
  await insertRuleVersion(ctx.trx, { ruleId: rule.id, version: rule.version + 1, change: 'delete', definition: rule.definition, enabled: rule.enabled, note, userId: userIdOf(ctx) });
  await deleteRule(ctx.trx, rule.id);
  await bumpRuleGeneration(ctx.trx);
  await recordChange(ctx, {
    audit: { action: 'rule.delete', objectType: 'device_rule', objectId: rule.id, regionPath: rule.regionPath, details: { key: rule.key, version: rule.version }, reason: note },
    event: { type: 'rule.deleted', aggregateType: 'device_rule', aggregateId: rule.id, regionPath: rule.regionPath, payload: { key: rule.key } },
  });
}
