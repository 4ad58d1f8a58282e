import {
  DEFAULT_RESPONSIBILITY,
  limitsOrdered,
  type ResponsibilityRule,
  type TimeLimits,
  type VerificationRule,
} from '../../../shared/categories.ts';
import type { DepartmentKind } from '../../../shared/departments.ts';
import { URGENCIES } from '../../../shared/time-limits.ts';
import type { Actor } from '../../platform/actor.ts';
import { AppError, isUniqueViolation } from '../../platform/errors.ts';
import { recordChange, type CommandContext } from '../../platform/platform.ts';
import { DEFAULT_CATALOGUE_SOURCE, type DefaultClass } from './default-catalogue.ts';
import {
  ATTRIBUTE_KEYS,
  currentCategory,
  existingCategoryCodes,
  insertCategories,
  insertCategoryVersions,
  lockCategory,
  setCategoryActive,
  setCurrentVersion,
  type Category,
  type CategoryAttributes,
  type NewCategory,
  type NewCategoryVersion,
} from './repository.ts';

/** Who a version is attributed to: the user, or the system job (`system:seed`), as in the audit log. */
function author(actor: Actor): NewCategoryVersion['createdBy'] {
  return actor.kind === 'user' ? { userId: actor.userId, name: actor.username } : { userId: null, name: `system:${actor.name}` };
}

/** Limits in a fixed key order, so that equal limits compare equal however they were written. */
function normaliseLimits(limits: TimeLimits): TimeLimits {
  const out = {} as TimeLimits;
  for (const urgency of URGENCIES) out[urgency] = { amount: limits[urgency].amount, clock: limits[urgency].clock };
  return out;
}

function assertOrdered(limits: TimeLimits): void {
  if (!limitsOrdered(limits)) throw new AppError('CATEGORY_LIMITS_ORDER', { timeLimits: limits });
}

/**
 * Adds every category of the default catalogue that is not there yet, at version 1. Idempotent:
 * categories that exist (edited or not) are left alone, so a later release can add defaults
 * without overwriting a district's edits. One audit entry for the whole import.
 */
export async function importCatalogue(ctx: CommandContext, catalogue: readonly DefaultClass[]): Promise<{ imported: number }> {
  const existing = await existingCategoryCodes(ctx.trx);
  const classes: NewCategory[] = [];
  const leaves: NewCategory[] = [];
  const versions: NewCategoryVersion[] = [];
  const createdBy = author(ctx.actor);
  for (const c of catalogue) {
    if (!existing.has(c.code)) {
      classes.push({ code: c.code, parentCode: null, type: c.type, level: 'class' });
      versions.push({
        code: c.code,
        version: 1,
        note: null,
        createdBy,
        attributes: { name: c.name, nameEn: c.nameEn, keywords: [], departmentKind: null, responsibility: null, timeLimits: null, verification: null, residentSelectable: null, duplicateRadiusM: null },
      });
    }
    for (const leaf of c.leaves) {
      const code = `${c.code}${leaf.sub}`;
      if (existing.has(code)) continue;
      leaves.push({ code, parentCode: c.code, type: c.type, level: 'leaf' });
      versions.push({
        code,
        version: 1,
        note: null,
        createdBy,
        attributes: {
          name: leaf.name,
          nameEn: leaf.nameEn,
          keywords: leaf.keywords,
          departmentKind: leaf.departmentKind,
          responsibility: leaf.responsibility,
          timeLimits: normaliseLimits(leaf.timeLimits),
          verification: leaf.verification,
          residentSelectable: leaf.residentSelectable,
          duplicateRadiusM: leaf.duplicateRadiusM,
        },
      });
    }
  }
  if (versions.length === 0) return { imported: 0 };
  await insertCategories(ctx.trx, classes);
  await insertCategories(ctx.trx, leaves);
  await insertCategoryVersions(ctx.trx, versions);
  const summary = { source: DEFAULT_CATALOGUE_SOURCE, count: versions.length, classes: classes.length, leaves: leaves.length };
  await recordChange(ctx, {
    audit: { action: 'category.import', objectType: 'category', objectId: null, regionPath: null, details: summary },
    event: { type: 'category.imported', aggregateType: 'category', aggregateId: DEFAULT_CATALOGUE_SOURCE, regionPath: null, payload: { ...summary, codes: versions.map((v) => v.code) } },
  });
  return { imported: versions.length };
}

export interface NewLeafInput {
  code: string;
  parentCode: string;
  name: string;
  nameEn: string;
  keywords?: string[];
  departmentKind: DepartmentKind;
  responsibility?: ResponsibilityRule;
  timeLimits: TimeLimits;
  verification: VerificationRule;
  residentSelectable: boolean;
  duplicateRadiusM: number;
  note?: string;
}

