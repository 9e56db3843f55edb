import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DownloadMyReport } from '../../../src/application/customer-history/download-my-report.js';
import { GetMyInspection } from '../../../src/application/customer-history/get-my-inspection.js';
import { ListMyInspections } from '../../../src/application/customer-history/list-my-inspections.js';
import type { CustomerVehicle } from '../../../src/domain/customer/vehicle.js';
import type { TestActor } from '../../support/actors.js';
import { fakeImageBytes } from '../../support/inspections.js';
import { code, rejects, storedInspection, storedPhoto, storedReports, world, type World } from './fixtures.js';

describe('customer inspection history use cases (memory adapters, filesystem storage)', () => {
  let w: World;
  let customer: TestActor;
  let other: TestActor;
  let inspector: TestActor;
  let vehicle: CustomerVehicle;

  beforeEach(async () => {
    w = world();
    customer = await w.actors.create('CUSTOMER');
    other = await w.actors.create('CUSTOMER');
    inspector = await w.actors.create('INSPECTOR');
    vehicle = await w.tx((tx) =>
      tx.customerVehicles.create(
        {
          id: randomUUID(),
          customerId: customer.user.id,
          plateNumber: 'B 1 CAR',
          year: 2021,
          transmission: 'AT',
          bodyType: 'MPV',
          brand: 'Honda',
          model: 'Freed',
          colour: 'White',
          specification: {},
          serviceHistory: [],
          vehicleClass: 'REGULAR',
        },
        w.clock.now(),
      ),
    );
  });
  afterEach(() => w.cleanup());

  const list = (a: TestActor, filter = {}, page = {}) => w.c.get(ListMyInspections).execute(a.user.id, filter, page);
  const detail = (a: TestActor, id: string) => w.c.get(GetMyInspection).execute(a.user.id, id);
  const download = (a: TestActor, id: string) => w.c.get(DownloadMyReport).execute(a.user.id, id);
  const unlockFor = (a: TestActor, inspectionId: string) =>
    w.tx(async (tx) => {
      await tx.payments.credits.grantPurchase(
        { customerId: a.user.id, paymentId: randomUUID(), credits: 1, entryId: randomUUID() },
        w.clock.now(),
      );
      return tx.payments.credits.consumeForUnlock(
        { customerId: a.user.id, inspectionId, entryId: randomUUID() },
        w.clock.now(),
      );
    });

  it('lists what the customer owns (owner field, vehicle, request) and what they unlocked, with its access, newest inspection date first', async () => {
    const byField = await storedInspection(w, inspector, {
      customerUserId: customer.user.id,
      inspectionDate: '2026-11-01',
      status: 'ARCHIVED',
    });
    const byVehicle = await storedInspection(w, inspector, {
      customerVehicleId: vehicle.id,
      inspectionDate: '2026-11-03',
    });
    const byRequest = await storedInspection(w, inspector, { inspectionDate: '2026-11-02' });
    const requestId = randomUUID();
    await w.tx(async (tx) => {
      await tx.inspectionRequests.create(
        {
          id: requestId,
          customerId: customer.user.id,
          vehicleId: null,
          vehicleDescription: null,
          vehicleClass: 'REGULAR',
          preferredSchedule: w.clock.now(),
          notes: null,
          priceIdr: 1,
          priceId: null,
          createdBy: customer.user.id,
        },
        w.clock.now(),
      );
      await tx.inspectionRequests.update(requestId, { inspectionId: byRequest.id }, w.clock.now());
    });
    const unlocked = await storedInspection(w, inspector, {
      customerUserId: other.user.id,
      inspectionDate: '2026-10-01',
      status: 'APPROVED',
    });
    await storedReports(w, unlocked.id);
    await unlockFor(customer, unlocked.id);
    await storedInspection(w, inspector, { customerUserId: other.user.id });

    const page = await list(customer);
    expect(page.total).to.equal(4);
    expect(page.items.map((i) => [i.id, i.access])).to.deep.equal([
      [byVehicle.id, 'OWNER'],
      [byRequest.id, 'OWNER'],
      [byField.id, 'OWNER'],
      [unlocked.id, 'UNLOCKED'],
    ]);
    expect(page.items[0]?.vehicle, 'an own vehicle describes the car').to.deep.equal({
      vehicleId: vehicle.id,
      plateNumber: 'B 1 CAR',
      brand: 'Honda',
      model: 'Freed',
      year: 2021,
      vehicleClass: 'REGULAR',
    });
    expect(page.items[1]?.vehicle, 'else the inspection form does').to.deep.equal({
      vehicleId: null,
      plateNumber: 'AB 1234 CD',
      brand: 'Toyota',
      model: 'Avanza',
      year: 2019,
      vehicleClass: null,
    });
    expect(page.items[3]?.reports).to.deep.equal({ full: true, noDocs: true });
    expect(page.items[1]?.reports).to.deep.equal({ full: false, noDocs: false });
    expect((await list(other)).items.map((i) => i.access)).to.deep.equal(['OWNER', 'OWNER']);
    const [audit] = await w.audit({ action: 'VIEW_LIST', actorId: customer.user.id });
    expect(audit?.metadata).to.deep.equal({ filter: {}, page: 1, total: 4 });
  });

  it('filters by status and an inclusive date range; a reversed range is HISTORY.INVALID_RANGE', async () => {
    const a = await storedInspection(w, inspector, {
      customerUserId: customer.user.id,
      inspectionDate: '2026-11-01',
      status: 'ARCHIVED',
    });
    const b = await storedInspection(w, inspector, { customerUserId: customer.user.id, inspectionDate: '2026-11-10' });
    expect((await list(customer, { status: ['ARCHIVED'] })).items.map((i) => i.id)).to.deep.equal([a.id]);
    expect(
      (await list(customer, { dateFrom: '2026-11-01', dateTo: '2026-11-01' })).items.map((i) => i.id),
    ).to.deep.equal([a.id]);
    expect((await list(customer, { dateFrom: '2026-11-02' })).items.map((i) => i.id)).to.deep.equal([b.id]);
    expect((await list(customer, {}, { page: 2, pageSize: 1 })).items.map((i) => i.id)).to.deep.equal([a.id]);
    expect(await code(list(customer, { dateFrom: '2026-11-02', dateTo: '2026-11-01' }))).to.equal(
      'HISTORY.INVALID_RANGE',
    );
  });

  it('the owner sees the whole detail: identity, both report files, their vehicle, printable photos only (as renditions)', async () => {
    const i = await storedInspection(w, inspector, {
      customerUserId: customer.user.id,
      customerVehicleId: vehicle.id,
      status: 'ARCHIVED',
    });
    await storedReports(w, i.id);
    const second = await storedPhoto(w, i.id, { label: 'Rear', sortOrder: 2, needAttention: true });
    const first = await storedPhoto(w, i.id, { label: 'Front', sortOrder: 1 });
    await storedPhoto(w, i.id, { label: 'STNK', sortOrder: 0, isDocument: true, category: 'DOCUMENT' });
    await storedPhoto(w, i.id, { label: 'Hidden', sortOrder: 3, displayInPdf: false });
    const d = await detail(customer, i.id);
    expect(d).to.deep.include({ id: i.id, access: 'OWNER', overallRating: 8.5 });
    expect(d.identityDetails).to.deep.equal({ namaInspektor: 'Ina', namaCustomer: 'Budi Santoso' });
    expect(d.reportFiles.map((r) => r.variant)).to.deep.equal(['full', 'no-docs']);
    expect(d.customerVehicle).to.deep.include({ id: vehicle.id, plateNumber: 'B 1 CAR' });
    expect(d.photos.map((p) => [p.id, p.label, p.needAttention, p.contentType])).to.deep.equal([
      [first.id, 'Front', false, 'image/jpeg'],
      [second.id, 'Rear', true, 'image/jpeg'],
    ]);
    const stored = await w.tx((tx) => tx.photos.findById(first.id));
    expect(stored?.renditionKey, 'the rendition was made and recorded').to.be.a('string');
    expect(d.photos[0]?.sizeBytes).to.equal(stored?.renditionSizeBytes);
    expect(stored?.renditionKey).to.equal(`inspections/${i.id}/photos/${first.id}.print.jpg`);
    expect(d.photos[0]?.url, 'the URL serves the rendition, not the original').to.contain(`${first.id}.print.jpg`);
    expect((await w.audit({ action: 'VIEW_DETAIL', entityId: i.id }))[0]?.metadata).to.deep.equal({ access: 'OWNER' });
  });

  it('an unlocked report shows no identity, only the public report file and no vehicle record', async () => {
    const i = await storedInspection(w, inspector, { customerUserId: other.user.id, status: 'ARCHIVED' });
    await storedReports(w, i.id);
    await unlockFor(customer, i.id);
    const d = await detail(customer, i.id);
    expect(d).to.deep.include({ access: 'UNLOCKED', identityDetails: null, customerVehicle: null });
    expect(d.reportFiles.map((r) => r.variant)).to.deep.equal(['no-docs']);
    expect(d.reportFiles[0]?.ipfsCid).to.be.a('string');
  });

  it('a linked vehicle of someone else is never shown, even to the owner of the inspection record', async () => {
    const theirs = await w.tx((tx) =>
      tx.customerVehicles.create(
        {
          id: randomUUID(),
          customerId: other.user.id,
          plateNumber: 'Z 9 ZZ',
          year: 2020,
          transmission: 'MT',
          bodyType: 'Sedan',
          brand: 'BMW',
          model: 'M3',
          colour: null,
          specification: {},
          serviceHistory: [],
          vehicleClass: 'LUXURY',
        },
        w.clock.now(),
      ),
    );
    const i = await storedInspection(w, inspector, { customerUserId: customer.user.id, customerVehicleId: theirs.id });
    const d = await detail(customer, i.id);
    expect(d.customerVehicle).to.equal(null);
    expect(d.vehicle).to.deep.include({ vehicleId: null, plateNumber: 'AB 1234 CD', brand: 'Toyota' });
  });

  it('a photo that cannot be decoded is left out instead of failing the page', async () => {
    const i = await storedInspection(w, inspector, { customerUserId: customer.user.id });
    const good = await storedPhoto(w, i.id, { sortOrder: 1 });
    await storedPhoto(w, i.id, { sortOrder: 0, bytes: fakeImageBytes('jpeg') });
    expect((await detail(customer, i.id)).photos.map((p) => p.id)).to.deep.equal([good.id]);
  });

  it("someone else's inspection, or none, is INSPECTION.NOT_FOUND for the detail and the download, and nothing is audited", async () => {
    const theirs = await storedInspection(w, inspector, { customerUserId: other.user.id, status: 'ARCHIVED' });
    await storedReports(w, theirs.id);
    for (const id of [theirs.id, randomUUID()]) {
      expect(await code(detail(customer, id))).to.equal('INSPECTION.NOT_FOUND');
      expect(await code(download(customer, id))).to.equal('INSPECTION.NOT_FOUND');
    }
    expect((await w.audit({ actorId: customer.user.id, entity: 'inspection' })).map((a) => a.action)).to.deep.equal([]);
  });

  it('downloads the no-docs PDF once it exists (HISTORY.REPORT_NOT_READY before), audited', async () => {
    const i = await storedInspection(w, inspector, { customerUserId: customer.user.id });
    await rejects(download(customer, i.id), 'HISTORY.REPORT_NOT_READY');
    await storedReports(w, i.id, { variants: ['full'] });
    await rejects(download(customer, i.id), 'HISTORY.REPORT_NOT_READY');
    await storedReports(w, i.id);
    const pdf = Buffer.from('%PDF-1.7 no-docs');
    const report = (await w.tx((tx) => tx.reports.listForInspection(i.id))).find((r) => r.variant === 'no-docs');
    await w.storage.put(report?.storageKey as string, pdf, { contentType: 'application/pdf' });
    const file = await download(customer, i.id);
    expect(file).to.deep.include({ fileName: `${i.prettyId}.pdf`, size: 1234, sha256: report?.sha256 });
    const chunks: Buffer[] = [];
    for await (const c of (await file.open()) as Readable) chunks.push(Buffer.from(c as Buffer));
    expect(Buffer.concat(chunks)).to.deep.equal(pdf);
    expect((await w.audit({ action: 'DOWNLOAD', entityId: i.id }))[0]?.metadata).to.deep.equal({
      variant: 'no-docs',
      access: 'OWNER',
      sha256: report?.sha256,
    });
  });
});
