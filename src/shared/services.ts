import { Type, type Static, type TSchema } from 'typebox';
import type { Locale } from './i18n/locale.ts';

/**
 * Eligibility rules of the service catalogue (递菜单 / 政策找人, issue #6): declarative conditions
 * over the committee ledger, shared by the server (SQL compiler, evaluator, validation) and the
 * console (rule editor, the rule read aloud). A rule is a condition; conditions are leaves or
 * `all` / `any` / `not` groups, groups nested up to three deep, which is as deep as a policy text
 * goes and keeps the JSON schema free of recursion.
 *
 * Every condition is judged on one day (the evaluation date, Asia/Shanghai): ages in whole years
 * on that day (a birthday that day counts), tags fresh relative to it, receipts active on it.
 */

const TagCode = Type.String({ pattern: '^[a-z][a-z_]{1,39}$', description: 'A ledger tag code: elderly, living_alone, dibao, disability …' });
const ServiceCode = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });
const Years = Type.Integer({ minimum: 0, maximum: 130 });

export const AgeCondition = Type.Object(
  { kind: Type.Literal('age'), min: Type.Optional(Years), max: Type.Optional(Years) },
  { additionalProperties: false, description: 'Age in whole years on the evaluation date: min ≤ age ≤ max (either may be left out)' },
);
export const TagCondition = Type.Object(
  {
    kind: Type.Literal('tag'),
    tag: TagCode,
    maxAgeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'The tag counts only if its source confirmed it within this many days (stored tags; derived tags are always current)' })),
  },
  { additionalProperties: false, description: 'The person carries the tag (高龄, 独居 and the other derived tags are computed on the evaluation date)' },
);
export const SexCondition = Type.Object({ kind: Type.Literal('sex'), sex: Type.Union([Type.Literal('male'), Type.Literal('female')]) }, { additionalProperties: false });
export const HouseholdCondition = Type.Object(
  { kind: Type.Literal('household'), minSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })), maxSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) },
  { additionalProperties: false, description: 'Persons in the ledger sharing the person’s household (户); a person without a household counts as a household of one' },
);
export const RegionCondition = Type.Object(
  { kind: Type.Literal('region'), region: Type.String({ pattern: '^\\d{6,15}$', description: 'A region code: the person lives in it or below' }) },
  { additionalProperties: false },
);
export const ReceivingCondition = Type.Object(
  { kind: Type.Literal('receiving'), service: ServiceCode },
  { additionalProperties: false, description: 'The person already receives this service (a receipt active on the evaluation date); used under `not` as an exclusion' },
);

export const LeafCondition = Type.Union([AgeCondition, TagCondition, SexCondition, HouseholdCondition, RegionCondition, ReceivingCondition]);
const not = <T extends TSchema>(inner: T) => Type.Object({ kind: Type.Literal('not'), condition: inner }, { additionalProperties: false });
const group = <T extends TSchema>(member: T) =>
  Type.Object({ kind: Type.Union([Type.Literal('all'), Type.Literal('any')]), conditions: Type.Array(member, { minItems: 1, maxItems: 12 }) }, { additionalProperties: false });
const Not0 = not(LeafCondition);
const Group0 = group(Type.Union([LeafCondition, Not0]));
const Not1 = not(Type.Union([LeafCondition, Group0]));
const Group1 = group(Type.Union([LeafCondition, Not0, Group0, Not1]));
const Not2 = not(Type.Union([LeafCondition, Group0, Group1]));
const Group2 = group(Type.Union([LeafCondition, Not0, Group0, Not1, Group1, Not2]));
export const EligibilityRuleSchema = Type.Union([LeafCondition, Not2, Group2], { description: 'An eligibility rule: a condition over the ledger, groups nested up to three deep' });

export type Leaf = Static<typeof LeafCondition>;
export type EligibilityRule = Static<typeof EligibilityRuleSchema>;
/** Any node of a rule, for code that walks it. */
export type RuleNode = Leaf | { kind: 'not'; condition: RuleNode } | { kind: 'all' | 'any'; conditions: RuleNode[] };

