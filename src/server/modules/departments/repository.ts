import { sql, type SqlBool } from 'kysely';
import type { Scope } from '../../platform/access.ts';
import type { Executor } from '../../platform/db/index.ts';

export interface Department {
  id: string;
  code: string;
  name: string;
  kind: string;
  regionCode: string;
  regionName: string;
  regionPath: string;
}

/**
 * Departments a caller can see: those inside their scope, and those of the enclosing levels that
 * serve it (a street dispatcher hands work to district departments, 联勤联动).
 */
function serving(scope: Scope) {
  if (scope.kind === 'all') return sql<SqlBool>`true`;
  if (scope.paths.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(scope.paths.map((p) => sql`(d.region_path <@ ${p}::ltree or d.region_path @> ${p}::ltree)`), sql` or `)})`;
}

const base = (db: Executor) =>
  db
    .selectFrom('departments as d')
    .innerJoin('regions as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.code', 'd.name', 'd.kind', 'd.region_code as regionCode', 'r.name as regionName', 'd.region_path as regionPath']);

export async function listDepartments(
  db: Executor,
  scope: Scope,
  filter: { regionCode?: string; kind?: string; q?: string; limit: number; offset: number },
): Promise<{ items: Department[]; total: number }> {
  let query = base(db).where(serving(scope));
  if (filter.regionCode) query = query.where('d.region_code', '=', filter.regionCode);
  if (filter.kind) query = query.where('d.kind', '=', filter.kind);
  if (filter.q) query = query.where('d.name', 'like', `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const [items, count] = await Promise.all([
    query.orderBy(sql`nlevel(d.region_path)`).orderBy('d.code').limit(filter.limit).offset(filter.offset).execute(),
    query.clearSelect().select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export async function findDepartment(db: Executor, scope: Scope, id: string): Promise<Department | undefined> {
  return base(db).where('d.id', '=', id).where(serving(scope)).executeTakeFirst();
}

export async function findDepartmentByCode(db: Executor, code: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('departments').select('id').where('code', '=', code).executeTakeFirst();
}

export async function insertDepartment(
  db: Executor,
  row: { code: string; name: string; kind: string; regionCode: string; regionPath: string },
): Promise<string> {
  const inserted = await db
    .insertInto('departments')
    .values({ code: row.code, name: row.name, kind: row.kind, region_code: row.regionCode, region_path: row.regionPath })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateDepartment(db: Executor, id: string, patch: { name?: string; kind?: string }): Promise<void> {
  if (patch.name === undefined && patch.kind === undefined) return;
  await db.updateTable('departments').set(patch).where('id', '=', id).execute();
}
