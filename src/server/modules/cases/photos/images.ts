import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { PHOTO_MIME, type PhotoFormat } from '../../../../shared/photos.ts';
import { AppError } from '../../../platform/errors.ts';

/** The longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 320;

/**
 * The format the bytes are in, by their magic numbers; the file name and the declared content
 * type are never consulted. Anything else (GIF, SVG, HEIC, TIFF, text …) is not handed to the
 * image decoder at all.
 */
export function sniffFormat(bytes: Buffer): PhotoFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

export interface ProcessedPhoto {
  format: PhotoFormat;
  mime: string;
  /** The stored image: re-encoded, upright, without any metadata (EXIF, GPS, XMP, IPTC). */
  image: Buffer;
  width: number;
  height: number;
  sha256: string;
  /** A WebP at most THUMBNAIL_SIZE pixels on its longest side. */
  thumbnail: Buffer;
}

/**
 * Checks and cleans one uploaded image:
 *  1. the format from the bytes (JPEG, PNG or WebP, else 415 PHOTO_UNSUPPORTED_TYPE);
 *  2. the pixel count from the header, before decoding (decompression bombs → 422 PHOTO_TOO_MANY_PIXELS;
 *     sharp's `limitInputPixels` enforces the same bound while decoding);
 *  3. re-encoding in the same format with the EXIF orientation applied first, so the photo is
 *     upright and sharp writes no metadata at all — GPS position, camera, time are gone;
 *  4. a WebP thumbnail.
 * Multi-frame images (animated WebP/PNG) keep their first frame.
 */
export async function processPhoto(bytes: Buffer, options: { maxPixels: number }): Promise<ProcessedPhoto> {
  const format = sniffFormat(bytes);
  if (!format) throw new AppError('PHOTO_UNSUPPORTED_TYPE');
  const input = () => sharp(bytes, { limitInputPixels: options.maxPixels, failOn: 'error', animated: false });
  const tooManyPixels = () => new AppError('PHOTO_TOO_MANY_PIXELS', { maxMegapixels: Number((options.maxPixels / 1_000_000).toFixed(1)) });

  let metadata: Metadata;
  try {
    metadata = await input().metadata();
  } catch (error) {
    throw exceedsPixelLimit(error) ? tooManyPixels() : new AppError('PHOTO_UNREADABLE');
  }
  // The decoder agrees with the magic numbers, or the file is not what it claims to be.
  if (metadata.format !== format) throw new AppError('PHOTO_UNSUPPORTED_TYPE');
  if (metadata.width * metadata.height > options.maxPixels) throw tooManyPixels();

  try {
    const upright = input().rotate();
    const encoded =
      format === 'jpeg'
        ? upright.jpeg({ quality: 85, mozjpeg: true })
        : format === 'png'
          ? upright.png({ compressionLevel: 9 })
          : upright.webp({ quality: 85 });
    const { data: image, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumbnail = await input()
      .rotate()
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
    return {
      format,
      mime: PHOTO_MIME[format],
      image,
      width: info.width,
      height: info.height,
      sha256: createHash('sha256').update(image).digest('hex'),
      thumbnail,
    };
  } catch (error) {
    throw exceedsPixelLimit(error) ? tooManyPixels() : new AppError('PHOTO_UNREADABLE');
  }
}

/** sharp's refusal under `limitInputPixels` ("Input image exceeds pixel limit"). */
function exceedsPixelLimit(error: unknown): boolean {
  return error instanceof Error && /pixel limit/i.test(error.message);
}
