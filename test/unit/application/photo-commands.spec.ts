import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { AddPhotos } from '../../../src/application/photos/add-photos.js';
import { DeletePhoto } from '../../../src/application/photos/delete-photo.js';
import { MAX_PHOTOS_PER_REQUEST } from '../../../src/application/photos/deps.js';
import { ReorderPhotos } from '../../../src/application/photos/reorder-photos.js';
import { ReplacePhotoFile } from '../../../src/application/photos/replace-photo-file.js';
import { UpdatePhotoMetadata } from '../../../src/application/photos/update-photo-metadata.js';
import { PrintRenditions } from '../../../src/application/reports/print-renditions.js';
import type { Inspection } from '../../../src/domain/inspection/inspection.js';
import type { TestActor } from '../../support/actors.js';
import { fakeImageBytes, imageBytes } from '../../support/inspections.js';
import {
  as,
  code,
  DAY,
  fileOf,
  hookedWorld,
  keysUnder,
  storedInspection,
  storedPhoto,
  type HookedStorage,
  type World,
} from './fixtures.js';

describe('inspection photo commands (memory adapters, filesystem storage)', () => {
  let w: World & { hooked: HookedStorage };
  let inspector: TestActor;
  let reviewer: TestActor;
  let i: Inspection;

  async function setUp(env: Record<string, string> = {}) {
    w = hookedWorld({ env });
    inspector = await w.actors.create('INSPECTOR');
    reviewer = await w.actors.create('REVIEWER');
    i = await storedInspection(w, inspector);
  }
  beforeEach(() => setUp());
  afterEach(() => w.cleanup());

  const objects = (inspection: { id: string } = i) => keysUnder(w.storage, `inspections/${inspection.id}/`);
  const rows = (inspection: { id: string } = i) => w.tx((tx) => tx.photos.listForInspection(inspection.id));
  const add = (
    files = [fileOf(imageBytes('jpeg', 2048, 1))],
    meta: Array<Record<string, unknown>> = [],
    a: TestActor = inspector,
    id = i.id,
  ) => w.c.get(AddPhotos).execute(as(a), id, files, meta);
  const approve = () => w.tx((tx) => tx.inspections.update(i.id, { status: 'APPROVED' }, w.clock.now()));
  const pendingDeletions = () => w.tx((tx) => tx.deletions.due(new Date(w.clock.now().getTime() + DAY), 100));

  describe('adding', () => {
    it('stores each file, then the rows with default or given metadata in order after the existing ones; audited', async () => {
      await storedPhoto(w, i.id, { sortOrder: 4 });
      const added = await add(
        [fileOf(imageBytes('jpeg', 3000, 1), 'a.jpg'), fileOf(imageBytes('webp', 1000, 2), 'b.webp')],
        [{ label: 'Dashboard', category: 'INTERIOR', needAttention: true }],
      );
      expect(
        added.map((p) => [
          p.label,
          p.category,
          p.needAttention,
          p.displayInPdf,
          p.isDocument,
          p.isMandatory,
          p.sortOrder,
          p.contentType,
          p.originalName,
        ]),
      ).to.deep.equal([
        ['Dashboard', 'INTERIOR', true, true, false, false, 5, 'image/jpeg', 'a.jpg'],
        ['', 'GENERAL', false, true, false, false, 6, 'image/webp', 'b.webp'],
      ]);
      expect(added[0]?.url).to.be.a('string').and.not.empty;
      expect(await objects()).to.include.members([
        `inspections/${i.id}/photos/${added[0]?.id}.jpg`,
        `inspections/${i.id}/photos/${added[1]?.id}.webp`,
      ]);
      expect((await w.audit({ action: 'PHOTO_ADDED' }))[0]?.metadata).to.deep.equal({
        photoIds: added.map((p) => p.id),
      });
    });

    it('checks every file before storing anything: none, too many, too large, not an image, not decodable', async () => {
      const jpeg = fileOf(imageBytes('jpeg'));
      expect(await code(add([]))).to.equal('PHOTO.NO_FILE');
      expect(await code(add(Array.from({ length: MAX_PHOTOS_PER_REQUEST + 1 }, () => jpeg)))).to.equal(
        'PHOTO.TOO_MANY',
      );
      expect(await code(add([jpeg, fileOf(imageBytes('pdf'), 'scan.pdf')]))).to.equal('PHOTO.UNSUPPORTED_TYPE');
      expect(await code(add([jpeg, fileOf(fakeImageBytes('png'), 'broken.png')]))).to.equal('PHOTO.UNREADABLE');
      expect(await objects()).to.deep.equal([]);
      w.cleanup();
      await setUp({ PHOTO_MAX_MB: '1' });
      expect(await code(add([fileOf(imageBytes('jpeg', 1024 * 1024 + 1))]))).to.equal('PHOTO.TOO_LARGE');
      expect(await objects()).to.deep.equal([]);
    });

    it('only to an inspection in review that the caller sees', async () => {
      expect(await code(add(undefined, [], await w.actors.create('INSPECTOR')))).to.equal('INSPECTION.NOT_FOUND');
      expect(await code(add(undefined, [], reviewer)), 'staff add photos too').to.equal('OK');
      await approve();
      expect(await code(add())).to.equal('INSPECTION.NOT_EDITABLE');
      expect(await rows()).to.have.length(1);
    });

    it('when the inspection is approved while the files upload, no row is written and the uploaded objects are deleted', async () => {
      w.hooked.afterPut = async () => {
        w.hooked.afterPut = undefined;
        await approve();
      };
      expect(await code(add([fileOf(imageBytes('jpeg', 2048, 1)), fileOf(imageBytes('jpeg', 2048, 2))]))).to.equal(
        'INSPECTION.NOT_EDITABLE',
      );
      expect(await rows()).to.deep.equal([]);
      expect(await objects()).to.deep.equal([]);
      expect(await pendingDeletions()).to.deep.equal([]);
    });

    it('an upload that cannot be deleted at once stays queued for the sweeper', async () => {
      w.hooked.afterPut = async () => {
        w.hooked.afterPut = undefined;
        await approve();
      };
      w.hooked.failDeletes = new Error('disk unavailable');
      expect(await code(add())).to.equal('INSPECTION.NOT_EDITABLE');
      expect(await w.tx((tx) => tx.deletions.due(w.clock.now(), 10)), 'not due again at once (backoff)').to.deep.equal(
        [],
      );
      const [pending] = await w.tx((tx) => tx.deletions.due(new Date(w.clock.now().getTime() + 365 * DAY), 10));
      expect(pending).to.deep.include({
        attempts: 1,
        lastError: 'disk unavailable',
        nextAttemptAt: new Date(w.clock.now().getTime() + 60_000),
      });
      expect(pending?.key).to.match(new RegExp(`^inspections/${i.id}/photos/`));
    });
  });

  describe('changing one photo', () => {
    it('updates its metadata (audit names the fields); a photo of another inspection is PHOTO.NOT_FOUND', async () => {
      const p = await storedPhoto(w, i.id);
      const updated = await w.c
        .get(UpdatePhotoMetadata)
        .execute(as(reviewer), i.id, p.id, { label: 'Dent', needAttention: true, displayInPdf: false });
      expect(updated).to.deep.include({
        id: p.id,
        label: 'Dent',
        needAttention: true,
        displayInPdf: false,
        category: 'EXTERIOR',
      });
      expect(updated).to.not.have.property('storageKey');
      expect((await w.audit({ action: 'PHOTO_UPDATED' }))[0]?.metadata).to.deep.equal({
        fields: ['label', 'needAttention', 'displayInPdf'],
      });
      const other = await storedInspection(w, inspector);
      expect(await code(w.c.get(UpdatePhotoMetadata).execute(as(reviewer), other.id, p.id, { label: 'x' }))).to.equal(
        'PHOTO.NOT_FOUND',
      );
      expect(
        await code(w.c.get(UpdatePhotoMetadata).execute(as(reviewer), i.id, randomUUID(), { label: 'x' })),
      ).to.equal('PHOTO.NOT_FOUND');
    });

    it('replaces its file: new object and hash, the old original and its rendition deleted; audited', async () => {
      const p = await storedPhoto(w, i.id);
      const rendition = await w.c.get(PrintRenditions).ensure(p);
      const bytes = imageBytes('png', 4096, 9);
      const file = fileOf(bytes, 'new.png');
      const replaced = await w.c.get(ReplacePhotoFile).execute(as(inspector), i.id, p.id, file);
      expect(replaced).to.deep.include({
        id: p.id,
        contentType: 'image/png',
        sizeBytes: 4096,
        sha256: file.sha256,
        originalName: 'new.png',
      });
      const row = await w.tx((tx) => tx.photos.findById(p.id));
      expect(row?.storageKey).to.match(new RegExp(`^inspections/${i.id}/photos/[0-9a-f-]+\\.png$`));
      expect(row?.renditionKey, 'the new file has no rendition yet').to.equal(null);
      expect(await objects()).to.deep.equal([row?.storageKey]);
      expect(w.hooked.deleted).to.have.members([p.storageKey, rendition.key]);
      expect((await w.audit({ action: 'PHOTO_REPLACED' }))[0]?.metadata).to.deep.equal({
        previousSha256: p.sha256,
        sha256: file.sha256,
      });
    });

    it('replacing an unknown photo deletes the uploaded file again', async () => {
      expect(
        await code(w.c.get(ReplacePhotoFile).execute(as(inspector), i.id, randomUUID(), fileOf(imageBytes('jpeg')))),
      ).to.equal('PHOTO.NOT_FOUND');
      expect(await objects()).to.deep.equal([]);
      expect(await pendingDeletions()).to.deep.equal([]);
    });

    it('deletes it: row, original and rendition; a photo of another inspection is PHOTO.NOT_FOUND', async () => {
      const p = await storedPhoto(w, i.id);
      const keep = await storedPhoto(w, i.id, { sortOrder: 1 });
      await w.c.get(PrintRenditions).ensure(p);
      const other = await storedInspection(w, inspector);
      expect(await code(w.c.get(DeletePhoto).execute(as(inspector), other.id, p.id))).to.equal('PHOTO.NOT_FOUND');
      await w.c.get(DeletePhoto).execute(as(inspector), i.id, p.id);
      expect((await rows()).map((r) => r.id)).to.deep.equal([keep.id]);
      expect(await objects()).to.deep.equal([keep.storageKey]);
      expect((await w.audit({ action: 'PHOTO_DELETED' }))[0]).to.deep.include({
        entityId: p.id,
        metadata: { inspectionId: i.id },
      });
      expect(await code(w.c.get(DeletePhoto).execute(as(inspector), i.id, p.id))).to.equal('PHOTO.NOT_FOUND');
    });

    it('after approval nothing changes: INSPECTION.NOT_EDITABLE', async () => {
      const p = await storedPhoto(w, i.id);
      await approve();
      expect(await code(w.c.get(UpdatePhotoMetadata).execute(as(reviewer), i.id, p.id, { label: 'x' }))).to.equal(
        'INSPECTION.NOT_EDITABLE',
      );
      expect(
        await code(w.c.get(ReplacePhotoFile).execute(as(reviewer), i.id, p.id, fileOf(imageBytes('jpeg')))),
      ).to.equal('INSPECTION.NOT_EDITABLE');
      expect(await code(w.c.get(DeletePhoto).execute(as(reviewer), i.id, p.id))).to.equal('INSPECTION.NOT_EDITABLE');
      expect(await code(w.c.get(ReorderPhotos).execute(as(reviewer), i.id, [p.id]))).to.equal(
        'INSPECTION.NOT_EDITABLE',
      );
      expect(await objects()).to.deep.equal([p.storageKey]);
    });
  });

  describe('reordering', () => {
    it("takes exactly the inspection's photos in the new order; anything else is PHOTO.ORDER_MISMATCH", async () => {
      const a = await storedPhoto(w, i.id, { sortOrder: 0 });
      const b = await storedPhoto(w, i.id, { sortOrder: 1 });
      const c = await storedPhoto(w, i.id, { sortOrder: 2 });
      const reorder = (ids: string[]) => w.c.get(ReorderPhotos).execute(as(reviewer), i.id, ids);
      for (const ids of [
        [a.id, b.id],
        [a.id, b.id, c.id, randomUUID()],
        [a.id, a.id, b.id],
        [a.id, b.id, randomUUID()],
        [],
      ]) {
        expect(await code(reorder(ids)), JSON.stringify(ids)).to.equal('PHOTO.ORDER_MISMATCH');
      }
      const ordered = await reorder([c.id, a.id, b.id]);
      expect(ordered.map((p) => [p.id, p.sortOrder])).to.deep.equal([
        [c.id, 0],
        [a.id, 1],
        [b.id, 2],
      ]);
      expect(await w.audit({ action: 'PHOTOS_REORDERED' })).to.have.length(1);
    });
  });
});
