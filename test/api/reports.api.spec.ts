import { expect } from 'chai';
import type { Knex } from 'knex';
import { AddPhotos } from '../../src/application/photos/add-photos.js';
import { RenderTokens } from '../../src/ports/render-tokens.js';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors, type TestActor } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';
import { createInspectionAs, imageBytes } from '../support/inspections.js';
import { createHash } from 'node:crypto';

const file = (b: Buffer, name: string) => ({
  originalName: name,
  size: b.length,
  head: new Uint8Array(b.subarray(0, 16)),
  sha256: createHash('sha256').update(b).digest('hex'),
  open: () => b,
});

describe('API: report pages for the renderer (PostgreSQL)', () => {
  let knex: Knex;
  let t: TestApp;
  let inspector: TestActor;
  let reviewer: TestActor;
  let id: string;
  let photoIds: string[];

  useTestDatabase((k) => (knex = k));
  beforeEach(async () => {
    t = buildTestApp({ knex });
    const actors = new Actors(t.container);
    inspector = await actors.create('INSPECTOR');
    reviewer = await actors.create('REVIEWER');
    const i = await createInspectionAs(t.container, inspector, {
      identityDetails: { namaCustomer: '<script>alert(1)</script>' },
    });
    id = i.id;
    const views = await t.container
      .get(AddPhotos)
      .execute(
        { userId: inspector.user.id, role: 'INSPECTOR' },
        id,
        [
          file(imageBytes('jpeg', 900, 1), 'a.jpg'),
          file(imageBytes('png', 900, 2), 'stnk.png'),
          file(imageBytes('jpeg', 900, 3), 'hidden.jpg'),
        ],
        [{ label: 'Depan' }, { label: 'STNK', isDocument: true }, { label: 'Not printed', displayInPdf: false }],
      );
    photoIds = views.map((v) => v.id);
  });

  const tokens = () => t.container.get<RenderTokens>(RenderTokens);
  const page = (variant: string, token: string) => t.api.get(`/api/v1/reports/${id}/${variant}?token=${token}`);

  it('staff get preview links; the pages print the form, and each variant its own photos', async () => {
    const preview = await t.api.post(`/api/v1/inspections/${id}/report-preview`).set(reviewer.auth);
    expect(preview.status).to.equal(200);
    const full = new URL(preview.body.full);
    const res = await t.api.get(full.pathname + full.search);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/html/);
    const html = res.text;
    expect(html)
      .to.contain('YOG-01052025-001')
      .and.to.contain('AB 1234 CD')
      .and.to.contain('Toyota')
      .and.to.contain('Rp 850.000');
    expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;').and.not.to.contain('<script>alert(1)');
    expect(html).to.contain('<meta name="expected-images" content="2">');
    expect(html, 'photos are cropped by a wrapper, not object-fit').to.not.match(/object-fit\s*:/);
    expect(html.match(/<img /g)).to.have.length(2);
    expect(html).to.contain(photoIds[0]).and.to.contain(photoIds[1]).and.not.to.contain(photoIds[2]);
    const noDocs = new URL(preview.body.noDocs);
    const nd = await t.api.get(noDocs.pathname + noDocs.search);
    expect(nd.text.match(/<img /g)).to.have.length(1);
    expect(nd.text).to.not.contain(photoIds[1]);
    const img = nd.text.match(/src="([^"]+)"/)?.[1]?.replace(/&amp;/g, '&') as string;
    const photo = await t.api.get(img);
    expect(photo.status).to.equal(200);
    expect(photo.headers['content-type']).to.equal('image/jpeg');
    // The photos are real images now, so the renderer gets the print rendition (made once), not the original.
    const servedId = photoIds.find((id) => img.includes(id)) as string;
    const row = await knex('inspection_photos').where({ id: servedId }).first('size_bytes', 'rendition_size_bytes');
    expect(Number(photo.headers['content-length'])).to.equal(Number(row.rendition_size_bytes));
    expect(Number(row.size_bytes)).to.equal(900);
  });

  it('tokens are bound to inspection and variant, expire, and never open document photos in no-docs', async () => {
    const now = new Date();
    const full = tokens().issue(id, 'full', now, 60);
    expect((await page('full', full)).status).to.equal(200);
    const wrongVariant = await page('no-docs', full);
    expect(wrongVariant.status).to.equal(403);
    expect(wrongVariant.body.code).to.equal('REPORT.TOKEN_INVALID');
    const expired = await page('full', tokens().issue(id, 'full', new Date(now.getTime() - 3600_000), 60));
    expect(expired.body.code).to.equal('REPORT.TOKEN_EXPIRED');
    const forged = await page('full', `${Math.floor(now.getTime() / 1000) + 60}.${'0'.repeat(64)}`);
    expect(forged.body.code).to.equal('REPORT.TOKEN_INVALID');
    const noDocs = tokens().issue(id, 'no-docs', now, 60);
    const doc = await t.api.get(`/api/v1/reports/${id}/no-docs/photos/${photoIds[1]}?token=${noDocs}`);
    expect(doc.status).to.equal(404);
    expect((await t.api.get(`/api/v1/reports/${id}/full/photos/${photoIds[1]}?token=${full}`)).status).to.equal(200);
    expect(
      (await t.api.get(`/api/v1/reports/${id}/full/photos/${photoIds[2]}?token=${full}`)).status,
      'not printed, not served',
    ).to.equal(404);
    expect((await t.api.get(`/api/v1/reports/${id}/full`)).status, 'no token').to.equal(400);
  });

  it('an inspector previews only their own inspections', async () => {
    const other = await new Actors(t.container).create('INSPECTOR');
    expect((await t.api.post(`/api/v1/inspections/${id}/report-preview`).set(other.auth)).status).to.equal(404);
    expect((await t.api.post(`/api/v1/inspections/${id}/report-preview`).set(inspector.auth)).status).to.equal(200);
  });
});

