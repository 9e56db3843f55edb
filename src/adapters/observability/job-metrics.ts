import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { JobTelemetry } from '../../ports/job-telemetry.js';
import type { ReportJobStats } from '../../ports/report-jobs.js';
import type { MintJobStats } from '../../ports/mint-jobs.js';

/**
 * Report pipeline metrics on the app's registry (/metrics): stage durations, attempts by outcome, errors by
 * code, and the queue's depth per state and the age of its oldest waiting job (read at scrape time).
 */
export class PromJobTelemetry implements JobTelemetry {
  private readonly stages: Histogram<'queue' | 'stage'>;
  private readonly attempts: Counter<'queue' | 'outcome'>;
  private readonly errors: Counter<'queue' | 'code'>;

  constructor(registry: Registry, stats: () => Promise<ReportJobStats>, mintStats?: () => Promise<MintJobStats>) {
    this.stages = new Histogram({
      name: 'job_stage_duration_seconds',
      help: 'Duration of each job stage (RENDER, STORE, IPFS, RECORD).',
      labelNames: ['queue', 'stage'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    });
    this.attempts = new Counter({
      name: 'job_attempts_total',
      help: 'Job attempts by outcome (done, retry, failed).',
      labelNames: ['queue', 'outcome'] as const,
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'job_errors_total',
      help: 'Job errors by stable error code.',
      labelNames: ['queue', 'code'] as const,
      registers: [registry],
    });
    const depth = new Gauge({
      name: 'report_jobs',
      help: 'Report jobs per state.',
      labelNames: ['state'] as const,
      registers: [registry],
    });
    const age = new Gauge({
      name: 'report_queue_oldest_age_seconds',
      help: 'Age of the oldest queued report job (0 when none).',
      registers: [registry],
    });
    // One database read per scrape, shared by both gauges.
    let pending: Promise<ReportJobStats> | null = null;
    const read = () => {
      pending ??= stats().finally(() => setTimeout(() => (pending = null), 0));
      return pending;
    };
    Object.assign(depth, {
      collect: async () => {
        const s = await read();
        depth.reset();
        for (const state of ['QUEUED', 'RUNNING', 'DONE', 'FAILED']) depth.set({ state }, s.byState[state] ?? 0);
      },
    });
    Object.assign(age, {
      collect: async () => {
        age.set((await read()).oldestQueuedAgeSeconds ?? 0);
      },
    });
    if (mintStats) {
      const mints = new Gauge({
        name: 'mint_jobs',
        help: 'Mint jobs per state.',
        labelNames: ['state'] as const,
        registers: [registry],
      });
      const submittedAge = new Gauge({
        name: 'mint_oldest_submitted_age_seconds',
        help: 'How long the oldest SUBMITTED mint has waited for its confirmations (0 when none).',
        registers: [registry],
      });
      let mintPending: Promise<MintJobStats> | null = null;
      const readMints = () => {
        mintPending ??= mintStats().finally(() => setTimeout(() => (mintPending = null), 0));
        return mintPending;
      };
      Object.assign(mints, {
        collect: async () => {
          const s = await readMints();
          mints.reset();
          for (const state of ['QUEUED', 'SUBMITTED', 'CONFIRMED', 'FAILED'])
            mints.set({ state }, s.byState[state] ?? 0);
        },
      });
      Object.assign(submittedAge, {
        collect: async () => {
          submittedAge.set((await readMints()).oldestSubmittedAgeSeconds ?? 0);
        },
      });
    }
  }

  stageCompleted(queue: string, stage: string, seconds: number): void {
    this.stages.observe({ queue, stage }, seconds);
  }

  attemptEnded(queue: string, outcome: 'done' | 'retry' | 'failed', errorCode?: string): void {
    this.attempts.inc({ queue, outcome });
    if (errorCode) this.errors.inc({ queue, code: errorCode });
  }
}
