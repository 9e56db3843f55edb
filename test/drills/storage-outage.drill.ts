/**
 * Drill 2, object storage down for a while, twice: (a) the storage adapter fails every call with kind
 * 'unavailable' (fault injected at the port, under the production breaker), (b) STORAGE_DRIVER=s3 against
 * an S3 test server that is stopped and later restarted on the same port and directory.
 *
 * The outage starts exactly when the batch's last render is done and before any report is uploaded (the
 * renderer gate below), so every job meets it at its STORE stage: the storage breaker opens (log line,
 * BREAKER_OPEN alert), the report queue pauses (worker concurrency 0) instead of burning attempts, the jobs
 * wait as QUEUED, and once storage is back everything completes without rendering again (2 renders per
 * inspection) and is archived.
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { findChromium } from '../../src/adapters/pdf/chromium-path.js';
import { StorageErrors } from '../../src/domain/storage/storage-errors.js';
import { Chain } from '../../src/ports/chain.js';
import { Ipfs } from '../../src/ports/ipfs.js';
import { NftMinter } from '../../src/ports/nft-minter.js';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import { freePort } from '../support/net.js';
import { interceptBelowBreaker } from './support/faults.js';
import { counter, logLines, startRig, until, waitArchived, type Rig } from './support/harness.js';
import { drillSummary, seconds, sized } from './support/size.js';
import { verifyArchived } from './support/verify.js';

const N = sized(2, 4);
const PHOTOS = sized(3, 6);
/** After the breaker opened, storage stays down this much longer (past BREAKER_RESET_SECONDS). */
const STAYS_DOWN_MS = 3_000;

const BREAKER_ENV = { BREAKER_VOLUME_THRESHOLD: '2', BREAKER_RESET_SECONDS: '2', BREAKER_WINDOW_SECONDS: '10' };
/** Every job of the batch rendered at once; the load governor kept out of the way (it would only take consumers away). */
const WORKER_ENV = {
  RENDER_CONCURRENCY: String(N),
  WORKER_HIGH_LOAD_PER_CORE: '1000',
  WORKER_MIN_FREE_MEMORY_MB: '0',
  REPORT_JOB_RETRY_LIMIT: '20',
};

interface Outage {
  name: string;
  down(): Promise<void>;
  up(): Promise<void>;
  /** Calls refused by the fault (port variant only). */
  refused(): number | undefined;
}

interface S3rverInstance {
  run(): Promise<unknown>;
  close(): Promise<void>;
  httpServer?: { closeAllConnections(): void };
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('@20minutes/s3rver') as S3rverClass;

/** s3rver on a fixed port and directory, so it can be stopped and started again with its objects. */
async function s3Server(bucket: string) {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'cardano-drill-s3-'));
  const port = await freePort();
  let server: S3rverInstance | null = null;
  const start = async () => {
    server = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory,
      vhostBuckets: false,
      configureBuckets: [{ name: bucket }],
    });
    await server.run();
  };
  const stop = async () => {
    const s = server;
    server = null;
    if (!s) return;
    // Keep-alive sockets of the S3 client would hold close() open.
    s.httpServer?.closeAllConnections();
    await s.close();
  };
  await start();
  return {
    port,
    start,
    stop,
    dispose: async () => (await stop(), await rm(directory, { recursive: true, force: true })),
  };
}

