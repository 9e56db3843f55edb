import { expect } from 'chai';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { AddPhotos } from '../../src/application/photos/add-photos.js';
import { PrintRenditions } from '../../src/application/reports/print-renditions.js';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import { PhotoRepository } from '../../src/ports/photo-repository.js';
import { buildTestApp } from '../support/api.js';
import { Actors } from '../support/actors.js';
import { createInspectionAs, fakeImageBytes } from '../support/inspections.js';
import { EXIF_MARKER, realJpeg, withGpsExif } from '../support/photos.js';

const incoming = (b: Buffer, name: string) => ({
  originalName: name,
  size: b.length,
  head: new Uint8Array(b.subarray(0, 16)),
  sha256: createHash('sha256').update(b).digest('hex'),
  open: () => b,
});

async function bytesOf(body: Buffer | NodeJS.ReadableStream): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('print renditions (sharp, filesystem store, in-memory records)', function () {
  this.timeout(30_000);

  it('makes a 1200 px JPEG once per photo (PHOTO_RENDITION_MAX_PX), stores it beside the original and reuses it', async () => {
    const t = buildTestApp({ env: { PHOTO_RENDITION_MAX_PX: '1200' } });
    const inspector = await new Actors(t.container).create('INSPECTOR');
    const i = await createInspectionAs(t.container, inspector);
    const original = await realJpeg(2000, 1500, 3, 92);
    const [view] = await t.container
      .get(AddPhotos)
      .execute({ userId: inspector.user.id, role: 'INSPECTOR' }, i.id, [incoming(original, 'big.jpg')], []);
    const photos = t.container.get<PhotoRepository>(PhotoRepository);
    const renditions = t.container.get(PrintRenditions);
    const storage = t.container.get<ObjectStorage>(ObjectStorage);

    const first = await renditions.open((await photos.findById(view?.id as string))!);
    const bytes = await bytesOf(first.body as Buffer);
    const meta = await sharp(bytes).metadata();
    expect(first.contentType).to.equal('image/jpeg');
    expect([meta.width, meta.height, meta.format]).to.deep.equal([1200, 900, 'jpeg']);
    expect(bytes.length, 'the rendition is much smaller than the original').to.be.lessThan(original.length / 2);
    const recorded = (await photos.findById(view?.id as string))!;
    expect(recorded.renditionKey).to.match(/\/photos\/[0-9a-f-]{36}\.print\.jpg$/);
    expect(recorded.renditionSizeBytes).to.equal(bytes.length);
    expect(recorded.renditionSha256, "the rendition's hash is recorded").to.equal(
      createHash('sha256').update(bytes).digest('hex'),
    );
    expect((await storage.head(recorded.renditionKey as string))?.size).to.equal(bytes.length);

    const before = (await storage.head(recorded.renditionKey as string))?.lastModified.getTime();
    const second = await renditions.open(recorded);
    expect(await bytesOf(second.body as Buffer)).to.deep.equal(bytes);
    expect((await storage.head(recorded.renditionKey as string))?.lastModified.getTime(), 'not made again').to.equal(
      before,
    );
  });

  it("a rendition carries none of the original's metadata: no EXIF, no GPS (ensure() makes it once, then reuses it)", async () => {
    const t = buildTestApp();
    const inspector = await new Actors(t.container).create('INSPECTOR');
    const i = await createInspectionAs(t.container, inspector);
    const original = await withGpsExif(await realJpeg(1000, 750, 5, 90));
    const before = await sharp(original).metadata();
    expect(before.exif, 'the original has EXIF').to.be.an.instanceOf(Buffer);
    expect(original.includes(Buffer.from(EXIF_MARKER))).to.equal(true);
    const [view] = await t.container
      .get(AddPhotos)
      .execute({ userId: inspector.user.id, role: 'INSPECTOR' }, i.id, [incoming(original, 'gps.jpg')], []);
    const photos = t.container.get<PhotoRepository>(PhotoRepository);
    const storage = t.container.get<ObjectStorage>(ObjectStorage);
    const renditions = t.container.get(PrintRenditions);
    const made = await renditions.ensure((await photos.findById(view?.id as string))!);
    const bytes = await bytesOf(await storage.get(made.key));
    expect(made.size).to.equal(bytes.length);
    const after = await sharp(bytes).metadata();
    expect([after.exif, after.xmp, after.iptc], 'no EXIF, XMP or IPTC').to.deep.equal([
      undefined,
      undefined,
      undefined,
    ]);
    expect(bytes.includes(Buffer.from(EXIF_MARKER))).to.equal(false);
    expect(bytes.includes(Buffer.from('Exif\0\0', 'binary'))).to.equal(false);
    expect(await renditions.ensure((await photos.findById(view?.id as string))!), 'recorded: reused').to.deep.equal(
      made,
    );
  });

  it('never enlarges a small photo; refuses bytes that only look like an image, at upload and when a stored one no longer decodes', async () => {
    const t = buildTestApp();
    const inspector = await new Actors(t.container).create('INSPECTOR');
    const i = await createInspectionAs(t.container, inspector);
    const actor = { userId: inspector.user.id, role: 'INSPECTOR' as const };
    try {
      await t.container.get(AddPhotos).execute(actor, i.id, [incoming(fakeImageBytes('jpeg', 500), 'fake.jpg')], []);
      expect.fail('refused at upload');
    } catch (e) {
      expect((e as { code?: string }).code).to.equal('PHOTO.UNREADABLE');
    }
    const [small, later] = await t.container
      .get(AddPhotos)
      .execute(
        actor,
        i.id,
        [incoming(await realJpeg(320, 240, 1), 's.jpg'), incoming(await realJpeg(320, 240, 2), 'later.jpg')],
        [],
      );
    const photos = t.container.get<PhotoRepository>(PhotoRepository);
    const r = await t.container.get(PrintRenditions).open((await photos.findById(small?.id as string))!);
    expect((await sharp(await bytesOf(r.body as Buffer)).metadata()).width).to.equal(320);
    // A stored original damaged after the upload (a bad copy, a storage fault).
    const damaged = (await photos.findById(later?.id as string))!;
    await t.container
      .get<ObjectStorage>(ObjectStorage)
      .put(damaged.storageKey, fakeImageBytes('jpeg', 500), { contentType: 'image/jpeg' });
    try {
      await t.container.get(PrintRenditions).open(damaged);
      expect.fail('not decodable');
    } catch (e) {
      expect((e as { code?: string }).code).to.equal('PHOTO.UNREADABLE');
    }
  });
});
