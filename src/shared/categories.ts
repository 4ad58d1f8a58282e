import type { ClockType, TimeLimit, Urgency } from './time-limits.ts';

/**
 * The case category catalogue (案件分类目录): enums, labels and code rules shared by the server and
 * the console. The catalogue itself is data (server/modules/categories/default-catalogue.ts).
 *
 * Codes: a type letter, a two-digit class (大类) and a two-digit sub-class (小类):
 *   部件 component `B` + 大类 + 小类  (B0101 上水井盖; CJ/T 214 component codes with a letter in front)
 *   事件 event     `E` + 大类 + 小类  (E0102 暴露垃圾)
 *   社区事项 community `C` + 大类 + 小类 (C0101 楼道堆物)
 * A class is the 3-character prefix (B01, E01, C01) and is not selectable; leaves are. Sub-class 99
 * is 其他 in every class; 90–98 are left for a district's own extensions.
 */

export const CATEGORY_TYPES = ['component', 'event', 'community'] as const;
export type CategoryType = (typeof CATEGORY_TYPES)[number];

export const CATEGORY_TYPE_PREFIX: Record<CategoryType, 'B' | 'E' | 'C'> = { component: 'B', event: 'E', community: 'C' };

export const CATEGORY_TYPE_LABELS: Record<CategoryType, { 'zh-CN': string; en: string }> = {
  component: { 'zh-CN': '部件', en: 'Component' },
  event: { 'zh-CN': '事件', en: 'Event' },
  community: { 'zh-CN': '社区事项', en: 'Community matter' },
};

export const CATEGORY_LEVELS = ['class', 'leaf'] as const;
export type CategoryLevel = (typeof CATEGORY_LEVELS)[number];

/** Class codes: B01; leaf codes: B0101 (sub-class 00 is not used). */
export const CATEGORY_CLASS_CODE_PATTERN = '^[BEC][0-9]{2}$';
export const CATEGORY_LEAF_CODE_PATTERN = '^[BEC][0-9]{2}(0[1-9]|[1-9][0-9])$';
export const CATEGORY_CODE_PATTERN = '^[BEC][0-9]{2}((0[1-9]|[1-9][0-9]))?$';

export function categoryTypeOfCode(code: string): CategoryType | undefined {
  return CATEGORY_TYPES.find((t) => CATEGORY_TYPE_PREFIX[t] === code[0]);
}

/** The class (大类) a leaf code belongs to: B0101 → B01. */
export function classCodeOf(leafCode: string): string {
  return leafCode.slice(0, 3);
}

/**
 * Who is responsible by default — the routing rule of digital city management:
 *
 * - `owner_first` 先属主、后属地 (部件): a component belongs to its owner (权属单位). Route to the
 *   owner when the case names it (a component registry, a compound's property company); otherwise
 *   to the department of the category's kind that serves the case's location, nearest level first.
 * - `locality_first` 先属地、后属主 (事件, community matters): the territory the case lies in owns it.
 *   Route to the department of the category's kind that serves the case's location, nearest level
 *   first (a committee's unit before the street's, the street's before the district's); the owner of
 *   whatever caused it is involved afterwards (as an assisting unit, or by transfer).
 *
 * "Serves the location" means the department's region path contains the case's region path
 * (departments.region_path @> case path), and "nearest level first" orders by nlevel descending.
 * Example: a 楼道堆物 case (C0101, urban_management) in a 陆家嘴 committee finds no committee-level
 * urban-management unit and goes to 陆家嘴城管执法中队 (310115005-CGZD); the district's 城管执法局
 * is the fallback. Categories whose owner is not a department on the platform (utilities, 路政,
 * bus companies) default to `operations`: the operations centre of the location relays the case to
 * the owner (联勤联动) until a district registers the owner as a department and re-maps the kind.
 */
export const RESPONSIBILITY_RULES = ['owner_first', 'locality_first'] as const;
export type ResponsibilityRule = (typeof RESPONSIBILITY_RULES)[number];

export const RESPONSIBILITY_RULE_LABELS: Record<ResponsibilityRule, { 'zh-CN': string; en: string }> = {
  owner_first: { 'zh-CN': '先属主、后属地', en: 'Owner first, then locality' },
  locality_first: { 'zh-CN': '先属地、后属主', en: 'Locality first, then owner' },
};

/** The default rule of each type: 部件 owner first; 事件 and community matters locality first. */
export const DEFAULT_RESPONSIBILITY: Record<CategoryType, ResponsibilityRule> = {
  component: 'owner_first',
  event: 'locality_first',
  community: 'locality_first',
};

/**
 * Who verifies (核查) that a handled case is really fixed before it closes:
 * the reporter (a resident confirms in the app), a patrol (监督员 on site), the committee (居村委),
 * or nobody (answers such as 政策咨询 close once handled).
 */
export const VERIFICATION_RULES = ['reporter', 'patrol', 'committee', 'none'] as const;
export type VerificationRule = (typeof VERIFICATION_RULES)[number];

export const VERIFICATION_RULE_LABELS: Record<VerificationRule, { 'zh-CN': string; en: string }> = {
  reporter: { 'zh-CN': '上报人确认', en: 'Reporter confirms' },
  patrol: { 'zh-CN': '监督员核查', en: 'Patrol verifies on site' },
  committee: { 'zh-CN': '居村委核查', en: 'Committee verifies' },
  none: { 'zh-CN': '无需核查', en: 'No verification' },
};

/** A limit for each urgency (一般 / 紧急 / 特急). */
export type TimeLimits = Record<Urgency, TimeLimit>;

/** Bounds an administrator may enter: whole hours or days, up to a year of days. */
export const TIME_LIMIT_MAX_AMOUNT = 999;

/** 0 switches duplicate search off (personal matters such as 困难帮扶). */
export const DUPLICATE_RADIUS_MAX_M = 5000;

/**
 * A rough wall-clock length of a limit, only for comparing limits of different clocks (a critical
 * limit must not be longer than the urgent one): emergency hours run continuously; a working day
 * averages 24 × 7/5 hours of wall time; a working hour is an eighth of that; a calendar day is 24 h.
 */
export function nominalWallHours(limit: TimeLimit): number {
  const perUnit: Record<ClockType, number> = {
    emergency_working_hours: 1,
    working_hours: (24 * 7) / 5 / 8,
    working_days: (24 * 7) / 5,
    calendar_days: 24,
  };
  return limit.amount * perUnit[limit.clock];
}

/** Whether critical ≤ urgent ≤ normal (in rough wall time); the order a catalogue must keep. */
export function limitsOrdered(limits: TimeLimits): boolean {
  return nominalWallHours(limits.critical) <= nominalWallHours(limits.urgent) && nominalWallHours(limits.urgent) <= nominalWallHours(limits.normal);
}
