import { sql, type Kysely } from 'kysely';

/**
 * What the category classifier learns beyond its seed corpus: a report's text and the category
 * a dispatcher confirmed or corrected it to. Append-only in practice; the model is rebuilt from
 * the seed corpus plus these rows at start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table classifier_examples (
      id integer generated always as identity primary key,
      text text not null check (length(text) between 1 and 2000),
      category_code text not null references categories(code),
      source text not null check (source in ('seed','confirmed','corrected')),
      created_at timestamptz not null default now(),
      created_by uuid references users(id)
    )`.execute(db);
  await sql`create index classifier_examples_category on classifier_examples (category_code)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0004-classifier is not reversible');
}