/** An example person for a rule, as a policy officer writes it; run as a test by the API and the test suite. */
export const ExamplePersonSchema = Type.Object(
  {
    birthDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    sex: Type.Optional(Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Null()])),
    /** Stored tags with the date their source confirmed them. */
    tags: Type.Optional(Type.Array(Type.Object({ tag: TagCode, observedOn: Type.String({ format: 'date' }), source: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }), { maxItems: 20 })),
    householdSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    livesAlone: Type.Optional(Type.Boolean()),
    region: Type.Optional(Type.String({ pattern: '^\\d{6,15}$' })),
    receiving: Type.Optional(Type.Array(ServiceCode, { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export const RuleExampleSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    on: Type.String({ format: 'date', description: 'The evaluation date' }),
    person: ExamplePersonSchema,
    expected: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type RuleExample = Static<typeof RuleExampleSchema>;

/** What the evaluator knows of a person on a day: the ledger's current values, as read for matching. */
export interface PersonFacts {
  birthDate: string | null;
  sex: 'male' | 'female' | null;
  regionPath: string;
  /** Persons at the same dwelling, the person included; null without a dwelling. */
  dwellingSize: number | null;
  householdSize: number;
  /** Stored tags set to yes, with their source and the Shanghai date it was observed. */
  tags: ReadonlyMap<string, { source: string; observedOn: string }>;
  /** Services with a receipt active on the evaluation date. */
  receiving: ReadonlySet<string>;
}

/** Regions a rule names, resolved to their path and name. */
export type RegionLookup = ReadonlyMap<string, { path: string; name: string }>;

export const UPTAKE_STATUSES = ['matched', 'informed', 'applied', 'received', 'declined'] as const;
export type UptakeStatus = (typeof UPTAKE_STATUSES)[number];
export const VISIT_OUTCOMES = ['informed', 'applied', 'declined', 'not_home', 'received'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];

/** The uptake path: matched → informed → applied → received, or declined (with a reason) on the way; a declined person may change their mind. */
export const UPTAKE_TRANSITIONS: Record<UptakeStatus, readonly UptakeStatus[]> = {
  matched: ['informed', 'applied', 'received', 'declined'],
  informed: ['applied', 'received', 'declined'],
  applied: ['received', 'declined'],
  declined: ['informed', 'applied'],
  received: [],
};

export const UPTAKE_LABELS: Record<UptakeStatus, Record<Locale, string>> = {
  matched: { 'zh-CN': '待告知', en: 'Not reached' },
  informed: { 'zh-CN': '已告知', en: 'Informed' },
  applied: { 'zh-CN': '已申请', en: 'Applied' },
  received: { 'zh-CN': '已享受', en: 'Receiving' },
  declined: { 'zh-CN': '不需要', en: 'Declined' },
};

/** Derived tags (computed from the ledger on the day), as the ledger module defines them. */
export const DERIVED_TAG_CODES: ReadonlySet<string> = new Set(['elderly', 'living_alone', 'newborn', 'childbearing_age']);
export const ELDERLY_AGE = 80;

/** The ledger's tag dictionary names (migration 0017), for reading rules without a database round trip. */
export const TAG_NAMES: Record<string, Record<Locale, string>> = {
  elderly: { 'zh-CN': '高龄', en: 'aged 80+' },
  living_alone: { 'zh-CN': '独居', en: 'living alone' },
  solitary_elderly: { 'zh-CN': '孤老', en: 'elderly without family' },
  disability: { 'zh-CN': '残疾', en: 'disability' },
  dibao: { 'zh-CN': '低保', en: 'minimum living allowance' },
  low_income: { 'zh-CN': '低收入', en: 'low income' },
  special_care: { 'zh-CN': '优抚', en: 'entitled group' },
  bereaved_parent: { 'zh-CN': '失独', en: 'bereaved parent' },
  newborn: { 'zh-CN': '新生儿', en: 'newborn' },
  childbearing_age: { 'zh-CN': '育龄', en: 'childbearing age' },
  key_person: { 'zh-CN': '重点人员', en: 'person under attention' },
};
const tagName = (code: string, locale: Locale) => TAG_NAMES[code]?.[locale] ?? code;

/** YYYY-MM-DD minus whole years, with PostgreSQL's semantics (29 Feb → 28 Feb in a common year). */
export function minusYears(day: string, years: number): string {
  const y = Number(day.slice(0, 4)) - years;
  const m = Number(day.slice(5, 7));
  let d = Number(day.slice(8, 10));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > last) d = last;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function minusDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** Age in whole years on a day; the birthday itself counts. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The derived tags exactly as the SQL compiler computes them (services/sql.ts). */
export function hasDerivedTag(code: string, f: PersonFacts, day: string): boolean {
  const b = f.birthDate;
  switch (code) {
    case 'elderly':
      return b !== null && b <= minusYears(day, ELDERLY_AGE);
    case 'newborn':
      return b !== null && b > minusYears(day, 1);
    case 'childbearing_age':
      return f.sex === 'female' && b !== null && b <= minusYears(day, 15) && b > minusYears(day, 50);
    case 'living_alone':
      return f.dwellingSize === 1;
    default:
      return false;
  }
}

export interface Verdict {
  holds: boolean;
  /** Why it holds, in the caller's language: the conditions that held (empty when it does not). */
  reasons: string[];
}

/**
 * Evaluates a rule over one person's facts, with the reasons. The SQL compiler must agree with it
 * on every person (tested on random persons and on the catalogue's rules).
 */
export function evaluateRule(rule: RuleNode, f: PersonFacts, day: string, regions: RegionLookup, locale: Locale = 'zh-CN'): Verdict {
  const zh = locale === 'zh-CN';
  switch (rule.kind) {
    case 'all': {
      const parts = rule.conditions.map((c) => evaluateRule(c, f, day, regions, locale));
      return parts.every((p) => p.holds) ? { holds: true, reasons: parts.flatMap((p) => p.reasons) } : { holds: false, reasons: [] };
    }
    case 'any': {
      const held = rule.conditions.map((c) => evaluateRule(c, f, day, regions, locale)).filter((p) => p.holds);
      return held.length ? { holds: true, reasons: held.flatMap((p) => p.reasons) } : { holds: false, reasons: [] };
    }
    case 'not': {
      const inner = evaluateRule(rule.condition, f, day, regions, locale);
      if (inner.holds) return { holds: false, reasons: [] };
      // "not already receiving X" is a guard, not a reason a resident would be told they qualify
      if (rule.condition.kind === 'receiving') return { holds: true, reasons: [] };
      return { holds: true, reasons: [`${zh ? '不属于：' : 'Not: '}${describeRule(rule.condition, locale, regions)}`] };
    }
    case 'age': {
      if (f.birthDate === null) return { holds: false, reasons: [] };
      const holds = (rule.min === undefined || f.birthDate <= minusYears(day, rule.min)) && (rule.max === undefined || f.birthDate > minusYears(day, rule.max + 1));
      if (!holds) return { holds, reasons: [] };
      const age = ageOn(f.birthDate, day);
      return { holds, reasons: [zh ? `年满${age}周岁（${f.birthDate}出生）` : `Aged ${age} (born ${f.birthDate})`] };
    }
    case 'tag': {
      if (DERIVED_TAG_CODES.has(rule.tag)) {
        if (!hasDerivedTag(rule.tag, f, day)) return { holds: false, reasons: [] };
        const how = rule.tag === 'living_alone' ? (zh ? '台账中同一住址仅此一人' : 'the only person at the address in the ledger') : (zh ? `${f.birthDate}出生` : `born ${f.birthDate}`);
        return { holds: true, reasons: [zh ? `标签：${tagName(rule.tag, locale)}（${how}）` : `Tag: ${tagName(rule.tag, locale)} (${how})`] };
      }
      const tag = f.tags.get(rule.tag);
      if (!tag) return { holds: false, reasons: [] };
      if (rule.maxAgeDays !== undefined && tag.observedOn < minusDays(day, rule.maxAgeDays)) return { holds: false, reasons: [] };
      return { holds: true, reasons: [zh ? `标签：${tagName(rule.tag, locale)}（${tag.source} ${tag.observedOn}）` : `Tag: ${tagName(rule.tag, locale)} (${tag.source} ${tag.observedOn})`] };
    }
    case 'sex':
      return f.sex === rule.sex ? { holds: true, reasons: [describeRule(rule, locale, regions)] } : { holds: false, reasons: [] };
    case 'household': {
      const holds = (rule.minSize === undefined || f.householdSize >= rule.minSize) && (rule.maxSize === undefined || f.householdSize <= rule.maxSize);
      return holds ? { holds, reasons: [zh ? `户内共${f.householdSize}人` : `Household of ${f.householdSize}`] } : { holds, reasons: [] };
    }
    case 'region': {
      const region = regions.get(rule.region);
      const holds = region !== undefined && (f.regionPath === region.path || f.regionPath.startsWith(`${region.path}.`));
      return holds ? { holds, reasons: [zh ? `居住在${region.name}` : `Lives in ${region.name}`] } : { holds, reasons: [] };
    }
    case 'receiving':
      return f.receiving.has(rule.service) ? { holds: true, reasons: [describeRule(rule, locale, regions)] } : { holds: false, reasons: [] };
  }
}

/** The rule read aloud, for the catalogue and the rule editor: "年满65周岁 且 不属于：已享受 xxx". */
export function describeRule(rule: RuleNode, locale: Locale = 'zh-CN', regions?: RegionLookup): string {
  const zh = locale === 'zh-CN';
  const wrap = (node: RuleNode) => (node.kind === 'all' || node.kind === 'any' ? `（${describeRule(node, locale, regions)}）` : describeRule(node, locale, regions));
  switch (rule.kind) {
    case 'all':
      return rule.conditions.map(wrap).join(zh ? ' 且 ' : ' and ');
    case 'any':
      return rule.conditions.map(wrap).join(zh ? ' 或 ' : ' or ');
    case 'not':
      return `${zh ? '不属于：' : 'not: '}${wrap(rule.condition)}`;
    case 'age': {
      if (rule.min !== undefined && rule.max !== undefined) return zh ? `${rule.min}至${rule.max}周岁` : `aged ${rule.min} to ${rule.max}`;
      if (rule.min !== undefined) return zh ? `年满${rule.min}周岁` : `aged ${rule.min} or over`;
      return zh ? `不满${(rule.max ?? 0) + 1}周岁` : `under ${(rule.max ?? 0) + 1}`;
    }
    case 'tag':
      return zh
        ? `标签：${tagName(rule.tag, locale)}${rule.maxAgeDays ? `（${rule.maxAgeDays}天内核实）` : ''}`
        : `tag: ${tagName(rule.tag, locale)}${rule.maxAgeDays ? ` (confirmed within ${rule.maxAgeDays} days)` : ''}`;
    case 'sex':
      return zh ? (rule.sex === 'male' ? '男性' : '女性') : rule.sex;
    case 'household': {
      const range = [rule.minSize !== undefined ? (zh ? `不少于${rule.minSize}人` : `at least ${rule.minSize}`) : '', rule.maxSize !== undefined ? (zh ? `不超过${rule.maxSize}人` : `at most ${rule.maxSize}`) : ''].filter(Boolean);
      return zh ? `户内${range.join('、')}` : `household ${range.join(', ')}`;
    }
    case 'region': {
      const name = regions?.get(rule.region)?.name ?? rule.region;
      return zh ? `居住在${name}` : `lives in ${name}`;
    }
    case 'receiving':
      return zh ? `已享受 ${rule.service}` : `already receives ${rule.service}`;
  }
}

/** Every leaf of a rule, for validation (tags and regions must exist). */
export function leavesOf(rule: RuleNode): Leaf[] {
  switch (rule.kind) {
    case 'all':
    case 'any':
      return rule.conditions.flatMap(leavesOf);
    case 'not':
      return leavesOf(rule.condition);
    default:
      return [rule];
  }
}

/** An example's person as facts: tags dated, the region's path, its dwelling and household sizes. */
export function factsOfExample(p: RuleExample['person'], regions: RegionLookup, defaultPath: string): PersonFacts {
  return {
    birthDate: p.birthDate,
    sex: p.sex ?? null,
    regionPath: (p.region ? regions.get(p.region)?.path : undefined) ?? defaultPath,
    dwellingSize: p.livesAlone === undefined ? null : p.livesAlone ? 1 : 2,
    householdSize: p.householdSize ?? 1,
    tags: new Map((p.tags ?? []).map((t) => [t.tag, { source: t.source ?? '民政', observedOn: t.observedOn }])),
    receiving: new Set(p.receiving ?? []),
  };
}
