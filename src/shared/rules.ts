import { Type, type Static, type TSchema } from 'typebox';
import { ALARM_SEVERITIES, ALARM_TYPE_IDS, type AlarmSeverity, type AlarmTypeId } from './alarms.ts';
import { DEVICE_PROFILE_IDS, DEVICE_PROFILES, type DeviceProfileId, type TelemetryField } from './iot-profiles.ts';

/**
 * IoT rules (规则, issue #4): declarative conditions over a profile's normalised fields that raise
 * an alarm type of the catalogue. Shared by the server (validation, evaluation) and the console
 * (the editor form). Conditions come in two layers:
 *
 * - a **predicate** looks at one reading: `compare` (field op value) or an `all` / `any`
 *   combination of predicates (two levels deep);
 * - a rule's **condition** is a predicate, or a time-based wrapper around one: `duration` (held
 *   for N minutes), `absence` (no matching reading — or none at all — for N hours), `window-total`
 *   (the increase of a cumulative field over a rolling window or the Shanghai calendar day) and
 *   `rate` (change of a field per minute over a window).
 */

export const COMPARE_OPS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

const FieldName = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-zA-Z][a-zA-Z0-9]*$', description: 'A field of the rule’s profile' });
const Op = Type.Enum(COMPARE_OPS);

export const CompareSchema = Type.Object(
  { kind: Type.Literal('compare'), field: FieldName, op: Op, value: Type.Union([Type.Number(), Type.Boolean(), Type.String({ minLength: 1, maxLength: 40 })]) },
  { additionalProperties: false },
);
const combination = <T extends TSchema>(member: T) =>
  Type.Object({ kind: Type.Union([Type.Literal('all'), Type.Literal('any')]), conditions: Type.Array(member, { minItems: 1, maxItems: 10 }) }, { additionalProperties: false });
const InnerCombination = combination(CompareSchema);
export const PredicateSchema = Type.Union([CompareSchema, combination(Type.Union([CompareSchema, InnerCombination]))], { description: 'A condition on one reading' });

export const DurationSchema = Type.Object(
  { kind: Type.Literal('duration'), predicate: PredicateSchema, minutes: Type.Integer({ minimum: 1, maximum: 10_080 }) },
  { additionalProperties: false, description: 'The predicate held for at least this many minutes' },
);
export const AbsenceSchema = Type.Object(
  {
    kind: Type.Literal('absence'),
    predicate: Type.Union([PredicateSchema, Type.Null()], { description: 'null: no reading at all' }),
    hours: Type.Number({ minimum: 0.25, maximum: 720 }),
  },
  { additionalProperties: false, description: 'No reading matching the predicate (or none at all) for this many hours' },
);
export const WindowTotalSchema = Type.Object(
  {
    kind: Type.Literal('window-total'),
    field: FieldName,
    op: Type.Union([Type.Literal('>'), Type.Literal('>='), Type.Literal('<'), Type.Literal('<=')]),
    value: Type.Number({ minimum: 0 }),
    window: Type.Union([
      Type.Object({ hours: Type.Number({ minimum: 0.25, maximum: 720 }) }, { additionalProperties: false }),
      Type.Object({ calendarDay: Type.Literal(true) }, { additionalProperties: false, description: 'Since midnight in Asia/Shanghai' }),
    ]),
  },
  { additionalProperties: false, description: 'The increase of a cumulative field (e.g. a water meter’s volume) over the window' },
);
export const RateSchema = Type.Object(
  {
    kind: Type.Literal('rate'),
    field: FieldName,
    op: Type.Union([Type.Literal('>'), Type.Literal('>='), Type.Literal('<'), Type.Literal('<=')]),
    perMinute: Type.Number({ description: 'Change per minute, negative for a fall' }),
    windowMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
  },
  { additionalProperties: false, description: 'How fast a field changes: (latest − oldest value in the window) / minutes between them' },
);

export const ConditionSchema = Type.Union([PredicateSchema, DurationSchema, AbsenceSchema, WindowTotalSchema, RateSchema]);

const ClockTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM, Asia/Shanghai' });
export const ActiveHoursSchema = Type.Object(
  {
    from: ClockTime,
    to: ClockTime,
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, uniqueItems: true, description: 'ISO weekdays, 1 = Monday' }),
  },
  { additionalProperties: false, description: 'The rule holds only inside this window (from > to crosses midnight); outside it the condition counts as not holding' },
);

const Template = Type.String({ minLength: 1, maxLength: 200, description: 'May name reading values as {field}, and {increase} / {rate}' });
export const RuleDefinitionSchema = Type.Object(
  {
    profile: Type.Enum(DEVICE_PROFILE_IDS),
    condition: ConditionSchema,
    activeHours: Type.Optional(Type.Union([ActiveHoursSchema, Type.Null()])),
    alarmType: Type.Enum(ALARM_TYPE_IDS),
    severity: Type.Optional(Type.Union([Type.Enum(ALARM_SEVERITIES), Type.Null()])),
    detail: Type.Optional(Type.Union([Type.Object({ 'zh-CN': Template, en: Template }, { additionalProperties: false }), Type.Null()])),
  },
  { additionalProperties: false },
);

