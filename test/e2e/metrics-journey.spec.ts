/**
 * The metrics of a whole journey, scraped as Prometheus would: the API in the test process and one standalone
 * worker process (`worker-main`, rendering and minting on a shared Blockfrost-compatible chain) with its own
 * /metrics port. An inspector uploads a photo over HTTP, a reviewer approves two inspections, the worker
 * renders, stores, pins and mints them until ARCHIVED, the public verifies a report, and a customer buys
 * credits through the sandbox checkout. Then every series the alert rules and dashboards rely on exists on
 * the process that records it, and no metric's labels can grow without bound: at most MAX_SERIES series per
 * metric, and no label value that looks like an id, an e-mail or a plate number.
 */
import { expect } from 'chai';
import { findChromium } from '../../src/adapters/pdf/chromium-path.js';
import { Actors } from '../support/actors.js';
import { freePort } from '../support/net.js';
import { realJpeg } from '../support/photos.js';
import { startCluster, type Cluster, type WorkerProcess } from '../drills/support/cluster.js';
import { until, waitArchived } from '../drills/support/harness.js';

/** The stated bound: no metric (all its label sets, histogram buckets included) has more series than this. */
const MAX_SERIES = 400;
const ID_LIKE = [
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i, // uuid
  /[^\s@]+@[^\s@]+\.[^\s@]+/, // e-mail
  /\b[A-Z]{1,2}\s?\d{1,4}\s?[A-Z]{1,3}\b/, // Indonesian plate
  /[0-9a-f]{40,}/i, // hashes, CIDs in hex, tx ids
  /\bbafy[a-z2-7]{20,}|\bQm[1-9A-HJ-NP-Za-km-z]{40,}/, // CIDs
];

interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text exposition format, parsed into its samples. */
function parseExposition(text: string): Series[] {
  const out: Series[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1] as string] = l[2] as string;
    out.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return out;
}

