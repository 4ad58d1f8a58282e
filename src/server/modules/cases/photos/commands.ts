import { PHOTO_CLOSED_STATUSES, type PhotoFormat, type PhotoStage } from '../../../../shared/photos.ts';
import type { UserActor } from '../../../platform/actor.ts';
import { AppError } from '../../../platform/errors.ts';
import { recordChange, type CommandContext } from '../../../platform/platform.ts';
import { insertCaseEvent, type CaseRow } from '../repository.ts';
import { countCasePhotos, insertCasePhoto } from './repository.ts';

/** A photo already cleaned and written to disk, waiting for its row. */
export interface StoredPhoto {
  id: string;
  format: PhotoFormat;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
}

export function acceptsPhotos(row: Pick<CaseRow, 'status'>): boolean {
  return !(PHOTO_CLOSED_STATUSES as readonly string[]).includes(row.status);
}

/**
 * Attaches photos to a case the caller can see (the row locked by the caller's transaction):
 * one row per photo, one timeline entry for the upload (action `photo`, status unchanged), and
 * per photo an audit entry `case.photo_add` and an event `case.photo_added`.
 */
export async function addCasePhotos(
  ctx: CommandContext & { actor: UserActor },
  row: CaseRow,
  input: { stage: PhotoStage; photos: readonly StoredPhoto[]; maxPerCase: number },
): Promise<void> {
  if (!acceptsPhotos(row)) throw new AppError('PHOTO_CASE_CLOSED');
  const existing = await countCasePhotos(ctx.trx, row.id);
  if (existing + input.photos.length > input.maxPerCase) throw new AppError('PHOTO_CASE_LIMIT', { max: input.maxPerCase, existing });
  for (const photo of input.photos) {
    await insertCasePhoto(ctx.trx, {
      id: photo.id,
      case_id: row.id,
      stage: input.stage,
      uploader_user_id: ctx.actor.userId,
      uploader_name: ctx.actor.displayName,
      mime: photo.mime,
      bytes: photo.bytes,
      width: photo.width,
      height: photo.height,
      sha256: photo.sha256,
    });
    const details = { number: row.number, photoId: photo.id, stage: input.stage, mime: photo.mime, bytes: photo.bytes, sha256: photo.sha256 };
    await recordChange(ctx, {
      audit: { action: 'case.photo_add', objectType: 'case', objectId: row.id, regionPath: row.region_path, details },
      event: { type: 'case.photo_added', aggregateType: 'case', aggregateId: row.id, regionPath: row.region_path, payload: details },
    });
  }
  await insertCaseEvent(ctx.trx, {
    caseId: row.id,
    action: 'photo',
    fromStatus: row.status,
    toStatus: row.status,
    actorUserId: ctx.actor.userId,
    actorName: ctx.actor.displayName,
    actorRole: ctx.actor.assignment.role,
    note: null,
    details: { stage: input.stage, count: input.photos.length, photoIds: input.photos.map((p) => p.id) },
  });
}
