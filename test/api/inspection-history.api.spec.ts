/**
 * The customer's inspection history (/me/inspections) on PostgreSQL, and the whole customer journey: a
 * customer registers a vehicle, requests an inspection priced by its class, pays through the sandbox
 * checkout (which calls our webhook over HTTP), an administrator assigns and moves the request, links the
 * resulting inspection, and the customer finds it in the history and downloads the no-docs PDF.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { createHash, randomUUID } from 'node:crypto';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import { InspectionReports } from '../../src/ports/report-jobs.js';
import { UnitOfWork } from '../../src/ports/unit-of-work.js';
import { servedTestApp, type TestApp } from '../support/api.js';
import { Actors, type TestActor } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';
import { createInspectionAs, imageBytes } from '../support/inspections.js';

describe('API: customer inspection history (PostgreSQL)', () => {
  let knex: Knex;
  let t: TestApp;
  let customer: TestActor;
  let other: TestActor;
  let admin: TestActor;
  let inspector: TestActor;

  useTestDatabase((k) => (knex = k), 10);
  let close: () => Promise<void>;
  beforeEach(async () => {
    const served = await servedTestApp((url) => ({ knex, env: { PUBLIC_BASE_URL: url, REPORT_BASE_URL: url } }));
    ({ close } = served);
    t = served;
    const actors = new Actors(t.container);
    customer = await actors.create('CUSTOMER');
    other = await actors.create('CUSTOMER');
    admin = await actors.create('ADMIN');
    inspector = await actors.create('INSPECTOR');
  });
  afterEach(() => close());

  const uow = () => t.container.get<UnitOfWork>(UnitOfWork);
  const now = new Date();

  async function vehicleOf(owner: TestActor, plate: string): Promise<string> {
    const id = randomUUID();
    await knex('customer_vehicles').insert({
      id,
      customer_id: owner.user.id,
      plate_number: plate,
      plate_compact: plate.replace(/\s/g, ''),
      year: 2020,
      transmission: 'AUTOMATIC',
      body_type: 'MPV',
      brand: 'Honda',
      model: 'Mobilio',
      vehicle_class: 'REGULAR',
      created_at: now,
      updated_at: now,
    });
    return id;
  }
  async function inspection(over: { date?: string; customerUserId?: string; customerVehicleId?: string } = {}) {
    const i = await createInspectionAs(t.container, inspector, {
      inspectionDate: over.date ?? '2025-05-01',
      customerUserId: over.customerUserId ?? null,
    });
    if (over.customerVehicleId)
      await knex('inspections').where({ id: i.id }).update({ customer_vehicle_id: over.customerVehicleId });
    return i;
  }
  /** The inspection's no-docs PDF, stored as the report job would. */
  async function withReport(inspectionId: string): Promise<Buffer> {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(randomUUID())]);
    const key = `reports/${inspectionId}/no-docs.pdf`;
    await t.container
      .get<ObjectStorage>(ObjectStorage)
      .put(key, pdf, { contentType: 'application/pdf', size: pdf.length });
    await t.container.get<InspectionReports>(InspectionReports).upsert({
      inspectionId,
      variant: 'no-docs',
      storageDriver: 'fs',
      storageKey: key,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      sizeBytes: pdf.length,
      pageCount: 1,
      htmlSha256: 'c'.repeat(64),
      ipfsCid: null,
      pdfJobId: null,
      createdAt: now,
    });
    return pdf;
  }

  it('lists the inspections of my vehicles, my requests, my owner field and my unlocks; filters; paginates; nobody else sees them', async () => {
    const vehicle = await vehicleOf(customer, 'B 1 CD');
    const byVehicle = await inspection({ customerVehicleId: vehicle, date: '2025-05-04' });
    const byOwner = await inspection({ customerUserId: customer.user.id, date: '2025-05-03' });
    const byRequest = await inspection({ date: '2025-05-02' });
    const requestId = randomUUID();
    await knex('customer_inspection_requests').insert({
      id: requestId,
      customer_id: customer.user.id,
      vehicle_class: 'REGULAR',
      preferred_schedule: now,
      status: 'DONE',
      price_idr: 1,
      payment_status: 'PAID',
      inspection_id: byRequest.id,
      created_by: customer.user.id,
      created_at: now,
      updated_at: now,
    });
    const unlocked = await inspection({ date: '2025-05-01' });
    await knex('report_unlocks').insert({ customer_id: customer.user.id, inspection_id: unlocked.id, created_at: now });
    const foreign = await inspection({ customerUserId: other.user.id });
    await withReport(byVehicle.id);

    const list = await t.api.get('/api/v1/me/inspections').set(customer.auth).expect(200);
    expect(list.body.total).to.equal(4);
    expect(list.body.items.map((i: { id: string }) => i.id)).to.deep.equal([
      byVehicle.id,
      byOwner.id,
      byRequest.id,
      unlocked.id,
    ]);
    expect(list.body.items.map((i: { access: string }) => i.access)).to.deep.equal([
      'OWNER',
      'OWNER',
      'OWNER',
      'UNLOCKED',
    ]);
    expect(list.body.items[0]).to.deep.include({ reports: { full: false, noDocs: true } });
    expect(list.body.items[0].vehicle).to.deep.equal({
      vehicleId: vehicle,
      plateNumber: 'B 1 CD',
      brand: 'Honda',
      model: 'Mobilio',
      year: 2020,
      vehicleClass: 'REGULAR',
    });
    expect(list.body.items[1].vehicle).to.include({ vehicleId: null, plateNumber: byOwner.plateNumber });
    expect(list.body.items.map((i: { id: string }) => i.id)).to.not.include(foreign.id);

    const page2 = await t.api.get('/api/v1/me/inspections?page=2&pageSize=3').set(customer.auth).expect(200);
    expect(page2.body).to.deep.include({ page: 2, pageSize: 3, total: 4 });
    expect(page2.body.items.map((i: { id: string }) => i.id)).to.deep.equal([unlocked.id]);
    const ranged = await t.api
      .get('/api/v1/me/inspections?dateFrom=2025-05-02&dateTo=2025-05-03')
      .set(customer.auth)
      .expect(200);
    expect(ranged.body.items.map((i: { id: string }) => i.id)).to.deep.equal([byOwner.id, byRequest.id]);
    await knex('inspections').where({ id: byOwner.id }).update({ status: 'APPROVED' });
    const approved = await t.api.get('/api/v1/me/inspections?status=APPROVED').set(customer.auth).expect(200);
    expect(approved.body.items.map((i: { id: string }) => i.id)).to.deep.equal([byOwner.id]);
    const bad = await t.api
      .get('/api/v1/me/inspections?dateFrom=2025-06-01&dateTo=2025-05-01')
      .set(customer.auth)
      .expect(400);
    expect(bad.body.code).to.equal('HISTORY.INVALID_RANGE');

    expect(
      (await t.api.get('/api/v1/me/inspections').set(other.auth).expect(200)).body.items.map(
        (i: { id: string }) => i.id,
      ),
    ).to.deep.equal([foreign.id]);
    await t.api.get('/api/v1/me/inspections').set(admin.auth).expect(403);
    // Four successful reads are audited; the refused range is not a read.
    const audit = await knex('audit_logs').where({ action: 'VIEW_LIST', actor_id: customer.user.id });
    expect(audit.length).to.equal(4);
    expect(audit.map((a) => a.entity)).to.deep.equal(['inspection', 'inspection', 'inspection', 'inspection']);
  });

  it('detail: the report and vehicle for the owner, no identity details for an unlocked report, 404 for anyone else', async () => {
    const vehicle = await vehicleOf(customer, 'B 2 CD');
    const own = await inspection({ customerVehicleId: vehicle });
    const unlocked = await inspection();
    await knex('report_unlocks').insert({ customer_id: customer.user.id, inspection_id: unlocked.id, created_at: now });
    const mine = await t.api.get(`/api/v1/me/inspections/${own.id}`).set(customer.auth).expect(200);
    expect(mine.body).to.include({ id: own.id, prettyId: own.prettyId, access: 'OWNER' });
    expect(mine.body.identityDetails).to.be.an('object');
    expect(mine.body.customerVehicle).to.include({ id: vehicle, plateNumber: 'B 2 CD' });
    expect(mine.body.vehicleData).to.include({ merekKendaraan: 'Toyota' });
    const opened = await t.api.get(`/api/v1/me/inspections/${unlocked.id}`).set(customer.auth).expect(200);
    expect(opened.body).to.include({ access: 'UNLOCKED', identityDetails: null, customerVehicle: null });
    for (const who of [other]) {
      const res = await t.api.get(`/api/v1/me/inspections/${own.id}`).set(who.auth).expect(404);
      expect(res.body.code).to.equal('INSPECTION.NOT_FOUND');
      await t.api.get(`/api/v1/me/inspections/${own.id}/no-docs`).set(who.auth).expect(404);
    }
    await t.api.get(`/api/v1/me/inspections/${randomUUID()}`).set(customer.auth).expect(404);
    expect(
      (await knex('audit_logs').where({ action: 'VIEW_DETAIL', actor_id: customer.user.id })).map((a) => a.entity_id),
    ).to.have.members([own.id, unlocked.id]);
  });

  it('downloads the no-docs PDF (bytes and SHA-256 header), 409 before the report exists; audited', async () => {
    const own = await inspection({ customerUserId: customer.user.id });
    const early = await t.api.get(`/api/v1/me/inspections/${own.id}/no-docs`).set(customer.auth).expect(409);
    expect(early.body.code).to.equal('HISTORY.REPORT_NOT_READY');
    const pdf = await withReport(own.id);
    const res = await t.api
      .get(`/api/v1/me/inspections/${own.id}/no-docs`)
      .set(customer.auth)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['content-disposition']).to.contain(`${own.prettyId}.pdf`);
    expect(Buffer.compare(res.body as Buffer, pdf)).to.equal(0);
    expect(res.headers['x-content-sha256']).to.equal(createHash('sha256').update(pdf).digest('hex'));
    expect((await knex('audit_logs').where({ action: 'DOWNLOAD', entity_id: own.id })).length).to.equal(1);
  });

  it('the whole journey: vehicle, request priced by class, sandbox payment, admin assigns and moves it, the inspection appears in the history', async () => {
    // A price for the class, then the customer's vehicle (multipart, one FRONT photo).
    await t.api
      .post('/api/v1/admin/vehicle-class-prices')
      .set(admin.auth)
      .send({ vehicleClass: 'EV', priceIdr: 950000 })
      .expect(201);
    const created = await t.api
      .post('/api/v1/me/vehicles')
      .set(customer.auth)
      .field(
        'data',
        JSON.stringify({
          plateNumber: 'B 9 EV',
          year: 2024,
          transmission: 'AUTOMATIC',
          bodyType: 'SUV',
          brand: 'Hyundai',
          model: 'Ioniq 5',
          vehicleClass: 'EV',
        }),
      )
      .field('photoTypes', 'FRONT')
      .attach('photos', imageBytes('jpeg', 2048, 7), 'front.jpg')
      .expect(201);
    const vehicleId = created.body.id as string;
    const schedule = new Date(Date.now() + 3 * 86400_000).toISOString();
    const request = await t.api
      .post('/api/v1/me/inspection-requests')
      .set(customer.auth)
      .send({ vehicleId, preferredSchedule: schedule, notes: 'Pagi hari' })
      .expect(201);
    expect(request.body).to.include({
      status: 'NOT_STARTED',
      priceIdr: 950000,
      vehicleClass: 'EV',
      paymentStatus: 'UNPAID',
    });
    const requestId = request.body.id as string;

    // Work cannot start before payment.
    const early = await t.api
      .post(`/api/v1/admin/customer-inspections/${requestId}/status`)
      .set(admin.auth)
      .send({ status: 'IN_PROGRESS' })
      .expect(409);
    expect(early.body.code).to.equal('REQUEST.PAYMENT_REQUIRED');

    // Pay through the sandbox checkout (it calls our webhook over HTTP).
    const invoice = await t.api
      .post(`/api/v1/me/inspection-requests/${requestId}/payments`)
      .set(customer.auth)
      .expect((r) => expect([200, 201]).to.include(r.status));
    const pressed = await fetch(`${invoice.body.invoiceUrl}/pay`, {
      method: 'POST',
      headers: { accept: 'application/json' },
    });
    expect(pressed.status).to.equal(200);
    expect(
      (await t.api.get(`/api/v1/me/inspection-requests/${requestId}`).set(customer.auth).expect(200)).body
        .paymentStatus,
    ).to.equal('PAID');

    // The administrator assigns an inspector and moves the request; the inspection is done and linked.
    await t.api
      .post(`/api/v1/admin/customer-inspections/${requestId}/assign`)
      .set(admin.auth)
      .send({ assigneeId: inspector.user.id })
      .expect(200);
    await t.api
      .post(`/api/v1/admin/customer-inspections/${requestId}/status`)
      .set(admin.auth)
      .send({ status: 'IN_PROGRESS' })
      .expect(200);
    const done = await createInspectionAs(t.container, inspector, { plateNumber: 'B 9 EV' });
    await t.api
      .post(`/api/v1/admin/customer-inspections/${requestId}/status`)
      .set(admin.auth)
      .send({ status: 'AWAITING_APPROVAL' })
      .expect(200);
    await t.api
      .post(`/api/v1/admin/customer-inspections/${requestId}/inspection`)
      .set(admin.auth)
      .send({ inspectionId: done.id })
      .expect(200);
    await t.api
      .post(`/api/v1/admin/customer-inspections/${requestId}/status`)
      .set(admin.auth)
      .send({ status: 'DONE' })
      .expect(200);
    const finished = await t.api.get(`/api/v1/me/inspection-requests/${requestId}`).set(customer.auth).expect(200);
    expect(finished.body).to.include({ status: 'DONE', inspectionId: done.id });

    // The history shows it, with the vehicle; the other customer sees nothing of it.
    const history = await t.api.get('/api/v1/me/inspections').set(customer.auth).expect(200);
    expect(history.body.items.map((i: { id: string }) => i.id)).to.deep.equal([done.id]);
    expect(history.body.items[0].vehicle).to.include({
      vehicleId,
      plateNumber: 'B 9 EV',
      brand: 'Hyundai',
      vehicleClass: 'EV',
    });
    await withReport(done.id);
    await t.api.get(`/api/v1/me/inspections/${done.id}/no-docs`).set(customer.auth).expect(200);
    await t.api.get(`/api/v1/me/inspections/${done.id}`).set(other.auth).expect(404);
    await t.api.get(`/api/v1/me/inspection-requests/${requestId}`).set(other.auth).expect(404);
    await uow().run(async (tx) =>
      expect((await tx.inspections.findById(done.id))?.customerVehicleId).to.equal(vehicleId),
    );
  });
});
