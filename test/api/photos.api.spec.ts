import { expect } from 'chai';
import type { Knex } from 'knex';
import { createHash } from 'node:crypto';
import supertest from 'supertest';
import { ObjectDeleter } from '../../src/application/photos/object-deleter.js';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors, type TestActor } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';
import { flakyStorageModule, type FlakyStorage } from '../support/flaky-storage.js';
import { createInspectionAs, fakeImageBytes, imageBytes } from '../support/inspections.js';
import { realJpeg } from '../support/photos.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('API: inspection photos on the filesystem store (PostgreSQL)', () => {
  let knex: Knex;
  let t: TestApp;
  let flaky: FlakyStorage;
  let inspector: TestActor;
  let reviewer: TestActor;
  let inspectionId: string;
  const storage = () => t.container.get<ObjectStorage>(ObjectStorage);

  useTestDatabase((k) => (knex = k));
  beforeEach(async () => {
    const override = flakyStorageModule((f) => (flaky = f));
    t = buildTestApp({ knex, overrides: [override] });
    const actors = new Actors(t.container);
    inspector = await actors.create('INSPECTOR');
    reviewer = await actors.create('REVIEWER');
    inspectionId = (await createInspectionAs(t.container, inspector)).id;
  });

  const upload = (who: TestActor, files: Array<[Buffer, string]>, metadata?: unknown) => {
    const req = t.api.post(`/api/v1/inspections/${inspectionId}/photos`).set(who.auth);
    for (const [buf, name] of files) req.attach('photos', buf, name);
    if (metadata !== undefined) req.field('metadata', JSON.stringify(metadata));
    return req;
  };

  it('uploads a batch (JPEG, PNG, WebP) with metadata; stored bytes and signed URLs match', async () => {
    const files: Array<[Buffer, string]> = [
      [imageBytes('jpeg', 4000, 1), 'front.jpg'],
      [imageBytes('png', 3000, 2), 'stnk.png'],
      [imageBytes('webp', 2000, 3), 'engine.webp'],
    ];
    const r = await upload(inspector, files, [
      { label: 'Tampak depan', category: 'EXTERIOR', isMandatory: true },
      { label: 'STNK', category: 'DOCUMENT', isDocument: true, displayInPdf: false },
    ]);
    expect(r.status).to.equal(201);
    expect(r.body.items.map((p: { contentType: string }) => p.contentType)).to.deep.equal([
      'image/jpeg',
      'image/png',
      'image/webp',
    ]);
    expect(r.body.items[0]).to.include({
      label: 'Tampak depan',
      category: 'EXTERIOR',
      isMandatory: true,
      sortOrder: 0,
      originalName: 'front.jpg',
      sizeBytes: 4000,
      sha256: sha(files[0]?.[0] as Buffer),
    });
    expect(r.body.items[1]).to.include({ isDocument: true, displayInPdf: false, category: 'DOCUMENT' });
    expect(r.body.items[2]).to.include({ label: '', category: 'GENERAL', sortOrder: 2 });
    for (const [n, p] of (r.body.items as Array<{ url: string; urlExpiresAt: string }>).entries()) {
      const url = new URL(p.url);
      expect(url.pathname).to.match(
        new RegExp(`^/files/inspections/${inspectionId}/photos/[0-9a-f-]{36}\\.(jpg|png|webp)$`),
      );
      expect(Date.parse(p.urlExpiresAt)).to.be.greaterThan(Date.now());
      const got = await supertest(t.app)
        .get(url.pathname + url.search)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(got.status).to.equal(200);
      expect(sha(got.body as Buffer), `photo ${n} bytes`).to.equal(sha(files[n]?.[0] as Buffer));
      const tampered = await supertest(t.app).get(
        url.pathname +
          url.search.replace(/signature=([0-9a-f])/, (_m, c: string) => `signature=${c === '0' ? '1' : '0'}`),
      );
      expect(tampered.status).to.equal(403);
    }
    const rows = await knex('inspection_photos').where({ inspection_id: inspectionId });
    expect(rows).to.have.length(3);
    expect(rows.every((row: { storage_driver: string }) => row.storage_driver === 'fs')).to.equal(true);
    const detail = await t.api.get(`/api/v1/inspections/${inspectionId}`).set(reviewer.auth);
    expect(detail.body.photos).to.have.length(3);
    expect(JSON.stringify(detail.body)).to.not.contain('storageKey');
  });

  it('refuses a forged extension (a PDF named .jpg), too many files and oversize files, storing nothing', async () => {
    const forged = await upload(inspector, [
      [imageBytes('jpeg'), 'ok.jpg'],
      [imageBytes('pdf'), 'car.jpg'],
    ]);
    expect(forged.status).to.equal(415);
    expect(forged.body.code).to.equal('PHOTO.UNSUPPORTED_TYPE');
    expect(forged.body.detail).to.contain('car.jpg');
    const many = await upload(
      inspector,
      Array.from({ length: 11 }, (_, i) => [imageBytes('jpeg', 100, i), `${i}.jpg`] as [Buffer, string]),
    );
    expect(many.status).to.equal(400);
    const small = buildTestApp({ knex, env: { PHOTO_MAX_MB: '1' } });
    const big = await small.api
      .post(`/api/v1/inspections/${inspectionId}/photos`)
      .set(inspector.auth)
      .attach('photos', imageBytes('jpeg', 1024 * 1024 + 10), 'big.jpg');
    expect(big.status).to.equal(413);
    expect(big.body.code).to.equal('PHOTO.TOO_LARGE');
    expect(await knex('inspection_photos')).to.deep.equal([]);
    expect(await storage().list(`inspections/${inspectionId}/`)).to.deep.equal([]);
    const badMeta = await upload(inspector, [[imageBytes('jpeg'), 'a.jpg']], [{ label: 5 }]);
    expect(badMeta.status).to.equal(400);
    expect(badMeta.body.errors[0].path).to.equal('/body/metadata');
    const badCategory = await upload(inspector, [[imageBytes('jpeg'), 'a.jpg']], [{ category: 'SELFIE' }]);
    expect(badCategory.status).to.equal(400);
    expect(badCategory.body.errors[0]).to.deep.equal({
      path: '/body/metadata',
      message:
        'item 0: category must be one of GENERAL, EXTERIOR, INTERIOR, ENGINE, UNDERCARRIAGE, TIRES, DOCUMENT, DAMAGE, OTHER',
    });
    expect(await knex('inspection_photos'), 'nothing stored').to.deep.equal([]);
  });

  it('decodes every upload before accepting it: a JPEG header followed by garbage is 422 PHOTO.UNREADABLE, too many pixels 422 PHOTO.TOO_MANY_PIXELS; nothing stored', async () => {
    const garbage = await upload(inspector, [
      [imageBytes('jpeg', 900, 1), 'good.jpg'],
      [fakeImageBytes('jpeg', 4096, 2), 'broken.jpg'],
    ]);
    expect(garbage.status).to.equal(422);
    expect(garbage.body.code).to.equal('PHOTO.UNREADABLE');
    expect(garbage.body.detail).to.contain('broken.jpg');
    const small = buildTestApp({ knex, env: { PHOTO_MAX_PIXELS: '1000' } });
    const bomb = await small.api
      .post(`/api/v1/inspections/${inspectionId}/photos`)
      .set(inspector.auth)
      .attach('photos', await realJpeg(100, 100), 'huge.jpg');
    expect(bomb.status).to.equal(422);
    expect(bomb.body.code).to.equal('PHOTO.TOO_MANY_PIXELS');
    expect(await knex('inspection_photos')).to.deep.equal([]);
    expect(await storage().list(`inspections/${inspectionId}/`)).to.deep.equal([]);
  });

  it('a failed upload in the middle of a batch leaves no record and no object', async () => {
    flaky.failPutAfter = 1;
    const r = await upload(inspector, [
      [imageBytes('jpeg', 500, 1), 'a.jpg'],
      [imageBytes('jpeg', 500, 2), 'b.jpg'],
    ]);
    expect(r.status).to.equal(503);
    expect(r.body.code).to.equal('STORAGE.UNAVAILABLE');
    expect(await knex('inspection_photos')).to.deep.equal([]);
    expect(
      await flaky.list(`inspections/${inspectionId}/`),
      'the first, already stored object was removed',
    ).to.deep.equal([]);
    expect(await knex('object_deletions')).to.deep.equal([]);
  });

  it('updates metadata, replaces the file (new object first, old one deleted), reorders and deletes', async () => {
    const up = await upload(inspector, [
      [imageBytes('jpeg', 500, 1), 'a.jpg'],
      [imageBytes('png', 500, 2), 'b.png'],
    ]);
    const [a, b] = up.body.items as Array<{ id: string }>;
    const patched = await t.api
      .patch(`/api/v1/inspections/${inspectionId}/photos/${a?.id}`)
      .set(reviewer.auth)
      .send({ label: 'Bemper', needAttention: true });
    expect(patched.body).to.include({ label: 'Bemper', needAttention: true });
    const before = (await knex('inspection_photos').where({ id: a?.id }).first()).storage_key;
    const replacement = imageBytes('webp', 800, 9);
    const replaced = await t.api
      .put(`/api/v1/inspections/${inspectionId}/photos/${a?.id}`)
      .set(inspector.auth)
      .attach('photo', replacement, 'new.webp');
    expect(replaced.status).to.equal(200);
    expect(replaced.body).to.include({
      id: a?.id,
      contentType: 'image/webp',
      sha256: sha(replacement),
      label: 'Bemper',
      originalName: 'new.webp',
    });
    const after = (await knex('inspection_photos').where({ id: a?.id }).first()).storage_key;
    expect(after).to.not.equal(before);
    expect(await flaky.head(before)).to.equal(null);
    expect((await flaky.head(after))?.size).to.equal(800);
    const order = await t.api
      .put(`/api/v1/inspections/${inspectionId}/photos/order`)
      .set(inspector.auth)
      .send({ photoIds: [b?.id, a?.id] });
    expect(order.body.items.map((p: { id: string }) => p.id)).to.deep.equal([b?.id, a?.id]);
    const wrongOrder = await t.api
      .put(`/api/v1/inspections/${inspectionId}/photos/order`)
      .set(inspector.auth)
      .send({ photoIds: [b?.id] });
    expect(wrongOrder.body.code).to.equal('PHOTO.ORDER_MISMATCH');
    await t.api.delete(`/api/v1/inspections/${inspectionId}/photos/${b?.id}`).set(inspector.auth).expect(204);
    expect(await flaky.list(`inspections/${inspectionId}/`)).to.have.length(1);
    expect(
      (await t.api.delete(`/api/v1/inspections/${inspectionId}/photos/${b?.id}`).set(inspector.auth)).status,
    ).to.equal(404);
  });

  it('a failed object delete never fails the request: it is recorded and retried later by the sweeper', async () => {
    const up = await upload(inspector, [[imageBytes('jpeg', 500, 1), 'a.jpg']]);
    const key = (await knex('inspection_photos').first()).storage_key as string;
    flaky.failDeletes = true;
    await t.api
      .delete(`/api/v1/inspections/${inspectionId}/photos/${up.body.items[0].id}`)
      .set(inspector.auth)
      .expect(204);
    const pending = await knex('object_deletions');
    expect(pending).to.have.length(1);
    expect(pending[0]).to.include({ key, driver: 'fs', attempts: 1 });
    expect(pending[0].last_error).to.contain('injected delete failure');
    expect(t.logs.raw()).to.contain('object deletion failed; will retry');
    expect(await flaky.head(key)).to.not.equal(null);
    flaky.failDeletes = false;
    await knex('object_deletions').update({ next_attempt_at: new Date(Date.now() - 1000) });
    expect(await t.container.get(ObjectDeleter).sweep()).to.deep.equal({ deleted: 1, failed: 0 });
    expect(await flaky.head(key)).to.equal(null);
    expect(await knex('object_deletions')).to.deep.equal([]);
  });

  it('photos are frozen after approval and another inspector cannot touch them', async () => {
    const other = await new Actors(t.container).create('INSPECTOR');
    const foreign = await upload(other, [[imageBytes('jpeg'), 'a.jpg']]);
    expect(foreign.status).to.equal(404);
    await t.api.post(`/api/v1/inspections/${inspectionId}/approve`).set(reviewer.auth).expect(200);
    const late = await upload(inspector, [[imageBytes('jpeg'), 'a.jpg']]);
    expect(late.status).to.equal(409);
    expect(late.body.code).to.equal('INSPECTION.NOT_EDITABLE');
    expect(await flaky.list(`inspections/${inspectionId}/`)).to.deep.equal([]);
  });

  it('permanent deletion of an inspection removes its stored photos', async () => {
    await upload(inspector, [
      [imageBytes('jpeg', 300, 1), 'a.jpg'],
      [imageBytes('png', 300, 2), 'b.png'],
    ]).expect(201);
    expect(await flaky.list(`inspections/${inspectionId}/`)).to.have.length(2);
    const sa = await new Actors(t.container).create('SUPERADMIN');
    await t.api.delete(`/api/v1/inspections/${inspectionId}`).set(sa.auth).expect(204);
    expect(await flaky.list(`inspections/${inspectionId}/`)).to.deep.equal([]);
    expect(await knex('object_deletions')).to.deep.equal([]);
  });
});