export type Compare = Static<typeof CompareSchema>;
export type Predicate = Static<typeof PredicateSchema>;
export type Condition = Static<typeof ConditionSchema>;
export type ActiveHours = Static<typeof ActiveHoursSchema>;
export type RuleDefinition = Static<typeof RuleDefinitionSchema>;
export type ConditionKind = Condition['kind'];

/** Conditions whose state changes with the clock, not only with readings (the one-minute job evaluates them). */
export function isTimeBased(condition: Condition): boolean {
  return condition.kind === 'duration' || condition.kind === 'absence' || condition.kind === 'window-total';
}

/** The fields a condition reads, for checking them against the profile. */
export function fieldsOf(condition: Condition | Predicate): Array<{ field: string; value?: Compare['value']; numeric?: boolean }> {
  switch (condition.kind) {
    case 'compare':
      return [{ field: condition.field, value: condition.value }];
    case 'all':
    case 'any':
      return condition.conditions.flatMap((c) => fieldsOf(c));
    case 'duration':
      return fieldsOf(condition.predicate);
    case 'absence':
      return condition.predicate ? fieldsOf(condition.predicate) : [];
    case 'window-total':
    case 'rate':
      return [{ field: condition.field, numeric: true }];
  }
}

export interface DefinitionProblem {
  field: string;
  message: string;
}

function valueFits(field: TelemetryField, value: Compare['value']): boolean {
  if (field.type === 'boolean') return typeof value === 'boolean';
  if (field.type === 'enum') return typeof value === 'string' && field.values.includes(value);
  return typeof value === 'number';
}

/** What the schema cannot check: every field belongs to the profile and every value has its type. */
export function checkDefinition(definition: RuleDefinition): DefinitionProblem[] {
  const fields = new Map(DEVICE_PROFILES[definition.profile].fields.map((f) => [f.name, f]));
  const problems: DefinitionProblem[] = [];
  for (const use of fieldsOf(definition.condition)) {
    const field = fields.get(use.field);
    if (!field) problems.push({ field: use.field, message: `"${use.field}" is not a field of ${definition.profile}` });
    else if (use.numeric && field.type !== 'number' && field.type !== 'integer') problems.push({ field: use.field, message: `"${use.field}" is not numeric` });
    else if (use.value !== undefined && !valueFits(field, use.value)) problems.push({ field: use.field, message: `the value for "${use.field}" does not match its type` });
  }
  if (definition.activeHours && definition.activeHours.from === definition.activeHours.to) problems.push({ field: 'activeHours', message: 'the window must not be empty' });
  return problems;
}

/* ---------------------------------------------------------------------------------------------
 * Time in Asia/Shanghai. China has kept UTC+8 without daylight saving since 1991, so a fixed
 * offset is exact for every time the platform handles.
 * ------------------------------------------------------------------------------------------- */

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Midnight in Shanghai at the start of the Shanghai day that contains `at`. */
export function shanghaiDayStart(at: Date): Date {
  const local = at.getTime() + SHANGHAI_OFFSET_MS;
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - SHANGHAI_OFFSET_MS);
}

