import { sql } from 'kysely';
import type { Executor } from '../../platform/db/index.ts';
import type { ExampleSource } from './model.ts';

/** The only code that touches `classifier_examples`. Examples are installation-wide (no region scope). */

export interface StoredExample {
  id: number;
  text: string;
  categoryCode: string;
  source: ExampleSource;
}

export async function insertExample(db: Executor, row: { text: string; categoryCode: string; source: ExampleSource; createdBy: string | null }): Promise<number> {
  const inserted = await db
    .insertInto('classifier_examples')
    .values({ text: row.text, category_code: row.categoryCode, source: row.source, created_by: row.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** Examples with an id above `afterId`, in id order (0 = all). */
export async function examplesAfter(db: Executor, afterId: number): Promise<StoredExample[]> {
  const rows = await db.selectFrom('classifier_examples').select(['id', 'text', 'category_code', 'source']).where('id', '>', afterId).orderBy('id').execute();
  return rows.map((r) => ({ id: Number(r.id), text: r.text, categoryCode: r.category_code, source: r.source as ExampleSource }));
}

export async function exampleCounts(db: Executor): Promise<{ bySource: Record<string, number>; categories: string[] }> {
  const [sources, categories] = await Promise.all([
    db.selectFrom('classifier_examples').select(['source', sql<string>`count(*)::text`.as('n')]).groupBy('source').execute(),
    db.selectFrom('classifier_examples').select('category_code').distinct().execute(),
  ]);
  return {
    bySource: Object.fromEntries(sources.map((s) => [s.source, Number(s.n)])),
    categories: categories.map((c) => c.category_code),
  };
}
