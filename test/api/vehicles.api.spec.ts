import { expect } from 'chai';
import type { Knex } from 'knex';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors, type TestActor } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';
import { flakyStorageModule, type FlakyStorage } from '../support/flaky-storage.js';
import { fakeImageBytes, imageBytes } from '../support/inspections.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const vehicleData = (over: Record<string, unknown> = {}) => ({
  plateNumber: 'ab1234cd',
  year: 2021,
  transmission: 'Automatic',
  bodyType: 'MPV',
  brand: ' Toyota ',
  model: 'Avanza 1.5 G',
  colour: 'White',
  specification: { engineCc: 1496, fuel: 'Bensin', seats: 7 },
  serviceHistory: [{ date: '2025-12-01', odometerKm: 30000, description: '30k service', workshop: 'Auto2000' }],
  vehicleClass: 'REGULAR',
  ...over,
});

type Photo = [Buffer, string];

describe('API: customer vehicles (PostgreSQL, filesystem store)', () => {
  let knex: Knex;
  let t: TestApp;
  let flaky: FlakyStorage;
  let customer: TestActor;
  let other: TestActor;
  let root: string;

  useTestDatabase((k) => (knex = k));
  afterEach(() => rm(root, { recursive: true, force: true }));
  beforeEach(async () => {
    // A store of its own per test, so that "no object left" is checked over the whole store.
    root = await mkdtemp(path.join(os.tmpdir(), 'cardano-vehicles-'));
    const override = flakyStorageModule((f) => (flaky = f));
    t = buildTestApp({ knex, overrides: [override], env: { STORAGE_FS_ROOT: root } });
    const actors = new Actors(t.container);
    customer = await actors.create('CUSTOMER');
    other = await actors.create('CUSTOMER');
  });

  const create = (who: TestActor, data: unknown, photos: Photo[], types?: string) => {
    const req = t.api.post('/api/v1/me/vehicles').set(who.auth);
    if (data !== undefined) req.field('data', typeof data === 'string' ? data : JSON.stringify(data));
    if (types !== undefined) req.field('photoTypes', types);
    for (const [buf, name] of photos) req.attach('photos', buf, name);
    return req;
  };
  const replace = (who: TestActor, id: string, photos: Photo[], types?: string) => {
    const req = t.api.put(`/api/v1/me/vehicles/${id}/photos`).set(who.auth);
    if (types !== undefined) req.field('photoTypes', types);
    for (const [buf, name] of photos) req.attach('photos', buf, name);
    return req;
  };
  const fetchBytes = async (signedUrl: string) => {
    const url = new URL(signedUrl);
    return supertest(t.app)
      .get(url.pathname + url.search)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
  };
  const objectsOf = (vehicleId: string) => flaky.list(`customer-vehicles/${vehicleId}/`);
  const allObjects = () => flaky.list('customer-vehicles/');

  it('a vehicle photo that does not decode is 422 PHOTO.UNREADABLE, before anything is stored', async () => {
    const r = await create(customer, vehicleData(), [[fakeImageBytes('jpeg'), 'front.jpg']], 'FRONT');
    expect(r.status).to.equal(422);
    expect(r.body.code).to.equal('PHOTO.UNREADABLE');
    expect(await knex('customer_vehicles').where({ customer_id: customer.user.id })).to.deep.equal([]);
  });

  it('a customer registers at most CUSTOMER_MAX_VEHICLES vehicles: 409 VEHICLE.QUOTA_EXCEEDED beyond, nothing stored', async () => {
    t = buildTestApp({
      knex,
      overrides: [flakyStorageModule((f) => (flaky = f))],
      env: { STORAGE_FS_ROOT: root, CUSTOMER_MAX_VEHICLES: '2' },
    });
    const who = await new Actors(t.container).create('CUSTOMER');
    for (const plate of ['AB 1 XA', 'AB 2 XA'])
      await create(who, vehicleData({ plateNumber: plate }), [[imageBytes('jpeg'), 'a.jpg']], 'FRONT').expect(201);
    const third = await create(who, vehicleData({ plateNumber: 'AB 3 XA' }), [[imageBytes('jpeg'), 'a.jpg']], 'FRONT');
    expect(third.status).to.equal(409);
    expect(third.body.code).to.equal('VEHICLE.QUOTA_EXCEEDED');
    expect(await knex('customer_vehicles').where({ customer_id: who.user.id }).count({ n: '*' }).first()).to.deep.equal(
      { n: 2 },
    );
    expect(
      await knex('customer_vehicle_photos').count({ n: '*' }).first(),
      'no photo of the refused vehicle',
    ).to.deep.equal({ n: 2 });
  });

  it('full CRUD: create with typed photos, list, get, patch, delete (objects removed, audited)', async () => {
    const front = imageBytes('jpeg', 3000, 1);
    const back = imageBytes('png', 2000, 2);
    const r = await create(
      customer,
      vehicleData(),
      [
        [front, 'front.jpg'],
        [back, 'back.png'],
      ],
      'front, BACK',
    );
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    const id = r.body.id as string;
    expect(r.headers.location).to.equal(`/api/v1/me/vehicles/${id}`);
    expect(r.body).to.deep.include({
      customerId: customer.user.id,
      plateNumber: 'AB 1234 CD',
      year: 2021,
      brand: 'Toyota',
      model: 'Avanza 1.5 G',
      colour: 'White',
      vehicleClass: 'REGULAR',
    });
    expect(r.body.specification).to.deep.equal({ engineCc: 1496, fuel: 'Bensin', seats: 7 });
    expect(r.body.serviceHistory).to.deep.equal([
      { date: '2025-12-01', odometerKm: 30000, description: '30k service', workshop: 'Auto2000' },
    ]);
    expect(
      r.body.photos.map((p: { type: string; contentType: string; sortOrder: number; sizeBytes: number }) => [
        p.type,
        p.contentType,
        p.sortOrder,
        p.sizeBytes,
      ]),
    ).to.deep.equal([
      ['FRONT', 'image/jpeg', 0, 3000],
      ['BACK', 'image/png', 1, 2000],
    ]);
    expect(JSON.stringify(r.body)).to.not.contain('storageKey');
    for (const [i, buf] of [front, back].entries()) {
      const p = r.body.photos[i] as { url: string; sha256: string; urlExpiresAt: string };
      expect(p.sha256).to.equal(sha(buf));
      expect(Date.parse(p.urlExpiresAt)).to.be.greaterThan(Date.now());
      const got = await fetchBytes(p.url);
      expect(got.status).to.equal(200);
      expect(sha(got.body as Buffer), `photo ${i} bytes`).to.equal(sha(buf));
    }
    expect(await objectsOf(id)).to.have.length(2);

    const ev = await create(
      customer,
      vehicleData({ plateNumber: 'B 1 XYZ', vehicleClass: 'EV' }),
      [[imageBytes('webp', 500, 3), 'ev.webp']],
      'FRONT',
    ).expect(201);
    const list = await t.api.get('/api/v1/me/vehicles').set(customer.auth).expect(200);
    expect(list.body).to.deep.include({ total: 2, page: 1, pageSize: 20 });
    expect(
      list.body.items.map((v: { id: string }) => v.id),
      'newest first',
    ).to.deep.equal([ev.body.id, id]);
    expect(list.body.items[1].photos).to.have.length(2);
    const evs = await t.api.get('/api/v1/me/vehicles?vehicleClass=EV&pageSize=1').set(customer.auth).expect(200);
    expect(evs.body).to.deep.include({ total: 1, pageSize: 1 });
    expect(evs.body.items[0].id).to.equal(ev.body.id);
    expect(
      (await t.api.get('/api/v1/me/vehicles').set(other.auth).expect(200)).body.total,
      'another customer sees none',
    ).to.equal(0);

    const got = await t.api.get(`/api/v1/me/vehicles/${id}`).set(customer.auth).expect(200);
    expect(got.body.plateNumber).to.equal('AB 1234 CD');
    expect(got.body.photos.map((p: { id: string }) => p.id)).to.deep.equal(
      r.body.photos.map((p: { id: string }) => p.id),
    );

    const patched = await t.api
      .patch(`/api/v1/me/vehicles/${id}`)
      .set(customer.auth)
      .send({ plateNumber: 'ad-9999-xy', colour: null, year: 2022, serviceHistory: [], specification: { seats: 5 } });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    expect(patched.body).to.deep.include({ plateNumber: 'AD 9999 XY', colour: null, year: 2022, brand: 'Toyota' });
    expect(patched.body.serviceHistory).to.deep.equal([]);
    expect(patched.body.specification).to.deep.equal({ seats: 5 });
    expect(Date.parse(patched.body.updatedAt)).to.be.greaterThan(Date.parse(r.body.updatedAt));
    expect(patched.body.photos).to.have.length(2);

    await t.api.delete(`/api/v1/me/vehicles/${id}`).set(customer.auth).expect(204);
    expect(await objectsOf(id), 'photo objects deleted').to.deep.equal([]);
    expect(await knex('customer_vehicle_photos').where({ vehicle_id: id })).to.deep.equal([]);
    expect(await knex('object_deletions')).to.deep.equal([]);
    expect((await t.api.get(`/api/v1/me/vehicles/${id}`).set(customer.auth)).body.code).to.equal('VEHICLE.NOT_FOUND');
    expect((await t.api.delete(`/api/v1/me/vehicles/${id}`).set(customer.auth)).status).to.equal(404);

    const audit = await knex('audit_logs')
      .whereIn('action', ['VEHICLE_CREATED', 'VEHICLE_UPDATED', 'VEHICLE_DELETED'])
      .where({ entity_id: id })
      .orderBy('created_at');
    expect(audit.map((a: { action: string }) => a.action)).to.deep.equal([
      'VEHICLE_CREATED',
      'VEHICLE_UPDATED',
      'VEHICLE_DELETED',
    ]);
    expect(
      audit.every(
        (a: { actor_id: string; entity: string }) => a.actor_id === customer.user.id && a.entity === 'customer_vehicle',
      ),
    ).to.equal(true);
    expect(audit[1].metadata.fields).to.deep.equal([
      'colour',
      'plateNumber',
      'serviceHistory',
      'specification',
      'year',
    ]);
  });

  it('a duplicate plate (compared compact) is 409 VEHICLE.DUPLICATE_PLATE on create and patch, storing nothing; other customers may use it', async () => {
    const first = await create(
      customer,
      vehicleData({ plateNumber: 'AB 1234 CD' }),
      [[imageBytes('jpeg'), 'a.jpg']],
      'FRONT',
    ).expect(201);
    const dup = await create(
      customer,
      vehicleData({ plateNumber: 'ab1234cd' }),
      [[imageBytes('jpeg'), 'a.jpg']],
      'FRONT',
    );
    expect(dup.status).to.equal(409);
    expect(dup.body.code).to.equal('VEHICLE.DUPLICATE_PLATE');
    expect(dup.body.errors[0].path).to.equal('/plateNumber');
    expect(await knex('customer_vehicles')).to.have.length(1);
    expect(await allObjects(), "only the first vehicle's photo").to.have.length(1);

    await create(other, vehicleData({ plateNumber: 'AB-1234-CD' }), [[imageBytes('jpeg'), 'a.jpg']], 'FRONT').expect(
      201,
    );

    const second = await create(
      customer,
      vehicleData({ plateNumber: 'B 1 XYZ' }),
      [[imageBytes('jpeg'), 'a.jpg']],
      'FRONT',
    ).expect(201);
    const clash = await t.api
      .patch(`/api/v1/me/vehicles/${second.body.id}`)
      .set(customer.auth)
      .send({ plateNumber: 'A B 1 2 3 4 C D' });
    expect(clash.status).to.equal(409);
    expect(clash.body.code).to.equal('VEHICLE.DUPLICATE_PLATE');
    expect((await t.api.get(`/api/v1/me/vehicles/${second.body.id}`).set(customer.auth)).body.plateNumber).to.equal(
      'B 1 XYZ',
    );
    // Its own plate, respelled, is no clash.
    const same = await t.api
      .patch(`/api/v1/me/vehicles/${first.body.id}`)
      .set(customer.auth)
      .send({ plateNumber: 'ab 1234cd' })
      .expect(200);
    expect(same.body.plateNumber).to.equal('AB 1234 CD');
  });

  it("another customer's vehicle is 404 on every route, and staff roles are 403", async () => {
    const mine = await create(customer, vehicleData(), [[imageBytes('jpeg', 400, 1), 'a.jpg']], 'FRONT').expect(201);
    const id = mine.body.id as string;
    const calls = [
      t.api.get(`/api/v1/me/vehicles/${id}`).set(other.auth),
      t.api.patch(`/api/v1/me/vehicles/${id}`).set(other.auth).send({ colour: 'Black' }),
      t.api.delete(`/api/v1/me/vehicles/${id}`).set(other.auth),
      replace(other, id, [[imageBytes('jpeg', 400, 2), 'b.jpg']], 'FRONT'),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).to.equal(404);
      expect(res.body.code).to.equal('VEHICLE.NOT_FOUND');
    }
    const stored = await knex('customer_vehicles').where({ id }).first();
    expect(stored.colour).to.equal('White');
    expect(await objectsOf(id), 'the foreign replace stored nothing').to.have.length(1);
    const unknown = await t.api.get(`/api/v1/me/vehicles/${randomUUID()}`).set(customer.auth);
    expect(unknown.status).to.equal(404);
    const admin = await new Actors(t.container).create('ADMIN');
    const staff = await t.api.get(`/api/v1/me/vehicles/${id}`).set(admin.auth);
    expect(staff.status).to.equal(403);
    expect(staff.body.code).to.equal('AUTH.FORBIDDEN');
  });

  it('photo rules: one FRONT (422), at most 10 (400), images only (415), aligned photoTypes and valid data (400); nothing stored', async () => {
    const noFront = await create(
      customer,
      vehicleData(),
      [
        [imageBytes('jpeg'), 'a.jpg'],
        [imageBytes('jpeg'), 'b.jpg'],
      ],
      'BACK,LEFT',
    );
    expect(noFront.status).to.equal(422);
    expect(noFront.body.code).to.equal('VEHICLE.FRONT_PHOTO_REQUIRED');
    const twoFronts = await create(
      customer,
      vehicleData(),
      [
        [imageBytes('jpeg'), 'a.jpg'],
        [imageBytes('jpeg'), 'b.jpg'],
      ],
      'FRONT,front',
    );
    expect(twoFronts.status).to.equal(422);
    expect(twoFronts.body.code).to.equal('VEHICLE.MULTIPLE_FRONT_PHOTOS');
    const eleven = Array.from({ length: 11 }, (_, i) => [imageBytes('jpeg', 100, i), `${i}.jpg`] as Photo);
    const many = await create(customer, vehicleData(), eleven, ['FRONT', ...Array(10).fill('OTHER')].join(','));
    expect(many.status).to.equal(400);
    expect(many.body.code, 'refused while receiving, before the use case').to.equal('PHOTO.TOO_MANY');
    const forged = await create(
      customer,
      vehicleData(),
      [
        [imageBytes('jpeg'), 'a.jpg'],
        [imageBytes('pdf'), 'car.jpg'],
      ],
      'FRONT,BACK',
    );
    expect(forged.status).to.equal(415);
    expect(forged.body.code).to.equal('PHOTO.UNSUPPORTED_TYPE');
    expect(forged.body.detail).to.contain('car.jpg');
    const mismatch = await create(customer, vehicleData(), [[imageBytes('jpeg'), 'a.jpg']], 'FRONT,BACK');
    expect(mismatch.status).to.equal(400);
    expect(mismatch.body.errors[0].path).to.equal('/body/photoTypes');
    const noTypes = await create(customer, vehicleData(), [[imageBytes('jpeg'), 'a.jpg']]);
    expect(noTypes.status).to.equal(400);
    expect(noTypes.body.errors[0].path).to.equal('/body/photoTypes');
    const noData = await create(customer, undefined, [[imageBytes('jpeg'), 'a.jpg']], 'FRONT');
    expect(noData.status).to.equal(400);
    expect(noData.body.errors[0].path).to.equal('/body/data');
    const notJson = await create(customer, '{"plateNumber":', [[imageBytes('jpeg'), 'a.jpg']], 'FRONT');
    expect(notJson.status).to.equal(400);
    expect(notJson.body.errors[0]).to.deep.equal({ path: '/body/data', message: 'must be a JSON object' });
    const badShape = await create(
      customer,
      vehicleData({ year: 'old', vehicleClass: 'SPORT', surprise: 1 }),
      [[imageBytes('jpeg'), 'a.jpg']],
      'FRONT',
    );
    expect(badShape.status).to.equal(400);
    expect(badShape.body.errors.map((e: { path: string }) => e.path).sort()).to.deep.equal([
      '/body/data/surprise',
      '/body/data/vehicleClass',
      '/body/data/year',
    ]);
    const nextYear = new Date().getUTCFullYear() + 1;
    const tooNew = await create(
      customer,
      vehicleData({ year: nextYear + 1 }),
      [[imageBytes('jpeg'), 'a.jpg']],
      'FRONT',
    );
    expect(tooNew.status).to.equal(400);
    expect(tooNew.body.errors[0]).to.deep.equal({
      path: '/year',
      message: `must be a whole year from 1900 to ${nextYear}`,
    });
    const badPlate = await create(
      customer,
      vehicleData({ plateNumber: 'NOPLATE' }),
      [[imageBytes('jpeg'), 'a.jpg']],
      'FRONT',
    );
    expect(badPlate.status).to.equal(400);
    expect(await knex('customer_vehicles')).to.deep.equal([]);
    expect(await allObjects()).to.deep.equal([]);
    await create(
      customer,
      vehicleData({ year: nextYear, colour: undefined, specification: undefined, serviceHistory: undefined }),
      [[imageBytes('jpeg'), 'a.jpg']],
      'FRONT',
    ).expect(201);
  });

  it('a failed upload in the middle leaves no vehicle and no object', async () => {
    flaky.failPutAfter = flaky.puts + 1;
    const r = await create(
      customer,
      vehicleData(),
      [
        [imageBytes('jpeg', 500, 1), 'a.jpg'],
        [imageBytes('jpeg', 500, 2), 'b.jpg'],
      ],
      'FRONT,BACK',
    );
    expect(r.status).to.equal(503);
    expect(r.body.code).to.equal('STORAGE.UNAVAILABLE');
    expect(await knex('customer_vehicles')).to.deep.equal([]);
    expect(await allObjects(), 'the first, already stored object was removed').to.deep.equal([]);
  });

  it('replacing the photos uploads first, swaps the set, then deletes the old objects', async () => {
    const created = await create(
      customer,
      vehicleData(),
      [
        [imageBytes('jpeg', 500, 1), 'a.jpg'],
        [imageBytes('jpeg', 500, 2), 'b.jpg'],
      ],
      'FRONT,BACK',
    ).expect(201);
    const id = created.body.id as string;
    const oldKeys = (await knex('customer_vehicle_photos').where({ vehicle_id: id })).map(
      (r: { storage_key: string }) => r.storage_key,
    );
    expect(oldKeys).to.have.length(2);

    const noFront = await replace(customer, id, [[imageBytes('jpeg'), 'x.jpg']], 'INTERIOR');
    expect(noFront.status).to.equal(422);
    expect(noFront.body.code).to.equal('VEHICLE.FRONT_PHOTO_REQUIRED');
    const notImage = await replace(customer, id, [[imageBytes('pdf'), 'x.jpg']], 'FRONT');
    expect(notImage.status).to.equal(415);

    const newBytes = [imageBytes('webp', 700, 7), imageBytes('png', 800, 8), imageBytes('jpeg', 900, 9)];
    const r = await replace(
      customer,
      id,
      [
        [newBytes[0] as Buffer, 'i.webp'],
        [newBytes[1] as Buffer, 'f.png'],
        [newBytes[2] as Buffer, 'e.jpg'],
      ],
      'INTERIOR,FRONT,ENGINE',
    );
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    expect(r.body.photos.map((p: { type: string; sha256: string }) => [p.type, p.sha256])).to.deep.equal([
      ['INTERIOR', sha(newBytes[0] as Buffer)],
      ['FRONT', sha(newBytes[1] as Buffer)],
      ['ENGINE', sha(newBytes[2] as Buffer)],
    ]);
    for (const key of oldKeys) expect(await flaky.head(key), `old object ${key}`).to.equal(null);
    expect(flaky.deletes).to.include.members(oldKeys);
    const objects = await objectsOf(id);
    expect(objects.map((o) => o.size).sort()).to.deep.equal([700, 800, 900]);
    expect(await knex('object_deletions')).to.deep.equal([]);
    const fetched = await fetchBytes(r.body.photos[1].url);
    expect(sha(fetched.body as Buffer)).to.equal(sha(newBytes[1] as Buffer));
    expect(await knex('audit_logs').where({ action: 'VEHICLE_UPDATED', entity_id: id })).to.have.length(1);

    // A failed upload keeps the current set and leaves no new object behind.
    flaky.failPutAfter = flaky.puts + 1;
    const failed = await replace(
      customer,
      id,
      [
        [imageBytes('jpeg', 100, 1), 'a.jpg'],
        [imageBytes('jpeg', 100, 2), 'b.jpg'],
      ],
      'FRONT,BACK',
    );
    expect(failed.status).to.equal(503);
    flaky.failPutAfter = Infinity;
    const after = await t.api.get(`/api/v1/me/vehicles/${id}`).set(customer.auth).expect(200);
    expect(after.body.photos.map((p: { id: string }) => p.id)).to.deep.equal(
      r.body.photos.map((p: { id: string }) => p.id),
    );
    expect((await objectsOf(id)).map((o) => o.size).sort()).to.deep.equal([700, 800, 900]);
  });

  it('a vehicle used by an open inspection request cannot be deleted (409 VEHICLE.IN_USE); a finished one keeps its snapshot', async () => {
    const created = await create(customer, vehicleData(), [[imageBytes('jpeg'), 'a.jpg']], 'FRONT').expect(201);
    const id = created.body.id as string;
    const requestId = randomUUID();
    const now = new Date();
    await knex('customer_inspection_requests').insert({
      id: requestId,
      customer_id: customer.user.id,
      vehicle_id: id,
      vehicle_class: 'REGULAR',
      preferred_schedule: new Date(now.getTime() + 86_400_000),
      price_idr: 450000,
      created_by: customer.user.id,
      created_at: now,
      updated_at: now,
    });
    const refused = await t.api.delete(`/api/v1/me/vehicles/${id}`).set(customer.auth);
    expect(refused.status).to.equal(409);
    expect(refused.body.code).to.equal('VEHICLE.IN_USE');
    expect(await objectsOf(id)).to.have.length(1);
    await knex('customer_inspection_requests').where({ id: requestId }).update({ status: 'CANCELLED' });
    await t.api.delete(`/api/v1/me/vehicles/${id}`).set(customer.auth).expect(204);
    const request = await knex('customer_inspection_requests').where({ id: requestId }).first();
    expect(request).to.deep.include({ vehicle_id: null, vehicle_class: 'REGULAR', price_idr: 450000 });
    expect(await objectsOf(id)).to.deep.equal([]);
  });

  it('PATCH refuses empty bodies, blank text, out-of-range years and bad plates', async () => {
    const created = await create(customer, vehicleData(), [[imageBytes('jpeg'), 'a.jpg']], 'FRONT').expect(201);
    const id = created.body.id as string;
    for (const [body, path] of [
      [{}, '/body'],
      [{ year: 1899 }, '/body/year'],
      [{ year: new Date().getUTCFullYear() + 2 }, '/year'],
      [{ brand: '   ' }, '/brand'],
      [{ plateNumber: 'ABCDEFG' }, '/plateNumber'],
      [{ vehicleClass: 'SPORT' }, '/body/vehicleClass'],
      [{ specification: { nested: { no: 1 } } }, '/body/specification/nested'],
    ] as Array<[Record<string, unknown>, string]>) {
      const r = await t.api.patch(`/api/v1/me/vehicles/${id}`).set(customer.auth).send(body);
      expect(r.status, JSON.stringify(body)).to.equal(400);
      expect(
        r.body.errors.map((e: { path: string }) => e.path),
        JSON.stringify(body),
      ).to.include(path);
    }
    const unchanged = await knex('customer_vehicles').where({ id }).first();
    expect(unchanged).to.deep.include({
      brand: 'Toyota',
      year: 2021,
      plate_number: 'AB 1234 CD',
      plate_compact: 'AB1234CD',
      vehicle_class: 'REGULAR',
    });
  });
});
