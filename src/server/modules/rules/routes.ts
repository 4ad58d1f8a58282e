import type { Static } from 'typebox';
import { DEVICE_PROFILE_IDS } from '../../../shared/iot-profiles.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { checkDefinition, DEFAULT_RULES_BY_KEY, type DefaultRule } from '../../../shared/rules.ts';
import { authorize, inScope, pathWithin, scopeOf, type Scope } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, localeOf, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { findRegion } from '../regions/repository.ts';
import { createRule, editRule, removeRule } from './commands.ts';
import { dryRun } from './dry-run.ts';
import { DRY_RUN_MAX_DAYS } from './policy.ts';
import { devicesForDryRun, findDeviceRef, findStoredRule, ruleVersions, storedRulesAround, type DeviceRef, type StoredRule } from './repository.ts';
import { RuleResolver, type Resolution } from './resolve.ts';
import { CreateRuleBody, DeleteRuleQuery, DryRunBody, DryRunResponse, RuleDetail, RuleIdParams, RuleList, RuleListQuery, RuleSchema, UpdateRuleBody } from './schemas.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function sourceOf(rule: StoredRule) {
  if (rule.deviceId !== null) return { kind: 'device' as const, deviceId: rule.deviceId, deviceName: rule.deviceName ?? '' };
  return { kind: 'region' as const, regionCode: rule.regionCode ?? '', regionName: rule.regionName ?? '' };
}

function presentStored(rule: StoredRule, locale: Locale) {
  const builtIn = DEFAULT_RULES_BY_KEY.get(rule.key);
  return {
    id: rule.id,
    key: rule.key,
    name: builtIn?.name[locale] ?? rule.key,
    profile: rule.profile,
    builtIn: builtIn !== undefined,
    source: sourceOf(rule),
    definition: rule.definition,
    enabled: rule.enabled,
    version: rule.version,
    updatedAt: rule.updatedAt.toISOString(),
  };
}

function presentBuiltIn(rule: DefaultRule, locale: Locale) {
  return {
    id: rule.key,
    key: rule.key,
    name: rule.name[locale],
    profile: rule.definition.profile,
    builtIn: true,
    source: { kind: 'default' as const },
    definition: rule.definition,
    enabled: true,
    version: 1,
    updatedAt: null,
  };
}

function presentResolution(resolution: Resolution, locale: Locale) {
  if (resolution.stored) return presentStored(resolution.stored, locale);
  return presentBuiltIn(resolution.builtIn!, locale);
}

