import { Type } from 'typebox';
import { PHOTO_STAGES } from '../../../../shared/photos.ts';

export const PhotoIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const CasePhoto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  caseId: Type.String({ format: 'uuid' }),
  stage: Type.Enum(PHOTO_STAGES, { description: 'report: when reported; handling: during or after handling; verification: at verification' }),
  uploaderName: Type.String(),
  mime: Type.Enum(['image/jpeg', 'image/png', 'image/webp']),
  bytes: Type.Integer({ description: 'Size of the stored (cleaned) image' }),
  width: Type.Integer(),
  height: Type.Integer(),
  sha256: Type.String({ description: 'SHA-256 of the stored image, also its ETag' }),
  createdAt: Type.String({ format: 'date-time' }),
  url: Type.String({ description: 'GET it for the image' }),
  thumbnailUrl: Type.String({ description: 'GET it for a WebP thumbnail, at most 320 px on its longest side' }),
});

export const CasePhotoList = Type.Object({ items: Type.Array(CasePhoto) });

/**
 * The multipart form of an upload, for the API document. The route reads the multipart stream
 * itself (size and count limits, content sniffing), so this schema documents and does not validate.
 */
export const PhotoUploadForm = Type.Object({
  stage: Type.Enum(PHOTO_STAGES, { description: 'When the photos were taken' }),
  files: Type.Array(Type.String({ format: 'binary' }), { minItems: 1, description: 'JPEG, PNG or WebP images; the type is decided from the content' }),
});

const binary = { type: 'string', format: 'binary' } as const;

/** An image answer: the bytes, in the stored format (or WebP for thumbnails). */
export const ImageResponse = {
  description: 'The image bytes, with Content-Type, ETag (the SHA-256) and a private cache header',
  content: { 'image/jpeg': { schema: binary }, 'image/png': { schema: binary }, 'image/webp': { schema: binary } },
};

export const NotModified = Type.Null({ description: 'Not modified: the If-None-Match ETag is current' });
