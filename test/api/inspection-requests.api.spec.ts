import { expect } from 'chai';
import type { Knex } from 'knex';
import { createHash, randomUUID } from 'node:crypto';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors, type TestActor } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';
import { ObjectDeleter } from '../../src/application/photos/object-deleter.js';
import { flakyStorageModule, type FlakyStorage } from '../support/flaky-storage.js';
import { createInspectionAs, imageBytes } from '../support/inspections.js';

const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
const ME = '/api/v1/me/inspection-requests';
const ADMIN = '/api/v1/admin/customer-inspections';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface AuditRow {
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  metadata: Record<string, unknown>;
}

describe('API: customer inspection requests (PostgreSQL)', () => {
  let knex: Knex;
  let t: TestApp;
  let actors: Actors;
  let customer: TestActor;
  let other: TestActor;
  let admin: TestActor;
  let flaky: FlakyStorage;
  let vehicleId: string;
  let regularPriceId: string;

  useTestDatabase((k) => (knex = k));

  /** A vehicle row of a customer (inserted directly: the vehicles feature is tested on its own). */
  async function insertVehicle(customerId: string, vehicleClass = 'REGULAR', plate = 'AB 1234 CD'): Promise<string> {
    const id = randomUUID();
    const now = new Date();
    await knex('customer_vehicles').insert({
      id,
      customer_id: customerId,
      plate_number: plate,
      plate_compact: plate.replace(/\s+/g, ''),
      year: 2019,
      transmission: 'Manual',
      body_type: 'MPV',
      brand: 'Toyota',
      model: 'Avanza',
      vehicle_class: vehicleClass,
      created_at: now,
      updated_at: now,
    });
    return id;
  }

  async function insertPrice(
    vehicleClass: string,
    priceIdr: number,
    effectiveFrom = new Date(Date.now() - DAY),
  ): Promise<string> {
    const id = randomUUID();
    await knex('vehicle_class_prices').insert({
      id,
      vehicle_class: vehicleClass,
      price_idr: priceIdr,
      effective_from: effectiveFrom,
      created_at: new Date(),
    });
    return id;
  }

  const count = async (table: string, where: Record<string, unknown> = {}): Promise<number> =>
    Number(((await knex(table).where(where).count({ n: '*' }).first()) as { n: string | number }).n);
  const audits = (entityId: string): Promise<AuditRow[]> =>
    knex('audit_logs')
      .where({ entity_id: entityId })
      .orderBy('created_at')
      .select('actor_id', 'action', 'entity', 'entity_id', 'metadata');

  const create = (who: TestActor, body: Record<string, unknown>) => t.api.post(ME).set(who.auth).send(body);
  const createOwn = async (
    who: TestActor = customer,
    over: Record<string, unknown> = {},
  ): Promise<Record<string, unknown> & { id: string }> => {
    const r = await create(who, { vehicleId, preferredSchedule: inDays(3), ...over });
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    return r.body;
  };
  const setStatus = (id: string, status: string, reason?: string, who: TestActor = admin) =>
    t.api
      .post(`${ADMIN}/${id}/status`)
      .set(who.auth)
      .send(reason === undefined ? { status } : { status, reason });

  beforeEach(async () => {
    const override = flakyStorageModule((f) => (flaky = f));
    t = buildTestApp({ knex, overrides: [override] });
    actors = new Actors(t.container);
    customer = await actors.create('CUSTOMER');
    other = await actors.create('CUSTOMER');
    admin = await actors.create('ADMIN');
    vehicleId = await insertVehicle(customer.user.id);
    regularPriceId = await insertPrice('REGULAR', 350_000);
  });

  describe('customer', () => {
    it('a customer has at most CUSTOMER_MAX_OPEN_REQUESTS open requests: 409 REQUEST.QUOTA_EXCEEDED beyond; a cancelled one frees a place', async () => {
      t = buildTestApp({
        knex,
        overrides: [flakyStorageModule((f) => (flaky = f))],
        env: { CUSTOMER_MAX_OPEN_REQUESTS: '1' },
      });
      const first = await createOwn();
      const second = await create(customer, { vehicleId, preferredSchedule: inDays(4) });
      expect(second.status).to.equal(409);
      expect(second.body.code).to.equal('REQUEST.QUOTA_EXCEEDED');
      await t.api.post(`${ME}/${first.id}/cancel`).set(customer.auth).send({}).expect(200);
      await createOwn();
    });

    it('a customer stores at most CUSTOMER_MAX_STORED_MB of photos (vehicles and requests, closed ones too): 409 CUSTOMER.STORAGE_QUOTA_EXCEEDED beyond, nothing stored; parallel uploads cannot overshoot', async () => {
      t = buildTestApp({
        knex,
        overrides: [flakyStorageModule((f) => (flaky = f))],
        env: { CUSTOMER_MAX_STORED_MB: '1' },
      });
      const KB = 1024;
      const vehicle = (plate: string, size: number) =>
        t.api
          .post('/api/v1/me/vehicles')
          .set(customer.auth)
          .field(
            'data',
            JSON.stringify({
              plateNumber: plate,
              year: 2021,
              transmission: 'Manual',
              bodyType: 'MPV',
              brand: 'Toyota',
              model: 'Avanza',
              vehicleClass: 'REGULAR',
            }),
          )
          .field('photoTypes', 'FRONT')
          .attach('photos', imageBytes('jpeg', size, size), 'front.jpg');
      const created = await vehicle('B 10 QA', 400 * KB).expect(201);
      const r = await createOwn();
      await t.api
        .post(`${ME}/${r.id}/photos`)
        .set(customer.auth)
        .attach('photos', imageBytes('jpeg', 300 * KB, 3), 'a.jpg')
        .expect(201);
      // A cancelled request keeps its photos: they still count.
      await t.api.post(`${ME}/${r.id}/cancel`).set(customer.auth).send({}).expect(200);
      const objects = (await count('customer_vehicle_photos')) + (await count('customer_request_photos'));

      const over = await vehicle('B 11 QA', 400 * KB);
      expect(over.status).to.equal(409);
      expect(over.body).to.include({ code: 'CUSTOMER.STORAGE_QUOTA_EXCEEDED' });
      expect(over.body.detail).to.match(/at most 1 MB; 0\.7 MB are stored and these files add 0\.4 MB/);
      const second = await createOwn();
      const photo = await t.api
        .post(`${ME}/${second.id}/photos`)
        .set(customer.auth)
        .attach('photos', imageBytes('jpeg', 400 * KB, 4), 'b.jpg');
      expect(photo.status).to.equal(409);
      expect(photo.body.code).to.equal('CUSTOMER.STORAGE_QUOTA_EXCEEDED');
      expect(
        (await count('customer_vehicle_photos')) + (await count('customer_request_photos')),
        'nothing recorded',
      ).to.equal(objects);
      // Replacing a vehicle's photos counts only the difference: a smaller set fits, a larger one may not.
      await t.api
        .put(`/api/v1/me/vehicles/${created.body.id}/photos`)
        .set(customer.auth)
        .field('photoTypes', 'FRONT')
        .attach('photos', imageBytes('jpeg', 600 * KB, 5), 'front.jpg')
        .expect(200);
      const bigger = await t.api
        .put(`/api/v1/me/vehicles/${created.body.id}/photos`)
        .set(customer.auth)
        .field('photoTypes', 'FRONT')
        .attach('photos', imageBytes('jpeg', 800 * KB, 6), 'front.jpg');
      expect(bigger.body.code).to.equal('CUSTOMER.STORAGE_QUOTA_EXCEEDED');
      // Another customer's quota is their own; parallel uploads by one customer never pass together.
      await t.api.post(`${ME}/${second.id}/cancel`).set(customer.auth).send({}).expect(200);
      await knex('customer_request_photos').delete();
      // Parallel uploads to three requests (the lock that serialises them is the customer's row: see the
      // user repository contract, "lockForUpdate").
      const open = [await createOwn(), await createOwn(), await createOwn()];
      const parallel = await Promise.all(
        open.map((o, n) =>
          t.api
            .post(`${ME}/${o.id}/photos`)
            .set(customer.auth)
            .attach('photos', imageBytes('jpeg', 300 * KB, 10 + n), 'p.jpg'),
        ),
      );
      expect(parallel.map((p) => p.status).sort(), '600 KB stored: room for one 300 KB photo, not three').to.deep.equal(
        [201, 409, 409],
      );
    });

    it('creates a request for an own vehicle: class from the vehicle, the price in force copied, NOT_STARTED and UNPAID; history and audit CREATE', async () => {
      const schedule = inDays(5);
      const r = await create(customer, { vehicleId, preferredSchedule: schedule, notes: ' Call first ' });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      expect(r.headers.location).to.equal(`${ME}/${r.body.id}`);
      expect(r.body).to.deep.include({
        customerId: customer.user.id,
        vehicleId,
        vehicleDescription: null,
        vehicleClass: 'REGULAR',
        assigneeId: null,
        notes: 'Call first',
        status: 'NOT_STARTED',
        priceIdr: 350_000,
        priceId: regularPriceId,
        paymentStatus: 'UNPAID',
        paymentWaiverReason: null,
        inspectionId: null,
        createdBy: customer.user.id,
      });
      expect(new Date(r.body.preferredSchedule).toISOString()).to.equal(schedule);

      // A later price change does not touch the snapshot.
      await insertPrice('REGULAR', 500_000, new Date(Date.now() - 1000));
      const detail = await t.api.get(`${ME}/${r.body.id}`).set(customer.auth).expect(200);
      expect(detail.body.priceIdr).to.equal(350_000);
      expect(detail.body.statusHistory).to.have.length(1);
      expect(detail.body.statusHistory[0]).to.deep.include({
        fromStatus: null,
        toStatus: 'NOT_STARTED',
        actorId: customer.user.id,
        actorRole: 'CUSTOMER',
        reason: null,
      });
      expect(detail.body.photos).to.deep.equal([]);
      const next = await createOwn();
      expect(next.priceIdr, 'new requests get the new price').to.equal(500_000);

      const [entry] = await audits(r.body.id);
      expect(entry).to.deep.include({
        actor_id: customer.user.id,
        action: 'CREATE',
        entity: 'customer_inspection_request',
      });
      expect(entry?.metadata).to.deep.include({
        customerId: customer.user.id,
        vehicleId,
        vehicleClass: 'REGULAR',
        priceIdr: 350_000,
        onBehalf: false,
      });
    });

    it('creates a request for a described car with its class', async () => {
      await insertPrice('EV', 900_000);
      const r = await create(customer, {
        vehicleClass: 'EV',
        vehicleDescription: { plateNumber: 'B 1 EV', brand: 'Hyundai', model: 'Ioniq 5', year: 2023 },
        preferredSchedule: inDays(1),
      });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      expect(r.body).to.deep.include({ vehicleId: null, vehicleClass: 'EV', priceIdr: 900_000, notes: null });
      expect(r.body.vehicleDescription).to.deep.equal({
        plateNumber: 'B 1 EV',
        brand: 'Hyundai',
        model: 'Ioniq 5',
        year: 2023,
      });
    });

    it("refuses a bad vehicle choice, someone else's vehicle, a past or too distant schedule and a class without a price; nothing is stored", async () => {
      const expectError = async (body: Record<string, unknown>, status: number, code: string, path?: string) => {
        const r = await create(customer, body);
        expect(r.status, JSON.stringify(r.body)).to.equal(status);
        expect(r.body.code).to.equal(code);
        if (path) expect(r.body.errors.map((e: { path: string }) => e.path)).to.deep.equal([path]);
      };
      await expectError({ preferredSchedule: inDays(1) }, 400, 'REQUEST.VEHICLE_REQUIRED', '/body/vehicleId');
      await expectError(
        { vehicleId, vehicleClass: 'REGULAR', preferredSchedule: inDays(1) },
        400,
        'REQUEST.VEHICLE_REQUIRED',
      );
      await expectError({ vehicleClass: 'REGULAR', preferredSchedule: inDays(1) }, 400, 'REQUEST.VEHICLE_REQUIRED');
      await expectError(
        { vehicleDescription: { brand: 'Toyota' }, preferredSchedule: inDays(1) },
        400,
        'REQUEST.VEHICLE_REQUIRED',
      );
      await expectError(
        { vehicleId: await insertVehicle(other.user.id), preferredSchedule: inDays(1) },
        404,
        'VEHICLE.NOT_FOUND',
      );
      await expectError({ vehicleId: randomUUID(), preferredSchedule: inDays(1) }, 404, 'VEHICLE.NOT_FOUND');
      await expectError(
        { vehicleId, preferredSchedule: new Date(Date.now() - 60_000).toISOString() },
        400,
        'REQUEST.SCHEDULE_IN_PAST',
        '/body/preferredSchedule',
      );
      await expectError(
        { vehicleId, preferredSchedule: inDays(61) },
        400,
        'REQUEST.SCHEDULE_TOO_FAR',
        '/body/preferredSchedule',
      );
      await expectError(
        { vehicleClass: 'LUXURY', vehicleDescription: { brand: 'Porsche' }, preferredSchedule: inDays(1) },
        409,
        'REQUEST.PRICE_NOT_SET',
      );
      await expectError(
        { vehicleId: await insertVehicle(customer.user.id, 'HYBRID', 'AB 9 HY'), preferredSchedule: inDays(1) },
        409,
        'REQUEST.PRICE_NOT_SET',
      );
      expect(await count('customer_inspection_requests')).to.equal(0);
      expect(await count('audit_logs', { action: 'CREATE' })).to.equal(0);
    });

    it('the schedule horizon comes from REQUEST_SCHEDULE_HORIZON_DAYS', async () => {
      const short = buildTestApp({ knex, env: { REQUEST_SCHEDULE_HORIZON_DAYS: '2' } });
      const r = await short.api
        .post(ME)
        .set(customer.auth)
        .send({ vehicleId, preferredSchedule: inDays(3) });
      expect(r.status).to.equal(400);
      expect(r.body.code).to.equal('REQUEST.SCHEDULE_TOO_FAR');
      expect(
        (
          await short.api
            .post(ME)
            .set(customer.auth)
            .send({ vehicleId, preferredSchedule: inDays(1.5) })
        ).status,
      ).to.equal(201);
    });

    it("lists only the own requests, newest first, with a repeatable status filter and pagination; someone else's request is 404", async () => {
      const a = await createOwn();
      const b = await createOwn();
      const c = await createOwn();
      const theirs = await createOwn(other, { vehicleId: await insertVehicle(other.user.id) });
      await t.api.post(`${ME}/${b.id}/cancel`).set(customer.auth).send({}).expect(200);
      await setStatus(c.id, 'ON_HOLD', 'Customer unreachable').expect(200);

      const all = await t.api.get(ME).set(customer.auth).expect(200);
      expect(all.body.total).to.equal(3);
      expect(all.body.items.map((r: { id: string }) => r.id)).to.deep.equal([c.id, b.id, a.id]);
      const some = await t.api.get(`${ME}?status=CANCELLED&status=ON_HOLD`).set(customer.auth).expect(200);
      expect(some.body.items.map((r: { id: string }) => r.id)).to.deep.equal([c.id, b.id]);
      const page = await t.api.get(`${ME}?page=2&pageSize=2`).set(customer.auth).expect(200);
      expect(page.body).to.deep.include({ page: 2, pageSize: 2, total: 3 });
      expect(page.body.items.map((r: { id: string }) => r.id)).to.deep.equal([a.id]);

      for (const url of [`${ME}/${theirs.id}`, `${ME}/${theirs.id}/photos`]) {
        const r = await t.api.get(url).set(customer.auth);
        expect(r.status, url).to.equal(404);
        expect(r.body.code).to.equal('REQUEST.NOT_FOUND');
      }
      const cancel = await t.api.post(`${ME}/${theirs.id}/cancel`).set(customer.auth).send({});
      expect(cancel.status).to.equal(404);
      expect((await t.api.get(`${ME}/${theirs.id}`).set(other.auth).expect(200)).body.status).to.equal('NOT_STARTED');
    });

    it('cancels while NOT_STARTED only: history and audit STATUS_CHANGE; ON_HOLD is for an admin to cancel; a second cancel is an invalid transition', async () => {
      const r = await createOwn();
      const cancelled = await t.api.post(`${ME}/${r.id}/cancel`).set(customer.auth).send({ reason: 'Sold the car' });
      expect(cancelled.status).to.equal(200);
      expect(cancelled.body).to.deep.include({ status: 'CANCELLED', paymentStatus: 'UNPAID' });
      const again = await t.api.post(`${ME}/${r.id}/cancel`).set(customer.auth);
      expect(again.status).to.equal(409);
      expect(again.body.code).to.equal('REQUEST.INVALID_TRANSITION');
      const detail = await t.api.get(`${ME}/${r.id}`).set(customer.auth).expect(200);
      expect(
        detail.body.statusHistory.map(
          (h: { fromStatus: string | null; toStatus: string; actorRole: string; reason: string | null }) => [
            h.fromStatus,
            h.toStatus,
            h.actorRole,
            h.reason,
          ],
        ),
      ).to.deep.equal([
        [null, 'NOT_STARTED', 'CUSTOMER', null],
        ['NOT_STARTED', 'CANCELLED', 'CUSTOMER', 'Sold the car'],
      ]);
      const statusAudit = (await audits(r.id)).filter((a) => a.action === 'STATUS_CHANGE');
      expect(statusAudit).to.have.length(1);
      expect(statusAudit[0]?.metadata).to.deep.include({
        from: 'NOT_STARTED',
        to: 'CANCELLED',
        reason: 'Sold the car',
        actorRole: 'CUSTOMER',
      });

      const held = await createOwn();
      await setStatus(held.id, 'ON_HOLD', 'Vehicle in the workshop').expect(200);
      const refused = await t.api.post(`${ME}/${held.id}/cancel`).set(customer.auth);
      expect(refused.status).to.equal(403);
      expect(refused.body.code).to.equal('REQUEST.TRANSITION_FORBIDDEN');
    });

    it('attaches photos (types per file, content-checked, at most 10 in total), lists them with signed URLs; a failed upload leaves nothing', async () => {
      const r = await createOwn();
      const files = [imageBytes('jpeg', 3000, 1), imageBytes('png', 2000, 2)];
      const up = await t.api
        .post(`${ME}/${r.id}/photos`)
        .set(customer.auth)
        .attach('photos', files[0] as Buffer, 'stnk.jpg')
        .attach('photos', files[1] as Buffer, 'dent.png')
        .field('photoTypes', 'document, other');
      expect(up.status, JSON.stringify(up.body)).to.equal(201);
      expect(
        up.body.items.map((p: { type: string; contentType: string; sortOrder: number; sizeBytes: number }) => [
          p.type,
          p.contentType,
          p.sortOrder,
          p.sizeBytes,
        ]),
      ).to.deep.equal([
        ['DOCUMENT', 'image/jpeg', 0, 3000],
        ['OTHER', 'image/png', 1, 2000],
      ]);
      expect(up.body.items[0]).to.include({ requestId: r.id, sha256: sha(files[0] as Buffer) });
      const stored = await flaky.list(`customer-requests/${r.id}/`);
      expect(stored.map((o) => o.size).sort()).to.deep.equal([2000, 3000]);

      const listed = await t.api.get(`${ME}/${r.id}/photos`).set(customer.auth).expect(200);
      expect(listed.body.items.map((p: { id: string }) => p.id)).to.deep.equal(
        up.body.items.map((p: { id: string }) => p.id),
      );
      expect(listed.body.items[0].url).to.be.a('string');
      expect(listed.body.items[0]).to.not.have.any.keys('storageKey', 'storageDriver');
      const adminView = await t.api.get(`${ADMIN}/${r.id}`).set(admin.auth).expect(200);
      expect(adminView.body.photos).to.have.length(2);
      const updates = (await audits(r.id)).filter((a) => a.action === 'UPDATE');
      expect(updates[0]?.metadata).to.deep.include({
        photosAdded: up.body.items.map((p: { id: string }) => p.id),
        types: ['DOCUMENT', 'OTHER'],
      });

      const badTypes = await t.api
        .post(`${ME}/${r.id}/photos`)
        .set(customer.auth)
        .attach('photos', imageBytes('jpeg'), 'a.jpg')
        .field('photoTypes', 'FRONT,BACK');
      expect(badTypes.status).to.equal(400);
      expect(badTypes.body.errors[0].path).to.equal('/body/photoTypes');
      const unknownType = await t.api
        .post(`${ME}/${r.id}/photos`)
        .set(customer.auth)
        .attach('photos', imageBytes('jpeg'), 'a.jpg')
        .field('photoTypes', 'SELFIE');
      expect(unknownType.status).to.equal(400);
      const forged = await t.api
        .post(`${ME}/${r.id}/photos`)
        .set(customer.auth)
        .attach('photos', imageBytes('pdf'), 'car.jpg');
      expect(forged.status).to.equal(415);
      expect(forged.body.code).to.equal('PHOTO.UNSUPPORTED_TYPE');

      const nine = t.api.post(`${ME}/${r.id}/photos`).set(customer.auth);
      for (let i = 0; i < 9; i++) nine.attach('photos', imageBytes('jpeg', 500, i + 10), `p${i}.jpg`);
      const tooMany = await nine;
      expect(tooMany.status).to.equal(400);
      expect(tooMany.body.code).to.equal('PHOTO.TOO_MANY');
      expect(await flaky.list(`customer-requests/${r.id}/`), 'refused before anything was stored').to.have.length(2);

      flaky.failPutAfter = flaky.puts + 1;
      const failed = await t.api
        .post(`${ME}/${r.id}/photos`)
        .set(customer.auth)
        .attach('photos', imageBytes('jpeg', 700, 40), 'a.jpg')
        .attach('photos', imageBytes('jpeg', 700, 41), 'b.jpg');
      expect(failed.status).to.equal(503);
      flaky.failPutAfter = Infinity;
      expect(
        await flaky.list(`customer-requests/${r.id}/`),
        'the object stored before the failure was removed',
      ).to.have.length(2);
      expect((await t.api.get(`${ME}/${r.id}/photos`).set(customer.auth)).body.items).to.have.length(2);

      await t.api.post(`${ME}/${r.id}/cancel`).set(customer.auth).expect(200);
      const final = await t.api
        .post(`${ME}/${r.id}/photos`)
        .set(customer.auth)
        .attach('photos', imageBytes('jpeg'), 'a.jpg');
      expect(final.status).to.equal(409);
      expect(final.body.code).to.equal('REQUEST.FINAL');
      const theirs = await createOwn(other, { vehicleId: await insertVehicle(other.user.id) });
      const notMine = await t.api
        .post(`${ME}/${theirs.id}/photos`)
        .set(customer.auth)
        .attach('photos', imageBytes('jpeg'), 'a.jpg');
      expect(notMine.status).to.equal(404);
      expect(await flaky.list(`customer-requests/${theirs.id}/`)).to.deep.equal([]);
    });

    it("removes one of my request photos: the record and the object go (retried when storage fails), audited; not once final, not someone else's", async () => {
      const r = await createOwn();
      const up = await t.api
        .post(`${ME}/${r.id}/photos`)
        .set(customer.auth)
        .attach('photos', imageBytes('jpeg', 3000, 1), 'a.jpg')
        .attach('photos', imageBytes('jpeg', 3100, 2), 'b.jpg')
        .attach('photos', imageBytes('jpeg', 3200, 3), 'c.jpg')
        .expect(201);
      const [first, second, third] = up.body.items as Array<{ id: string }>;
      await t.api.delete(`${ME}/${r.id}/photos/${first?.id}`).set(customer.auth).expect(204);
      const listed = await t.api.get(`${ME}/${r.id}/photos`).set(customer.auth).expect(200);
      expect(listed.body.items.map((p: { id: string }) => p.id)).to.deep.equal([second?.id, third?.id]);
      expect((await flaky.list(`customer-requests/${r.id}/`)).map((o) => o.size).sort()).to.deep.equal([3100, 3200]);
      const removed = (await audits(r.id)).filter((a) => a.action === 'UPDATE').map((a) => a.metadata);
      expect(removed).to.deep.include({ photoRemoved: first?.id, type: 'OTHER' });
      expect((await t.api.delete(`${ME}/${r.id}/photos/${first?.id}`).set(customer.auth)).status, 'gone').to.equal(404);

      // Storage refusing the delete: the request still succeeds, the object is queued and swept later.
      flaky.failDeletes = true;
      await t.api.delete(`${ME}/${r.id}/photos/${second?.id}`).set(customer.auth).expect(204);
      expect(await flaky.list(`customer-requests/${r.id}/`)).to.have.length(2);
      expect(Number((await knex('object_deletions').where({ driver: 'fs' }).count({ n: '*' }))[0]?.n)).to.equal(1);
      flaky.failDeletes = false;
      await knex('object_deletions').update({ next_attempt_at: new Date(0) });
      expect(await t.container.get(ObjectDeleter).sweep()).to.deep.equal({ deleted: 1, failed: 0 });
      expect((await flaky.list(`customer-requests/${r.id}/`)).map((o) => o.size)).to.deep.equal([3200]);

      const theirs = await createOwn(other, { vehicleId: await insertVehicle(other.user.id) });
      const notMine = await t.api.delete(`${ME}/${theirs.id}/photos/${third?.id}`).set(other.auth);
      expect(notMine.status, 'a photo of another request').to.equal(404);
      expect(
        (await t.api.delete(`${ME}/${r.id}/photos/${third?.id}`).set(other.auth)).status,
        'not their request',
      ).to.equal(404);
      await t.api.post(`${ME}/${r.id}/cancel`).set(customer.auth).expect(200);
      const final = await t.api.delete(`${ME}/${r.id}/photos/${third?.id}`).set(customer.auth);
      expect(final.status).to.equal(409);
      expect(final.body.code).to.equal('REQUEST.FINAL');
      expect((await t.api.get(`${ME}/${r.id}/photos`).set(customer.auth)).body.items).to.have.length(1);
    });

    it('throttles creation per user (REQUEST_CREATE_RATE_LIMIT_MAX); reads and other users are not affected', async () => {
      const limited = buildTestApp({ knex, env: { REQUEST_CREATE_RATE_LIMIT_MAX: '2' } });
      const post = (who: TestActor, body: Record<string, unknown>) => limited.api.post(ME).set(who.auth).send(body);
      expect((await post(customer, { vehicleId, preferredSchedule: inDays(1) })).status).to.equal(201);
      expect((await post(customer, { preferredSchedule: inDays(1) })).status, 'a refused attempt counts too').to.equal(
        400,
      );
      const third = await post(customer, { vehicleId, preferredSchedule: inDays(1) });
      expect(third.status).to.equal(429);
      expect(third.body.code).to.equal('RATE_LIMITED');
      expect(third.headers['retry-after']).to.match(/^\d+$/);
      expect((await limited.api.get(ME).set(customer.auth)).status).to.equal(200);
      expect(
        (await post(other, { vehicleId: await insertVehicle(other.user.id), preferredSchedule: inDays(1) })).status,
      ).to.equal(201);
      const onBehalf = () =>
        limited.api
          .post(ADMIN)
          .set(admin.auth)
          .send({ customerId: customer.user.id, vehicleId, preferredSchedule: inDays(1) });
      expect((await onBehalf()).status).to.equal(201);
      expect((await onBehalf()).status).to.equal(201);
      expect((await onBehalf()).status, 'the admin create is throttled too').to.equal(429);
      expect(await count('customer_inspection_requests')).to.equal(4);
    });
  });

  describe('admin', () => {
    it('creates on behalf of a customer (customerId must be an active CUSTOMER; the vehicle must be theirs)', async () => {
      const r = await t.api
        .post(ADMIN)
        .set(admin.auth)
        .send({ customerId: customer.user.id, vehicleId, preferredSchedule: inDays(2), notes: 'Booked by phone' });
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
      expect(r.headers.location).to.equal(`${ADMIN}/${r.body.id}`);
      expect(r.body).to.deep.include({
        customerId: customer.user.id,
        createdBy: admin.user.id,
        vehicleClass: 'REGULAR',
        priceIdr: 350_000,
        status: 'NOT_STARTED',
      });
      const mine = await t.api.get(`${ME}/${r.body.id}`).set(customer.auth).expect(200);
      expect(mine.body.statusHistory[0]).to.deep.include({ actorId: admin.user.id, actorRole: 'ADMIN' });
      const [entry] = await audits(r.body.id);
      expect(entry).to.deep.include({ actor_id: admin.user.id, action: 'CREATE' });
      expect(entry?.metadata).to.deep.include({ customerId: customer.user.id, onBehalf: true });

      for (const customerId of [admin.user.id, randomUUID()]) {
        const bad = await t.api
          .post(ADMIN)
          .set(admin.auth)
          .send({
            customerId,
            vehicleClass: 'REGULAR',
            vehicleDescription: { brand: 'Toyota' },
            preferredSchedule: inDays(2),
          });
        expect(bad.status).to.equal(422);
        expect(bad.body.code).to.equal('REQUEST.UNKNOWN_CUSTOMER');
      }
      const notTheirs = await t.api
        .post(ADMIN)
        .set(admin.auth)
        .send({ customerId: other.user.id, vehicleId, preferredSchedule: inDays(2) });
      expect(notTheirs.status).to.equal(404);
      expect(notTheirs.body.code).to.equal('VEHICLE.NOT_FOUND');
      await knex('users').where({ id: other.user.id }).update({ is_active: false });
      const inactive = await t.api
        .post(ADMIN)
        .set(admin.auth)
        .send({
          customerId: other.user.id,
          vehicleClass: 'REGULAR',
          vehicleDescription: { brand: 'Toyota' },
          preferredSchedule: inDays(2),
        });
      expect(inactive.body.code).to.equal('REQUEST.UNKNOWN_CUSTOMER');
    });

    it("lists every customer's requests with filters (status, assignee, customer, class, payment status, preferred-schedule range) and shows one", async () => {
      await insertPrice('EV', 900_000);
      const inspector = await actors.create('INSPECTOR');
      const a = await createOwn(customer, { preferredSchedule: inDays(1) });
      const b = await createOwn(customer, {
        vehicleId: undefined,
        vehicleClass: 'EV',
        vehicleDescription: { brand: 'Hyundai' },
        preferredSchedule: inDays(3),
      });
      const c = await createOwn(other, { vehicleId: await insertVehicle(other.user.id), preferredSchedule: inDays(5) });
      await t.api.post(`${ADMIN}/${b.id}/assign`).set(admin.auth).send({ assigneeId: inspector.user.id }).expect(200);
      await t.api.post(`${ADMIN}/${c.id}/waive-payment`).set(admin.auth).send({ reason: 'Goodwill' }).expect(200);
      await setStatus(c.id, 'IN_PROGRESS').expect(200);
      const ids = async (q: string) => {
        const r = await t.api.get(`${ADMIN}${q}`).set(admin.auth);
        expect(r.status, JSON.stringify(r.body)).to.equal(200);
        return r.body.items.map((x: { id: string }) => x.id);
      };
      expect(await ids('')).to.deep.equal([c.id, b.id, a.id]);
      expect(await ids('?status=IN_PROGRESS')).to.deep.equal([c.id]);
      expect(await ids('?status=NOT_STARTED&status=ON_HOLD')).to.deep.equal([b.id, a.id]);
      expect(await ids(`?assigneeId=${inspector.user.id}`)).to.deep.equal([b.id]);
      expect(await ids(`?customerId=${customer.user.id}`)).to.deep.equal([b.id, a.id]);
      expect(await ids('?vehicleClass=EV')).to.deep.equal([b.id]);
      expect(await ids('?paymentStatus=WAIVED')).to.deep.equal([c.id]);
      expect(await ids(`?from=${encodeURIComponent(inDays(2))}&to=${encodeURIComponent(inDays(4))}`)).to.deep.equal([
        b.id,
      ]);
      expect(await ids(`?from=${encodeURIComponent(inDays(2))}`)).to.deep.equal([c.id, b.id]);
      expect(await ids('?pageSize=1&page=3')).to.deep.equal([a.id]);

      const one = await t.api.get(`${ADMIN}/${c.id}`).set(admin.auth).expect(200);
      expect(one.body).to.deep.include({
        id: c.id,
        status: 'IN_PROGRESS',
        paymentStatus: 'WAIVED',
        paymentWaiverReason: 'Goodwill',
      });
      expect(
        one.body.statusHistory.map((h: { toStatus: string; actorRole: string }) => [h.toStatus, h.actorRole]),
      ).to.deep.equal([
        ['NOT_STARTED', 'CUSTOMER'],
        ['IN_PROGRESS', 'ADMIN'],
      ]);
      expect((await t.api.get(`${ADMIN}/${randomUUID()}`).set(admin.auth)).body.code).to.equal('REQUEST.NOT_FOUND');
    });

    it('assigns an active ADMIN, SUPERADMIN or INSPECTOR only (audit ASSIGN), never a final request', async () => {
      const r = await createOwn();
      const inspector = await actors.create('INSPECTOR');
      const sa = await actors.create('SUPERADMIN');
      const first = await t.api.post(`${ADMIN}/${r.id}/assign`).set(admin.auth).send({ assigneeId: inspector.user.id });
      expect(first.status).to.equal(200);
      expect(first.body.assigneeId).to.equal(inspector.user.id);
      await t.api.post(`${ADMIN}/${r.id}/assign`).set(sa.auth).send({ assigneeId: admin.user.id }).expect(200);
      const assigns = (await audits(r.id)).filter((a) => a.action === 'ASSIGN');
      expect(assigns.map((a) => [a.actor_id, a.metadata.from, a.metadata.to])).to.deep.equal([
        [admin.user.id, null, inspector.user.id],
        [sa.user.id, inspector.user.id, admin.user.id],
      ]);
      const reviewer = await actors.create('REVIEWER');
      await knex('users').where({ id: inspector.user.id }).update({ is_active: false });
      for (const assigneeId of [customer.user.id, reviewer.user.id, inspector.user.id, randomUUID()]) {
        const bad = await t.api.post(`${ADMIN}/${r.id}/assign`).set(admin.auth).send({ assigneeId });
        expect(bad.status, assigneeId).to.equal(422);
        expect(bad.body.code).to.equal('REQUEST.INVALID_ASSIGNEE');
      }
      expect((await t.api.get(`${ADMIN}/${r.id}`).set(admin.auth)).body.assigneeId).to.equal(admin.user.id);
      await t.api.post(`${ME}/${r.id}/cancel`).set(customer.auth).expect(200);
      const final = await t.api.post(`${ADMIN}/${r.id}/assign`).set(admin.auth).send({ assigneeId: admin.user.id });
      expect(final.status).to.equal(409);
      expect(final.body.code).to.equal('REQUEST.FINAL');
    });

    it('runs the whole workflow: payment guard, waiver, hold with reason, rework, DONE only with the linked inspection (whose customer links get filled in)', async () => {
      const r = await createOwn();
      const unpaid = await setStatus(r.id, 'IN_PROGRESS');
      expect(unpaid.status).to.equal(409);
      expect(unpaid.body.code).to.equal('REQUEST.PAYMENT_REQUIRED');
      const noReason = await setStatus(r.id, 'ON_HOLD');
      expect(noReason.status).to.equal(400);
      expect(noReason.body.code).to.equal('REQUEST.REASON_REQUIRED');
      expect(noReason.body.errors[0].path).to.equal('/body/reason');
      await setStatus(r.id, 'ON_HOLD', 'Customer unreachable').expect(200);
      expect((await setStatus(r.id, 'IN_PROGRESS')).body.code, 'not from ON_HOLD either').to.equal(
        'REQUEST.PAYMENT_REQUIRED',
      );
      await setStatus(r.id, 'NOT_STARTED').expect(200);

      const waived = await t.api
        .post(`${ADMIN}/${r.id}/waive-payment`)
        .set(admin.auth)
        .send({ reason: 'Fleet customer, invoiced monthly' });
      expect(waived.status).to.equal(200);
      expect(waived.body).to.deep.include({
        paymentStatus: 'WAIVED',
        paymentWaiverReason: 'Fleet customer, invoiced monthly',
      });
      const twice = await t.api.post(`${ADMIN}/${r.id}/waive-payment`).set(admin.auth).send({ reason: 'Again' });
      expect(twice.status).to.equal(409);
      expect(twice.body.code).to.equal('REQUEST.PAYMENT_NOT_WAIVABLE');

      await setStatus(r.id, 'IN_PROGRESS').expect(200);
      const customerCancel = await t.api.post(`${ME}/${r.id}/cancel`).set(customer.auth);
      expect(customerCancel.status, 'work started: nobody cancels').to.equal(409);
      expect(customerCancel.body.code).to.equal('REQUEST.INVALID_TRANSITION');
      expect((await setStatus(r.id, 'CANCELLED', 'Too late')).body.code, 'work started: no cancel').to.equal(
        'REQUEST.INVALID_TRANSITION',
      );
      await setStatus(r.id, 'AWAITING_APPROVAL').expect(200);
      expect((await setStatus(r.id, 'IN_PROGRESS')).body.code, 'rework needs a reason').to.equal(
        'REQUEST.REASON_REQUIRED',
      );
      await setStatus(r.id, 'IN_PROGRESS', 'Photos of the engine bay missing').expect(200);
      await setStatus(r.id, 'AWAITING_APPROVAL').expect(200);
      const early = await setStatus(r.id, 'DONE');
      expect(early.status).to.equal(409);
      expect(early.body.code).to.equal('REQUEST.INSPECTION_REQUIRED');

      const inspector = await actors.create('INSPECTOR');
      const inspection = await createInspectionAs(t.container, inspector);
      const unknown = await t.api
        .post(`${ADMIN}/${r.id}/inspection`)
        .set(admin.auth)
        .send({ inspectionId: randomUUID() });
      expect(unknown.status).to.equal(422);
      expect(unknown.body.code).to.equal('REQUEST.UNKNOWN_INSPECTION');
      const linked = await t.api
        .post(`${ADMIN}/${r.id}/inspection`)
        .set(admin.auth)
        .send({ inspectionId: inspection.id });
      expect(linked.status).to.equal(200);
      expect(linked.body.inspectionId).to.equal(inspection.id);
      const row = await knex('inspections').where({ id: inspection.id }).first();
      expect(row).to.deep.include({ customer_user_id: customer.user.id, customer_vehicle_id: vehicleId });

      const done = await setStatus(r.id, 'DONE');
      expect(done.status).to.equal(200);
      expect(done.body.status).to.equal('DONE');
      expect((await setStatus(r.id, 'IN_PROGRESS', 'Reopen')).body.code, 'DONE is final').to.equal(
        'REQUEST.INVALID_TRANSITION',
      );
      expect(
        (await t.api.post(`${ADMIN}/${r.id}/inspection`).set(admin.auth).send({ inspectionId: inspection.id })).body
          .code,
      ).to.equal('REQUEST.FINAL');

      const detail = await t.api.get(`${ME}/${r.id}`).set(customer.auth).expect(200);
      expect(
        detail.body.statusHistory.map(
          (h: {
            fromStatus: string | null;
            toStatus: string;
            actorId: string;
            actorRole: string;
            reason: string | null;
          }) => [h.fromStatus, h.toStatus, h.actorRole, h.reason],
        ),
      ).to.deep.equal([
        [null, 'NOT_STARTED', 'CUSTOMER', null],
        ['NOT_STARTED', 'ON_HOLD', 'ADMIN', 'Customer unreachable'],
        ['ON_HOLD', 'NOT_STARTED', 'ADMIN', null],
        ['NOT_STARTED', 'IN_PROGRESS', 'ADMIN', null],
        ['IN_PROGRESS', 'AWAITING_APPROVAL', 'ADMIN', null],
        ['AWAITING_APPROVAL', 'IN_PROGRESS', 'ADMIN', 'Photos of the engine bay missing'],
        ['IN_PROGRESS', 'AWAITING_APPROVAL', 'ADMIN', null],
        ['AWAITING_APPROVAL', 'DONE', 'ADMIN', null],
      ]);
      expect(
        detail.body.statusHistory.slice(1).every((h: { actorId: string }) => h.actorId === admin.user.id),
      ).to.equal(true);
      const actions = (await audits(r.id)).map((a) => a.action);
      expect(actions.filter((a) => a === 'STATUS_CHANGE')).to.have.length(7);
      expect(
        actions.filter((a) => a === 'UPDATE'),
        'waiver and link',
      ).to.have.length(2);
      const link = (await audits(r.id)).find((a) => a.action === 'UPDATE' && 'inspectionId' in a.metadata);
      expect(link?.metadata).to.deep.include({ inspectionId: { from: null, to: inspection.id } });
    });

    it('an inspection belongs to one request and one customer', async () => {
      const inspector = await actors.create('INSPECTOR');
      const inspection = await createInspectionAs(t.container, inspector);
      const a = await createOwn();
      const b = await createOwn();
      await t.api.post(`${ADMIN}/${a.id}/inspection`).set(admin.auth).send({ inspectionId: inspection.id }).expect(200);
      await t.api.post(`${ADMIN}/${a.id}/inspection`).set(admin.auth).send({ inspectionId: inspection.id }).expect(200);
      const taken = await t.api
        .post(`${ADMIN}/${b.id}/inspection`)
        .set(admin.auth)
        .send({ inspectionId: inspection.id });
      expect(taken.status).to.equal(409);
      expect(taken.body.code).to.equal('REQUEST.INSPECTION_TAKEN');
      const elsewhere = await createInspectionAs(t.container, inspector, { customerUserId: other.user.id });
      const foreign = await t.api
        .post(`${ADMIN}/${b.id}/inspection`)
        .set(admin.auth)
        .send({ inspectionId: elsewhere.id });
      expect(foreign.body.code).to.equal('REQUEST.INSPECTION_TAKEN');
      expect((await knex('inspections').where({ id: elsewhere.id }).first()).customer_user_id).to.equal(other.user.id);
    });

    it('cancelling a PAID request needs a reason, sets REFUND_PENDING and marks the payment for refund in the same transaction', async () => {
      const r = await createOwn();
      const paymentId = randomUUID();
      const now = new Date();
      await knex('payments').insert({
        id: paymentId,
        customer_id: customer.user.id,
        purpose: 'INSPECTION_REQUEST',
        request_id: r.id,
        amount_idr: 350_000,
        gateway: 'sandbox',
        invoice_id: `inv-${paymentId}`,
        status: 'PAID',
        paid_at: now,
        created_at: now,
        updated_at: now,
      });
      await knex('customer_inspection_requests').where({ id: r.id }).update({ payment_status: 'PAID' });
      const waive = await t.api.post(`${ADMIN}/${r.id}/waive-payment`).set(admin.auth).send({ reason: 'Nope' });
      expect(waive.body.code).to.equal('REQUEST.PAYMENT_NOT_WAIVABLE');

      const noReason = await setStatus(r.id, 'CANCELLED');
      expect(noReason.body.code).to.equal('REQUEST.REASON_REQUIRED');
      expect((await knex('payments').where({ id: paymentId }).first()).status, 'nothing changed').to.equal('PAID');
      const cancelled = await setStatus(r.id, 'CANCELLED', 'Duplicate booking');
      expect(cancelled.status).to.equal(200);
      expect(cancelled.body).to.deep.include({ status: 'CANCELLED', paymentStatus: 'REFUND_PENDING' });
      expect((await knex('payments').where({ id: paymentId }).first()).status).to.equal('REFUND_PENDING');
      const rows = await audits(r.id);
      expect(rows.find((a) => a.action === 'STATUS_CHANGE')?.metadata).to.deep.include({
        from: 'NOT_STARTED',
        to: 'CANCELLED',
        reason: 'Duplicate booking',
        paymentStatus: { from: 'PAID', to: 'REFUND_PENDING' },
      });
      const refund = await knex('audit_logs').where({ action: 'REFUND_MARKED', entity_id: paymentId }).first();
      expect(refund?.metadata).to.deep.include({ requestId: r.id, amountIdr: 350_000 });
    });

    it('a customer cancelling a PAID request also marks it for refund', async () => {
      const r = await createOwn();
      const paymentId = randomUUID();
      const now = new Date();
      await knex('payments').insert({
        id: paymentId,
        customer_id: customer.user.id,
        purpose: 'INSPECTION_REQUEST',
        request_id: r.id,
        amount_idr: 350_000,
        gateway: 'sandbox',
        invoice_id: `inv-${paymentId}`,
        status: 'PAID',
        paid_at: now,
        created_at: now,
        updated_at: now,
      });
      await knex('customer_inspection_requests').where({ id: r.id }).update({ payment_status: 'PAID' });
      const cancelled = await t.api.post(`${ME}/${r.id}/cancel`).set(customer.auth).send({});
      expect(cancelled.body).to.deep.include({ status: 'CANCELLED', paymentStatus: 'REFUND_PENDING' });
      expect((await knex('payments').where({ id: paymentId }).first()).status).to.equal('REFUND_PENDING');
    });
  });
});
