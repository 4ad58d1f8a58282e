import { sql } from 'kysely';
import { scopeCondition, type Scope } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';
import type { NewRegion } from '../../platform/db/schema.ts';

/** The only code that touches the regions table. Every read takes the caller's scope. */

export interface Region {
  code: string;
  parentCode: string | null;
  level: string;
  kind: string | null;
  name: string;
  regionPath: string;
  source: string;
  childCount: number;
}

const childCount = sql<string>`(select count(*) from regions c where c.parent_code = r.code)`.as('child_count');

function present(row: {
  code: string;
  parent_code: string | null;
  level: string;
  kind: string | null;
  name: string;
  path: string;
  source: string;
  child_count: string;
}): Region {
  return {
    code: row.code,
    parentCode: row.parent_code,
    level: row.level,
    kind: row.kind,
    name: row.name,
    regionPath: row.path,
    source: row.source,
    childCount: Number(row.child_count),
  };
}

const columns = ['r.code', 'r.parent_code', 'r.level', 'r.kind', 'r.name', 'r.path', 'r.source'] as const;

export async function findRegion(db: Executor, scope: Scope, code: string): Promise<Region | undefined> {
  const row = await db
    .selectFrom('regions as r')
    .select([...columns, childCount])
    .where('r.code', '=', code)
    .where(scopeCondition(sql.ref('r.path'), scope))
    .executeTakeFirst();
  return row && present(row);
}

/** Whether a region exists inside the scope (cheaper than findRegion: no counts). */
export async function regionVisible(db: Executor, scope: Scope, code: string): Promise<boolean> {
  const row = await db.selectFrom('regions as r').select('r.code').where('r.code', '=', code).where(scopeCondition(sql.ref('r.path'), scope)).executeTakeFirst();
  return row !== undefined;
}

export async function listChildren(db: Executor, scope: Scope, parentCode: string): Promise<Region[]> {
  const rows = await db
    .selectFrom('regions as r')
    .select([...columns, childCount])
    .where('r.parent_code', '=', parentCode)
    .where(scopeCondition(sql.ref('r.path'), scope))
    .orderBy('r.code')
    .execute();
  return rows.map(present);
}

/** Ancestors of a path (outermost first) that are themselves inside the scope. */
export async function listAncestors(db: Executor, scope: Scope, path: string): Promise<Array<Pick<Region, 'code' | 'name' | 'level'>>> {
  return db
    .selectFrom('regions as r')
    .select(['r.code', 'r.name', 'r.level'])
    .where(sql<boolean>`r.path @> ${path}::ltree`)
    .where(sql<boolean>`r.path <> ${path}::ltree`)
    .where(scopeCondition(sql.ref('r.path'), scope))
    .orderBy(sql`nlevel(r.path)`)
    .execute();
}

/** Counts of descendants by level under a path (the region browser's figures). */
export async function countDescendants(db: Executor, path: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('regions')
    .select(['level', sql<string>`count(*)`.as('n')])
    .where(sql<boolean>`path <@ ${path}::ltree`)
    .where(sql<boolean>`path <> ${path}::ltree`)
    .groupBy('level')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.level, Number(r.n)]));
}

export async function searchRegions(db: Executor, scope: Scope, query: string, limit: number): Promise<Region[]> {
  const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .selectFrom('regions as r')
    .select([...columns, childCount])
    .where((eb) => eb.or([eb('r.name', 'like', pattern), eb('r.code', 'like', `${query.replace(/[\\%_]/g, '')}%`)]))
    .where(scopeCondition(sql.ref('r.path'), scope))
    .orderBy(sql`nlevel(r.path)`)
    .orderBy('r.code')
    .limit(limit)
    .execute();
  return rows.map(present);
}

export async function regionExists(db: Executor, code: string): Promise<boolean> {
  const row = await db.selectFrom('regions').select('code').where('code', '=', code).executeTakeFirst();
  return row !== undefined;
}

export async function nextLocalChildCode(db: Executor, parentCode: string, prefix: 'G' | 'B'): Promise<string> {
  const rows = await db
    .selectFrom('regions')
    .select('code')
    .where('parent_code', '=', parentCode)
    .where('code', 'like', `${parentCode}${prefix}%`)
    .execute();
  const used = rows.map((r) => Number(r.code.slice(parentCode.length + 1))).filter((n) => Number.isInteger(n));
  const next = (used.length ? Math.max(...used) : 0) + 1;
  return `${parentCode}${prefix}${String(next).padStart(prefix === 'G' ? 2 : 3, '0')}`;
}

export async function insertRegions(db: Executor, rows: NewRegion[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('regions').values(rows.slice(i, i + 500)).execute();
  }
}

export async function renameRegion(db: Executor, code: string, name: string): Promise<void> {
  await db.updateTable('regions').set({ name }).where('code', '=', code).execute();
}

export async function deleteRegion(db: Executor, code: string): Promise<void> {
  await db.deleteFrom('regions').where('code', '=', code).execute();
}

/** Whether anything else still points at the region (children, departments, role assignments, devices). */
export async function regionInUse(db: Executor, code: string): Promise<boolean> {
  const row = await db
    .selectNoFrom([
      sql<boolean>`exists(select 1 from regions where parent_code = ${code})
        or exists(select 1 from departments where region_code = ${code})
        or exists(select 1 from role_assignments where region_code = ${code})
        or exists(select 1 from devices where region_code = ${code})`.as('used'),
    ])
    .executeTakeFirstOrThrow();
  return row.used;
}
