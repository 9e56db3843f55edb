/**
 * The report renderer against real Chromium, the real report page served by the API on 127.0.0.1 and
 * real JPEG photos (lazy-loaded by the page): every photo must be in the PDF, the no-docs variant must
 * leave documents out, the metadata must carry the HTML checksum, and a missing photo must fail the
 * quality gate instead of producing an incomplete report.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { AddPhotos } from '../../src/application/photos/add-photos.js';
import { ChromiumPdfRenderer } from '../../src/adapters/pdf/chromium-pdf-renderer.js';
import { findChromium } from '../../src/adapters/pdf/chromium-path.js';
import { readReportMetadata, stampReport } from '../../src/adapters/pdf/pdf-metadata.js';
import { DomainError } from '../../src/domain/shared/domain-error.js';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import { RenderTokens } from '../../src/ports/render-tokens.js';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors } from '../support/actors.js';
import { testKnex, truncateAll } from '../support/db.js';
import { createInspectionAs } from '../support/inspections.js';
import { memoryLogger } from '../support/logs.js';
import { realJpeg } from '../support/photos.js';

/** Images embedded in a PDF, counted by poppler's pdfimages (independent of our code). */
function imageCount(pdf: Buffer, dir: string, name: string): number {
  const file = path.join(dir, name);
  writeFileSync(file, pdf);
  const list = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n');
  return list.slice(2).filter((l) => / image /.test(l)).length;
}

describe('Chromium report renderer (real Chromium, real page, real photos)', function () {
  this.timeout(180_000);
  let knex: Knex;
  let t: TestApp;
  let server: Server;
  let origin: string;
  let renderer: ChromiumPdfRenderer;
  let dir: string;
  let inspectionId: string;
  let prettyId: string;
  const logs = memoryLogger();

  before(async function () {
    if (!findChromium(process.env.CHROMIUM_PATH)) this.skip();
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-render-'));
    knex = testKnex();
    await truncateAll(knex);
    t = buildTestApp({ knex });
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    origin = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const inspector = await new Actors(t.container).create('INSPECTOR');
    const inspection = await createInspectionAs(t.container, inspector);
    inspectionId = inspection.id;
    prettyId = inspection.prettyId;
    const files = [];
    const meta = [];
    for (let n = 0; n < 14; n++) {
      const bytes = await realJpeg(640, 480, n + 1);
      files.push({
        originalName: `p${n}.jpg`,
        size: bytes.length,
        head: new Uint8Array(bytes.subarray(0, 16)),
        sha256: createHash('sha256').update(bytes).digest('hex'),
        open: () => bytes,
      });
      meta.push({ label: `Foto ${n}`, isDocument: n < 2, displayInPdf: n !== 13 });
    }
    // Two uploads: at most 10 photos per request.
    const actor = { userId: inspector.user.id, role: 'INSPECTOR' as const };
    await t.container.get(AddPhotos).execute(actor, inspectionId, files.slice(0, 7), meta.slice(0, 7));
    await t.container.get(AddPhotos).execute(actor, inspectionId, files.slice(7), meta.slice(7));
    renderer = new ChromiumPdfRenderer({
      concurrency: 2,
      allowedHosts: [origin],
      gotoTimeoutMs: 30_000,
      pdfTimeoutMs: 60_000,
      taskTimeoutMs: 120_000,
      assetTimeoutMs: 20_000,
      slowAssetMs: 5_000,
      attempts: 2,
      log: logs.logger,
    });
  });

  after(async () => {
    await renderer?.close();
    server?.close();
    await knex?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const urlFor = (variant: 'full' | 'no-docs') => {
    const token = t.container.get<RenderTokens>(RenderTokens).issue(inspectionId, variant, new Date(), 600);
    return `http://${origin}/api/v1/reports/${inspectionId}/${variant}?token=${token}`;
  };

  it('prints every photo of the full report (13 of 14: one is not for the PDF) and stamps the metadata', async () => {
    const r = await renderer.render({ url: urlFor('full'), expectedImages: 13 });
    expect(r).to.include({ imagesExpected: 13, imagesLoaded: 13, attempts: 1 });
    expect(r.pdf.subarray(0, 5).toString()).to.equal('%PDF-');
    expect(r.htmlSha256).to.match(/^[0-9a-f]{64}$/);
    expect(imageCount(r.pdf, dir, 'full.pdf')).to.equal(13);
    const stamped = await stampReport(
      r.pdf,
      {
        title: `${prettyId} inspection report`,
        subject: 'Vehicle inspection',
        prettyId,
        variant: 'full',
        htmlSha256: r.htmlSha256,
      },
      new Date(),
    );
    const meta = await readReportMetadata(stamped.pdf);
    expect(meta).to.include({ prettyId, htmlSha256: r.htmlSha256, title: `${prettyId} inspection report` });
    expect(meta.keywords).to.contain(`html-sha256:${r.htmlSha256}`);
    expect(stamped.pageCount).to.be.at.least(2);
    expect(meta.pageCount).to.equal(stamped.pageCount);
    await writeFile(path.join(dir, 'stamped.pdf'), stamped.pdf);
    const text = execFileSync('pdftotext', [path.join(dir, 'stamped.pdf'), '-'], { encoding: 'utf8' });
    expect(text).to.contain(prettyId).and.to.contain('AB 1234 CD');
  });

  it('size control: a re-render at a lower scale with in-page downscaling keeps every photo and is smaller', async () => {
    const plain = await renderer.render({ url: urlFor('no-docs'), expectedImages: 11 });
    const smaller = await renderer.render({
      url: urlFor('no-docs'),
      expectedImages: 11,
      scale: 0.75,
      downscale: { maxWidth: 300, jpegQuality: 0.5 },
    });
    expect(smaller.pdf.length).to.be.lessThan(plain.pdf.length);
    expect(imageCount(smaller.pdf, dir, 'small.pdf')).to.equal(11);
  });

  it('leaves the document photos out of the no-docs report', async () => {
    const r = await renderer.render({ url: urlFor('no-docs'), expectedImages: 11 });
    expect(imageCount(r.pdf, dir, 'nodocs.pdf')).to.equal(11);
  });

  it('fails the quality gate (after a retry) when a photo cannot be loaded, naming it without the token', async () => {
    const row = await knex('inspection_photos')
      .where({ inspection_id: inspectionId, is_document: false, display_in_pdf: true })
      .first();
    const storage = t.container.get<ObjectStorage>(ObjectStorage);
    const saved: Buffer[] = [];
    for await (const c of await storage.get(row.storage_key)) saved.push(c as Buffer);
    // Gone for good: the original and the rendition made by the earlier renders.
    await storage.delete(row.storage_key);
    if (row.rendition_key) await storage.delete(row.rendition_key);
    await knex('inspection_photos').where({ id: row.id }).update({ rendition_key: null, rendition_size_bytes: null });
    try {
      await renderer.render({ url: urlFor('no-docs'), expectedImages: 11 });
      expect.fail('an incomplete report must not be rendered');
    } catch (e) {
      expect(e).to.be.instanceOf(DomainError);
      expect((e as DomainError).code).to.equal('RENDER.QUALITY_GATE');
      expect((e as DomainError).message)
        .to.contain('10 of 11')
        .and.to.contain(row.id)
        .and.to.contain('token=[REDACTED]');
    } finally {
      await storage.put(row.storage_key, Buffer.concat(saved), { contentType: 'image/jpeg' });
    }
    expect(logs.raw()).to.contain('render quality gate failed; retrying').and.to.contain('render asset failed');
    expect(logs.raw()).to.not.match(/token=\d+\.[0-9a-f]{64}/);
  });
});
