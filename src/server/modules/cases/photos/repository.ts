import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../../platform/db/index.ts';
import type { CasePhotoTable } from '../../../platform/db/schema.ts';
import { findCase, type CaseRow, type CaseViewer } from '../repository.ts';

export type CasePhotoRow = Selectable<CasePhotoTable>;

export async function insertCasePhoto(db: Executor, row: Insertable<CasePhotoTable>): Promise<void> {
  await db.insertInto('case_photos').values(row).execute();
}

export async function countCasePhotos(db: Executor, caseId: string): Promise<number> {
  const { n } = await db.selectFrom('case_photos').select((eb) => eb.fn.countAll<string>().as('n')).where('case_id', '=', caseId).executeTakeFirstOrThrow();
  return Number(n);
}

/** Which of these photo ids have a row (the rest are files whose upload never committed). */
export async function existingPhotoIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('case_photos').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** A case's photos in upload order. The caller has already found the case through `findCase`. */
export async function listCasePhotos(db: Executor, caseId: string): Promise<CasePhotoRow[]> {
  return db.selectFrom('case_photos').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
}

/**
 * A photo and its case, if the viewer can see the case (the case visibility rules of
 * `findCase`); undefined otherwise, so a photo of someone else's case answers 404.
 */
export async function findVisiblePhoto(db: Executor, viewer: CaseViewer, id: string): Promise<{ photo: CasePhotoRow; kase: CaseRow } | undefined> {
  const photo = await db.selectFrom('case_photos').selectAll().where('id', '=', id).executeTakeFirst();
  if (!photo) return undefined;
  const kase = await findCase(db, viewer, photo.case_id);
  return kase ? { photo, kase } : undefined;
}
