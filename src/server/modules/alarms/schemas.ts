import { Type, type TSchema } from 'typebox';
import { ALARM_CASE_MODES, ALARM_SEVERITIES, ALARM_SHELVE_MAX_MINUTES, ALARM_STATES, ALARM_TYPE_IDS, CALL_OUTCOMES, RECHECK_DECISIONS } from '../../../shared/alarms.ts';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Text = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, pattern: '\\S', ...(description ? { description } : {}) });

export const AlarmTypeSchema = Type.Enum(ALARM_TYPE_IDS, { description: 'An alarm type of the catalogue (src/shared/alarms.ts)' });
export const AlarmStateSchema = Type.Enum(ALARM_STATES, { description: ALARM_STATES.join(' | ') });
const Severity = Type.Enum(ALARM_SEVERITIES);
const CaseMode = Type.Enum(ALARM_CASE_MODES);

export const AlarmIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const AlarmListQuery = Type.Object(
  {
    state: Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$', description: 'One state or several, comma-separated (e.g. active_unack,rtn_unack)' })),
    type: Type.Optional(AlarmTypeSchema),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Alarms in this region or below it' })),
    device: Type.Optional(Type.String({ format: 'uuid' })),
    case: Type.Optional(Type.String({ format: 'uuid', description: 'The alarms that became this case' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

const alarmFields = {
  id: Type.String({ format: 'uuid' }),
  type: AlarmTypeSchema,
  typeName: Type.String({ description: 'In the caller’s language' }),
  severity: Severity,
  kind: Type.Enum(['process', 'maintenance']),
  latched: Type.Boolean({ description: 'Life-safety alarms stay active until reset' }),
  state: AlarmStateSchema,
  conditionActive: Type.Boolean({ description: 'Whether the condition held at the last signal' }),
  acknowledged: Type.Boolean(),
  device: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }, { additionalProperties: false }),
  regionCode: Type.String(),
  regionName: Type.String(),
  repeatCount: Type.Integer(),
  escalationLevel: Type.Integer(),
  firstAt: Type.String({ format: 'date-time' }),
  lastAt: Type.String({ format: 'date-time' }),
  rtnAt: nullable(Type.String({ format: 'date-time' })),
  ackedAt: nullable(Type.String({ format: 'date-time' })),
  shelvedUntil: nullable(Type.String({ format: 'date-time' })),
  caseMode: CaseMode,
  recheck: nullable(Type.Enum(['pending', 'confirmed', 'dismissed'])),
  caseId: nullable(Type.String({ format: 'uuid' })),
  caseNumber: nullable(Type.String()),
  detail: nullable(Type.String({ description: 'What was seen, in the caller’s language' })),
  allowedActions: Type.Array(Type.String(), { description: 'The actions the caller may take now' }),
};

export const AlarmSchema = Type.Object(alarmFields, { additionalProperties: false });

export const AlarmList = Type.Object(
  {
    items: Type.Array(AlarmSchema),
    total: Type.Integer(),
    flood: Type.Boolean({ description: 'More alarms than the flood threshold were raised in the caller’s scope within the window' }),
    recentCount: Type.Integer({ description: 'Alarms raised in the caller’s scope within the flood window' }),
    groups: Type.Array(
      Type.Object(
        {
          type: AlarmTypeSchema,
          typeName: Type.String(),
          committeeCode: nullable(Type.String()),
          committeeName: nullable(Type.String()),
          count: Type.Integer(),
          newestAt: Type.String({ format: 'date-time' }),
          newestId: Type.String({ format: 'uuid' }),
        },
        { additionalProperties: false },
      ),
      { description: 'During a flood: the recent alarms by type and committee, largest first (empty otherwise)' },
    ),
  },
  { additionalProperties: false },
);

export const AlarmDetail = Type.Object(
  {
    ...alarmFields,
    values: nullable(Type.Record(Type.String(), Type.Unknown())),
    emergencyContact: nullable(Type.Object({ name: Type.String(), phone: Type.String(), masked: Type.Boolean() }, { additionalProperties: false })),
    history: Type.Array(
      Type.Object(
        {
          action: Type.String(),
          label: Type.String(),
          fromState: nullable(Type.String()),
          toState: Type.String(),
          actorName: Type.String(),
          note: nullable(Type.String()),
          details: Type.Record(Type.String(), Type.Unknown()),
          at: Type.String({ format: 'date-time' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const action = <const N extends string, T extends Record<string, TSchema>>(name: N, fields: T) => Type.Object({ action: Type.Literal(name), ...fields }, { additionalProperties: false });

export const AlarmActionBody = Type.Union(
  [
    action('ack', { note: Type.Optional(Text(500)) }),
    action('shelve', { minutes: Type.Integer({ minimum: 1, maximum: ALARM_SHELVE_MAX_MINUTES, description: 'At most a day' }), reason: Text(200) }),
    action('unshelve', { note: Type.Optional(Text(500)) }),
    action('reset', { force: Type.Optional(Type.Boolean({ description: 'Reset although the condition still holds (needs a reason)' })), reason: Type.Optional(Text(200)) }),
    action('comment', { text: Text(1000) }),
    action('recheck', { decision: Type.Enum(RECHECK_DECISIONS, { description: '二次甄别: confirm (a case is made) or dismiss (a false alarm)' }), note: Text(500) }),
    action('call', { outcome: Type.Enum(CALL_OUTCOMES), note: Text(500, 'What the contact said') }),
  ],
  { description: '{"action": "ack"|"shelve"|"unshelve"|"reset"|"comment"|"recheck"|"call", …}' },
);

export const WindowBody = Type.Object(
  {
    kind: Type.Enum(['maintenance', 'drill']),
    deviceId: Type.Optional(Type.String({ format: 'uuid' })),
    regionCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
    reason: Text(200),
  },
  { additionalProperties: false },
);

export const WindowSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    kind: Type.Enum(['maintenance', 'drill']),
    regionCode: nullable(Type.String()),
    deviceId: nullable(Type.String({ format: 'uuid' })),
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
    reason: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export const WindowList = Type.Object({ items: Type.Array(WindowSchema) }, { additionalProperties: false });

export const OutOfServiceParams = Type.Object({ id: Type.String({ format: 'uuid' }), type: AlarmTypeSchema }, { additionalProperties: false });
export const OutOfServiceBody = Type.Object({ reason: Text(200) }, { additionalProperties: false });

export const DeviceAlarmTypeList = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          type: AlarmTypeSchema,
          outOfService: Type.Union([
            Type.Object(
              {
                reason: Type.String(),
                since: Type.String({ format: 'date-time' }),
                byName: Type.Union([Type.String(), Type.Null()]),
              },
              { additionalProperties: false },
            ),
            Type.Null(),
          ]),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: "The alarm types a device can raise (its profile's default rules, offline, low battery) and any taken out of service" },
);

export const SettingsSchema = Type.Object(
  {
    types: Type.Array(
      Type.Object(
        {
          type: AlarmTypeSchema,
          name: Type.String(),
          severity: Severity,
          kind: Type.Enum(['process', 'maintenance']),
          lifeSafety: Type.Boolean(),
          momentary: Type.Boolean(),
          caseMode: CaseMode,
          defaultCaseMode: CaseMode,
          categoryCode: nullable(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    escalationMinutes: Type.Object(Object.fromEntries(ALARM_SEVERITIES.map((s) => [s, nullable(Type.Integer())])), { additionalProperties: false }),
  },
  { additionalProperties: false },
);

export const SettingsBody = Type.Object(
  {
    caseModes: Type.Optional(Type.Object(Object.fromEntries(ALARM_TYPE_IDS.map((t) => [t, Type.Optional(CaseMode)])), { additionalProperties: false, description: 'Case mode per process alarm type' })),
    escalationMinutes: Type.Optional(
      Type.Object(Object.fromEntries(ALARM_SEVERITIES.map((s) => [s, Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 1440 })))])), { additionalProperties: false }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const DeviceIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
export const EmergencyContactBody = Type.Object(
  {
    name: Text(50, 'Who to call (a relative, a neighbour)'),
    phone: Type.String({ pattern: '^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8}|\\d{7,8})$', description: 'Mobile, or landline with or without area code' }),
  },
  { additionalProperties: false },
);
export const EmergencyContactSchema = Type.Object(
  { name: Type.String(), phone: Type.String(), masked: Type.Boolean({ description: 'Masked unless revealed' }) },
  { additionalProperties: false },
);
export const RevealBody = Type.Object({ reason: Text(200, 'Why you need the full number (kept in the audit log)') }, { additionalProperties: false });