/** Adds a leaf (小类) under an existing class; the code must extend the class code (C01 → C0106). */
export async function createLeafCategory(ctx: CommandContext, parent: Category | undefined, input: NewLeafInput): Promise<string> {
  if (!parent || parent.level !== 'class') throw new AppError('CATEGORY_PARENT_UNKNOWN', { parentCode: input.parentCode });
  if (input.code.slice(0, 3) !== parent.code) throw new AppError('CATEGORY_CODE_MISMATCH', { code: input.code, parentCode: parent.code });
  assertOrdered(input.timeLimits);
  const attributes: CategoryAttributes = {
    name: input.name,
    nameEn: input.nameEn,
    keywords: input.keywords ?? [],
    departmentKind: input.departmentKind,
    responsibility: input.responsibility ?? DEFAULT_RESPONSIBILITY[parent.type],
    timeLimits: normaliseLimits(input.timeLimits),
    verification: input.verification,
    residentSelectable: input.residentSelectable,
    duplicateRadiusM: input.duplicateRadiusM,
  };
  if (await lockCategory(ctx.trx, input.code)) throw new AppError('CATEGORY_CODE_TAKEN', { code: input.code });
  try {
    await insertCategories(ctx.trx, [{ code: input.code, parentCode: parent.code, type: parent.type, level: 'leaf' }]);
    await insertCategoryVersions(ctx.trx, [{ code: input.code, version: 1, attributes, note: input.note ?? null, createdBy: author(ctx.actor) }]);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('CATEGORY_CODE_TAKEN', { code: input.code }, { cause: error });
    throw error;
  }
  await recordChange(ctx, {
    audit: { action: 'category.create', objectType: 'category', objectId: input.code, regionPath: null, details: { parentCode: parent.code, version: 1, attributes, note: input.note ?? null } },
    event: { type: 'category.created', aggregateType: 'category', aggregateId: input.code, regionPath: null, payload: { code: input.code, parentCode: parent.code, type: parent.type, version: 1 } },
  });
  return input.code;
}

/** A change to the versioned attributes; every field optional. Time limits may name only some urgencies. */
export interface CategoryPatch {
  name?: string;
  nameEn?: string;
  keywords?: string[];
  departmentKind?: DepartmentKind;
  responsibility?: ResponsibilityRule;
  timeLimits?: Partial<TimeLimits>;
  verification?: VerificationRule;
  residentSelectable?: boolean;
  duplicateRadiusM?: number;
  /** Why the change was made; kept on the version, not a change by itself. */
  note?: string;
}

/** The attributes a class has: only its names and keywords. */
const CLASS_ATTRIBUTES: ReadonlySet<string> = new Set(['name', 'nameEn', 'keywords', 'note']);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes a new version with the patch applied. A patch that changes nothing writes nothing (no
 * version, no audit entry, no event) and reports `changed: false`.
 */
export async function editCategory(ctx: CommandContext, code: string, patch: CategoryPatch): Promise<{ changed: boolean; version: number }> {
  const locked = await lockCategory(ctx.trx, code);
  // Re-read under the lock: another edit may have committed since the route loaded the category.
  const category = locked && (await currentCategory(ctx.trx, code));
  if (!category) throw new AppError('NOT_FOUND');
  if (category.level === 'class') {
    const rules = Object.keys(patch).filter((key) => !CLASS_ATTRIBUTES.has(key));
    if (rules.length > 0) throw new AppError('CATEGORY_CLASS_HAS_NO_RULES', { fields: rules });
  }
  const next: CategoryAttributes = {
    name: patch.name ?? category.name,
    nameEn: patch.nameEn ?? category.nameEn,
    keywords: patch.keywords ?? category.keywords,
    departmentKind: patch.departmentKind ?? category.departmentKind,
    responsibility: patch.responsibility ?? category.responsibility,
    timeLimits: category.timeLimits && normaliseLimits({ ...category.timeLimits, ...patch.timeLimits }),
    verification: patch.verification ?? category.verification,
    residentSelectable: patch.residentSelectable ?? category.residentSelectable,
    duplicateRadiusM: patch.duplicateRadiusM ?? category.duplicateRadiusM,
  };
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of ATTRIBUTE_KEYS) {
    const from = key === 'timeLimits' && category.timeLimits ? normaliseLimits(category.timeLimits) : category[key];
    if (!same(from, next[key])) changes[key] = { from, to: next[key] };
  }
  if (Object.keys(changes).length === 0) return { changed: false, version: category.version };
  if (next.timeLimits) assertOrdered(next.timeLimits);

  const version = category.version + 1;
  await insertCategoryVersions(ctx.trx, [{ code, version, attributes: next, note: patch.note ?? null, createdBy: author(ctx.actor) }]);
  await setCurrentVersion(ctx.trx, code, version);
  await recordChange(ctx, {
    audit: { action: 'category.update', objectType: 'category', objectId: code, regionPath: null, details: { fromVersion: category.version, toVersion: version, changes, note: patch.note ?? null } },
    event: {
      type: 'category.changed',
      aggregateType: 'category',
      aggregateId: code,
      regionPath: null,
      payload: { code, version, previousVersion: category.version, changed: Object.keys(changes) },
    },
  });
  return { changed: true, version };
}

/**
 * Switches a category on or off. Off: no new case can be filed under it (or under any leaf of a
 * class that is off); cases already filed keep it. Not a version: it changes no rule a case depends
 * on. Setting the state it already has changes nothing and records nothing.
 */
export async function setCategoryState(ctx: CommandContext, code: string, active: boolean, reason: string | null): Promise<{ changed: boolean }> {
  const locked = await lockCategory(ctx.trx, code);
  if (!locked) throw new AppError('NOT_FOUND');
  if (locked.active === active) return { changed: false };
  await setCategoryActive(ctx.trx, code, active);
  await recordChange(ctx, {
    audit: { action: active ? 'category.activate' : 'category.deactivate', objectType: 'category', objectId: code, regionPath: null, reason, details: { active } },
    event: { type: active ? 'category.activated' : 'category.deactivated', aggregateType: 'category', aggregateId: code, regionPath: null, payload: { code, active } },
  });
  return { changed: true };
}
