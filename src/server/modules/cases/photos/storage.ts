import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '../../../config.ts';
import { PHOTO_EXTENSION, type PhotoFormat } from '../../../../shared/photos.ts';

/**
 * Photo files on disk, by photo id: `<root>/<ab>/<cd>/<id>.<ext>` and `<id>.thumb.webp` beside it,
 * `ab` and `cd` the first four hex digits of the id, so no directory grows past 256 entries per
 * level before tens of thousands of photos. Ids are UUIDs the server generates; nothing of the
 * uploaded file name reaches the path.
 */
export class PhotoStore {
  constructor(readonly root: string) {}

  static of(config: Config): PhotoStore {
    return new PhotoStore(config.photoDir ?? join(config.dataDir, 'photos'));
  }

  private base(id: string): string {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) throw new Error(`not a photo id: ${id}`);
    return join(this.root, id.slice(0, 2), id.slice(2, 4), id);
  }

  imagePath(id: string, format: PhotoFormat): string {
    return `${this.base(id)}.${PHOTO_EXTENSION[format]}`;
  }

  thumbnailPath(id: string): string {
    return `${this.base(id)}.thumb.webp`;
  }

  /** Writes both files atomically (temporary name, then rename), so a reader never sees half a file. */
  async write(id: string, format: PhotoFormat, image: Buffer, thumbnail: Buffer): Promise<void> {
    const target = this.imagePath(id, format);
    await mkdir(dirname(target), { recursive: true });
    await atomicWrite(target, image);
    await atomicWrite(this.thumbnailPath(id), thumbnail);
  }

  /** Removes a photo's files; missing files are fine. */
  async remove(id: string, format: PhotoFormat): Promise<void> {
    await rm(this.imagePath(id, format), { force: true });
    await rm(this.thumbnailPath(id), { force: true });
  }

  readImage(id: string, format: PhotoFormat): Promise<Buffer> {
    return readFile(this.imagePath(id, format));
  }

  readThumbnail(id: string): Promise<Buffer> {
    return readFile(this.thumbnailPath(id));
  }

  /**
   * Every file last written before `before`, with the photo id its name carries (null for a
   * temporary file an interrupted write left). Walks the two directory levels lazily.
   */
  async *filesWrittenBefore(before: Date): AsyncGenerator<{ path: string; photoId: string | null }> {
    for (const first of await subdirectories(this.root)) {
      for (const second of await subdirectories(join(this.root, first))) {
        const dir = join(this.root, first, second);
        for (const name of await readdir(dir).catch(() => [] as string[])) {
          const path = join(dir, name);
          const info = await stat(path).catch(() => null);
          if (!info?.isFile() || info.mtime >= before) continue;
          const id = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[a-z.]+$/.exec(name);
          yield { path, photoId: name.endsWith('.tmp') || !id ? null : id[1]! };
        }
      }
    }
  }

  removeFile(path: string): Promise<void> {
    return rm(path, { force: true });
  }
}

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && /^[0-9a-f]{2}$/.test(e.name)).map((e) => e.name);
}

async function atomicWrite(path: string, bytes: Buffer): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, bytes, { flag: 'wx', mode: 0o640 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
