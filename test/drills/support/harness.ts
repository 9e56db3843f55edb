/**
 * The in-process drill rig: the production container on the run's PostgreSQL (buildTestApp), its HTTP app
 * listening on 127.0.0.1 (Chromium loads the report pages from it), pg-boss, and the real report and mint
 * workers (startReportWorker, startMintWorker) with the ledger emulator making blocks on its own. Each rig
 * has its own DATA_DIR (chain journal, IPFS blocks, scratch, objects).
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import { AddPhotos } from '../../../src/application/photos/add-photos.js';
import { MINT_QUEUE, PgBossBus, REPORT_QUEUE } from '../../../src/adapters/queue/pg-boss-bus.js';
import { mintQueues, startMintWorker } from '../../../src/main/mint-worker.js';
import { reportQueues, startReportWorker } from '../../../src/main/worker.js';
import { Chain } from '../../../src/ports/chain.js';
import { PdfRenderer, type RenderRequest } from '../../../src/ports/pdf-renderer.js';
import { buildTestApp, type TestApp } from '../../support/api.js';
import { Actors, type TestActor } from '../../support/actors.js';
import { testKnex, truncateAll } from '../../support/db.js';
import { createInspectionAs } from '../../support/inspections.js';
import { freePort } from '../../support/net.js';
import { realJpeg } from '../../support/photos.js';
import { interceptBelowBreaker } from './faults.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Settings every drill starts from: auto-archive on, quick blocks, retries and polls in seconds, not minutes. */
export const DRILL_ENV: Record<string, string> = {
  ARCHIVE_AUTO: 'true',
  CHAIN_EMULATOR_BLOCK_MS: '200',
  MINT_CONFIRMATIONS: '3',
  MINT_POLL_MS: '250',
  MINT_JOB_RETRY_DELAY_SECONDS: '1',
  REPORT_JOB_RETRY_DELAY_SECONDS: '1',
  REPORT_JOB_RETRY_LIMIT: '5',
  LOG_LEVEL: 'info',
};

export interface RenderRecord {
  inspectionId: string;
  variant: string;
  at: number;
}

/** Every PdfRenderer.render call of the process (below the renderer's breaker), by inspection and variant. */
export class RenderLog {
  readonly records: RenderRecord[] = [];
  /** Runs after a render finished and before its result is handed back (a drill's gate). */
  afterRender: ((r: RenderRecord) => Promise<void>) | undefined;

  record(request: RenderRequest): RenderRecord {
    const m = /\/api\/v1\/reports\/([0-9a-f-]{36})\/([a-z-]+)\?/.exec(request.url);
    const r = { inspectionId: m?.[1] ?? '?', variant: m?.[2] ?? '?', at: Date.now() };
    this.records.push(r);
    return r;
  }

  /** Renders per inspection id. */
  perInspection(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.records) m.set(r.inspectionId, (m.get(r.inspectionId) ?? 0) + 1);
    return m;
  }
}

export interface RigOptions {
  env?: Record<string, string>;
  /** Container modules applied last (rebinding a port to a fault injector), given the rig's DATA_DIR. */
  overrides?: (dataDir: string) => ContainerModule[];
  /** false: HTTP app only, the workers run elsewhere. */
  workers?: boolean;
  /** A pool size for the test's own queries. */
  poolMax?: number;
}

export interface Rig {
  t: TestApp;
  knex: Knex;
  bus: PgBossBus;
  dir: string;
  port: number;
  baseUrl: string;
  renders: RenderLog;
  reportWorker: { stop(): Promise<void>; concurrency(): number } | null;
  mintWorker: { stop(): Promise<void>; concurrency(): number } | null;
  inspector: TestActor;
  reviewer: TestActor;
  createInspections(n: number, photos: number): Promise<Array<{ id: string; prettyId: string }>>;
  /** POST /api/v1/inspections/bulk-approve (at most 50 ids per call): the report job ids. */
  bulkApprove(ids: string[]): Promise<string[]>;
  stop(): Promise<void>;
}

const photoCache = new Map<number, Buffer>();
async function photo(seed: number): Promise<Buffer> {
  let b = photoCache.get(seed);
  if (!b) {
    b = await realJpeg(1600, 1200, seed, 85);
    photoCache.set(seed, b);
  }
  return b;
}

/** Empties the two queues of jobs nobody has taken (leftovers of earlier suites on the same database). */
export async function purgeQueues(bus: PgBossBus): Promise<void> {
  for (const q of [REPORT_QUEUE, MINT_QUEUE]) await bus.boss.deleteQueuedJobs(q);
}

