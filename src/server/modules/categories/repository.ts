import { sql, type SqlBool } from 'kysely';
import type { CategoryLevel, CategoryType, ResponsibilityRule, TimeLimits, VerificationRule } from '../../../shared/categories.ts';
import type { DepartmentKind } from '../../../shared/departments.ts';
import type { Executor } from '../../platform/db/index.ts';

/**
 * The only code that touches `categories` and `category_versions`. The catalogue is
 * installation-wide, so reads take no region scope; what a caller may see is decided by the
 * filters the routes pass (residents: active, resident-selectable leaves only).
 */

/** The attributes a version fixes. The rules (department kind … radius) are null for a class and set for every leaf. */
export interface CategoryAttributes {
  name: string;
  nameEn: string;
  keywords: string[];
  departmentKind: DepartmentKind | null;
  responsibility: ResponsibilityRule | null;
  timeLimits: TimeLimits | null;
  verification: VerificationRule | null;
  residentSelectable: boolean | null;
  duplicateRadiusM: number | null;
}

export const ATTRIBUTE_KEYS = [
  'name',
  'nameEn',
  'keywords',
  'departmentKind',
  'responsibility',
  'timeLimits',
  'verification',
  'residentSelectable',
  'duplicateRadiusM',
] as const satisfies ReadonlyArray<keyof CategoryAttributes>;

/** One immutable version of a category. */
export interface CategoryVersion extends CategoryAttributes {
  code: string;
  version: number;
  note: string | null;
  createdAt: Date;
  /** Username of the person who made the version, or `system:seed`. */
  createdBy: string;
  createdByUserId: string | null;
}

/** A version together with what the category is (type, level, parent) and which version is current. */
export interface CategoryVersionRecord extends CategoryVersion {
  type: CategoryType;
  level: CategoryLevel;
  parentCode: string | null;
  currentVersion: number;
}

/** A category as it is now: its current version, its state and its class. */
export interface Category extends CategoryVersion {
  type: CategoryType;
  level: CategoryLevel;
  parentCode: string | null;
  parentName: string | null;
  parentNameEn: string | null;
  /** The category's own switch. */
  active: boolean;
  /** Leaf, active, and in an active class: can be chosen for a new case. */
  selectable: boolean;
  updatedAt: Date;
}

interface VersionColumns {
  code: string;
  version: number;
  name: string;
  name_en: string;
  department_kind: string | null;
  responsibility: string | null;
  time_limits: unknown;
  verification: string | null;
  resident_selectable: boolean | null;
  keywords: unknown;
  duplicate_radius_m: number | null;
  note: string | null;
  created_at: Date;
  created_by: string | null;
  created_by_name: string;
}

function presentVersion(row: VersionColumns): CategoryVersion {
  return {
    code: row.code,
    version: row.version,
    name: row.name,
    nameEn: row.name_en,
    keywords: (row.keywords as string[] | null) ?? [],
    departmentKind: row.department_kind as DepartmentKind | null,
    responsibility: row.responsibility as ResponsibilityRule | null,
    timeLimits: (row.time_limits as TimeLimits | null) ?? null,
    verification: row.verification as VerificationRule | null,
    residentSelectable: row.resident_selectable,
    duplicateRadiusM: row.duplicate_radius_m,
    note: row.note,
    createdAt: row.created_at,
    createdBy: row.created_by_name,
    createdByUserId: row.created_by,
  };
}

const versionColumns = [
  'v.code',
  'v.version',
  'v.name',
  'v.name_en',
  'v.department_kind',
  'v.responsibility',
  'v.time_limits',
  'v.verification',
  'v.resident_selectable',
  'v.keywords',
  'v.duplicate_radius_m',
  'v.note',
  'v.created_at',
  'v.created_by',
  'v.created_by_name',
] as const;

/** Categories with their current version and their class's name and state. */
const current = (db: Executor) =>
  db
    .selectFrom('categories as c')
    .innerJoin('category_versions as v', (join) => join.onRef('v.code', '=', 'c.code').onRef('v.version', '=', 'c.current_version'))
    .leftJoin('categories as p', 'p.code', 'c.parent_code')
    .leftJoin('category_versions as pv', (join) => join.onRef('pv.code', '=', 'p.code').onRef('pv.version', '=', 'p.current_version'))
    .select([
      ...versionColumns,
      'c.type',
      'c.level',
      'c.parent_code',
      'c.active',
      'c.updated_at',
      'pv.name as parent_name',
      'pv.name_en as parent_name_en',
      sql<boolean>`(c.level = 'leaf' and c.active and coalesce(p.active, true))`.as('selectable'),
    ]);

type CurrentRow = VersionColumns & {
  type: string;
  level: string;
  parent_code: string | null;
  active: boolean;
  updated_at: Date;
  parent_name: string | null;
  parent_name_en: string | null;
  selectable: boolean;
};

