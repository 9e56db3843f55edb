/**
 * Archive benchmark (issue "Archive"): N inspections (default 50) with the report benchmark's sample photos
 * (60 of 1600x1200, 3 of them documents) approved at once and followed to ARCHIVED on the embedded defaults:
 * pg-boss, filesystem storage, embedded IPFS, the emulator chain (one block every BENCH_BLOCK_MS, default
 * 1000) and an embedded PostgreSQL (or a fresh database on DATABASE_URL's server, dropped afterwards).
 * Phases, all in one process with the production container (src/main/container.ts):
 * 1. pipeline: bulk approval -> report jobs (RENDER_CONCURRENCY consumers, both variants) -> automatic
 *    archive -> mint jobs (MINT_CONCURRENCY consumers, UTxO leasing) -> confirmations -> ARCHIVED;
 * 2. pure rendering: the same 2N report pages through the same renderer with the same concurrency (a pool of
 *    RENDER_CONCURRENCY loops, full then no-docs per inspection as a job does), print renditions made afresh
 *    as in phase 1 (they are made on first use, inside the render);
 * 3. mint burst (BENCH_BURST, default N; 0 skips): inspections with one photo approved while no mint
 *    consumer runs, so that their mint jobs wait queued; then one mint worker takes them all at once. Phase 1
 *    cannot show how many mints fit in one block: its mints arrive only as fast as reports are rendered.
 * Targets: everything outside rendering (queueing, storage, IPFS, chain, database) adds at most 20% to the
 * pure rendering wall time of the same PDFs; at least 10 mints land in one block from one wallet.
 * Env: BENCH_INSPECTIONS, BENCH_PHOTOS, BENCH_BLOCK_MS, BENCH_RENDER_CONCURRENCY, BENCH_MINT_CONCURRENCY,
 * BENCH_BURST, BENCH_TIMEOUT_S, BENCH_RATE_LIMIT_MAX, BENCH_LOG (file for the JSON log lines), BENCH_CPU_PROFILE
 * (a directory: a .cpuprofile of this process's main thread for the pipeline and the pure phase); any other
 * variable of the configuration (e.g. WORKER_HIGH_LOAD_PER_CORE) is taken from the environment.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { ContainerModule, type Container } from 'inversify';
import type { Knex } from 'knex';
import type { Histogram } from 'prom-client';
import { AddPhotos } from '../src/application/photos/add-photos.js';
import { BulkApproveInspections, BULK_APPROVE_MAX } from '../src/application/inspections/bulk-approve-inspections.js';
import { ChromiumPdfRenderer } from '../src/adapters/pdf/chromium-pdf-renderer.js';
import { findChromium } from '../src/adapters/pdf/chromium-path.js';
import { createLogger } from '../src/adapters/observability/logger.js';
import { dropDatabase, ensureDatabase, withDatabase } from '../src/adapters/postgres/database.js';
import { PgBossBus } from '../src/adapters/queue/pg-boss-bus.js';
import { withBreaker } from '../src/adapters/resilience/breaker.js';
import { photosForVariant, REPORT_VARIANTS, type ReportVariant } from '../src/domain/inspection/report.js';
import { loadConfig, type Config } from '../src/main/config.js';
import { buildContainer } from '../src/main/container.js';
import { openDatabase, type Database } from '../src/main/database-bootstrap.js';
import { withDevSecrets } from '../src/main/dev-secrets.js';
import { buildHttpApp } from '../src/main/http-app.js';
import { mintQueues, startMintWorker } from '../src/main/mint-worker.js';
import { Tokens } from '../src/main/tokens.js';
import { reportQueues, startReportWorker } from '../src/main/worker.js';
import { Chain } from '../src/ports/chain.js';
import { PdfRenderer, type RenderRequest, type RenderResult } from '../src/ports/pdf-renderer.js';
import { PhotoRepository } from '../src/ports/photo-repository.js';
import { RenderTokens } from '../src/ports/render-tokens.js';
import { Actors, type TestActor } from '../test/support/actors.js';
import { createInspectionAs } from '../test/support/inspections.js';
import { freePort } from '../test/support/net.js';
import { realJpeg } from '../test/support/photos.js';

const N = Number(process.env.BENCH_INSPECTIONS ?? 50);
/** Photos per report: the report benchmark's sample (BENCH_PHOTOS there too). */
const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 60);
const DOCUMENTS = Math.min(3, Math.max(0, PHOTOS - 1));
const BLOCK_MS = Number(process.env.BENCH_BLOCK_MS ?? 1000);
const RENDER_CONCURRENCY = Number(process.env.BENCH_RENDER_CONCURRENCY ?? 2);
const MINT_CONCURRENCY = Number(process.env.BENCH_MINT_CONCURRENCY ?? 8);
const BURST = Number(process.env.BENCH_BURST ?? N);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 3600) * 1000;
const OVERHEAD_TARGET = 0.2;
const MINTS_PER_BLOCK_TARGET = 10;