export async function startRig(o: RigOptions = {}): Promise<Rig> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-drill-'));
  const knex = testKnex(o.poolMax ?? 10);
  await truncateAll(knex);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const bus = new PgBossBus(process.env.TEST_DATABASE_URL as string, { info: () => undefined, error: () => undefined });
  const t = buildTestApp({
    knex,
    bus,
    overrides: o.overrides?.(dir),
    env: {
      ...DRILL_ENV,
      DATA_DIR: dir,
      STORAGE_FS_ROOT: path.join(dir, 'objects'),
      REPORT_BASE_URL: baseUrl,
      ...o.env,
    },
  });
  await bus.start([...reportQueues(t.config), ...mintQueues(t.config)]);
  await purgeQueues(bus);
  const server: Server = t.app.listen(port, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));

  const renders = new RenderLog();
  const workers = o.workers !== false;
  if (workers) {
    interceptBelowBreaker(t.container.get<PdfRenderer>(PdfRenderer), 'render', async (original, args) => {
      const result = await original(...args);
      const r = renders.record(args[0] as RenderRequest);
      await renders.afterRender?.(r);
      return result;
    });
  }
  const reportWorker = workers ? await startReportWorker(t.container, bus, t.config, t.logs.logger) : null;
  const mintWorker = workers ? await startMintWorker(t.container, bus, t.config, t.logs.logger) : null;
  const actors = new Actors(t.container);
  const inspector = await actors.create('INSPECTOR');
  const reviewer = await actors.create('REVIEWER');

  const createInspections = async (n: number, photos: number) => {
    const out: Array<{ id: string; prettyId: string }> = [];
    const actor = { userId: inspector.user.id, role: 'INSPECTOR' as const };
    for (let k = 0; k < n; k++) {
      const i = await createInspectionAs(t.container, inspector, { plateNumber: `AB ${1000 + k} CD` });
      const files = [];
      const meta = [];
      for (let p = 0; p < photos; p++) {
        const bytes = await photo(p + 1);
        files.push({
          originalName: `p${p}.jpg`,
          size: bytes.length,
          head: new Uint8Array(bytes.subarray(0, 16)),
          sha256: sha(bytes),
          open: () => bytes,
        });
        // The first photo is a document: the no-docs report leaves it out.
        meta.push({
          label: `Foto ${p + 1}`,
          isDocument: p === 0,
          category: p === 0 ? ('DOCUMENT' as const) : ('EXTERIOR' as const),
        });
      }
      if (photos > 0) await t.container.get(AddPhotos).execute(actor, i.id, files, meta);
      out.push({ id: i.id, prettyId: i.prettyId });
    }
    return out;
  };

  const bulkApprove = async (ids: string[]) => {
    const jobIds: string[] = [];
    for (let k = 0; k < ids.length; k += 50) {
      const res = await t.api
        .post('/api/v1/inspections/bulk-approve')
        .set(reviewer.auth)
        .send({ ids: ids.slice(k, k + 50) })
        .expect(202);
      expect(res.body.failed, JSON.stringify(res.body.results.filter((r: { ok: boolean }) => !r.ok))).to.equal(0);
      jobIds.push(...res.body.results.map((r: { reportJobId: string }) => r.reportJobId));
    }
    return jobIds;
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await bus.stop().catch(() => undefined);
    await reportWorker?.stop().catch(() => undefined);
    await mintWorker?.stop().catch(() => undefined);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    if (workers) await closeChain(t);
    await knex.destroy();
    await rm(dir, { recursive: true, force: true });
  };
  return {
    t,
    knex,
    bus,
    dir,
    port,
    baseUrl,
    renders,
    reportWorker,
    mintWorker,
    inspector,
    reviewer,
    createInspections,
    bulkApprove,
    stop,
  };
}

/** Stops the emulator's block timer (through the breaker proxy, or on a fault wrapper). */
async function closeChain(t: TestApp): Promise<void> {
  const chain = t.container.get<{ close?: () => unknown }>(Chain);
  try {
    await chain.close?.();
  } catch {
    // already closed
  }
}

/** Polls `cond` every `everyMs` until it holds; fails after `timeoutMs` naming `what`. */
export async function until(
  cond: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
  everyMs = 100,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await Promise.resolve(cond()).catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const statuses = async (knex: Knex, ids: string[]): Promise<Record<string, number>> => {
  const rows = (await knex('inspections')
    .whereIn('id', ids)
    .select('status')
    .count({ n: '*' })
    .groupBy('status')) as Array<{ status: string; n: string }>;
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
};

/** Waits until every inspection is ARCHIVED; a FAIL_ARCHIVE or a FAILED report job ends the wait at once. */
export async function waitArchived(knex: Knex, ids: string[], timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await statuses(knex, ids);
    if (s.ARCHIVED === ids.length) return;
    const failedReports = await knex('pdf_jobs')
      .whereIn('inspection_id', ids)
      .where({ state: 'FAILED' })
      .select('inspection_id', 'last_error_code', 'last_error');
    const late = Date.now() > end;
    if (s.FAIL_ARCHIVE || failedReports.length || late) {
      const jobs = await knex('pdf_jobs')
        .whereIn('inspection_id', ids)
        .select('state', 'stage', 'attempts', 'last_error_code', 'last_error');
      const mints = await knex('mint_jobs')
        .whereIn('inspection_id', ids)
        .select('state', 'attempts', 'last_error_code', 'last_error', 'confirmations');
      throw new Error(
        `${late ? `timed out after ${timeoutMs} ms waiting for ${ids.length} inspections ARCHIVED` : 'archiving failed'}: ${JSON.stringify({ statuses: s, jobs, mints })}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Values of one Prometheus counter of the rig's registry, keyed by its labels as written ("queue=...,code=..."). */
export async function counter(t: TestApp, name: string): Promise<Map<string, number>> {
  const text: string = await t.app.locals.metrics.registry.metrics();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}\\{([^}]*)\\} ([0-9.e+-]+)$`).exec(line);
    if (m) out.set((m[1] as string).replace(/"/g, ''), Number(m[2]));
  }
  return out;
}

/** The rig's log lines with this message (optionally matching some fields). */
export const logLines = (t: TestApp, message: string, fields: Record<string, unknown> = {}) =>
  t.logs.lines().filter((l) => l.message === message && Object.entries(fields).every(([k, v]) => l[k] === v));