function presentCategory(row: CurrentRow): Category {
  return {
    ...presentVersion(row),
    type: row.type as CategoryType,
    level: row.level as CategoryLevel,
    parentCode: row.parent_code,
    parentName: row.parent_name,
    parentNameEn: row.parent_name_en,
    active: row.active,
    selectable: row.selectable,
    updatedAt: row.updated_at,
  };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface CategoryFilter {
  type?: CategoryType;
  level?: CategoryLevel;
  /** true: only categories a new case can be filed under; false: only the others. */
  selectable?: boolean;
  /** Only leaves residents may choose themselves. */
  residentSelectable?: boolean;
  /** Also categories that are switched off, or sit in a class that is. */
  includeInactive?: boolean;
  /** Code prefix, name (Chinese or English) or keyword; a keyword also matches when the text contains it. */
  q?: string;
}

export async function listCategories(db: Executor, filter: CategoryFilter = {}): Promise<Category[]> {
  let query = current(db);
  if (filter.type) query = query.where('c.type', '=', filter.type);
  if (filter.level) query = query.where('c.level', '=', filter.level);
  const selectable = sql<SqlBool>`(c.level = 'leaf' and c.active and coalesce(p.active, true))`;
  if (filter.selectable === true) query = query.where(selectable);
  if (filter.selectable === false) query = query.where(sql<SqlBool>`not ${selectable}`);
  if (filter.residentSelectable) query = query.where('v.resident_selectable', '=', true);
  if (!filter.includeInactive) query = query.where(sql<SqlBool>`(c.active and coalesce(p.active, true))`);
  if (filter.q) {
    const q = filter.q;
    const pattern = `%${escapeLike(q)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('c.code', 'like', `${escapeLike(q.toUpperCase())}%`),
        eb('v.name', 'like', pattern),
        eb('v.name_en', 'ilike', pattern),
        sql<SqlBool>`exists (select 1 from jsonb_array_elements_text(v.keywords) k(word) where k.word like ${pattern} or strpos(${q}, k.word) > 0)`,
      ]),
    );
  }
  const rows = await query.orderBy(sql`c.code collate "C"`).execute();
  return rows.map(presentCategory);
}

/** A category with its current version, or undefined. For the case module: what a new case is filed under. */
export async function currentCategory(db: Executor, code: string): Promise<Category | undefined> {
  const row = await current(db).where('c.code', '=', code).executeTakeFirst();
  return row && presentCategory(row);
}

/** One version of a category, current or not. For the case module: the limits a case was registered under. */
export async function findCategoryVersion(db: Executor, code: string, version: number): Promise<CategoryVersionRecord | undefined> {
  const row = await db
    .selectFrom('category_versions as v')
    .innerJoin('categories as c', 'c.code', 'v.code')
    .select([...versionColumns, 'c.type', 'c.level', 'c.parent_code', 'c.current_version'])
    .where('v.code', '=', code)
    .where('v.version', '=', version)
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...presentVersion(row), type: row.type as CategoryType, level: row.level as CategoryLevel, parentCode: row.parent_code, currentVersion: row.current_version };
}

/** Every version of a category, newest first (without their attributes). */
export async function listCategoryVersions(db: Executor, code: string): Promise<Array<Pick<CategoryVersion, 'version' | 'createdAt' | 'createdBy' | 'note'>>> {
  const rows = await db
    .selectFrom('category_versions')
    .select(['version', 'created_at', 'created_by_name', 'note'])
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({ version: r.version, createdAt: r.created_at, createdBy: r.created_by_name, note: r.note }));
}

/** Locks a category's row until the transaction ends (serialises concurrent edits) and returns its state. */
export async function lockCategory(db: Executor, code: string): Promise<{ currentVersion: number; active: boolean } | undefined> {
  const row = await db.selectFrom('categories').select(['current_version', 'active']).where('code', '=', code).forUpdate().executeTakeFirst();
  return row && { currentVersion: row.current_version, active: row.active };
}

export async function existingCategoryCodes(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom('categories').select('code').execute();
  return new Set(rows.map((r) => r.code));
}

export interface NewCategory {
  code: string;
  parentCode: string | null;
  type: CategoryType;
  level: CategoryLevel;
}

export interface NewCategoryVersion {
  code: string;
  version: number;
  attributes: CategoryAttributes;
  note: string | null;
  createdBy: { userId: string | null; name: string };
}

/** Inserts categories at version 1 (their versions must follow in the same transaction). */
export async function insertCategories(db: Executor, rows: NewCategory[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('categories')
      .values(rows.slice(i, i + 500).map((r) => ({ code: r.code, parent_code: r.parentCode, type: r.type, level: r.level, current_version: 1 })))
      .execute();
  }
}

export async function insertCategoryVersions(db: Executor, rows: NewCategoryVersion[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('category_versions')
      .values(
        rows.slice(i, i + 500).map((r) => ({
          code: r.code,
          version: r.version,
          name: r.attributes.name,
          name_en: r.attributes.nameEn,
          keywords: JSON.stringify(r.attributes.keywords),
          department_kind: r.attributes.departmentKind,
          responsibility: r.attributes.responsibility,
          time_limits: r.attributes.timeLimits === null ? null : JSON.stringify(r.attributes.timeLimits),
          verification: r.attributes.verification,
          resident_selectable: r.attributes.residentSelectable,
          duplicate_radius_m: r.attributes.duplicateRadiusM,
          note: r.note,
          created_by: r.createdBy.userId,
          created_by_name: r.createdBy.name,
        })),
      )
      .execute();
  }
}

export async function setCurrentVersion(db: Executor, code: string, version: number): Promise<void> {
  await db.updateTable('categories').set({ current_version: version, updated_at: new Date() }).where('code', '=', code).execute();
}

export async function setCategoryActive(db: Executor, code: string, active: boolean): Promise<void> {
  await db.updateTable('categories').set({ active, updated_at: new Date() }).where('code', '=', code).execute();
}
