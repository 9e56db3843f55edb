import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Inspection } from '../../src/domain/inspection/inspection.js';
import type { InspectionPhoto } from '../../src/domain/inspection/photo.js';
import type { NewInspection } from '../../src/ports/inspection-repository.js';
import type { TransactionalPorts, UnitOfWork } from '../../src/ports/unit-of-work.js';
import type { PersistenceUnderTest } from './harness.js';
import { newUser } from './user-repository.contract.js';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

export const newInspection = (
  over: Partial<NewInspection> & Pick<NewInspection, 'inspectorId' | 'branchCityId'>,
): NewInspection => ({
  id: randomUUID(),
  prettyId: `YOG-01012026-${randomUUID().slice(0, 6)}`,
  plateNumber: 'AB 1234 CD',
  inspectionDate: '2026-01-01',
  overallRating: 8.5,
  customerUserId: null,
  customerVehicleId: null,
  identityDetails: { namaInspektor: 'Ina', namaCustomer: 'Budi Santoso' },
  vehicleData: { merekKendaraan: 'Toyota', tipeKendaraan: 'Avanza', tahun: 2019 },
  equipmentChecklist: { bukuService: true },
  inspectionSummary: { estimasiPerbaikan: [{ namaPart: 'Ban', harga: 500000 }] },
  detailedAssessment: { testDrive: { rem: 8 } },
  bodyPaintThickness: { front: 110 },
  notesFontSizes: {},
  ...over,
});