/** Minutes after Shanghai midnight and the ISO weekday (1 = Monday). */
export function shanghaiClock(at: Date): { minutes: number; weekday: number } {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  return { minutes: local.getUTCHours() * 60 + local.getUTCMinutes(), weekday: ((local.getUTCDay() + 6) % 7) + 1 };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Inside the active hours? A window crossing midnight belongs to the day it starts on. */
export function withinActiveHours(hours: ActiveHours | null | undefined, at: Date): boolean {
  if (!hours) return true;
  const { minutes, weekday } = shanghaiClock(at);
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  if (from < to) return minutes >= from && minutes < to && hours.days.includes(weekday);
  if (minutes >= from) return hours.days.includes(weekday);
  if (minutes < to) return hours.days.includes(weekday === 1 ? 7 : weekday - 1);
  return false;
}

/* ---------------------------------------------------------------------------------------------
 * The built-in rules, one per key. Regions and devices override them by key.
 * ------------------------------------------------------------------------------------------- */

export interface DefaultRule {
  key: string;
  name: { 'zh-CN': string; en: string };
  definition: RuleDefinition;
}

const cmp = (field: string, op: CompareOp, value: Compare['value']): Compare => ({ kind: 'compare', field, op, value });
const rule = (key: string, zh: string, en: string, profile: DeviceProfileId, condition: Condition, alarmType: AlarmTypeId, detail?: { 'zh-CN': string; en: string }): DefaultRule => ({
  key,
  name: { 'zh-CN': zh, en },
  definition: { profile, condition, alarmType, ...(detail ? { detail } : {}) },
});

const cameraEvents: Array<[string, AlarmTypeId, string, string]> = [
  ['fire_lane_blocked', 'camera-fire-lane-blocked', 'AI 识别：占用消防通道', 'AI camera: fire lane blocked'],
  ['shop_spill', 'camera-shop-spill', 'AI 识别：跨门营业', 'AI camera: shop spill'],
  ['garbage_exposed', 'camera-garbage-exposed', 'AI 识别：垃圾暴露', 'AI camera: garbage exposed'],
];

export const DEFAULT_RULES: readonly DefaultRule[] = [
  rule('smoke', '烟感报警', 'Smoke alarm', 'smoke', cmp('smoke', '==', true), 'smoke'),
  rule('gas-leak', '燃气泄漏', 'Gas leak', 'gas', { kind: 'any', conditions: [cmp('alarm', '==', true), cmp('concentration', '>=', 20)] }, 'gas-leak', {
    'zh-CN': '燃气浓度 {concentration} %LEL',
    en: 'Gas concentration {concentration} %LEL',
  }),
  rule('water-leak', '水表漏水', 'Water leak', 'water-meter', cmp('leak', '==', true), 'water-leak'),
  rule('water-no-use', '长时间未用水', 'No water use', 'water-meter', { kind: 'window-total', field: 'volume', op: '<', value: 0.01, window: { hours: 12 } }, 'water-no-use', {
    'zh-CN': '12 小时用水 {increase} m³',
    en: '{increase} m³ used in 12 hours',
  }),
  rule('water-overuse', '日用水量过大', 'High daily water use', 'water-meter', { kind: 'window-total', field: 'volume', op: '>', value: 2, window: { calendarDay: true } }, 'water-overuse', {
    'zh-CN': '今日用水 {increase} m³',
    en: '{increase} m³ used today',
  }),
  rule('door-no-open', '门长时间未开', 'Door not opened', 'door-magnet', { kind: 'absence', predicate: cmp('open', '==', true), hours: 24 }, 'door-no-open'),
  rule('ebike-in-lift', '电瓶车入梯', 'E-bike in lift', 'lift', cmp('ebikeDetected', '==', true), 'ebike-in-lift'),
  rule('fire-lane-blocked', '消防通道占用', 'Fire lane blocked', 'fire-lane', { kind: 'duration', predicate: cmp('occupied', '==', true), minutes: 5 }, 'fire-lane-blocked'),
  rule('fire-tank-low', '消防水箱水位低', 'Fire tank low', 'fire-tank', { kind: 'duration', predicate: cmp('level', '<', 2.0), minutes: 10 }, 'fire-tank-low', {
    'zh-CN': '水位 {level} m，低于 2 m',
    en: 'Water level {level} m, below 2 m',
  }),
  rule('bin-full', '垃圾桶满溢', 'Bin full', 'bin', cmp('fillLevel', '>=', 90), 'bin-full', { 'zh-CN': '满溢度 {fillLevel}%', en: 'Fill level {fillLevel}%' }),
  rule('bin-overheat', '垃圾桶温度异常', 'Bin overheating', 'bin', cmp('temperature', '>', 60), 'bin-overheat', { 'zh-CN': '桶内温度 {temperature} ℃', en: 'Temperature {temperature} °C' }),
  rule('gate-forced', '门禁被强行打开', 'Gate forced', 'gate', cmp('event', '==', 'forced'), 'gate-forced'),
  rule('gate-held-open', '门禁长时间未关', 'Gate held open', 'gate', cmp('event', '==', 'held_open'), 'gate-held-open'),
  ...cameraEvents.map(([event, type, zh, en]) => rule(type, zh, en, 'camera-ai', cmp('event', '==', event), type)),
  ...DEVICE_PROFILE_IDS.filter((p) => DEVICE_PROFILES[p].fields.some((f) => f.name === 'battery')).map((p) =>
    rule(`${p}-battery-low`, '电量低', 'Battery low', p, cmp('battery', '<', 20), 'battery-low', { 'zh-CN': '电量 {battery}%', en: 'Battery {battery}%' }),
  ),
];

export const DEFAULT_RULES_BY_KEY: ReadonlyMap<string, DefaultRule> = new Map(DEFAULT_RULES.map((r) => [r.key, r]));

export const RULE_KEY_PATTERN = '^[a-z0-9][a-z0-9-]{1,47}$';

/** Fills `{name}` placeholders from the values; unknown names stay as written. */
export function fillTemplate(template: string, values: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (typeof value === 'number') return String(Math.round(value * 1000) / 1000);
    return typeof value === 'string' || typeof value === 'boolean' ? String(value) : whole;
  });
}

export type { AlarmSeverity };
