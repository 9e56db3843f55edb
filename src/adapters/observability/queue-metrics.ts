import { Gauge, type Registry } from 'prom-client';
import type { MintJobStats } from '../../ports/mint-jobs.js';
import type { ReportJobStats } from '../../ports/report-jobs.js';

/** One read per scrape, shared by the gauges that need it (a scrape collects them concurrently). */
function perScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= read().finally(() => setTimeout(() => (pending = null), 0));
    return pending;
  };
}

/** A gauge whose value is read from the database at scrape time. */
function scrapedGauge<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  collect: (g: Gauge<L>) => Promise<void>,
): void {
  const gauge: Gauge<L> = new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect: () => collect(gauge),
  });
}

const REPORT_STATES = ['QUEUED', 'RUNNING', 'DONE', 'FAILED'];
const MINT_STATES = ['QUEUED', 'SUBMITTED', 'CONFIRMED', 'FAILED'];

/**
 * The queues as the database sees them, read at scrape time: jobs per queue and state
 * (`car_dano_queue_jobs`), the age of each queue's oldest waiting job (`car_dano_queue_oldest_age_seconds`),
 * and for minting the jobs per state and the oldest SUBMITTED one (`car_dano_mint_jobs`,
 * `car_dano_mint_oldest_submitted_age_seconds`).
 */
export function registerQueueMetrics(
  registry: Registry,
  reportStats: () => Promise<ReportJobStats>,
  mintStats: () => Promise<MintJobStats>,
): void {
  const reports = perScrape(reportStats);
  const mints = perScrape(mintStats);
  scrapedGauge(
    registry,
    'car_dano_queue_jobs',
    'Jobs per queue (report, mint) and state.',
    ['queue', 'state'],
    async (g) => {
      const [r, m] = await Promise.all([reports(), mints()]);
      g.reset();
      for (const state of REPORT_STATES) g.set({ queue: 'report', state }, r.byState[state] ?? 0);
      for (const state of MINT_STATES) g.set({ queue: 'mint', state }, m.byState[state] ?? 0);
    },
  );
  scrapedGauge(
    registry,
    'car_dano_queue_oldest_age_seconds',
    'Age of the oldest job waiting to run, per queue (0 when none).',
    ['queue'],
    async (g) => {
      const [r, m] = await Promise.all([reports(), mints()]);
      g.set({ queue: 'report' }, r.oldestQueuedAgeSeconds ?? 0);
      g.set({ queue: 'mint' }, m.oldestQueuedAgeSeconds ?? 0);
    },
  );
  scrapedGauge(registry, 'car_dano_mint_jobs', 'Mint jobs per state.', ['state'], async (g) => {
    const m = await mints();
    g.reset();
    for (const state of MINT_STATES) g.set({ state }, m.byState[state] ?? 0);
  });
  scrapedGauge(
    registry,
    'car_dano_mint_oldest_submitted_age_seconds',
    'How long the oldest SUBMITTED mint has waited for its confirmations (0 when none).',
    [],
    async (g) => {
      g.set((await mints()).oldestSubmittedAgeSeconds ?? 0);
    },
  );
}