const has = (series: Series[], name: string, labels: Record<string, string> = {}, min = 1) =>
  series.some((s) => s.name === name && s.value >= min && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

/** The base metric of a sample (histogram and summary parts folded). */
const family = (name: string) => name.replace(/_(bucket|sum|count)$/, '');

function expectBounded(series: Series[], where: string): void {
  const perFamily = new Map<string, number>();
  for (const s of series) perFamily.set(family(s.name), (perFamily.get(family(s.name)) ?? 0) + 1);
  for (const [name, n] of perFamily) expect(n, `${where}: series of ${name}`).to.be.at.most(MAX_SERIES);
  for (const s of series)
    for (const [k, v] of Object.entries(s.labels)) {
      if (k === 'version' || k === 'le' || k === 'quantile') continue;
      for (const re of ID_LIKE) expect(v, `${where}: ${s.name}{${k}} looks like an id (${re})`).to.not.match(re);
    }
}

describe('e2e: metrics of a whole journey on the API and a standalone worker', function () {
  this.timeout(180_000);
  let cluster: Cluster;
  let worker: WorkerProcess;
  let workerMetrics: string;

  before(async function () {
    if (!findChromium(process.env.CHROMIUM_PATH)) this.skip();
    cluster = await startCluster({ env: { CHAIN_SUBMIT_TIMEOUT_MS: '30000' } });
    const port = await freePort();
    worker = await cluster.spawnWorker('W', { WORKER_METRICS_PORT: String(port) });
    workerMetrics = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await cluster?.stop();
  });

  it('every series the rules and dashboards use exists, labels bounded; the worker serves metrics and health', async () => {
    const { rig } = cluster;
    const t = rig.t;
    const actors = new Actors(t.container);
    // An inspector's photo over HTTP (the photo-upload SLO's figure), then two inspections approved.
    const made = await rig.createInspections(2, 2);
    const upload = await t.api
      .post(`/api/v1/inspections/${made[0]?.id}/photos`)
      .set(rig.inspector.auth)
      .attach('photos', await realJpeg(640, 480), { filename: 'front.jpg', contentType: 'image/jpeg' })
      .field('metadata', JSON.stringify([{ label: 'Front', category: 'EXTERIOR' }]));
    expect(upload.status, JSON.stringify(upload.body)).to.equal(201);
    await rig.bulkApprove(made.map((m) => m.id));
    await waitArchived(
      rig.knex,
      made.map((m) => m.id),
      150_000,
    );

    // The public verifies one archived report by its hash.
    const report = await rig.knex('inspection_reports').where({ inspection_id: made[0]?.id }).first();
    const verified = await t.api.post('/api/v1/public/verify').send({ sha256: report.sha256 });
    expect(verified.status).to.equal(200);
    expect(verified.body.authentic, JSON.stringify(verified.body)).to.equal(true);

    // A customer buys credits through the sandbox checkout, whose webhook calls the API over HTTP.
    const admin = await actors.create('ADMIN');
    const customer = await actors.create('CUSTOMER');
    const pack = await t.api
      .post('/api/v1/admin/credit-packages')
      .set(admin.auth)
      .send({ name: 'Pack 5', credits: 5, priceIdr: 100000 });
    expect(pack.status).to.equal(201);
    const bought = await t.api.post('/api/v1/me/credit-purchases').set(customer.auth).send({ packageId: pack.body.id });
    expect(bought.status).to.equal(201);
    const paid = await fetch(`${bought.body.invoiceUrl}/pay`, {
      method: 'POST',
      headers: { accept: 'application/json' },
    });
    expect(paid.status).to.equal(200);

    const api = parseExposition((await t.api.get('/metrics').expect(200)).text);
    // The worker's counters are read after its last confirmation round has been recorded.
    let wk: Series[] = [];
    await until(
      async () => {
        wk = parseExposition(await (await fetch(`${workerMetrics}/metrics`)).text());
        return has(wk, 'car_dano_pipeline_duration_seconds_count', { pipeline: 'archive', outcome: 'success' }, 2);
      },
      30_000,
      'the worker to record both archived pipelines',
      250,
    );

    // API: HTTP by route template, photo uploads, payments, queues, breakers, build info, process metrics.
    expect(has(api, 'car_dano_http_request_duration_seconds_count', { route: '/api/v1/public/verify' })).to.equal(true);
    expect(has(api, 'car_dano_http_request_duration_seconds_count', { route: '/api/v1/inspections/bulk-approve' })).to
      .be.true;
    expect(has(api, 'car_dano_photo_uploads_total', { kind: 'inspection', outcome: 'success' })).to.equal(true);
    expect(has(api, 'car_dano_payment_invoices_total', { purpose: 'credits', outcome: 'created' })).to.equal(true);
    expect(has(api, 'car_dano_payment_webhooks_total', { outcome: 'applied' })).to.equal(true);
    expect(has(api, 'car_dano_storage_operations_total', { operation: 'put', outcome: 'success' })).to.equal(true);
    for (const s of [api, wk]) {
      expect(has(s, 'car_dano_build_info', {}, 1)).to.equal(true);
      expect(has(s, 'car_dano_queue_jobs', { queue: 'report', state: 'DONE' }, 2)).to.equal(true);
      expect(has(s, 'car_dano_queue_jobs', { queue: 'mint', state: 'CONFIRMED' }, 2)).to.equal(true);
      expect(s.some((x) => x.name === 'car_dano_queue_oldest_age_seconds' && x.labels.queue === 'mint')).to.equal(true);
      expect(s.some((x) => x.name === 'car_dano_breaker_state' && x.labels.breaker === 'storage')).to.equal(true);
      expect(s.some((x) => x.name === 'car_dano_mint_oldest_submitted_age_seconds')).to.equal(true);
      expect(s.some((x) => x.name === 'process_cpu_user_seconds_total')).to.equal(true);
    }
    // Worker: the report stages, PDFs, storage and IPFS, the mint, and both pipelines end to end.
    for (const stage of ['render', 'compress', 'stamp', 'store', 'ipfs', 'record'])
      expect(has(wk, 'car_dano_job_stage_duration_seconds_count', { queue: 'report-render', stage }, 2)).to.equal(true);
    expect(has(wk, 'car_dano_job_attempts_total', { queue: 'report-render', outcome: 'done' }, 2)).to.equal(true);
    expect(has(wk, 'car_dano_job_attempts_total', { queue: 'mint', outcome: 'done' }, 2)).to.equal(true);
    expect(has(wk, 'car_dano_report_pdf_size_bytes_count', { variant: 'full' }, 2)).to.equal(true);
    expect(has(wk, 'car_dano_report_pdf_size_bytes_count', { variant: 'no_docs' }, 2)).to.equal(true);
    expect(has(wk, 'car_dano_pipeline_duration_seconds_count', { pipeline: 'report', outcome: 'success' }, 2)).to.be
      .true;
    expect(has(wk, 'car_dano_mint_submissions_total', { outcome: 'submitted' }, 2)).to.equal(true);
    expect(has(wk, 'car_dano_mint_submissions_total', { outcome: 'confirmed' }, 2)).to.equal(true);
    expect(has(wk, 'car_dano_storage_operations_total', { operation: 'put', outcome: 'success' }, 4)).to.equal(true);
    expect(has(wk, 'car_dano_storage_bytes_total', { operation: 'put' })).to.equal(true);
    expect(has(wk, 'car_dano_ipfs_operations_total', { operation: 'add', outcome: 'success' }, 2)).to.equal(true);

    expectBounded(api, 'API');
    expectBounded(wk, 'worker');

    // The worker's health, as a supervisor would ask it; nothing else is served there.
    expect((await fetch(`${workerMetrics}/health/live`)).status).to.equal(200);
    const ready = await fetch(`${workerMetrics}/health/ready`);
    expect(ready.status).to.equal(200);
    expect(await ready.json()).to.deep.include({ status: 'ok' });
    const other = await fetch(`${workerMetrics}/api/v1/inspections`);
    expect(other.status).to.equal(404);
    expect(other.headers.get('content-type')).to.match(/problem\+json/);
    expect(worker.count('worker metrics and health listening')).to.equal(1);
  });

  it('the label checks can fail: an id in a label value is caught', () => {
    const bad = parseExposition(
      'car_dano_http_request_duration_seconds_count{method="GET",route="/api/v1/inspections/3f2b8c1e-0000-4000-8000-000000000001",status_code="200"} 1\n',
    );
    expect(() => expectBounded(bad, 'sample')).to.throw(/looks like an id/);
  });
});
