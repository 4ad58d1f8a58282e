import { sql, type Kysely } from 'kysely';

/**
 * Case photos (issue #3 item 9). The image files live on disk under `<DATA_DIR>/photos/`; this
 * table holds what is known about each one. A row is written only after its file is on disk.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table case_photos (
      id uuid primary key,
      case_id uuid not null references cases(id),
      stage text not null check (stage in ('report','handling','verification')),
      uploader_user_id uuid references users(id),
      uploader_name text not null,
      mime text not null check (mime in ('image/jpeg','image/png','image/webp')),
      bytes integer not null check (bytes > 0),
      width integer not null check (width > 0),
      height integer not null check (height > 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      created_at timestamptz not null default now(),
      -- upload order (photos of one upload share created_at)
      seq bigint generated always as identity
    )`.execute(db);
  await sql`create index case_photos_case on case_photos (case_id, seq)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0007-case-photos is not reversible');
}