type Phase = 'warm-up' | 'pipeline' | 'pure' | 'burst';
interface Span {
  phase: Phase;
  variant: string;
  start: number;
  end: number;
  ok: boolean;
  timings?: RenderResult['timings'];
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const ms = (d: unknown) => new Date(d as string).getTime();

/** Length of the union of intervals (wall time during which at least one render ran). */
function unionMs(spans: Array<{ start: number; end: number }>): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const sp of sorted) {
    if (sp.start > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = sp.start;
      curEnd = sp.end;
    } else curEnd = Math.max(curEnd, sp.end);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

/** "height: count" of the blocks holding the given transactions; the chain's block timer must be stopped. */
async function blocksOf(chain: Chain, txHashes: string[]): Promise<Map<number, number>> {
  const tip = await (chain as unknown as { tip?: () => Promise<number> }).tip?.();
  const statuses = [];
  for (const h of txHashes) statuses.push(await chain.txStatus(h));
  const byBlock = new Map<number, number>();
  for (const st of statuses) {
    if (st.state !== 'confirmed') continue;
    // Without a tip (another Chain adapter), equal confirmations still mean the same block.
    const height = (tip ?? 0) - st.confirmations + 1;
    byBlock.set(height, (byBlock.get(height) ?? 0) + 1);
  }
  return new Map([...byBlock.entries()].sort((a, b) => a[0] - b[0]));
}

const distribution = (blocks: Map<number, number>) => {
  const hist = new Map<number, number>();
  for (const n of blocks.values()) hist.set(n, (hist.get(n) ?? 0) + 1);
  return [...hist.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([perBlock, count]) => `${count}x${perBlock}`)
    .join(', ');
};

interface Proc {
  ppid: number;
  ticks: number;
  name: string;
}

/** Every process (/proc) with its parent, CPU ticks (own and reaped children's) and name. */
function processes(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const r = st
        .slice(st.lastIndexOf(')') + 2)
        .split(' ')
        .map(Number);
      procs.set(Number(d), {
        ppid: r[1] ?? 0,
        ticks: (r[11] ?? 0) + (r[12] ?? 0) + (r[13] ?? 0) + (r[14] ?? 0),
        name: st.slice(st.indexOf('(') + 1, st.lastIndexOf(')')),
      });
    } catch {
      /* ended */
    }
  }
  return procs;
}

/** This process and its descendants (Chromium, the embedded PostgreSQL, Ghostscript...). */
function ownPids(procs: Map<number, Proc>): number[] {
  return [...procs.keys()].filter((pid) => {
    for (let at: number | undefined = pid, hops = 0; at && hops < 64; at = procs.get(at)?.ppid, hops++)
      if (at === process.pid) return true;
    return false;
  });
}

/** CPU ticks of the whole machine and of our own processes: the rest is other work, which skews timings. */
function cpuTicks(): { busy: number; own: number; byName: Map<string, number> } {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const busy = [0, 1, 2, 5, 6, 7].reduce((a, i) => a + (f[i] ?? 0), 0);
  const procs = processes();
  let own = 0;
  const byName = new Map<string, number>();
  for (const pid of ownPids(procs)) {
    const p = procs.get(pid) as Proc;
    own += p.ticks;
    const name =
      pid === process.pid
        ? 'node'
        : /chrom/i.test(p.name)
          ? 'chromium'
          : /postgres/.test(p.name)
            ? 'postgres'
            : 'other';
    byName.set(name, (byName.get(name) ?? 0) + p.ticks);
  }
  return { busy, own, byName };
}

/** Threads of our own processes that are running or waiting for a CPU (R) or for I/O (D): our share of the load average. */
function ownRunnable(): number {
  let n = 0;
  for (const pid of ownPids(processes())) {
    try {
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        const st = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
        const state = st.slice(st.lastIndexOf(')') + 2, st.lastIndexOf(')') + 3);
        if (state === 'R' || state === 'D') n++;
      }
    } catch {
      /* ended */
    }
  }
  return n;
}

interface ProbeResult {
  foreignCpuS: number;
  foreignShare: number;
  ownCpuS: number;
  ownByName: string;
  /** Average of our runnable threads, and the machine's 1-minute load average, sampled every second. */
  ownLoad: number;
  machineLoad: number;
  loopMaxMs: number;
  loopP99Ms: number;
}