describe(`drill: object storage down while ${N} report jobs are at their STORE stage`, function () {
  this.timeout(sized(150_000, 600_000));
  let rig: Rig | undefined;
  let s3: Awaited<ReturnType<typeof s3Server>> | undefined;

  before(function () {
    if (!findChromium(process.env.CHROMIUM_PATH)) this.skip();
  });
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
    await s3?.dispose();
    s3 = undefined;
  });

  async function drill(r: Rig, outage: Outage): Promise<void> {
    const { t, knex } = r;
    const made = await r.createInspections(N, PHOTOS);
    const ids = made.map((m) => m.id);

    // The gate: each job's second render waits until the whole batch is rendered; the last one takes storage down.
    let release!: () => void;
    const allRendered = new Promise<void>((resolve) => (release = resolve));
    let downAt = 0;
    r.renders.afterRender = async (rec) => {
      const n = r.renders.records.length;
      if (n === 2 * N) {
        await outage.down();
        downAt = Date.now();
        release();
      } else if (n < 2 * N && rec.variant === 'no-docs') {
        await allRendered;
      }
    };
    // Sample the report worker's consumers throughout.
    const samples: Array<{ at: number; n: number }> = [];
    const sampler = setInterval(() => samples.push({ at: Date.now(), n: r.reportWorker?.concurrency() ?? -1 }), 20);

    const t0 = Date.now();
    await r.bulkApprove(ids);
    try {
      await until(
        () => logLines(t, 'circuit breaker open', { breaker: 'storage' }).length > 0,
        60_000,
        'the storage breaker to open',
        50,
      );
      const openedAt = Date.now();
      await until(() => r.reportWorker?.concurrency() === 0, 5_000, 'the report queue to pause (0 consumers)', 20);
      // An attempt already in flight when the breaker opened still ends (its call fails); then jobs wait:
      // none failed for good, none done; each one failed once at least, at STORE.
      await until(
        async () => (await knex('pdf_jobs').whereIn('inspection_id', ids).where({ state: 'RUNNING' })).length === 0,
        30_000,
        'in-flight attempts to end',
        50,
      );
      const waiting = await knex('pdf_jobs').whereIn('inspection_id', ids);
      expect(waiting.map((j) => j.state).sort(), 'jobs wait while storage is down').to.deep.equal(
        Array(N).fill('QUEUED'),
      );
      expect(
        waiting.every(
          (j) =>
            j.stage === 'STORE' &&
            j.attempts >= 1 &&
            /STORAGE.UNAVAILABLE|DEPENDENCY.CIRCUIT_OPEN/.test(j.last_error_code),
        ),
      ).to.equal(true);
      const alert = t.logs
        .lines()
        .find((l) => l.message === 'ALERT BREAKER_OPEN: storage is failing: its circuit breaker opened');
      expect(alert, 'BREAKER_OPEN alert').to.include({ level: 'error', breaker: 'storage', severity: 'critical' });
      expect(t.logs.raw()).to.contain('report queue paused: a dependency is failing');
      await new Promise((res) => setTimeout(res, STAYS_DOWN_MS));
      const upAt = Date.now();
      await outage.up();

      await waitArchived(knex, ids, sized(120_000, 500_000));
      const done = Date.now();
      clearInterval(sampler);

      const c = t.container;
      const figures = await verifyArchived({
        knex,
        storage: c.get(ObjectStorage),
        ipfs: c.get(Ipfs),
        chain: c.get(Chain),
        walletAddress: c.get<NftMinter>(NftMinter).walletAddress,
        ids,
      });
      // Renders are not repeated: the retries resumed at STORE with the PDFs kept in the scratch store.
      const perInspection = r.renders.perInspection();
      expect(
        ids.map((id) => perInspection.get(id) ?? 0),
        'renders per inspection',
      ).to.deep.equal(Array(N).fill(2));
      const jobs = await knex('pdf_jobs').whereIn('inspection_id', ids);
      expect(
        jobs.every((j) => j.state === 'DONE' && j.attempts >= 2),
        'every job DONE after at least one failed attempt',
      ).to.equal(true);
      const attempts = jobs.reduce((s, j) => s + j.attempts, 0);
      // Every attempt is accounted for: N done, the others retried, none failed for good.
      const outcomes = await counter(t, 'car_dano_job_attempts_total');
      expect(outcomes.get('queue=report-render,outcome=done')).to.equal(N);
      expect(outcomes.get('queue=report-render,outcome=retry')).to.equal(attempts - N);
      expect(outcomes.get('queue=report-render,outcome=failed') ?? 0).to.equal(0);
      const errors = await counter(t, 'car_dano_job_errors_total');
      const storeErrors = [...errors]
        .filter(([k]) => k.startsWith('queue=report-render,'))
        .reduce((s, [, v]) => s + v, 0);
      expect(storeErrors, 'each retry has its recorded error').to.equal(attempts - N);
      // While the breaker was open the queue had no consumer; it resumed after storage came back.
      const paused = samples.filter((s) => s.at >= openedAt && s.at < upAt && s.n === 0);
      expect(paused.length, 'sampled 0 consumers during the outage').to.be.greaterThan(0);
      expect(r.reportWorker?.concurrency()).to.equal(N);
      expect(
        logLines(t, 'circuit breaker closed', { breaker: 'storage' }).length,
        'the breaker closed again',
      ).to.be.at.least(1);
      expect(t.logs.raw()).to.contain('report queue resumed');
      const openings = logLines(t, 'circuit breaker open', { breaker: 'storage' }).length;
      drillSummary(`storage-outage(${outage.name})`, {
        inspections: N,
        archived: figures.archived,
        renders: r.renders.records.length,
        reportAttempts: attempts,
        errors: [...errors]
          .filter(([k]) => k.startsWith('queue=report-render,'))
          .map(([k, v]) => `${k.split('code=')[1]}:${v}`)
          .join('/'),
        refusedCalls: outage.refused() ?? 'n/a',
        breakerOpenings: openings,
        downToOpen: seconds(openedAt - downAt),
        down: seconds(upAt - downAt),
        upToAllArchived: seconds(done - upAt),
        wall: seconds(done - t0),
      });
    } finally {
      clearInterval(sampler);
    }
  }

  it('(a) fault at the port: every storage call fails with kind unavailable, then storage is back', async () => {
    rig = await startRig({ env: { ...BREAKER_ENV, ...WORKER_ENV } });
    const storage = rig.t.container.get<ObjectStorage>(ObjectStorage);
    let down = false;
    let refused = 0;
    for (const method of ['put', 'get', 'head', 'list', 'delete']) {
      interceptBelowBreaker(storage, method, async (original, args) => {
        if (!down) return original(...args);
        refused += 1;
        const body = args[1] as { resume?: () => void } | undefined;
        if (method === 'put' && typeof body?.resume === 'function') body.resume();
        throw StorageErrors.unavailable(`injected outage (${method})`);
      });
    }
    await drill(rig, {
      name: 'port',
      down: async () => void (down = true),
      up: async () => void (down = false),
      refused: () => refused,
    });
  });

  it('(b) S3 driver: the S3 server is stopped, then restarted', async () => {
    const bucket = 'drill-reports';
    s3 = await s3Server(bucket);
    const server = s3;
    rig = await startRig({
      env: {
        ...BREAKER_ENV,
        ...WORKER_ENV,
        STORAGE_DRIVER: 's3',
        S3_ENDPOINT: `http://127.0.0.1:${server.port}`,
        S3_BUCKET: bucket,
        S3_REGION: 'us-east-1',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      },
    });
    expect(rig.t.container.get<ObjectStorage>(ObjectStorage).driver).to.equal('s3');
    await drill(rig, {
      name: 's3-server',
      down: () => server.stop(),
      up: () => server.start(),
      refused: () => undefined,
    });
  });
});
