import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isPhotoStage, PHOTO_STAGES, type PhotoFormat, type PhotoStage } from '../../../../shared/photos.ts';
import { authorize, scopeOf } from '../../../platform/access.ts';
import type { UserActor } from '../../../platform/actor.ts';
import { AppError } from '../../../platform/errors.ts';
import { buildValidatorCompiler, ErrorResponse, withErrors } from '../../../platform/http.ts';
import type { App } from '../../../platform/module.ts';
import type { Platform } from '../../../platform/platform.ts';
import { findCase, type CaseViewer } from '../repository.ts';
import { CaseIdParams } from '../schemas.ts';
import { acceptsPhotos, addCasePhotos, type StoredPhoto } from './commands.ts';
import { processPhoto } from './images.ts';
import { countCasePhotos, findVisiblePhoto, listCasePhotos, type CasePhotoRow } from './repository.ts';
import { CasePhotoList, ImageResponse, NotModified, PhotoIdParams, PhotoUploadForm } from './schemas.ts';
import { PhotoStore } from './storage.ts';

/** The same viewer the case routes use: photos are visible exactly where their case is. */
function viewerOf(actor: UserActor): CaseViewer {
  return { scope: scopeOf(actor), userId: actor.userId, role: actor.assignment.role, departmentId: actor.assignment.departmentId };
}

const FORMAT_OF_MIME: Record<string, PhotoFormat> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

function formatOf(row: CasePhotoRow): PhotoFormat {
  const format = FORMAT_OF_MIME[row.mime];
  if (!format) throw new Error(`photo ${row.id} has an unknown type ${row.mime}`);
  return format;
}

function present(row: CasePhotoRow) {
  return {
    id: row.id,
    caseId: row.case_id,
    stage: row.stage as PhotoStage,
    uploaderName: row.uploader_name,
    mime: row.mime as 'image/jpeg' | 'image/png' | 'image/webp',
    bytes: row.bytes,
    width: row.width,
    height: row.height,
    sha256: row.sha256,
    createdAt: row.created_at.toISOString(),
    url: `/api/photos/${row.id}`,
    thumbnailUrl: `/api/photos/${row.id}/thumbnail`,
  };
}

const megabytes = (bytes: number) => Number((bytes / (1024 * 1024)).toFixed(1));

interface Upload {
  stage: PhotoStage;
  files: Buffer[];
}

/**
 * Reads the multipart stream: one `stage` field and one or more files under `files`. The
 * plugin's limits stop a file at the configured size and a request at the configured count.
 */
async function readUpload(request: FastifyRequest, limits: { maxBytes: number; maxFiles: number }): Promise<Upload> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  let stage: string | undefined;
  const files: Buffer[] = [];
  const problems: Array<{ path: string; rule: string; message: string }> = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'files') files.push(bytes);
        else problems.push({ path: `/${part.fieldname}`, rule: 'additionalProperties', message: 'files go in the field "files"' });
      } else if (part.fieldname === 'stage' && stage === undefined) {
        stage = String(part.value);
      } else {
        problems.push({ path: `/${part.fieldname}`, rule: 'additionalProperties', message: 'unknown or repeated field' });
      }
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PHOTO_TOO_LARGE', { maxBytes: limits.maxBytes, maxMb: megabytes(limits.maxBytes) });
    if (code === 'FST_FILES_LIMIT') throw new AppError('PHOTO_TOO_MANY_FILES', { max: limits.maxFiles });
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new AppError('PAYLOAD_TOO_LARGE');
    if (code === 'FST_PROTO_VIOLATION' || code === 'FST_INVALID_JSON_FIELD_ERROR') throw new AppError('VALIDATION_FAILED', [{ path: '/', rule: 'multipart', message: 'malformed form field' }]);
    throw error;
  }
  if (stage === undefined) problems.push({ path: '/stage', rule: 'required', message: `stage is one of ${PHOTO_STAGES.join(', ')}` });
  else if (!isPhotoStage(stage)) problems.push({ path: '/stage', rule: 'enum', message: `stage is one of ${PHOTO_STAGES.join(', ')}` });
  if (files.length === 0) problems.push({ path: '/files', rule: 'minItems', message: 'at least one file' });
  if (problems.length > 0 || stage === undefined || !isPhotoStage(stage)) throw new AppError('VALIDATION_FAILED', problems);
  return { stage, files };
}

/** True when the client's cached copy (If-None-Match) is the current one. */
function fresh(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

function sendImage(request: FastifyRequest, reply: FastifyReply, bytes: () => Promise<Buffer>, options: { mime: string; etag: string; filename: string }) {
  reply
    .header('etag', options.etag)
    // private: only the signed-in person's browser keeps it; visibility can change, so revalidate after a day
    .header('cache-control', 'private, max-age=86400')
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'cookie, authorization');
  if (fresh(request, options.etag)) return reply.code(304).send();
  return bytes().then((data) =>
    reply.type(options.mime).header('content-disposition', `inline; filename="${options.filename}"`).send(data),
  );
}