/** What else ran during a phase, our own load, and how long the event loop of this process was held up. */
function phaseProbe(): () => ProbeResult {
  const t0 = performance.now();
  const c0 = cpuTicks();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const own: number[] = [];
  const machine: number[] = [];
  const sampler = setInterval(() => {
    own.push(ownRunnable());
    machine.push(os.loadavg()[0] ?? 0);
  }, 1000);
  return () => {
    clearInterval(sampler);
    loop.disable();
    const c1 = cpuTicks();
    const wallS = (performance.now() - t0) / 1000;
    const foreignCpuS = Math.max(0, c1.busy - c0.busy - (c1.own - c0.own)) / 100;
    const ownByName = [...c1.byName]
      .map(([n, v]) => `${n} ${((v - (c0.byName.get(n) ?? 0)) / 100).toFixed(0)}`)
      .join(', ');
    return {
      foreignCpuS,
      foreignShare: foreignCpuS / (wallS * os.cpus().length),
      ownCpuS: (c1.own - c0.own) / 100,
      ownByName,
      ownLoad: avg(own),
      machineLoad: avg(machine),
      loopMaxMs: loop.max / 1e6,
      loopP99Ms: loop.percentile(99) / 1e6,
    };
  };
}

/** With BENCH_CPU_PROFILE: a CPU profile of the main thread over one phase (open it in Chrome DevTools). */
async function startProfile(name: string): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return async () => undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(path.join(dir, `archive-${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

async function waitUntil(
  what: string,
  check: () => Promise<{ done: boolean; progress: string }>,
  timeoutMs = TIMEOUT_MS,
): Promise<void> {
  const t0 = Date.now();
  let lastPrint = t0;
  for (;;) {
    const r = await check();
    if (r.done) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what} (${r.progress})`);
    if (Date.now() - lastPrint > 30_000) {
      console.log(`  ... ${what}: ${r.progress} (${s(Date.now() - t0)})`);
      lastPrint = Date.now();
    }
    await sleep(250);
  }
}

/** Sum and count of each (queue, stage) of car_dano_job_stage_duration_seconds. */
async function stageTimes(container: Container): Promise<Map<string, { sum: number; count: number }>> {
  const metric = container.get(Tokens.Metrics).registry.getSingleMetric('car_dano_job_stage_duration_seconds') as
    Histogram | undefined;
  const out = new Map<string, { sum: number; count: number }>();
  for (const v of (await metric?.get())?.values ?? []) {
    const key = `${v.labels.queue}/${v.labels.stage}`;
    const e = out.get(key) ?? { sum: 0, count: 0 };
    if (v.metricName?.endsWith('_sum')) e.sum += v.value;
    else if (v.metricName?.endsWith('_count')) e.count += v.value;
    else continue;
    out.set(key, e);
  }
  return out;
}

