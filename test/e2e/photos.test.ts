import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/engines.ts';
import { PhotoStore } from '../../src/server/modules/cases/photos/storage.ts';
import { sweepOrphanPhotos } from '../../src/server/modules/cases/photos/sweep.ts';

/**
 * Case photos through the API on a real database and a real data directory. Images are made
 * here with sharp (no binary fixtures). Limits are lowered for the test app so that "too large",
 * "too many" and "too many pixels" need only small files.
 */

const LIMITS = { photoMaxBytes: 2 * 1024 * 1024, photoMaxFilesPerRequest: 3, photoMaxPerCase: 6, photoMaxPixels: 4_000_000 };

interface Photo {
  id: string;
  caseId: string;
  stage: string;
  uploaderName: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
  createdAt: string;
  url: string;
  thumbnailUrl: string;
}

type Who = 'resident' | 'neighbour' | 'worker' | 'dispatcher' | 'handler' | 'admin';

function solid(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: { r: 180, g: 90, b: 40 } } });
}

const jpeg = (w = 640, h = 480) => solid(w, h).jpeg().toBuffer();
const png = (w = 400, h = 300) => solid(w, h).png().toBuffer();
const webp = (w = 500, h = 500) => solid(w, h).webp().toBuffer();

/** A JPEG 200×100 as stored by the camera, to be shown rotated (orientation 6), with a GPS position. */
function jpegWithGps() {
  return solid(200, 100)
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'GongzhiTestCam', Model: 'EXIF-1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 2400/100', GPSLongitudeRef: 'E', GPSLongitude: '121/1 30/1 1200/100' },
    })
    .toBuffer();
}

/** The GPS IFD pointer tag (0x8825) in either byte order. */
const hasGpsTag = (exif: Buffer) => exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));

interface FilePart {
  bytes: Buffer;
  name: string;
  type: string;
}

