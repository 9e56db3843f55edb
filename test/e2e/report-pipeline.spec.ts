/**
 * Approve -> durable job (pg-boss, sent in the approval's transaction) -> the worker renders both PDFs
 * with real Chromium from the real report page (~40 real photos, lazy-loaded) -> stored with SHA-256.
 * Also: a failed upload is retried at the STORE stage without rendering again.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import { AddPhotos } from '../../src/application/photos/add-photos.js';
import { findChromium } from '../../src/adapters/pdf/chromium-path.js';
import { cidOf } from '../../src/adapters/ipfs/embedded-ipfs.js';
import { readReportMetadata } from '../../src/adapters/pdf/pdf-metadata.js';
import { ChromiumPdfRenderer } from '../../src/adapters/pdf/chromium-pdf-renderer.js';
import { PgBossBus } from '../../src/adapters/queue/pg-boss-bus.js';
import { FsObjectStorage } from '../../src/adapters/storage/fs-object-storage.js';
import { Tokens } from '../../src/main/tokens.js';
import { reportQueues, startReportWorker } from '../../src/main/worker.js';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import { Ipfs } from '../../src/ports/ipfs.js';
import { PdfRenderer, type RenderRequest } from '../../src/ports/pdf-renderer.js';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors, type TestActor } from '../support/actors.js';
import { testKnex, truncateAll } from '../support/db.js';
import { FlakyStorage } from '../support/flaky-storage.js';
import { instrumentStorage } from '../../src/adapters/observability/dependency-metrics.js';
import { createInspectionAs } from '../support/inspections.js';
import { freePort } from '../support/net.js';
import { EXIF_MARKER, realJpeg, withGpsExif } from '../support/photos.js';
import { waitFor } from './process.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('e2e: report pipeline (pg-boss worker, real Chromium, ~40 photos)', function () {
  this.timeout(300_000);
  let knex: Knex;
  let t: TestApp;
  let server: Server;
  let bus: PgBossBus;
  let worker: { stop(): Promise<void>; concurrency(): number };
  let dir: string;
  let renders: RenderRequest[];
  let flaky: FlakyStorage;
  let inspector: TestActor;
  let reviewer: TestActor;

  before(async function () {
    if (!findChromium(process.env.CHROMIUM_PATH)) this.skip();
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-pipeline-'));
    knex = testKnex(10);
    await truncateAll(knex);
    const port = await freePort();
    renders = [];
    const overrides = new ContainerModule(({ rebind }) => {
      // Count renders (to prove a retry does not render again) around the real Chromium renderer.
      rebind<PdfRenderer>(PdfRenderer)
        .toDynamicValue((ctx) => {
          const config = ctx.get(Tokens.Config);
          const real = new ChromiumPdfRenderer({
            concurrency: 2,
            allowedHosts: [new URL(config.reports.baseUrl).host],
            gotoTimeoutMs: 60_000,
            pdfTimeoutMs: 120_000,
            taskTimeoutMs: 180_000,
            assetTimeoutMs: 30_000,
            slowAssetMs: 5_000,
            attempts: 2,
            log: ctx.get(Tokens.Logger),
          });
          return { render: (r: RenderRequest) => (renders.push(r), real.render(r)), close: () => real.close() };
        })
        .inSingletonScope();
      rebind<ObjectStorage>(ObjectStorage)
        .toDynamicValue((ctx) => {
          const c = ctx.get(Tokens.Config);
          flaky = new FlakyStorage(
            new FsObjectStorage({
              root: c.storage.fsRoot,
              baseUrl: `http://127.0.0.1:${port}`,
              signer: ctx.get(Tokens.UrlSigner),
            }),
          );
          // Instrumented as the production binding is, so the stages' store calls show on /metrics.
          return instrumentStorage(flaky, ctx.get(Tokens.Metrics).registry);
        })
        .inSingletonScope();
    });
    bus = new PgBossBus(process.env.TEST_DATABASE_URL as string, { info: () => undefined, error: () => undefined });
    t = buildTestApp({
      knex,
      overrides: [overrides],
      env: {
        REPORT_BASE_URL: `http://127.0.0.1:${port}`,
        REPORT_JOB_RETRY_DELAY_SECONDS: '1',
        REPORT_JOB_RETRY_LIMIT: '1',
        REPORT_UPLOAD_TIMEOUT_MS: '2000',
        DATA_DIR: dir,
        LOG_LEVEL: 'info',
      },
      bus,
    });
    await bus.start(reportQueues(t.config));
    server = t.app.listen(port, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    worker = await startReportWorker(t.container, bus, t.config, t.logs.logger);
    const actors = new Actors(t.container);
    inspector = await actors.create('INSPECTOR');
    reviewer = await actors.create('REVIEWER');
  });

  after(async () => {
    await bus?.stop().catch(() => undefined);
    await worker?.stop();
    server?.close();
    await knex?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Photo n; the first document photo and the first other one carry GPS EXIF (withGps). */
  async function inspectionWithPhotos(
    count: number,
    documents: number,
    withGps = false,
  ): Promise<{ id: string; prettyId: string }> {
    const i = await createInspectionAs(t.container, inspector);
    const actor = { userId: inspector.user.id, role: 'INSPECTOR' as const };
    for (let start = 0; start < count; start += 10) {
      const files = [];
      const meta = [];
      for (let n = start; n < Math.min(count, start + 10); n++) {
        const plain = await realJpeg(1600, 1200, n + 1, 85);
        const bytes = withGps && (n === 0 || n === documents) ? await withGpsExif(plain) : plain;
        files.push({
          originalName: `p${n}.jpg`,
          size: bytes.length,
          head: new Uint8Array(bytes.subarray(0, 16)),
          sha256: sha(bytes),
          open: () => bytes,
        });
        meta.push({
          label: `Foto ${n + 1}`,
          isDocument: n < documents,
          category: n < documents ? ('DOCUMENT' as const) : ('EXTERIOR' as const),
        });
      }
      await t.container.get(AddPhotos).execute(actor, i.id, files, meta);
    }
    return { id: i.id, prettyId: i.prettyId };
  }

  const job = (inspectionId: string) => knex('pdf_jobs').where({ inspection_id: inspectionId }).first();
  const pdfOf = async (key: string) => {
    const chunks: Buffer[] = [];
    for await (const c of await flaky.get(key)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const images = (pdf: Buffer, name: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, pdf);
    return execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(2)
      .filter((l) => / image /.test(l)).length;
  };

  it('approval queues the job; the worker renders, stores and records both PDFs with every photo', async () => {
    const { id, prettyId } = await inspectionWithPhotos(40, 3, true);
    const approved = await t.api.post(`/api/v1/inspections/${id}/approve`).set(reviewer.auth).expect(200);
    await waitFor(async () => (await job(id))?.state === 'DONE', 240_000, 'report job DONE');
    const row = await job(id);
    expect(row).to.include({
      id: approved.body.reportJobId,
      state: 'DONE',
      stage: 'DONE',
      attempts: 1,
      last_error: null,
    });
    const reports = await knex('inspection_reports').where({ inspection_id: id }).orderBy('variant');
    expect(reports.map((r: { variant: string }) => r.variant)).to.deep.equal(['full', 'no-docs']);
    for (const r of reports) {
      const pdf = await pdfOf(r.storage_key);
      expect(sha(pdf), `${r.variant}: recorded SHA-256 is the stored file's`).to.equal(r.sha256);
      expect(Number(r.size_bytes)).to.equal(pdf.length);
      const meta = await readReportMetadata(pdf);
      expect(meta).to.include({ prettyId, htmlSha256: r.html_sha256 });
      expect(meta.pageCount).to.equal(Number(r.page_count));
      const originals = (await knex('inspection_photos').where({ inspection_id: id }).sum({ n: 'size_bytes' }))[0]?.n;
      expect(pdf.length, 'print renditions, not originals, are embedded').to.be.lessThan(Number(originals) / 2);
      expect(images(pdf, `${r.variant}.pdf`), `${r.variant}: every photo present`).to.equal(
        r.variant === 'full' ? 40 : 37,
      );
    }
    expect(row.artifacts.full).to.include({ imagesLoaded: 40, rerendered: false });
    expect(
      (await knex('inspection_photos').where({ inspection_id: id }).whereNull('rendition_key')).length,
      'every printed photo got a rendition',
    ).to.equal(0);
    const view = await t.api.get(`/api/v1/inspections/${id}/reports`).set(reviewer.auth).expect(200);
    const url = new URL(view.body.reports[0].url);
    const download = await fetch(`http://${url.host}${url.pathname}${url.search}`);
    expect(sha(Buffer.from(await download.arrayBuffer()))).to.equal(view.body.reports[0].sha256);
    expect(download.headers.get('content-disposition')).to.contain(`${prettyId}-full.pdf`);
    expect((await knex('audit_logs').where({ action: 'REPORT_GENERATED', entity_id: id })).length).to.equal(1);
    // Only the public (no-docs) PDF is in IPFS: pinned, with the CID `ipfs add --cid-version=1` gives, and
    // served at /ipfs/{cid}. The full one (registration documents, the customer's name) never is: no CID
    // recorded, its would-be CID not pinned and answering 404.
    const [full, noDocs] = reports as Array<{ storage_key: string; sha256: string; ipfs_cid: string | null }>;
    const publicPdf = await pdfOf(noDocs!.storage_key);
    expect(noDocs!.ipfs_cid).to.equal(await cidOf(publicPdf, 1));
    const served = await fetch(`http://${url.host}/ipfs/${noDocs!.ipfs_cid}?filename=report.pdf`);
    expect(served.headers.get('content-type')).to.contain('application/pdf');
    expect(sha(Buffer.from(await served.arrayBuffer()))).to.equal(noDocs!.sha256);
    expect(full!.ipfs_cid).to.equal(null);
    const fullPdf = await pdfOf(full!.storage_key);
    const fullCid = await cidOf(fullPdf, 1);
    expect(await t.container.get<Ipfs>(Ipfs).isPinned(fullCid), 'the full PDF is not pinned').to.equal(false);
    expect((await fetch(`http://${url.host}/ipfs/${fullCid}`)).status).to.equal(404);
    expect(view.body.reports.map((r: { ipfsCid: string | null }) => r.ipfsCid)).to.deep.equal([null, noDocs!.ipfs_cid]);
    // Nothing personal in the public PDF: no customer name, and no EXIF/GPS of any photo (the photos carry
    // both; print renditions are re-encoded without metadata). The full PDF does name the customer.
    const text = (pdf: Buffer, name: string) => {
      const file = path.join(dir, name);
      writeFileSync(file, pdf);
      return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    };
    expect(text(fullPdf, 'full.pdf')).to.contain('Budi Santoso');
    expect(text(publicPdf, 'public.pdf')).not.to.contain('Budi Santoso');
    for (const [variant, pdf] of [
      ['full', fullPdf],
      ['no-docs', publicPdf],
    ] as const) {
      expect(pdf.includes(Buffer.from(EXIF_MARKER)), `${variant}: no EXIF of the photos`).to.equal(false);
      expect(pdf.includes(Buffer.from('Exif\0\0', 'binary')), `${variant}: no EXIF block at all`).to.equal(false);
    }
    // Telemetry: the stages on /metrics and the queue figures for administrators.
    const metrics = await (await fetch(`http://${url.host}/metrics`)).text();
    for (const stage of ['render', 'compress', 'stamp', 'store', 'ipfs', 'record'])
      expect(metrics).to.match(
        new RegExp(`car_dano_job_stage_duration_seconds_count\\{queue="report-render",stage="${stage}"\\} [1-9]`),
      );
    expect(metrics).to.match(/car_dano_job_attempts_total\{queue="report-render",outcome="done"\} [1-9]/);
    expect(metrics).to.match(/car_dano_queue_jobs\{queue="report",state="DONE"\} [1-9]/);
    // Approval -> stored report, the PDFs' sizes, and the store and IPFS calls the stages made.
    expect(metrics).to.match(/car_dano_pipeline_duration_seconds_count\{pipeline="report",outcome="success"\} [1-9]/);
    for (const variant of ['full', 'no_docs'])
      expect(metrics).to.match(new RegExp(`car_dano_report_pdf_size_bytes_count\\{variant="${variant}"\\} [1-9]`));
    expect(metrics).to.match(
      /car_dano_storage_operations_total\{operation="put",outcome="success",error_category="none"\} [1-9]/,
    );
    expect(metrics).to.match(/car_dano_storage_bytes_total\{operation="put"\} [1-9]/);
    expect(metrics).to.match(
      /car_dano_ipfs_operations_total\{operation="add",outcome="success",error_category="none"\} [1-9]/,
    );
    const admin = await new Actors(t.container).create('ADMIN');
    const stats = await t.api.get('/api/v1/admin/pdf-jobs/stats').set(admin.auth).expect(200);
    expect(stats.body.byState.DONE).to.be.at.least(1);
    expect(stats.body.averageRenderMs).to.be.greaterThan(0);
  });

  it('a failed upload is retried at the STORE stage without rendering again', async () => {
    const { id } = await inspectionWithPhotos(6, 1);
    const before = renders.length;
    flaky.failPutsMatching = /^reports\//;
    flaky.failPutsRemaining = 1;
    await t.api.post(`/api/v1/inspections/${id}/approve`).set(reviewer.auth).expect(200);
    await waitFor(async () => (await job(id))?.state === 'DONE', 120_000, 'job DONE after a retry');
    const row = await job(id);
    expect(row.attempts, 'one failed attempt, one retry').to.equal(2);
    expect(renders.length - before, 'rendered once per variant, not again on retry').to.equal(2);
    expect((await knex('inspection_reports').where({ inspection_id: id })).length).to.equal(2);
  });

  it('a job that cannot produce a complete report (broken input) fails at once, without retries, with a clear error and an alert', async () => {
    const { id } = await inspectionWithPhotos(3, 0);
    const photo = await knex('inspection_photos').where({ inspection_id: id }).first();
    await flaky.delete(photo.storage_key);
    await t.api.post(`/api/v1/inspections/${id}/approve`).set(reviewer.auth).expect(200);
    await waitFor(async () => (await job(id))?.state === 'FAILED', 120_000, 'job FAILED');
    const row = await job(id);
    expect(row, 'no retry can fix the input').to.include({
      stage: 'RENDER',
      attempts: 1,
      last_error_code: 'RENDER.QUALITY_GATE',
    });
    const bossState = async () =>
      (await knex.raw(`SELECT state FROM pgboss.job WHERE data->>'pdfJobId' = ?`, [row.id])).rows.map(
        (r: { state: string }) => r.state,
      );
    await waitFor(
      async () => (await bossState()).join() === 'completed',
      10_000,
      'the queue job settled without a retry',
    );
    expect(row.last_error).to.contain('2 of 3 images').and.to.contain(photo.id);
    expect(await knex('inspection_reports').where({ inspection_id: id })).to.deep.equal([]);
    const alert = t.logs
      .lines()
      .find(
        (l) =>
          l.message === 'ALERT JOB_FAILED: A report job failed: its input must be fixed, then re-run it' &&
          l.pdfJobId === row.id,
      );
    expect(alert).to.include({ level: 'error', code: 'RENDER.QUALITY_GATE', inspectionId: id });
    const metrics = await t.app.locals.metrics.registry.metrics();
    expect(metrics).to.match(/car_dano_job_errors_total\{queue="report-render",code="RENDER.QUALITY_GATE"\} 1/);
    expect(metrics).to.match(/car_dano_job_attempts_total\{queue="report-render",outcome="failed"\} 1/);
  });

  it('pauses the queue while a dependency breaker is open and resumes when it closes (no attempts burnt)', async () => {
    const health = t.container.get(Tokens.DependencyHealth);
    health.report('storage', 'open');
    await waitFor(async () => worker.concurrency() === 0, 10_000, 'consumers stopped');
    const { id } = await inspectionWithPhotos(2, 0);
    await t.api.post(`/api/v1/inspections/${id}/approve`).set(reviewer.auth).expect(200);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await job(id)).to.include({ state: 'QUEUED', attempts: 0 });
    health.report('storage', 'closed');
    await waitFor(async () => (await job(id))?.state === 'DONE', 120_000, 'job DONE after resuming');
    expect((await job(id)).attempts).to.equal(1);
    expect(worker.concurrency()).to.be.greaterThan(0);
    expect(t.logs.raw())
      .to.contain('report queue paused: a dependency is failing')
      .and.to.contain('report queue resumed');
  });

  it('an upload that hangs times out (STORE stage budget) and the retry finishes the job', async () => {
    const { id } = await inspectionWithPhotos(2, 0);
    flaky.hangPutsMatching = /^reports\//;
    flaky.hangPutsRemaining = 1;
    await t.api.post(`/api/v1/inspections/${id}/approve`).set(reviewer.auth).expect(200);
    await waitFor(async () => (await job(id))?.state === 'DONE', 120_000, 'job DONE after the timeout');
    expect((await job(id)).attempts).to.equal(2);
    const metrics = await t.app.locals.metrics.registry.metrics();
    expect(metrics).to.match(/car_dano_job_errors_total\{queue="report-render",code="STORAGE.TIMEOUT"\} 1/);
  });
});
