import type { AlarmSeverity, AlarmTypeId } from '../../../shared/alarms.ts';
import { DEVICE_PROFILES, type DeviceProfileId, type TelemetryField } from '../../../shared/iot-profiles.ts';
import type { Compare, CompareOp, Predicate, RuleDefinition } from '../../../shared/rules.ts';

/**
 * The rule editor's flat form values and their conversion to and from a rule definition. The form
 * edits one level of combination (a list of comparisons joined by AND or OR); a definition nested
 * deeper is shown, and editing it replaces the nesting (the editor says so).
 */

export type FormKind = 'predicate' | 'duration' | 'absence' | 'window-total' | 'rate';

export interface ComparisonRow {
  field: string;
  op: CompareOp;
  /** As typed or chosen; converted by the field's type. */
  value: string;
}

export interface RuleFormValues {
  kind: FormKind;
  join: 'all' | 'any';
  comparisons: ComparisonRow[];
  minutes: number;
  hours: number;
  /** absence: no reading at all, rather than no reading matching the comparisons. */
  anyReading: boolean;
  field: string;
  totalOp: '>' | '>=' | '<' | '<=';
  amount: number;
  calendarDay: boolean;
  windowHours: number;
  perMinute: number;
  windowMinutes: number;
  alarmType: AlarmTypeId;
  severity: AlarmSeverity | 'default';
  limitHours: boolean;
  from: string;
  to: string;
  days: number[];
  detailZh: string;
  detailEn: string;
}

export const fieldOf = (profile: DeviceProfileId, name: string): TelemetryField | undefined => DEVICE_PROFILES[profile].fields.find((f) => f.name === name);

export const numericFields = (profile: DeviceProfileId) => DEVICE_PROFILES[profile].fields.filter((f) => f.type === 'number' || f.type === 'integer');

function parseValue(field: TelemetryField | undefined, text: string): Compare['value'] {
  if (field?.type === 'boolean') return text === 'true';
  if (field?.type === 'number' || field?.type === 'integer') return Number(text);
  return text;
}

function flatten(predicate: Predicate): { join: 'all' | 'any'; rows: ComparisonRow[]; nested: boolean } {
  if (predicate.kind === 'compare') return { join: 'all', rows: [{ field: predicate.field, op: predicate.op, value: String(predicate.value) }], nested: false };
  const rows: ComparisonRow[] = [];
  let nested = false;
  for (const c of predicate.conditions) {
    if (c.kind === 'compare') rows.push({ field: c.field, op: c.op, value: String(c.value) });
    else {
      nested = true;
      for (const inner of c.conditions) if (inner.kind === 'compare') rows.push({ field: inner.field, op: inner.op, value: String(inner.value) });
    }
  }
  return { join: predicate.kind, rows, nested };
}

function predicateOf(profile: DeviceProfileId, join: 'all' | 'any', rows: ComparisonRow[]): Predicate {
  const compares: Compare[] = rows.map((r) => ({ kind: 'compare', field: r.field, op: r.op, value: parseValue(fieldOf(profile, r.field), r.value) }));
  return compares.length === 1 ? compares[0]! : { kind: join, conditions: compares };
}

export function toForm(definition: RuleDefinition): { values: RuleFormValues; nested: boolean } {
  const profile = definition.profile;
  const firstNumeric = numericFields(profile)[0]?.name ?? '';
  const c = definition.condition;
  const base: RuleFormValues = {
    kind: 'predicate',
    join: 'all',
    comparisons: [],
    minutes: 5,
    hours: 24,
    anyReading: false,
    field: firstNumeric,
    totalOp: '>',
    amount: 0,
    calendarDay: false,
    windowHours: 12,
    perMinute: 0,
    windowMinutes: 10,
    alarmType: definition.alarmType,
    severity: definition.severity ?? 'default',
    limitHours: Boolean(definition.activeHours),
    from: definition.activeHours?.from ?? '08:00',
    to: definition.activeHours?.to ?? '18:00',
    days: definition.activeHours?.days ?? [1, 2, 3, 4, 5, 6, 7],
    detailZh: definition.detail?.['zh-CN'] ?? '',
    detailEn: definition.detail?.en ?? '',
  };
  let nested = false;
  const usePredicate = (p: Predicate) => {
    const flat = flatten(p);
    nested = flat.nested;
    base.join = flat.join;
    base.comparisons = flat.rows;
  };
  switch (c.kind) {
    case 'compare':
    case 'all':
    case 'any':
      usePredicate(c);
      break;
    case 'duration':
      base.kind = 'duration';
      base.minutes = c.minutes;
      usePredicate(c.predicate);
      break;
    case 'absence':
      base.kind = 'absence';
      base.hours = c.hours;
      base.anyReading = c.predicate === null;
      if (c.predicate) usePredicate(c.predicate);
      break;
    case 'window-total':
      Object.assign(base, { kind: 'window-total', field: c.field, totalOp: c.op, amount: c.value, calendarDay: 'calendarDay' in c.window, windowHours: 'hours' in c.window ? c.window.hours : 24 });
      break;
    case 'rate':
      Object.assign(base, { kind: 'rate', field: c.field, totalOp: c.op, perMinute: c.perMinute, windowMinutes: c.windowMinutes });
      break;
  }
  // switching the kind to one with comparisons starts from one row, not an empty (invalid) list
  if (base.comparisons.length === 0) {
    const field = DEVICE_PROFILES[profile].fields[0]!;
    base.comparisons = [{ field: field.name, op: '==', value: field.type === 'enum' ? field.values[0]! : field.type === 'boolean' ? 'true' : '0' }];
  }
  return { values: base, nested };
}

export function fromForm(profile: DeviceProfileId, v: RuleFormValues): RuleDefinition {
  const predicate = () => predicateOf(profile, v.join, v.comparisons);
  const condition: RuleDefinition['condition'] =
    v.kind === 'predicate'
      ? predicate()
      : v.kind === 'duration'
        ? { kind: 'duration', predicate: predicate(), minutes: v.minutes }
        : v.kind === 'absence'
          ? { kind: 'absence', predicate: v.anyReading ? null : predicate(), hours: v.hours }
          : v.kind === 'window-total'
            ? { kind: 'window-total', field: v.field, op: v.totalOp, value: v.amount, window: v.calendarDay ? { calendarDay: true } : { hours: v.windowHours } }
            : { kind: 'rate', field: v.field, op: v.totalOp, perMinute: v.perMinute, windowMinutes: v.windowMinutes };
  return {
    profile,
    condition,
    alarmType: v.alarmType,
    ...(v.severity !== 'default' ? { severity: v.severity } : {}),
    ...(v.limitHours ? { activeHours: { from: v.from, to: v.to, days: [...v.days].sort() } } : {}),
    ...(v.detailZh.trim() && v.detailEn.trim() ? { detail: { 'zh-CN': v.detailZh.trim(), en: v.detailEn.trim() } } : {}),
  };
}

/** A one-line reading of a condition, in the console's words. */
export function describePredicate(p: Predicate, words: { and: string; or: string }): string {
  if (p.kind === 'compare') return `${p.field} ${p.op} ${String(p.value)}`;
  const inner = p.conditions.map((c) => (c.kind === 'compare' ? describePredicate(c, words) : `(${describePredicate(c, words)})`));
  return inner.join(p.kind === 'all' ? ` ${words.and} ` : ` ${words.or} `);
}