async function main(): Promise<void> {
  if (!findChromium(process.env.CHROMIUM_PATH)) {
    console.log('archive bench skipped: Chromium not installed (make system-deps)');
    return;
  }
  console.log(
    `archive bench: ${N} inspections x ${PHOTOS} photos 1600x1200 (${DOCUMENTS} documents) -> ${N * 2} PDFs -> ${N} mints; block ${BLOCK_MS} ms, RENDER_CONCURRENCY=${RENDER_CONCURRENCY}, MINT_CONCURRENCY=${MINT_CONCURRENCY}, ${os.cpus().length} cores`,
  );
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-archive-bench-'));
  const cleanups: Array<[string, () => Promise<unknown> | unknown]> = [];
  const logLines: Array<Record<string, unknown>> = [];
  const logFile = process.env.BENCH_LOG;
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const text = chunk.toString();
      if (logFile) appendFileSync(logFile, text);
      for (const l of text.split('\n').filter(Boolean)) {
        try {
          logLines.push(JSON.parse(l) as Record<string, unknown>);
        } catch {
          /* not JSON */
        }
      }
      cb();
    },
  });
  const logger = createLogger('info', stream);
  try {
    // --- Set-up: database, configuration (embedded defaults), container, HTTP server, workers ---
    const port = await freePort();
    const env: Record<string, string | undefined> = {
      ...process.env,
      NODE_ENV: 'development',
      DATA_DIR: dir,
      HOST: '127.0.0.1',
      PORT: String(port),
      REPORT_BASE_URL: `http://127.0.0.1:${port}`,
      STORAGE_DRIVER: 'fs',
      STORAGE_FS_ROOT: undefined,
      IPFS_DRIVER: 'embedded',
      CHAIN_DRIVER: 'emulator',
      CHAIN_EMULATOR_BLOCK_MS: String(BLOCK_MS),
      CHAIN_EMULATOR_UTXOS: String(Math.min(1000, Math.max(60, N + 10, BURST + 10))),
      MINT_SIGNING_KEY: undefined,
      ARCHIVE_AUTO: 'true',
      RENDER_CONCURRENCY: String(RENDER_CONCURRENCY),
      MINT_CONCURRENCY: String(MINT_CONCURRENCY),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      // The general API limit (default 300 requests/min per client) also counts the renderer's own requests
      // for report pages and their photos (61 per report of 60 photos, all from 127.0.0.1): at the default
      // the renders of more than ~5 reports a minute get 429 and fail. Raised here, as in the tests.
      RATE_LIMIT_MAX: process.env.BENCH_RATE_LIMIT_MAX ?? '1000000',
    };
    if (process.env.DATABASE_URL) {
      const name = `cardano_bench_${process.pid}_${Date.now().toString(36)}`;
      await ensureDatabase(process.env.DATABASE_URL, name);
      const adminUrl = process.env.DATABASE_URL;
      cleanups.push(['drop database', () => dropDatabase(adminUrl, name)]);
      env.DATABASE_URL = withDatabase(adminUrl, name);
    } else {
      env.EMBEDDED_PG_PORT = String(await freePort());
    }
    const config: Config = withDevSecrets(
      loadConfig(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv),
      logger,
    );
    const db: Database = await openDatabase(config, logger);
    cleanups.push(['database', () => db.close()]);
    const knex: Knex = db.knex;
    console.log(
      `  database: ${db.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL server (fresh database)'}; data in ${dir}; RATE_LIMIT_MAX=${config.rateLimit.max}; load governor ${config.worker.lowLoadPerCore}-${config.worker.highLoadPerCore} per core every ${config.worker.governorSeconds} s`,
    );

    // The production renderer (as reportModule binds it), timed per render.
    const spans: Span[] = [];
    let phase: Phase = 'warm-up';
    const overrides = new ContainerModule(({ rebind }) => {
      rebind<PdfRenderer>(PdfRenderer)
        .toDynamicValue((ctx) => {
          const c = ctx.get(Tokens.Config);
          const health = ctx.get(Tokens.DependencyHealth);
          const real = withBreaker(
            new ChromiumPdfRenderer({
              executablePath: c.render.chromiumPath,
              concurrency: c.render.concurrency,
              allowedHosts: [new URL(c.reports.baseUrl).host, ...c.render.allowedHosts],
              gotoTimeoutMs: c.render.gotoTimeoutMs,
              pdfTimeoutMs: c.render.pdfTimeoutMs,
              taskTimeoutMs: c.render.taskTimeoutMs,
              assetTimeoutMs: c.render.assetTimeoutMs,
              slowAssetMs: c.render.slowAssetMs,
              attempts: c.render.attempts,
              log: ctx.get(Tokens.Logger).child({ component: 'renderer' }),
            }),
            { name: 'renderer', timeoutMs: 0, ignoreCodes: ['RENDER.QUALITY_GATE'], ...c.breakers },
            { stateChanged: (name, state) => health.report(name, state) },
          );
          return {
            render: async (r: RenderRequest) => {
              const variant = /\/reports\/[^/]+\/([^/?]+)/.exec(r.url)?.[1] ?? '?';
              const start = performance.now();
              const at = phase;
              try {
                const result = await real.render(r);
                spans.push({ phase: at, variant, start, end: performance.now(), ok: true, timings: result.timings });
                return result;
              } catch (e) {
                spans.push({ phase: at, variant, start, end: performance.now(), ok: false });
                throw e;
              }
            },
            close: () => real.close(),
          };
        })
        .inSingletonScope();
    });

    const bus = new PgBossBus(db.url, logger.child({ component: 'jobs' }));
    await bus.start([...reportQueues(config), ...mintQueues(config)]);
    cleanups.push(['job queue', () => bus.stop()]);
    const container = buildContainer({ config, logger, knex, bus, overrides: [overrides] });
    const app = buildHttpApp(container, config, logger);
    const server: Server = app.listen(port, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    cleanups.push([
      'http server',
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ]);
    const chain = container.get<Chain>(Chain);
    // Stops the emulator's block timer (through the breaker proxy: every method becomes async).
    const stopBlocks = () => (chain as unknown as { close?: () => Promise<void> }).close?.();
    cleanups.push(['block timer', stopBlocks]);

    // --- Fixtures: actors, N inspections with the sample photos, warm-up of the renderer ---
    const actors = new Actors(container);
    const inspector: TestActor = await actors.create('INSPECTOR');
    const reviewer: TestActor = await actors.create('REVIEWER');
    const t = Date.now();
    const originals = await Promise.all(Array.from({ length: PHOTOS }, (_, n) => realJpeg(1600, 1200, n + 1, 85)));
    const files = originals.map((bytes, n) => ({
      originalName: `p${n}.jpg`,
      size: bytes.length,
      head: new Uint8Array(bytes.subarray(0, 16)),
      sha256: sha(bytes),
      open: () => bytes,
    }));
    const addPhotos = container.get(AddPhotos);
    const actor = { userId: inspector.user.id, role: 'INSPECTOR' as const };
    const inspectionWith = async (count: number, documents: number): Promise<string> => {
      const i = await createInspectionAs(container, inspector);
      for (let start = 0; start < count; start += 10) {
        const idx = Array.from({ length: Math.min(10, count - start) }, (_, k) => start + k);
        await addPhotos.execute(
          actor,
          i.id,
          idx.map((n) => files[n] as (typeof files)[number]),
          idx.map((n) => ({
            label: `Foto ${n + 1}`,
            isDocument: n < documents,
            category: n < documents ? ('DOCUMENT' as const) : ('EXTERIOR' as const),
          })),
        );
      }
      return i.id;
    };
    const ids: string[] = [];
    for (let k = 0; k < N; k++) ids.push(await inspectionWith(PHOTOS, DOCUMENTS));
    const warmId = await inspectionWith(Math.min(PHOTOS, 5), 0);
    console.log(
      `  fixtures: ${N} inspections, ${N * PHOTOS} photos (${(sum(originals.map((o) => o.length)) / 1048576).toFixed(1)} MB per inspection) in ${s(Date.now() - t)}`,
    );

    const renderer = container.get<PdfRenderer>(PdfRenderer);
    const tokens = container.get<RenderTokens>(RenderTokens);
    const photoRepo = container.get<PhotoRepository>(PhotoRepository);
    const pageOf = async (id: string, variant: ReportVariant): Promise<RenderRequest> => {
      const photos = await photoRepo.listForInspection(id);
      const token = tokens.issue(id, variant, new Date(), config.reports.tokenTtlSeconds);
      return {
        url: `${config.reports.baseUrl}/api/v1/reports/${id}/${variant}?token=${encodeURIComponent(token)}`,
        expectedImages: photosForVariant(photos, variant).length,
      };
    };
    // Chromium's pool starts on the first render: warm it up, as a running worker would be.
    for (const v of REPORT_VARIANTS) await renderer.render(await pageOf(warmId, v));

    const worker = await startReportWorker(container, bus, config, logger);
    cleanups.push(['report worker', () => worker.stop()]);
    let minter = await startMintWorker(container, bus, config, logger);
    cleanups.push(['mint worker', () => minter.stop()]);

    // --- Phase 1: approve all at once, follow them to ARCHIVED ---
    phase = 'pipeline';
    const bulk = container.get(BulkApproveInspections);
    const reviewerActor = { userId: reviewer.user.id, role: 'REVIEWER' as const };
    const probe1 = phaseProbe();
    const profile1 = await startProfile('pipeline');
    const t0 = Date.now();
    for (let k = 0; k < ids.length; k += BULK_APPROVE_MAX) {
      const results = await bulk.execute(reviewerActor, ids.slice(k, k + BULK_APPROVE_MAX));
      const bad = results.filter((r) => !r.ok);
      if (bad.length) throw new Error(`bulk approval refused ${bad.length}: ${JSON.stringify(bad[0])}`);
    }
    const approvedMs = Date.now() - t0;
    await waitUntil('report jobs', async () => {
      const rows = (await knex('pdf_jobs').whereIn('inspection_id', ids).select('state')) as Array<{ state: string }>;
      const done = rows.filter((r) => r.state === 'DONE').length;
      const failed = rows.filter((r) => r.state === 'FAILED').length;
      if (failed)
        throw new Error(
          `${failed} report jobs FAILED: ${JSON.stringify(await knex('pdf_jobs').whereIn('inspection_id', ids).where({ state: 'FAILED' }).first('last_error_code', 'last_error'))}`,
        );
      return { done: done === ids.length, progress: `${done}/${ids.length} DONE` };
    });
    const reportsDoneAt = Date.now();
    const pipelineProbe = probe1();
    await profile1();
    await waitUntil('archives', async () => {
      const rows = (await knex('inspections').whereIn('id', ids).select('status')) as Array<{ status: string }>;
      const archived = rows.filter((r) => r.status === 'ARCHIVED').length;
      const failed = rows.filter((r) => r.status === 'FAIL_ARCHIVE').length;
      if (failed)
        throw new Error(
          `${failed} archives FAILED: ${JSON.stringify(await knex('mint_jobs').whereIn('inspection_id', ids).where({ state: 'FAILED' }).first('last_error_code', 'last_error'))}`,
        );
      return { done: archived === ids.length, progress: `${archived}/${ids.length} ARCHIVED` };
    });
    const archivedSeenAt = Date.now();
    const stages = await stageTimes(container);
    const jobs = (await knex('pdf_jobs')
      .whereIn('inspection_id', ids)
      .select('created_at', 'started_at', 'finished_at', 'attempts', 'artifacts')) as Array<{
      created_at: Date;
      started_at: Date;
      finished_at: Date;
      attempts: number;
      artifacts: Record<
        string,
        { renderMs: number; sizeAfterMB: number; pageCount: number; renderTimings?: RenderResult['timings'] }
      >;
    }>;
    const mints = (await knex('mint_jobs')
      .whereIn('inspection_id', ids)
      .select('created_at', 'submitted_at', 'confirmed_at', 'attempts', 'tx_hash', 'state')) as Array<{
      created_at: Date;
      submitted_at: Date;
      confirmed_at: Date;
      attempts: number;
      tx_hash: string;
      state: string;
    }>;
    const archivedAt = (await knex('inspections').whereIn('id', ids).select('archived_at')) as Array<{
      archived_at: Date;
    }>;
    const lastReportDoneMs = Math.max(...jobs.map((j) => ms(j.finished_at))) - t0;
    const lastArchivedMs = Math.max(...archivedAt.map((a) => ms(a.archived_at))) - t0;
    const pipelineSpans = spans.filter((x) => x.phase === 'pipeline' && x.ok);
    console.log(
      `  phase 1 (pipeline): last report DONE after ${s(lastReportDoneMs)}, last ARCHIVED after ${s(lastArchivedMs)} (seen ${s(reportsDoneAt - t0)} / ${s(archivedSeenAt - t0)})`,
    );

    // --- Phase 2: pure rendering of the same pages, same renderer, same concurrency ---
    phase = 'pure';
    // Print renditions are made on first use inside the render (phase 1 made them): make them afresh.
    await knex('inspection_photos')
      .whereIn('inspection_id', ids)
      .update({ rendition_key: null, rendition_size_bytes: null });
    const queue = [...ids];
    const probe2 = phaseProbe();
    const profile2 = await startProfile('pure');
    const p0 = performance.now();
    await Promise.all(
      Array.from({ length: RENDER_CONCURRENCY }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) {
          for (const v of REPORT_VARIANTS) await renderer.render(await pageOf(id, v));
        }
      }),
    );
    const pureWallMs = performance.now() - p0;
    const pureProbe = probe2();
    await profile2();
    const pureSpans = spans.filter((x) => x.phase === 'pure' && x.ok);
    console.log(`  phase 2 (pure rendering): ${pureSpans.length} PDFs in ${s(pureWallMs)}`);

    // --- Phase 3: a burst of queued mints taken by one mint worker ---
    let burst: { blocks: Map<number, number>; submitSpanMs: number; confirmedMs: number; count: number } | undefined;
    let burstHashes: string[] = [];
    if (BURST > 0) {
      phase = 'burst';
      await minter.stop();
      const burstIds: string[] = [];
      for (let k = 0; k < BURST; k++) burstIds.push(await inspectionWith(1, 0));
      for (let k = 0; k < burstIds.length; k += BULK_APPROVE_MAX)
        await bulk.execute(reviewerActor, burstIds.slice(k, k + BULK_APPROVE_MAX));
      await waitUntil('burst: mint jobs queued', async () => {
        const queued = Number(
          (
            (await knex('mint_jobs')
              .whereIn('inspection_id', burstIds)
              .where({ state: 'QUEUED' })
              .count({ n: '*' })) as Array<{ n: string }>
          )[0]?.n ?? 0,
        );
        return { done: queued === burstIds.length, progress: `${queued}/${burstIds.length} queued` };
      });
      const b0 = Date.now();
      minter = await startMintWorker(container, bus, config, logger);
      await waitUntil('burst: mints confirmed', async () => {
        const rows = (await knex('mint_jobs').whereIn('inspection_id', burstIds).select('state')) as Array<{
          state: string;
        }>;
        const failed = rows.filter((r) => r.state === 'FAILED').length;
        if (failed) throw new Error(`${failed} burst mints FAILED`);
        const confirmed = rows.filter((r) => r.state === 'CONFIRMED').length;
        return { done: confirmed === burstIds.length, progress: `${confirmed}/${burstIds.length} CONFIRMED` };
      });
      const rows = (await knex('mint_jobs')
        .whereIn('inspection_id', burstIds)
        .select('submitted_at', 'confirmed_at', 'tx_hash')) as Array<{
        submitted_at: Date;
        confirmed_at: Date;
        tx_hash: string;
      }>;
      burstHashes = rows.map((r) => r.tx_hash);
      burst = {
        blocks: new Map(),
        submitSpanMs: Math.max(...rows.map((r) => ms(r.submitted_at))) - b0,
        confirmedMs: Math.max(...rows.map((r) => ms(r.confirmed_at))) - b0,
        count: rows.length,
      };
    }

    // --- Mints per block: every confirmed mint's block, asked at one moment (no block in between) ---
    await stopBlocks();
    const pipelineBlocks = await blocksOf(
      chain,
      mints.filter((m) => m.state === 'CONFIRMED').map((m) => m.tx_hash),
    );
    if (burst) burst.blocks = await blocksOf(chain, burstHashes);

    // --- Figures ---
    const pureRenderSum = sum(pureSpans.map((x) => x.end - x.start));
    const pipeRenderSum = sum(pipelineSpans.map((x) => x.end - x.start));
    const overhead = (lastReportDoneMs - pureWallMs) / pureWallMs;
    const stage = (key: string) => {
      const e = stages.get(key);
      return e && e.count ? `${(e.sum / e.count).toFixed(2)} s avg x ${e.count} = ${e.sum.toFixed(1)} s` : '-';
    };
    const queueWait = jobs.map((j) => ms(j.started_at) - ms(j.created_at));
    const jobRun = jobs.map((j) => ms(j.finished_at) - ms(j.started_at));
    const toSubmit = mints.map((m) => ms(m.submitted_at) - ms(m.created_at));
    const toConfirm = mints.map((m) => ms(m.confirmed_at) - ms(m.submitted_at));
    const artifacts = jobs.flatMap((j) =>
      REPORT_VARIANTS.map((v) => j.artifacts[v]).filter((a): a is NonNullable<typeof a> => !!a),
    );
    const timingAvg = (list: Span[], variant: string) => {
      const xs = list
        .filter((x) => x.variant === variant && x.timings)
        .map((x) => x.timings as RenderResult['timings']);
      return `load ${Math.round(avg(xs.map((x) => x.loadMs)))} / images ${Math.round(avg(xs.map((x) => x.assetsMs)))} / print ${Math.round(avg(xs.map((x) => x.printMs)))} ms`;
    };
    const maxPipe = Math.max(0, ...pipelineBlocks.values());
    const maxBurst = burst ? Math.max(0, ...burst.blocks.values()) : 0;
    const governor = logLines.filter((l) => l.message === 'report worker concurrency changed');
    const warnings = logLines.filter(
      (l) => (l.level === 'warn' || l.level === 'error') && !/generated a development secret/.test(String(l.message)),
    );
    const mintRetries = mints.filter((m) => m.attempts > 1).length;
    const rows: Array<[string, string]> = [
      [
        'scenario',
        `${N} inspections x ${PHOTOS} photos (${DOCUMENTS} documents), ${jobs.length * 2} PDFs, block ${BLOCK_MS} ms, ${os.cpus().length} cores`,
      ],
      ['bulk approval (one transaction each)', s(approvedMs)],
      ['**pipeline: approval -> last report job DONE**', `**${s(lastReportDoneMs)}**`],
      ['**pure rendering of the same PDFs (wall)**', `**${s(pureWallMs)}**`],
      ['**overhead outside rendering**', `**${(overhead * 100).toFixed(1)} %**`],
      [
        'extra CPU of the pipeline over pure rendering (own processes; robust to other load)',
        `${(((pipelineProbe.ownCpuS - pureProbe.ownCpuS) / pureProbe.ownCpuS) * 100).toFixed(1)} % (${pipelineProbe.ownCpuS.toFixed(0)} vs ${pureProbe.ownCpuS.toFixed(0)} CPU-s)`,
      ],
      [
        'renders, sum (pipeline / pure)',
        `${s(pipeRenderSum)} / ${s(pureRenderSum)} (${pipelineSpans.length} / ${pureSpans.length} renders)`,
      ],
      ['renderer busy, union of renders (pipeline / pure)', `${s(unionMs(pipelineSpans))} / ${s(unionMs(pureSpans))}`],
      ['per render full (pipeline)', timingAvg(pipelineSpans, 'full')],
      ['per render no-docs (pipeline)', timingAvg(pipelineSpans, 'no-docs')],
      ['per render full (pure)', timingAvg(pureSpans, 'full')],
      ['per render no-docs (pure)', timingAvg(pureSpans, 'no-docs')],
      [
        'PDF size / pages (avg)',
        `${avg(artifacts.map((a) => a.sizeAfterMB)).toFixed(2)} MB / ${avg(artifacts.map((a) => a.pageCount)).toFixed(1)}`,
      ],
      ['stage RENDER (both variants: render, stamp, size check, scratch)', stage('report-render/RENDER')],
      ['stage STORE', stage('report-render/STORE')],
      ['stage IPFS', stage('report-render/IPFS')],
      ['stage RECORD (+ archive start)', stage('report-render/RECORD')],
      ['report job: queued -> started (avg / max)', `${s(avg(queueWait))} / ${s(Math.max(...queueWait))}`],
      ['report job: started -> DONE (avg / max)', `${s(avg(jobRun))} / ${s(Math.max(...jobRun))}`],
      ['report job attempts > 1', String(jobs.filter((j) => j.attempts > 1).length)],
      ['mint stage BUILD', stage('mint/BUILD')],
      ['mint stage SUBMIT (attempt: checks, build, lease, submit)', stage('mint/SUBMIT')],
      ['mint stage CONFIRM (submitted -> confirmed)', stage('mint/CONFIRM')],
      ['mint: archive started -> submitted (avg / max)', `${s(avg(toSubmit))} / ${s(Math.max(...toSubmit))}`],
      [
        'mint: submitted -> confirmed (avg / max)',
        `${s(avg(toConfirm))} / ${s(Math.max(...toConfirm))} (MINT_CONFIRMATIONS=${config.mint.confirmations}, watcher every ${config.mint.pollMs} ms)`,
      ],
      ['mint attempts > 1', String(mintRetries)],
      [
        '**approval -> last inspection ARCHIVED**',
        `**${s(lastArchivedMs)}** (the last ${s(lastArchivedMs - lastReportDoneMs)} after the last report: its mint + ${config.mint.confirmations} blocks x ${BLOCK_MS} ms + watcher poll = chain latency, not overhead)`,
      ],
      [
        'mints per block, pipeline (max; blocks: count x mints)',
        `${maxPipe} (${distribution(pipelineBlocks)}; ${pipelineBlocks.size} blocks)`,
      ],
    ];
    if (burst) {
      rows.push([
        'mints per block, burst of queued mints (max; blocks)',
        `${maxBurst} (${distribution(burst.blocks)}; ${burst.blocks.size} blocks)`,
      ]);
      rows.push([
        'burst: worker start -> last submitted / last confirmed',
        `${s(burst.submitSpanMs)} (${(burst.count / (burst.submitSpanMs / 1000)).toFixed(1)} mints/s) / ${s(burst.confirmedMs)}`,
      ]);
    }
    const probeRow = (p: ProbeResult) =>
      `${p.ownCpuS.toFixed(0)} CPU-s own (${p.ownByName}) / ${p.foreignCpuS.toFixed(0)} CPU-s other processes (${(p.foreignShare * 100).toFixed(0)} % of the machine); load avg ${p.machineLoad.toFixed(1)}, of it our runnable threads ${p.ownLoad.toFixed(1)}; event loop delay max ${p.loopMaxMs.toFixed(0)} ms, p99 ${p.loopP99Ms.toFixed(0)} ms`;
    rows.push(['machine during pipeline (approval -> last report DONE)', probeRow(pipelineProbe)]);
    rows.push(['machine during pure rendering', probeRow(pureProbe)]);
    rows.push([
      'report worker concurrency changes (load governor)',
      governor.length
        ? governor
            .map(
              (g) =>
                `${g.from}->${g.to} at +${s(ms(g.timestamp) - t0)} (load/core ${Number(g.loadPerCore).toFixed(1)})`,
            )
            .join(', ')
        : 'none',
    ]);
    const byMessage = new Map<string, number>();
    for (const w of warnings) byMessage.set(String(w.message), (byMessage.get(String(w.message)) ?? 0) + 1);
    rows.push([
      'warnings/errors logged (besides generated dev secrets)',
      byMessage.size
        ? [...byMessage]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 6)
            .map(([m, n]) => `${n}x ${m}`)
            .join('; ')
        : 'none',
    ]);
    console.log('');
    console.log('| figure | value |');
    console.log('|---|---|');
    for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
    console.log('');
    const mark = (ok: boolean) => (ok ? '✓' : '✗');
    if (Math.max(pipelineProbe.foreignShare, pureProbe.foreignShare) > 0.1) {
      console.log(
        `  ! other processes used ${(pipelineProbe.foreignShare * 100).toFixed(0)} % / ${(pureProbe.foreignShare * 100).toFixed(0)} % of the machine during the pipeline / pure rendering: the comparison is skewed; rerun on a quiet machine`,
      );
    }
    console.log(
      `  ${mark(overhead <= OVERHEAD_TARGET)} overhead outside rendering ${(overhead * 100).toFixed(1)} % (target <= ${OVERHEAD_TARGET * 100} %)`,
    );
    console.log(
      `  ${mark(maxPipe >= MINTS_PER_BLOCK_TARGET)} mints in one block, pipeline: ${maxPipe} (target >= ${MINTS_PER_BLOCK_TARGET}; bounded by how fast reports finish: ${N} mints over ${s(lastReportDoneMs)} of rendering)`,
    );
    if (burst)
      console.log(
        `  ${mark(maxBurst >= MINTS_PER_BLOCK_TARGET)} mints in one block, burst of ${burst.count} queued mints from one wallet: ${maxBurst} (target >= ${MINTS_PER_BLOCK_TARGET})`,
      );
  } finally {
    // Shutdown order: the queue first (active jobs finish), then workers, server, chain, database.
    const order = [
      'job queue',
      'report worker',
      'mint worker',
      'http server',
      'block timer',
      'database',
      'drop database',
    ];
    cleanups.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
    for (const [name, close] of cleanups) {
      try {
        await close();
      } catch (e) {
        console.error(`archive bench: closing ${name} failed`, e);
      }
    }
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