/** InspectionRepository, ChangeLogRepository, PhotoRepository, PendingDeletions, ReportJobQueue. */
export function inspectionPortsContract(subject: PersistenceUnderTest): void {
  describe(`inspection persistence contract: ${subject.name}`, () => {
    let p: TransactionalPorts & { uow: UnitOfWork };
    let inspectorId: string;
    let branchId: string;
    let otherBranchId: string;

    beforeEach(async () => {
      p = await subject.create();
      branchId = (await p.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, t0)).id;
      otherBranchId = (await p.branches.create({ id: randomUUID(), name: 'Solo', code: 'SOL' }, t0)).id;
      inspectorId = (
        await p.users.create(
          newUser({ role: 'INSPECTOR', branchCityId: branchId, passwordHash: null, pinHash: 'h' }),
          t0,
        )
      ).id;
    });

    it('creates an inspection in NEED_REVIEW and round-trips every field', async () => {
      const input = newInspection({ inspectorId, branchCityId: branchId });
      const created = await p.inspections.create(input, t0);
      expect(created).to.deep.include({ ...input, status: 'NEED_REVIEW', reviewerId: null, approvedAt: null });
      const found = (await p.inspections.findById(input.id)) as Inspection;
      expect(found).to.deep.include({ ...input, status: 'NEED_REVIEW' });
      expect(found.createdAt.toISOString()).to.equal(t0.toISOString());
      expect((await p.inspections.findByPrettyId(input.prettyId))?.id).to.equal(input.id);
      expect(await p.inspections.findById(randomUUID())).to.equal(null);
    });

    it('numbers per (branch, date) without gaps or duplicates, even concurrently', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, () => p.uow.run((tx) => tx.inspections.nextSequence(branchId, '2026-01-01'))),
      );
      expect([...results].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await p.inspections.nextSequence(branchId, '2026-01-02')).to.equal(1);
      expect(await p.inspections.nextSequence(otherBranchId, '2026-01-01')).to.equal(1);
      expect(await p.inspections.nextSequence(branchId, '2026-01-01')).to.equal(51);
    });

    it('filters by status, branch, inspector, date range, plate and keyword, newest date first', async () => {
      const mk = (over: Partial<NewInspection>, s: number) =>
        p.inspections.create(newInspection({ inspectorId, branchCityId: branchId, ...over }), at(s));
      const a = await mk(
        {
          inspectionDate: '2026-01-05',
          plateNumber: 'B 1 XYZ',
          vehicleData: { merekKendaraan: 'Honda', tipeKendaraan: 'Jazz' },
        },
        1,
      );
      const b = await mk({ inspectionDate: '2026-01-03', identityDetails: { namaCustomer: 'Siti Rahma' } }, 2);
      const c = await mk({ inspectionDate: '2026-01-04', branchCityId: otherBranchId }, 3);
      await p.inspections.update(b.id, { status: 'APPROVED' }, at(4));
      const ids = async (f: Parameters<typeof p.inspections.list>[0]) =>
        (await p.inspections.list(f, { page: 1, pageSize: 50 })).items.map((i) => i.id);
      expect(await ids({})).to.deep.equal([a.id, c.id, b.id]);
      expect(await ids({ status: ['APPROVED'] })).to.deep.equal([b.id]);
      expect(await ids({ status: ['APPROVED', 'NEED_REVIEW'], branchCityId: branchId })).to.deep.equal([a.id, b.id]);
      expect(await ids({ inspectorId: randomUUID() })).to.deep.equal([]);
      expect(await ids({ dateFrom: '2026-01-04', dateTo: '2026-01-05' })).to.deep.equal([a.id, c.id]);
      expect(await ids({ plate: 'b1xyz' })).to.deep.equal([a.id]);
      expect(await ids({ keyword: 'hond' }), 'prefix match on make').to.deep.equal([a.id]);
      expect(await ids({ keyword: 'siti rah' }), 'every word must match').to.deep.equal([b.id]);
      expect(await ids({ keyword: 'siti honda' })).to.deep.equal([]);
      expect(await ids({ keyword: a.prettyId.toLowerCase() })).to.deep.equal([a.id]);
      expect(await ids({ keyword: '!!!' }), 'a keyword without words matches nothing').to.deep.equal([]);
      const page = await p.inspections.list({}, { page: 2, pageSize: 2 });
      expect(page).to.deep.include({ total: 3, page: 2, pageSize: 2 });
      expect(page.items.map((i) => i.id)).to.deep.equal([b.id]);
    });

    it('updates scalars and sections; records and returns status history in order', async () => {
      const i = await p.inspections.create(newInspection({ inspectorId, branchCityId: branchId }), t0);
      const updated = await p.inspections.update(
        i.id,
        {
          status: 'APPROVED',
          reviewerId: inspectorId,
          approvedAt: at(5),
          overallRating: 7,
          vehicleData: { merekKendaraan: 'Mazda' },
        },
        at(5),
      );
      expect(updated).to.deep.include({
        status: 'APPROVED',
        reviewerId: inspectorId,
        overallRating: 7,
        vehicleData: { merekKendaraan: 'Mazda' },
      });
      expect(updated?.approvedAt?.toISOString()).to.equal(at(5).toISOString());
      expect(updated?.inspectionSummary, 'untouched sections stay').to.deep.equal(i.inspectionSummary);
      await p.inspections.recordStatusChange({
        id: randomUUID(),
        inspectionId: i.id,
        fromStatus: null,
        toStatus: 'NEED_REVIEW',
        actorId: inspectorId,
        reason: null,
        createdAt: t0,
      });
      await p.inspections.recordStatusChange({
        id: randomUUID(),
        inspectionId: i.id,
        fromStatus: 'NEED_REVIEW',
        toStatus: 'APPROVED',
        actorId: inspectorId,
        reason: 'ok',
        createdAt: at(5),
      });
      expect((await p.inspections.statusHistory(i.id)).map((h) => [h.fromStatus, h.toStatus, h.reason])).to.deep.equal([
        [null, 'NEED_REVIEW', null],
        ['NEED_REVIEW', 'APPROVED', 'ok'],
      ]);
      expect(await p.inspections.update(randomUUID(), { overallRating: 1 }, t0)).to.equal(null);
    });

    it('archive fields start null and round-trip through update', async () => {
      const i = await p.inspections.create(newInspection({ inspectorId, branchCityId: branchId }), t0);
      expect(i).to.deep.include({ nftAssetId: null, blockchainTxHash: null, archivedAt: null });
      const assetId = `${'a1'.repeat(28)}${'0f'.repeat(16)}`;
      const txHash = 'b2'.repeat(32);
      const updated = await p.inspections.update(
        i.id,
        { status: 'ARCHIVED', nftAssetId: assetId, blockchainTxHash: txHash, archivedAt: at(9) },
        at(9),
      );
      expect(updated).to.deep.include({ status: 'ARCHIVED', nftAssetId: assetId, blockchainTxHash: txHash });
      expect(updated?.archivedAt?.toISOString()).to.equal(at(9).toISOString());
      const found = (await p.inspections.findById(i.id)) as Inspection;
      expect(found).to.deep.include({ nftAssetId: assetId, blockchainTxHash: txHash });
      expect(found.archivedAt?.toISOString()).to.equal(at(9).toISOString());
      const untouched = await p.inspections.update(i.id, { overallRating: 6 }, at(10));
      expect(untouched, 'a patch without them keeps them').to.deep.include({
        nftAssetId: assetId,
        blockchainTxHash: txHash,
      });
      const cleared = await p.inspections.update(
        i.id,
        { nftAssetId: null, blockchainTxHash: null, archivedAt: null },
        at(11),
      );
      expect(cleared).to.deep.include({ nftAssetId: null, blockchainTxHash: null, archivedAt: null });
    });

    it('change log: add, list oldest first, find, delete; deleting the inspection removes its entries and photos', async () => {
      const i = await p.inspections.create(newInspection({ inspectorId, branchCityId: branchId }), t0);
      const e1 = {
        id: randomUUID(),
        inspectionId: i.id,
        fieldPath: 'vehicleData.merekKendaraan',
        oldValue: 'Toyota',
        newValue: 'Honda',
        changedBy: inspectorId,
        createdAt: at(1),
      };
      const e2 = { ...e1, id: randomUUID(), newValue: { nested: [1, 2] }, createdAt: at(2) };
      await p.changeLogs.add([e2, e1]);
      expect((await p.changeLogs.listForInspection(i.id)).map((e) => e.id)).to.deep.equal([e1.id, e2.id]);
      expect((await p.changeLogs.findById(e2.id))?.newValue).to.deep.equal({ nested: [1, 2] });
      expect(await p.changeLogs.delete(e1.id)).to.equal(true);
      expect(await p.changeLogs.delete(e1.id)).to.equal(false);
      await p.photos.create(photo(i.id, 0), t0);
      expect(await p.inspections.delete(i.id)).to.equal(true);
      expect(await p.changeLogs.listForInspection(i.id)).to.deep.equal([]);
      expect(await p.photos.listForInspection(i.id)).to.deep.equal([]);
      expect(await p.inspections.delete(i.id)).to.equal(false);
    });

    type NewPhoto = Omit<
      InspectionPhoto,
      'createdAt' | 'updatedAt' | 'renditionKey' | 'renditionSizeBytes' | 'renditionSha256'
    >;
    const photo = (inspectionId: string, sortOrder: number, over: Partial<NewPhoto> = {}): NewPhoto => ({
      id: randomUUID(),
      inspectionId,
      storageKey: `inspections/${inspectionId}/photos/${randomUUID()}.jpg`,
      storageDriver: 'fs',
      contentType: 'image/jpeg',
      sizeBytes: 1234,
      sha256: 'ab'.repeat(32),
      label: `Photo ${sortOrder}`,
      category: 'EXTERIOR',
      isMandatory: false,
      needAttention: false,
      displayInPdf: true,
      isDocument: false,
      sortOrder,
      originalName: 'x.jpg',
      ...over,
    });

    it('photos: create, list in order, update metadata and file, reorder, page by driver, delete', async () => {
      const i = await p.inspections.create(newInspection({ inspectorId, branchCityId: branchId }), t0);
      const a = await p.photos.create(photo(i.id, 0), t0);
      const b = await p.photos.create(photo(i.id, 1, { isDocument: true, category: 'DOCUMENT' }), t0);
      const c = await p.photos.create(photo(i.id, 2, { storageDriver: 's3' }), t0);
      expect((await p.photos.listForInspection(i.id)).map((x) => x.id)).to.deep.equal([a.id, b.id, c.id]);
      const m = await p.photos.updateMetadata(a.id, { label: 'Front', needAttention: true }, at(1));
      expect(m).to.deep.include({ label: 'Front', needAttention: true, category: 'EXTERIOR' });
      const f = await p.photos.updateFile(
        a.id,
        {
          storageKey: 'k2',
          storageDriver: 's3',
          contentType: 'image/png',
          sizeBytes: 99,
          sha256: 'cd'.repeat(32),
          originalName: null,
        },
        at(2),
      );
      expect(f).to.deep.include({
        storageKey: 'k2',
        storageDriver: 's3',
        contentType: 'image/png',
        sizeBytes: 99,
        label: 'Front',
        renditionKey: null,
      });
      expect(f?.renditionSha256).to.equal(null);
      await p.photos.setRendition(a.id, { key: 'k2.print.jpg', sizeBytes: 42, sha256: 'ef'.repeat(32) }, at(2));
      expect(await p.photos.findById(a.id)).to.deep.include({
        renditionKey: 'k2.print.jpg',
        renditionSizeBytes: 42,
        renditionSha256: 'ef'.repeat(32),
      });
      const again = await p.photos.updateFile(
        a.id,
        {
          storageKey: 'k3',
          storageDriver: 's3',
          contentType: 'image/png',
          sizeBytes: 98,
          sha256: 'cd'.repeat(32),
          originalName: null,
        },
        at(2),
      );
      expect(again, 'a new file forgets the old rendition').to.deep.include({
        storageKey: 'k3',
        renditionKey: null,
        renditionSizeBytes: null,
        renditionSha256: null,
      });
      await p.photos.reorder(i.id, [c.id, a.id, b.id], at(3));
      expect((await p.photos.listForInspection(i.id)).map((x) => [x.id, x.sortOrder])).to.deep.equal([
        [c.id, 0],
        [a.id, 1],
        [b.id, 2],
      ]);
      const fsPhotos = await p.photos.listByDriver('fs', null, 10);
      expect(fsPhotos.map((x) => x.id)).to.deep.equal([b.id]);
      const s3 = [a.id, c.id].sort();
      expect((await p.photos.listByDriver('s3', null, 1)).map((x) => x.id)).to.deep.equal([s3[0]]);
      expect((await p.photos.listByDriver('s3', s3[0] as string, 10)).map((x) => x.id)).to.deep.equal([s3[1]]);
      expect(await p.photos.delete(b.id)).to.equal(true);
      expect(await p.photos.findById(b.id)).to.equal(null);
    });

    it('pending deletions: due ones oldest first, failures postponed with the error, done removes', async () => {
      await p.deletions.enqueue(
        [
          { driver: 'fs', key: 'a' },
          { driver: 's3', key: 'b' },
        ],
        t0,
      );
      const due = await p.deletions.due(at(1), 10);
      expect(due.map((d) => d.key).sort()).to.deep.equal(['a', 'b']);
      expect((await p.deletions.due(at(1), 10, 's3')).map((d) => d.key)).to.deep.equal(['b']);
      expect(await p.deletions.due(at(1), 10, 'ipfs-pin')).to.deep.equal([]);
      const a = due.find((d) => d.key === 'a');
      await p.deletions.failed(a?.id as string, 'ECONNREFUSED', at(60));
      expect((await p.deletions.due(at(2), 10)).map((d) => d.key)).to.deep.equal(['b']);
      const later = await p.deletions.due(at(61), 10);
      expect(later.find((d) => d.key === 'a')).to.deep.include({ attempts: 1, lastError: 'ECONNREFUSED' });
      await p.deletions.done(a?.id as string);
      expect(await p.deletions.count()).to.equal(1);
    });

    it('report job requests commit and roll back with the unit of work', async () => {
      const i = await p.inspections.create(newInspection({ inspectorId, branchCityId: branchId }), t0);
      const id = await p.uow.run((tx) => tx.reportJobs.enqueue(i.id, 'single', t0));
      expect(id).to.match(/^[0-9a-f-]{36}$/);
      await p.uow
        .run(async (tx) => {
          await tx.reportJobs.enqueue(i.id, 'bulk', t0);
          await tx.inspections.update(i.id, { status: 'APPROVED' }, t0);
          throw new Error('rollback');
        })
        .catch(() => undefined);
      expect((await p.inspections.findById(i.id))?.status).to.equal('NEED_REVIEW');
    });
  });
}
