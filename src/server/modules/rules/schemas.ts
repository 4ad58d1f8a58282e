import { Type, type TSchema } from 'typebox';
import { DEVICE_PROFILE_IDS } from '../../../shared/iot-profiles.ts';
import { RULE_KEY_PATTERN, RuleDefinitionSchema } from '../../../shared/rules.ts';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const RegionCode = Type.String({ minLength: 1, maxLength: 40 });
const Note = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Why (kept in the history and the audit log)' });

export const RuleListQuery = Type.Object(
  {
    profile: Type.Optional(Type.Enum(DEVICE_PROFILE_IDS)),
    region: Type.Optional(Type.String({ ...RegionCode, description: 'The rules in force for a device placed in this region (default: the caller’s own region)' })),
    device: Type.Optional(Type.String({ format: 'uuid', description: 'The rules in force for this device' })),
  },
  { additionalProperties: false },
);

export const RuleIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 48, pattern: '^([0-9a-f-]{36}|[a-z0-9][a-z0-9-]{1,47})$', description: 'A stored rule’s id, or a built-in rule’s key' }) },
  { additionalProperties: false },
);

const Source = Type.Union(
  [
    Type.Object({ kind: Type.Literal('default') }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('region'), regionCode: Type.String(), regionName: Type.String() }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('device'), deviceId: Type.String({ format: 'uuid' }), deviceName: Type.String() }, { additionalProperties: false }),
  ],
  { description: 'Where the rule comes from: the built-in default, a region’s override or a device’s own rule' },
);

const ruleFields = {
  id: Type.String({ description: 'The stored rule’s id, or the built-in rule’s key' }),
  key: Type.String(),
  name: Type.String({ description: 'The built-in rule’s name in the caller’s language, or the key of a custom rule' }),
  profile: Type.Enum(DEVICE_PROFILE_IDS),
  builtIn: Type.Boolean({ description: 'The key is a built-in rule (overrides fall back to it when removed)' }),
  source: Source,
  definition: RuleDefinitionSchema,
  enabled: Type.Boolean(),
  version: Type.Integer(),
  updatedAt: nullable(Type.String({ format: 'date-time' })),
};

export const RuleSchema = Type.Object(ruleFields, { additionalProperties: false });
export const RuleList = Type.Object(
  {
    items: Type.Array(RuleSchema, { description: 'One per key: the rule in force at the region or device asked about' }),
    overrides: Type.Array(RuleSchema, { description: 'Stored rules inside that region (committees’ and devices’ own rules)' }),
  },
  { additionalProperties: false },
);

export const RuleVersionSchema = Type.Object(
  {
    version: Type.Integer(),
    change: Type.Union([Type.Literal('create'), Type.Literal('update'), Type.Literal('delete')]),
    definition: RuleDefinitionSchema,
    enabled: Type.Boolean(),
    note: nullable(Type.String()),
    changedAt: Type.String({ format: 'date-time' }),
    changedBy: nullable(Type.String({ description: 'Username' })),
  },
  { additionalProperties: false },
);
export const RuleDetail = Type.Object({ ...ruleFields, history: Type.Array(RuleVersionSchema) }, { additionalProperties: false });

export const CreateRuleBody = Type.Object(
  {
    key: Type.Optional(Type.String({ pattern: RULE_KEY_PATTERN, description: 'A built-in rule’s key to override it; another key (or none) for a custom rule' })),
    regionCode: Type.Optional(Type.String({ ...RegionCode, description: 'A street or committee' })),
    deviceId: Type.Optional(Type.String({ format: 'uuid' })),
    definition: RuleDefinitionSchema,
    enabled: Type.Optional(Type.Boolean({ default: true })),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);

export const UpdateRuleBody = Type.Object(
  { definition: Type.Optional(RuleDefinitionSchema), enabled: Type.Optional(Type.Boolean()), note: Type.Optional(Note) },
  { additionalProperties: false, minProperties: 1 },
);

export const DeleteRuleQuery = Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false });

export const DryRunBody = Type.Object(
  {
    definition: RuleDefinitionSchema,
    deviceIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 200, uniqueItems: true })),
    regionCode: Type.Optional(RegionCode),
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export const DryRunResponse = Type.Object(
  {
    readings: Type.Integer({ description: 'Recorded readings replayed' }),
    truncated: Type.Boolean({ description: 'The period held more readings than a dry run replays' }),
    ticks: Type.Integer({ description: 'Steps of the time-based evaluation through the period' }),
    devices: Type.Array(
      Type.Object(
        {
          deviceId: Type.String({ format: 'uuid' }),
          name: Type.String(),
          regionCode: Type.String(),
          raised: Type.Array(Type.String({ format: 'date-time' })),
          cleared: Type.Array(Type.String({ format: 'date-time' })),
          raisedCount: Type.Integer(),
          clearedCount: Type.Integer(),
        },
        { additionalProperties: false },
      ),
    ),
    totalRaised: Type.Integer(),
  },
  { additionalProperties: false },
);
