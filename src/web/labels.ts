import { DEPARTMENT_KIND_LABELS, DEPARTMENT_KINDS, type DepartmentKind } from '../shared/departments.ts';
import { caseActionLabel } from './features/cases/caseLabels.ts';
import type { Locale } from '../shared/i18n/locale.ts';
import { isUiKey, translate } from '../shared/i18n/ui.ts';
import { REGION_LEVEL_LABELS, REGION_LEVELS, type RegionLevel } from '../shared/regions.ts';
import { isRole, ROLE_LABELS } from '../shared/roles.ts';
import type { Assignment } from './types.ts';

/** Human words for codes the API returns as plain strings; unknown codes are shown as they are. */

export function isRegionLevel(value: string): value is RegionLevel {
  return (REGION_LEVELS as readonly string[]).includes(value);
}

export function isDepartmentKind(value: string): value is DepartmentKind {
  return (DEPARTMENT_KINDS as readonly string[]).includes(value);
}

export function roleLabel(role: string | null | undefined, locale: Locale): string {
  if (!role) return '';
  return isRole(role) ? ROLE_LABELS[role][locale] : role;
}

export function levelLabel(level: string, locale: Locale): string {
  return isRegionLevel(level) ? REGION_LEVEL_LABELS[level][locale] : level;
}

export function departmentKindLabel(kind: string, locale: Locale): string {
  return isDepartmentKind(kind) ? DEPARTMENT_KIND_LABELS[kind][locale] : kind;
}

export function regionKindLabel(kind: string | null, locale: Locale): string {
  if (!kind) return translate(locale, 'common.none');
  const key = `region.kind.${kind}`;
  return isUiKey(key) ? translate(locale, key) : kind;
}

export function auditActionLabel(action: string, locale: Locale): string | null {
  const key = `audit.action.${action}`;
  if (isUiKey(key)) return translate(locale, key);
  // case.register, case.overdue …: the case workflow's own words, prefixed with 工单
  if (action.startsWith('case.')) {
    const step = action.slice('case.'.length);
    const label = caseActionLabel(step, locale);
    if (label !== step) return `${translate(locale, 'audit.casePrefix')}·${label}`;
  }
  return null;
}

export function auditObjectLabel(objectType: string, locale: Locale): string {
  const key = `audit.object.${objectType}`;
  return isUiKey(key) ? translate(locale, key) : objectType;
}

/** "社工 · 汇豪天下居委会" (with the department for department handlers). */
export function assignmentLabel(assignment: Assignment, locale: Locale): string {
  const parts = [roleLabel(assignment.role, locale), assignment.regionName];
  if (assignment.departmentName) parts.push(assignment.departmentName);
  return parts.join(' · ');
}

/** "42 个街镇 · 1526 个居村委", outermost level first, zero counts left out. */
export function descendantSummary(descendants: Partial<Record<string, number>>, locale: Locale): string {
  return REGION_LEVELS.flatMap((level) => {
    const n = descendants[level];
    if (!n) return [];
    return [n === 1 ? translate(locale, `region.countOne.${level}`, { n }) : translate(locale, `region.count.${level}`, { n })];
  }).join(' · ');
}
