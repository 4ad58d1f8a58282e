import type { Executor } from '../../../platform/db/index.ts';
import { existingPhotoIds } from './repository.ts';
import type { PhotoStore } from './storage.ts';

/**
 * An upload writes its files before the transaction that records them; a crash in between leaves
 * files no row points at. Files younger than this may belong to an upload still in flight.
 */
export const PHOTO_ORPHAN_GRACE_MS = 60 * 60_000;

const BATCH = 500;

/**
 * Removes photo files older than the grace period that no case photo row refers to, and temporary
 * files interrupted writes left behind. Returns how many files went.
 */
export async function sweepOrphanPhotos(db: Executor, store: PhotoStore, now: Date): Promise<number> {
  let removed = 0;
  let pending: Array<{ path: string; photoId: string }> = [];
  const flush = async () => {
    const known = await existingPhotoIds(db, [...new Set(pending.map((f) => f.photoId))]);
    for (const file of pending) {
      if (known.has(file.photoId)) continue;
      await store.removeFile(file.path);
      removed += 1;
    }
    pending = [];
  };
  for await (const file of store.filesWrittenBefore(new Date(now.getTime() - PHOTO_ORPHAN_GRACE_MS))) {
    if (file.photoId === null) {
      await store.removeFile(file.path);
      removed += 1;
      continue;
    }
    pending.push({ path: file.path, photoId: file.photoId });
    if (pending.length >= BATCH) await flush();
  }
  if (pending.length > 0) await flush();
  return removed;
}