export async function photoRoutes(app: App, platform: Platform): Promise<void> {
  const { db, permissions, config } = platform;
  const store = PhotoStore.of(config);
  const tags = ['cases'];
  const guard = (request: FastifyRequest, permission: string) => authorize(permissions, request.actor, permission);
  // The multipart stream is validated by readUpload; path parameters by the usual validators.
  const compile = buildValidatorCompiler();

  await app.register(async (context) => {
    const uploads = context.withTypeProvider<TypeBoxTypeProvider>();
    // Registered only in this context: JSON routes keep answering 415 to multipart bodies.
    await uploads.register(multipart, {
      throwFileSizeLimit: true,
      limits: { fileSize: config.photoMaxBytes, files: config.photoMaxFilesPerRequest, fields: 4, fieldSize: 64, parts: config.photoMaxFilesPerRequest + 4 },
    });
    uploads.post(
      '/cases/:id/photos',
      {
        schema: {
          tags,
          summary: 'Add photos to a case you can see, while it is open (multipart: stage + files)',
          description:
            'JPEG, PNG or WebP, decided from the bytes. Each image is re-encoded upright in its own format with all metadata (EXIF, GPS) removed, and a 320 px WebP thumbnail is made.',
          consumes: ['multipart/form-data'],
          params: CaseIdParams,
          body: PhotoUploadForm,
          response: withErrors({ 201: CasePhotoList, 409: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse }),
        },
        validatorCompiler: (route) => (route.httpPart === 'body' ? () => true : compile(route)),
      },
      async (request, reply) => {
        const actor = guard(request, 'case.photo.add');
        const viewer = viewerOf(actor);
        const kase = await findCase(db, viewer, request.params.id);
        if (!kase) throw new AppError('NOT_FOUND');
        if (!acceptsPhotos(kase)) throw new AppError('PHOTO_CASE_CLOSED');
        const upload = await readUpload(request, { maxBytes: config.photoMaxBytes, maxFiles: config.photoMaxFilesPerRequest });
        // An early answer before the CPU work; the transaction checks again under the case's lock.
        const existing = await countCasePhotos(db, kase.id);
        if (existing + upload.files.length > config.photoMaxPerCase) throw new AppError('PHOTO_CASE_LIMIT', { max: config.photoMaxPerCase, existing });

        // One at a time: decoding is CPU- and memory-heavy, and all files must pass before any is kept.
        const processed = [];
        for (const [index, bytes] of upload.files.entries()) {
          try {
            processed.push(await processPhoto(bytes, { maxPixels: config.photoMaxPixels }));
          } catch (error) {
            if (error instanceof AppError) throw new AppError(error.code, { ...(typeof error.details === 'object' && error.details !== null ? error.details : {}), file: index });
            throw error;
          }
        }

        // Files first, then the rows in one transaction; if it fails, the files go again.
        const stored: StoredPhoto[] = [];
        try {
          for (const p of processed) {
            const id = randomUUID();
            await store.write(id, p.format, p.image, p.thumbnail);
            stored.push({ id, format: p.format, mime: p.mime, bytes: p.image.length, width: p.width, height: p.height, sha256: p.sha256 });
          }
          await platform.transaction(
            actor,
            async (ctx) => {
              const row = await findCase(ctx.trx, viewer, kase.id, { forUpdate: true });
              if (!row) throw new AppError('NOT_FOUND');
              await addCasePhotos({ ...ctx, actor }, row, { stage: upload.stage, photos: stored, maxPerCase: config.photoMaxPerCase });
            },
            { requestId: request.id },
          );
        } catch (error) {
          await Promise.all(stored.map((s) => store.remove(s.id, s.format).catch(() => undefined)));
          throw error;
        }
        const rows = new Map((await listCasePhotos(db, kase.id)).map((r) => [r.id, r]));
        return reply.code(201).send({ items: stored.map((s) => present(rows.get(s.id)!)) });
      },
    );
  });

  app.get(
    '/cases/:id/photos',
    { schema: { tags, summary: 'The photos of a case you can see, in upload order', params: CaseIdParams, response: withErrors({ 200: CasePhotoList }) } },
    async (request) => {
      const actor = guard(request, 'case.read');
      const kase = await findCase(db, viewerOf(actor), request.params.id);
      if (!kase) throw new AppError('NOT_FOUND');
      return { items: (await listCasePhotos(db, kase.id)).map(present) };
    },
  );

  app.get(
    '/photos/:id',
    { schema: { tags, summary: 'One photo: the stored image (metadata removed)', params: PhotoIdParams, response: { ...withErrors({ 304: NotModified }), 200: ImageResponse } } },
    async (request, reply) => {
      const actor = guard(request, 'case.read');
      const found = await findVisiblePhoto(db, viewerOf(actor), request.params.id);
      if (!found) throw new AppError('NOT_FOUND');
      const { photo } = found;
      const format = formatOf(photo);
      return sendImage(request, reply, () => store.readImage(photo.id, format), { mime: photo.mime, etag: `"${photo.sha256}"`, filename: store.imagePath(photo.id, format).split('/').pop()! });
    },
  );

  app.get(
    '/photos/:id/thumbnail',
    { schema: { tags, summary: 'A WebP thumbnail of a photo, at most 320 px on its longest side', params: PhotoIdParams, response: { ...withErrors({ 304: NotModified }), 200: ImageResponse } } },
    async (request, reply) => {
      const actor = guard(request, 'case.read');
      const found = await findVisiblePhoto(db, viewerOf(actor), request.params.id);
      if (!found) throw new AppError('NOT_FOUND');
      const { photo } = found;
      return sendImage(request, reply, () => store.readThumbnail(photo.id), { mime: 'image/webp', etag: `"${photo.sha256}-t320"`, filename: `${photo.id}.thumb.webp` });
    },
  );
}