export function ruleRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;
  const tags = ['rules'];

  /** A stored rule the caller may change: inside the scope (404 when unseen, 403 when it only applies from above). */
  async function loadEditable(scope: Scope, id: string, trx: Parameters<typeof findStoredRule>[0]): Promise<StoredRule> {
    if (!UUID.test(id)) {
      if (DEFAULT_RULES_BY_KEY.has(id)) throw new AppError('RULE_BUILT_IN', { key: id });
      throw new AppError('NOT_FOUND');
    }
    const rule = await findStoredRule(trx, scope, id, { forUpdate: true });
    if (!rule) throw new AppError('NOT_FOUND');
    if (!inScope(scope, rule.regionPath)) throw new AppError('FORBIDDEN', { permission: 'rule.manage' });
    return rule;
  }

  app.get(
    '/rules',
    {
      schema: {
        tags,
        summary: 'The rules in force for a device, or for devices placed in a region (the caller’s own by default), each with where it comes from; and the overrides below',
        querystring: RuleListQuery,
        response: withErrors({ 200: RuleList }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'rule.read');
      const scope = scopeOf(actor);
      const q = request.query;
      let target: { deviceId: string | null; regionPath: string; profiles: readonly string[] };
      if (q.device) {
        const device = await findDeviceRef(db, scope, q.device);
        if (!device || (q.profile && q.profile !== device.profile)) throw new AppError('NOT_FOUND');
        target = { deviceId: device.id, regionPath: device.regionPath, profiles: [device.profile] };
      } else {
        const region = await findRegion(db, scope, q.region ?? actor.assignment.regionCode);
        if (!region) throw new AppError('NOT_FOUND');
        target = { deviceId: null, regionPath: region.regionPath, profiles: q.profile ? [q.profile] : DEVICE_PROFILE_IDS };
      }
      const stored = await storedRulesAround(db, scope, target.regionPath, q.profile);
      const resolver = new RuleResolver(stored);
      const locale = localeOf(request);
      const items = target.profiles.flatMap((profile) => resolver.resolve({ deviceId: target.deviceId, profile, regionPath: target.regionPath }).map((r) => presentResolution(r, locale)));
      const overrides = stored
        .filter((r) => inScope(scope, r.regionPath) && pathWithin(r.regionPath, target.regionPath) && (target.deviceId === null || r.deviceId === target.deviceId))
        .map((r) => presentStored(r, locale));
      return { items, overrides };
    },
  );

  app.get(
    '/rules/:id',
    { schema: { tags, summary: 'A rule (stored, or built-in by its key) with every version', params: RuleIdParams, response: withErrors({ 200: RuleDetail }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'rule.read');
      const locale = localeOf(request);
      const { id } = request.params;
      if (!UUID.test(id)) {
        const builtIn = DEFAULT_RULES_BY_KEY.get(id);
        if (!builtIn) throw new AppError('NOT_FOUND');
        return { ...presentBuiltIn(builtIn, locale), history: [] };
      }
      const rule = await findStoredRule(db, scopeOf(actor), id);
      if (!rule) throw new AppError('NOT_FOUND');
      const history = await ruleVersions(db, id);
      return { ...presentStored(rule, locale), history: history.map((v) => ({ ...v, changedAt: v.changedAt.toISOString() })) };
    },
  );

  app.post(
    '/rules',
    {
      schema: {
        tags,
        summary: 'Override a built-in rule (by its key) or add a custom rule, for a street, committee or device of the caller’s scope',
        body: CreateRuleBody,
        response: withErrors({ 201: RuleSchema, 409: ErrorResponse, 422: ErrorResponse }),
      },
    },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'rule.manage');
      const b = request.body;
      if ((b.regionCode === undefined) === (b.deviceId === undefined)) throw new AppError('VALIDATION_FAILED', { message: 'give either regionCode or deviceId' });
      const id = await platform.transaction(
        actor,
        (ctx) =>
          createRule(ctx, {
            ...(b.key !== undefined ? { key: b.key } : {}),
            ...(b.regionCode !== undefined ? { regionCode: b.regionCode } : {}),
            ...(b.deviceId !== undefined ? { deviceId: b.deviceId } : {}),
            definition: b.definition,
            enabled: b.enabled ?? true,
            note: b.note ?? null,
          }),
        { requestId: request.id },
      );
      const rule = await findStoredRule(db, scopeOf(actor), id);
      return reply.code(201).send(presentStored(rule!, localeOf(request)));
    },
  );

  app.patch(
    '/rules/:id',
    {
      schema: {
        tags,
        summary: 'Change a stored rule’s condition, alarm or active hours, or switch it off or on in its scope (a new version)',
        params: RuleIdParams,
        body: UpdateRuleBody,
        response: withErrors({ 200: RuleSchema, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'rule.manage');
      const scope = scopeOf(actor);
      const b = request.body;
      await platform.transaction(
        actor,
        async (ctx) => {
          const rule = await loadEditable(scope, request.params.id, ctx.trx);
          await editRule(ctx, rule, { ...(b.definition ? { definition: b.definition } : {}), ...(b.enabled !== undefined ? { enabled: b.enabled } : {}), note: b.note ?? null });
        },
        { requestId: request.id },
      );
      const rule = await findStoredRule(db, scope, request.params.id);
      return presentStored(rule!, localeOf(request));
    },
  );

  app.delete(
    '/rules/:id',
    {
      schema: {
        tags,
        summary: 'Remove an override (its scope inherits again) or a custom rule; the history is kept',
        params: RuleIdParams,
        querystring: DeleteRuleQuery,
        response: withErrors({ 204: { type: 'null', description: 'Removed' }, 422: ErrorResponse }),
      },
    },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'rule.manage');
      await platform.transaction(actor, async (ctx) => removeRule(ctx, await loadEditable(scopeOf(actor), request.params.id, ctx.trx), request.query.note ?? null), { requestId: request.id });
      return reply.code(204).send();
    },
  );

  app.post(
    '/rules/dry-run',
    {
      schema: {
        tags,
        summary: 'Replay recorded readings of devices (by id, or of the rule’s profile in a region) through a rule definition: what would have fired, writing nothing',
        body: DryRunBody,
        response: withErrors({ 200: DryRunResponse, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'rule.read');
      return runDryRun(actor, request.body);
    },
  );

  async function runDryRun(actor: UserActor, b: Static<typeof DryRunBody>) {
    const scope = scopeOf(actor);
    const from = new Date(b.from);
    const to = new Date(b.to);
    if (!(from < to) || to.getTime() - from.getTime() > DRY_RUN_MAX_DAYS * 24 * 3600_000) throw new AppError('RULE_DRY_RUN_PERIOD');
    const problems = checkDefinition(b.definition);
    if (problems.length) throw new AppError('RULE_DEFINITION_INVALID', { message: problems.map((p) => p.message).join('; '), problems });
    if ((b.deviceIds === undefined) === (b.regionCode === undefined)) throw new AppError('VALIDATION_FAILED', { message: 'give either deviceIds or regionCode' });
    let devices: DeviceRef[];
    if (b.deviceIds) {
      devices = await devicesForDryRun(db, scope, b.definition.profile, { deviceIds: b.deviceIds });
      if (devices.length !== b.deviceIds.length) throw new AppError('NOT_FOUND', { deviceIds: b.deviceIds.filter((id) => !devices.some((d) => d.id === id)) });
    } else {
      const region = await findRegion(db, scope, b.regionCode!);
      if (!region) throw new AppError('NOT_FOUND', { regionCode: b.regionCode });
      devices = await devicesForDryRun(db, scope, b.definition.profile, { regionCode: region.code });
    }
    const result = await dryRun(db, devices, b.definition, from, to);
    const rows = result.devices.map((d) => ({
      deviceId: d.deviceId,
      name: d.name,
      regionCode: d.regionCode,
      raised: d.raised.map((t) => t.toISOString()),
      cleared: d.cleared.map((t) => t.toISOString()),
      raisedCount: d.raised.length,
      clearedCount: d.cleared.length,
    }));
    return { readings: result.readings, truncated: result.truncated, ticks: result.ticks, devices: rows, totalRaised: rows.reduce((n, d) => n + d.raisedCount, 0) };
  }
}