/** A multipart body built by the platform's own FormData, as a browser would send it. */
async function multipart(fields: Record<string, string>, files: FilePart[], fileField = 'files') {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const f of files) form.append(fileField, new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

/** All files under a directory, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => statSync(join(dir, p)).isFile());
}

describe.each(ENGINES)('case photos on %s', (engine) => {
  let t: TestApp;
  let dataDir: string;
  let photoDir: string;
  const token = {} as Record<Who, string>;
  let caseId: string;

  const upload = async (who: Who, id: string, stage: string | null, files: FilePart[], fileField?: string): Promise<LightMyRequestResponse> => {
    const body = await multipart(stage === null ? {} : { stage }, files, fileField);
    return t.app.inject({ method: 'POST', url: `/api/cases/${id}/photos`, headers: { authorization: `Bearer ${token[who]}`, 'content-type': body.contentType }, payload: body.payload });
  };
  const list = async (who: Who, id: string) => t.request({ url: `/api/cases/${id}/photos`, token: token[who] });
  const report = async (who: Who, description: string) => {
    const res = await t.request({ method: 'POST', url: '/api/cases', token: token[who], body: { description } });
    expect(res.statusCode).toBe(201);
    return (res.json() as { id: string }).id;
  };
  const errorOf = (res: LightMyRequestResponse) => ({ status: res.statusCode, code: (res.json() as { error: { code: string } }).error.code });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gongzhi-photos-'));
    photoDir = join(dataDir, 'photos');
    t = await createTestApp(engine, { dataDir, ...LIMITS });
    for (const name of ['resident', 'worker', 'dispatcher', 'handler', 'admin'] as const) token[name] = await t.login(name);
    // a second resident of the same committee: residents see only their own reports
    const created = await t.request({
      method: 'POST',
      url: '/api/users',
      token: token.admin,
      body: { username: 'neighbour', displayName: '邻居（演示）', password: 'neighbour-pass-1', assignment: { role: 'resident', regionCode: '310115005001' } },
    });
    expect(created.statusCode).toBe(201);
    token.neighbour = await t.login('neighbour', 'neighbour-pass-1');
    caseId = await report('resident', '3号楼楼道里堆满了纸箱，拍了照片');
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes JPEG, PNG and WebP in one upload and lists them with stage, uploader, size and dimensions', async () => {
    const res = await upload('resident', caseId, 'report', [
      { bytes: await jpeg(), name: 'a.jpg', type: 'image/jpeg' },
      { bytes: await png(), name: 'b.png', type: 'image/png' },
      { bytes: await webp(), name: 'c.webp', type: 'image/webp' },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const added = (res.json() as { items: Photo[] }).items;
    expect(added.map((p) => [p.mime, p.width, p.height, p.stage])).toEqual([
      ['image/jpeg', 640, 480, 'report'],
      ['image/png', 400, 300, 'report'],
      ['image/webp', 500, 500, 'report'],
    ]);
    const listed = (await list('resident', caseId)).json() as { items: Photo[] };
    expect(listed.items.map((p) => p.id)).toEqual(added.map((p) => p.id));
    expect(listed.items[0]).toMatchObject({ caseId, uploaderName: expect.any(String), url: `/api/photos/${added[0]!.id}`, thumbnailUrl: `/api/photos/${added[0]!.id}/thumbnail` });
    expect(listed.items[0]!.uploaderName.length).toBeGreaterThan(0);

    // on disk under <DATA_DIR>/photos/<ab>/<cd>/<id>.<ext>, the image and its thumbnail
    for (const p of added) {
      const ext = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }[p.mime]!;
      const dir = join(photoDir, p.id.slice(0, 2), p.id.slice(2, 4));
      expect(existsSync(join(dir, `${p.id}.${ext}`))).toBe(true);
      expect(existsSync(join(dir, `${p.id}.thumb.webp`))).toBe(true);
      expect(statSync(join(dir, `${p.id}.${ext}`)).size).toBe(p.bytes);
    }
  });

  it('serves the image with its type, nosniff, a private cache header and the SHA-256 as ETag', async () => {
    const [photo] = ((await list('resident', caseId)).json() as { items: Photo[] }).items;
    const res = await t.request({ url: photo!.url, token: token.resident });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toMatch(/^private/);
    expect(res.headers.etag).toBe(`"${photo!.sha256}"`);
    expect(createHash('sha256').update(res.rawPayload).digest('hex')).toBe(photo!.sha256);
    expect(res.rawPayload.length).toBe(photo!.bytes);

    const again = await t.request({ url: photo!.url, token: token.resident, headers: { 'if-none-match': `"${photo!.sha256}"` } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);

    const thumb = await t.request({ url: photo!.thumbnailUrl, token: token.resident });
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(thumb.headers['x-content-type-options']).toBe('nosniff');
    const meta = await sharp(thumb.rawPayload).metadata();
    expect(meta.format).toBe('webp');
    expect(Math.max(meta.width, meta.height)).toBe(320);
    expect(meta.width / meta.height).toBeCloseTo(640 / 480, 1);
  });

  it('decides the type from the bytes: a PNG named .jpg is kept as PNG, a text file named .jpg is refused', async () => {
    const renamed = await upload('resident', caseId, 'report', [{ bytes: await png(120, 80), name: 'photo.jpg', type: 'image/jpeg' }]);
    expect(renamed.statusCode, renamed.body).toBe(201);
    const [kept] = (renamed.json() as { items: Photo[] }).items;
    expect(kept).toMatchObject({ mime: 'image/png', width: 120, height: 80 });
    const served = await t.request({ url: kept!.url, token: token.resident });
    expect(served.headers['content-type']).toBe('image/png');

    const before = filesUnder(photoDir).length;
    const count = ((await list('resident', caseId)).json() as { items: Photo[] }).items.length;
    const fake = await upload('resident', caseId, 'report', [{ bytes: Buffer.from('这不是图片 not an image\n'.repeat(20)), name: 'photo.jpg', type: 'image/jpeg' }]);
    expect(errorOf(fake)).toEqual({ status: 415, code: 'PHOTO_UNSUPPORTED_TYPE' });
    // an SVG is text too, and never reaches the decoder
    const svg = await upload('resident', caseId, 'report', [{ bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), name: 'x.png', type: 'image/png' }]);
    expect(errorOf(svg)).toEqual({ status: 415, code: 'PHOTO_UNSUPPORTED_TYPE' });
    // a JPEG header over garbage is unreadable
    const broken = await upload('resident', caseId, 'report', [{ bytes: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]), name: 'x.jpg', type: 'image/jpeg' }]);
    expect(errorOf(broken)).toEqual({ status: 422, code: 'PHOTO_UNREADABLE' });
    // one bad file refuses the whole upload, and nothing is kept
    const mixed = await upload('resident', caseId, 'report', [
      { bytes: await jpeg(), name: 'ok.jpg', type: 'image/jpeg' },
      { bytes: Buffer.from('plain text'), name: 'bad.webp', type: 'image/webp' },
    ]);
    expect(errorOf(mixed)).toEqual({ status: 415, code: 'PHOTO_UNSUPPORTED_TYPE' });
    expect(filesUnder(photoDir).length).toBe(before);
    expect(((await list('resident', caseId)).json() as { items: Photo[] }).items.length).toBe(count);
  });

  it('strips EXIF (GPS included) and stores the photo upright', async () => {
    const original = await jpegWithGps();
    const originalMeta = await sharp(original).metadata();
    expect(originalMeta.orientation).toBe(6);
    expect(hasGpsTag(originalMeta.exif!)).toBe(true);
    expect(original.includes(Buffer.from('GongzhiTestCam'))).toBe(true);

    const res = await upload('resident', caseId, 'report', [{ bytes: original, name: 'gps.jpg', type: 'image/jpeg' }]);
    expect(res.statusCode, res.body).toBe(201);
    const [photo] = (res.json() as { items: Photo[] }).items;
    // 200×100 with orientation 6 is a portrait photo: stored as 100×200 pixels
    expect(photo).toMatchObject({ mime: 'image/jpeg', width: 100, height: 200 });
    const stored = (await t.request({ url: photo!.url, token: token.resident })).rawPayload;
    const meta = await sharp(stored).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 100, height: 200 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(stored.includes(Buffer.from('Exif\0\0'))).toBe(false);
    expect(stored.includes(Buffer.from('GongzhiTestCam'))).toBe(false);
    const thumb = await sharp((await t.request({ url: photo!.thumbnailUrl, token: token.resident })).rawPayload).metadata();
    expect([thumb.width, thumb.height, thumb.exif]).toEqual([100, 200, undefined]);
  });

  it('refuses a file over the size limit (413), too many files at once (413) and more photos than a case may hold (422)', async () => {
    const id = await report('resident', '楼道灯坏了，晚上很黑');
    const big = Buffer.concat([await jpeg(), Buffer.alloc(LIMITS.photoMaxBytes)]);
    const tooLarge = await upload('resident', id, 'report', [{ bytes: big, name: 'big.jpg', type: 'image/jpeg' }]);
    expect(errorOf(tooLarge)).toEqual({ status: 413, code: 'PHOTO_TOO_LARGE' });
    expect((tooLarge.json() as { error: { message: string } }).error.message).toContain('2');

    const four = await Promise.all([jpeg(), jpeg(), jpeg(), jpeg()]);
    const tooMany = await upload('resident', id, 'report', four.map((bytes, i) => ({ bytes, name: `${i}.jpg`, type: 'image/jpeg' })));
    expect(errorOf(tooMany)).toEqual({ status: 413, code: 'PHOTO_TOO_MANY_FILES' });

    const three = four.slice(0, 3).map((bytes, i) => ({ bytes, name: `${i}.jpg`, type: 'image/jpeg' }));
    expect((await upload('resident', id, 'report', three)).statusCode).toBe(201);
    expect((await upload('resident', id, 'report', three)).statusCode).toBe(201);
    const full = await upload('resident', id, 'report', three.slice(0, 1));
    expect(errorOf(full)).toEqual({ status: 422, code: 'PHOTO_CASE_LIMIT' });
    expect(((await list('resident', id)).json() as { items: Photo[] }).items).toHaveLength(LIMITS.photoMaxPerCase);
  });

  it('refuses decompression bombs by their pixel count', async () => {
    // 2,100 × 2,000 = 4.2 megapixels over a 4 MP limit, though the PNG is only a few kilobytes
    const bomb = await png(2100, 2000);
    expect(bomb.length).toBeLessThan(100_000);
    const res = await upload('resident', caseId, 'report', [{ bytes: bomb, name: 'bomb.png', type: 'image/png' }]);
    expect(errorOf(res)).toEqual({ status: 422, code: 'PHOTO_TOO_MANY_PIXELS' });
  });

  it('validates the form: a stage is required and must be known, files go under "files", JSON is not an upload', async () => {
    const file = [{ bytes: await jpeg(), name: 'a.jpg', type: 'image/jpeg' }];
    expect(errorOf(await upload('resident', caseId, null, file))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await upload('resident', caseId, 'afterwards', file))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await upload('resident', caseId, 'report', []))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await upload('resident', caseId, 'report', file, 'picture'))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const json = await t.request({ method: 'POST', url: `/api/cases/${caseId}/photos`, token: token.resident, body: { stage: 'report' } });
    expect(errorOf(json)).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    // JSON routes still refuse multipart bodies: the multipart parser lives only on the upload route
    const form = await multipart({ description: 'x' }, []);
    const elsewhere = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { authorization: `Bearer ${token.resident}`, 'content-type': form.contentType }, payload: form.payload });
    expect(errorOf(elsewhere)).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('shows photos to whoever can see the case, and to nobody else (404)', async () => {
    const [photo] = ((await list('resident', caseId)).json() as { items: Photo[] }).items;
    for (const who of ['worker', 'dispatcher', 'admin'] as const) {
      expect({ who, status: (await list(who, caseId)).statusCode }).toEqual({ who, status: 200 });
      expect({ who, status: (await t.request({ url: photo!.url, token: token[who] })).statusCode }).toEqual({ who, status: 200 });
    }
    // another resident of the same committee, and a department handler whose unit does not have the case
    for (const who of ['neighbour', 'handler'] as const) {
      expect({ who, list: errorOf(await list(who, caseId)) }).toEqual({ who, list: { status: 404, code: 'NOT_FOUND' } });
      expect({ who, image: errorOf(await t.request({ url: photo!.url, token: token[who] })) }).toEqual({ who, image: { status: 404, code: 'NOT_FOUND' } });
      expect({ who, thumb: errorOf(await t.request({ url: photo!.thumbnailUrl, token: token[who] })) }).toEqual({ who, thumb: { status: 404, code: 'NOT_FOUND' } });
      const res = await upload(who, caseId, 'report', [{ bytes: await jpeg(), name: 'a.jpg', type: 'image/jpeg' }]);
      expect({ who, upload: errorOf(res) }).toEqual({ who, upload: { status: 404, code: 'NOT_FOUND' } });
    }
    expect(errorOf(await t.request({ url: '/api/photos/00000000-0000-4000-8000-000000000000', token: token.admin }))).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect((await t.request({ url: photo!.url })).statusCode).toBe(401);

    // staff who see the case may add photos too, e.g. the committee's social worker at handling
    const byWorker = await upload('worker', caseId, 'handling', [{ bytes: await webp(64, 64), name: 'w.webp', type: 'image/webp' }]);
    expect(byWorker.statusCode, byWorker.body).toBe(201);
    expect((byWorker.json() as { items: Photo[] }).items[0]).toMatchObject({ stage: 'handling', uploaderName: expect.any(String) });
  });

  it('records every upload on the timeline, in the audit log and as a case.photo_added event', async () => {
    const id = await report('resident', '小区门口垃圾桶满了');
    const res = await upload('resident', id, 'report', [
      { bytes: await jpeg(), name: 'a.jpg', type: 'image/jpeg' },
      { bytes: await png(), name: 'b.png', type: 'image/png' },
    ]);
    expect(res.statusCode).toBe(201);
    const ids = (res.json() as { items: Photo[] }).items.map((p) => p.id);

    const detail = (await t.request({ url: `/api/cases/${id}`, token: token.resident })).json() as { timeline: Array<{ action: string; fromStatus: string | null; toStatus: string; details: Record<string, unknown> }> };
    const entry = detail.timeline.find((e) => e.action === 'photo');
    expect(entry).toMatchObject({ fromStatus: 'reported', toStatus: 'reported', details: { stage: 'report', count: 2, photoIds: ids } });

    const audit = (await t.request({ url: `/api/audit?action=case.photo_add&objectId=${id}`, token: token.admin })).json() as { items: Array<{ details: { photoId: string } }> };
    expect(audit.items.map((a) => a.details.photoId).sort()).toEqual([...ids].sort());
    expect((await t.request({ url: '/api/audit/verify', token: token.admin })).json()).toMatchObject({ ok: true });

    const events = await t.database.db.selectFrom('outbox_events').select(['type', 'payload']).where('aggregate_id', '=', id).where('type', '=', 'case.photo_added').execute();
    expect(events).toHaveLength(2);
  });

  it('takes no photos once a case is rejected or closed, but still shows the ones it has', async () => {
    const id = await report('resident', '楼下有人乱停车');
    expect((await upload('resident', id, 'report', [{ bytes: await jpeg(), name: 'a.jpg', type: 'image/jpeg' }])).statusCode).toBe(201);
    const rejected = await t.request({ method: 'POST', url: `/api/cases/${id}/transitions`, token: token.dispatcher, body: { action: 'reject', reason: '不属于本平台受理范围' } });
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    const before = filesUnder(photoDir).length;
    for (const who of ['resident', 'dispatcher'] as const) {
      const res = await upload(who, id, 'verification', [{ bytes: await jpeg(), name: 'a.jpg', type: 'image/jpeg' }]);
      expect({ who, ...errorOf(res) }).toEqual({ who, status: 409, code: 'PHOTO_CASE_CLOSED' });
    }
    expect(filesUnder(photoDir).length).toBe(before);
    const listed = (await list('resident', id)).json() as { items: Photo[] };
    expect(listed.items).toHaveLength(1);
    expect((await t.request({ url: listed.items[0]!.url, token: token.resident })).statusCode).toBe(200);
  });

  it('leaves no file without a row and no row without its files, also when uploads race for the last places', async () => {
    const id = await report('resident', '电梯按钮坏了');
    const files = async () => Promise.all([jpeg(300, 200), jpeg(300, 200), jpeg(300, 200)]).then((all) => all.map((bytes, i) => ({ bytes, name: `${i}.jpg`, type: 'image/jpeg' })));
    expect((await upload('resident', id, 'report', await files())).statusCode).toBe(201);
    // 3 of 6 places left; two uploads of 2 and 3 photos race: at most one can be kept whole
    const results = await Promise.all([upload('resident', id, 'report', (await files()).slice(0, 2)), upload('worker', id, 'handling', await files())]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201).length).toBeGreaterThanOrEqual(1);
    expect(codes.every((c) => c === 201 || c === 422)).toBe(true);
    const count = ((await list('resident', id)).json() as { items: Photo[] }).items.length;
    expect(count).toBeLessThanOrEqual(LIMITS.photoMaxPerCase);

    const rows = await t.database.db.selectFrom('case_photos').select(['id', 'mime']).execute();
    const expected = rows.flatMap((r) => {
      const ext = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }[r.mime]!;
      const dir = join(r.id.slice(0, 2), r.id.slice(2, 4));
      return [join(dir, `${r.id}.${ext}`), join(dir, `${r.id}.thumb.webp`)];
    });
    expect(filesUnder(photoDir).sort()).toEqual(expected.sort());
  });
  it('sweeps files whose upload never committed, once they are an hour old, and keeps every recorded photo', async () => {
    const store = new PhotoStore(photoDir);
    expect((await upload('resident', await report('resident', '垃圾桶满了'), 'report', [{ bytes: await jpeg(), name: 'bin.jpg', type: 'image/jpeg' }])).statusCode).toBe(201);
    const recorded = filesUnder(photoDir).sort();
    expect(recorded.length).toBeGreaterThan(0);
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000);
    const age = (path: string) => utimesSync(path, twoHoursAgo, twoHoursAgo);
    // recorded photos, however old, stay
    for (const file of recorded) age(join(photoDir, file));
    const orphan = randomUUID();
    const dir = join(photoDir, orphan.slice(0, 2), orphan.slice(2, 4));
    mkdirSync(dir, { recursive: true });
    for (const name of [`${orphan}.jpg`, `${orphan}.thumb.webp`, `${orphan}.jpg.1a2b3c4d5e6f.tmp`]) {
      writeFileSync(join(dir, name), 'x');
      age(join(dir, name));
    }
    // an upload still in flight: its files are new and its row not yet committed
    const inFlight = randomUUID();
    mkdirSync(dirname(store.imagePath(inFlight, 'jpeg')), { recursive: true });
    writeFileSync(store.imagePath(inFlight, 'jpeg'), 'x');

    expect(await sweepOrphanPhotos(t.database.db, store, new Date())).toBe(3);
    expect(filesUnder(photoDir).sort()).toEqual([...recorded, relative(photoDir, store.imagePath(inFlight, 'jpeg'))].sort());
  });
});