describe('API: report jobs for operators (PostgreSQL)', () => {
  let knex: Knex;
  let t: TestApp;
  let admin: TestActor;
  let inspectionId: string;

  useTestDatabase((k) => (knex = k));
  beforeEach(async () => {
    t = buildTestApp({ knex });
    const actors = new Actors(t.container);
    admin = await actors.create('ADMIN');
    const inspector = await actors.create('INSPECTOR');
    inspectionId = (await createInspectionAs(t.container, inspector)).id;
  });

  it('lists jobs by state, re-runs a failed one (resuming at its stage) and refuses done ones', async () => {
    const reviewer = await new Actors(t.container).create('REVIEWER');
    const approved = await t.api.post(`/api/v1/inspections/${inspectionId}/approve`).set(reviewer.auth).expect(200);
    const jobId = approved.body.reportJobId as string;
    await knex('pdf_jobs').where({ id: jobId }).update({
      state: 'FAILED',
      stage: 'STORE',
      attempts: 4,
      last_error: 'Object storage is unavailable',
      last_error_code: 'STORAGE.UNAVAILABLE',
    });
    const failed = await t.api.get('/api/v1/admin/pdf-jobs?state=FAILED').set(admin.auth).expect(200);
    expect(failed.body.items.map((j: { id: string }) => j.id)).to.deep.equal([jobId]);
    expect(failed.body.items[0]).to.include({ stage: 'STORE', lastErrorCode: 'STORAGE.UNAVAILABLE', attempts: 4 });
    const rerun = await t.api.post(`/api/v1/admin/pdf-jobs/${jobId}/rerun`).set(admin.auth);
    expect(rerun.status).to.equal(202);
    expect(rerun.body).to.include({ state: 'QUEUED', stage: 'STORE', lastError: null });
    expect((await knex('audit_logs').where({ action: 'REPORT_JOB_RERUN', entity_id: jobId })).length).to.equal(1);
    await knex('pdf_jobs').where({ id: jobId }).update({ state: 'DONE', stage: 'DONE' });
    const done = await t.api.post(`/api/v1/admin/pdf-jobs/${jobId}/rerun`).set(admin.auth);
    expect(done.status).to.equal(409);
    expect(done.body.code).to.equal('REPORT.JOB_DONE');
    const missing = await t.api
      .post('/api/v1/admin/pdf-jobs/00000000-0000-4000-8000-000000000000/rerun')
      .set(admin.auth);
    expect(missing.body.code).to.equal('REPORT.JOB_NOT_FOUND');
    await knex('pdf_jobs').where({ id: jobId }).update({ state: 'FAILED' });
    const all = await t.api.post('/api/v1/admin/pdf-jobs/rerun-failed').set(admin.auth);
    expect(all.status).to.equal(202);
    expect(all.body).to.deep.equal({ requeued: 1, ids: [jobId] });
    expect((await knex('pdf_jobs').where({ id: jobId }).first()).state).to.equal('QUEUED');
    const stats = await t.api.get('/api/v1/admin/pdf-jobs/stats').set(admin.auth).expect(200);
    expect(stats.body.byState).to.deep.equal({ QUEUED: 1 });
    const view = await t.api.get(`/api/v1/inspections/${inspectionId}/reports`).set(reviewer.auth).expect(200);
    expect(view.body.jobs.map((j: { id: string }) => j.id)).to.deep.equal([jobId]);
    expect(view.body.reports).to.deep.equal([]);
  });
});
