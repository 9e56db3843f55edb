import type { Container } from 'inversify';
import type { JobWithMetadata } from 'pg-boss';
import { isPermanentReportFailure } from '../domain/report/report-job.js';
import { ProcessReportJob } from '../application/reports/process-report-job.js';
import { runInJobContext, type JobOrigin } from '../adapters/observability/job-context.js';
import type { Logger } from '../adapters/observability/logger.js';
import { BacklogMonitor } from '../adapters/queue/backlog-monitor.js';
import { ConsumerPool } from '../adapters/queue/consumer-pool.js';
import { LoadGovernor, type Governed } from '../adapters/queue/load-governor.js';
import { ReportJobStore } from '../ports/report-jobs.js';
import { Tokens } from './tokens.js';
import { REPORT_QUEUE, type PgBossBus } from '../adapters/queue/pg-boss-bus.js';
import { Notifier, type Alert } from '../ports/notifier.js';
import { PdfRenderer } from '../ports/pdf-renderer.js';
import type { Config } from './config.js';

/** A report job's data; its origin (trace context, request id) is added by the bus when it is sent. */
export interface ReportJobData extends JobOrigin {
  pdfJobId: string;
  inspectionId: string;
}

/** External ports the report pipeline needs: while one of their breakers is open, the queue waits. */
export const REPORT_DEPENDENCIES = ['storage', 'ipfs', 'renderer'] as const;

export const reportQueues = (config: Config) => [
  {
    name: REPORT_QUEUE,
    retryLimit: config.reports.jobRetryLimit,
    retryDelaySeconds: config.reports.jobRetryDelaySeconds,
    expireInSeconds: Math.ceil((config.render.taskTimeoutMs * 3) / 1000),
    heartbeatSeconds: config.jobs.heartbeatSeconds,
  },
];

/**
 * The pg-boss handler: runs ProcessReportJob on each job, in the job's span (a child of the approval's) and
 * with its ids and the approval's request id on every log line and audit row. A failure is logged and
 * re-thrown for pg-boss to retry, except a permanent one (its job row is FAILED already); a final or
 * permanent failure alerts.
 */
function reportJobHandler(process: ProcessReportJob, notifier: Notifier, logger: Logger) {
  const one = reportJobAttempt(process, notifier, logger);
  return async (jobs: JobWithMetadata<ReportJobData>[]) => {
    for (const job of jobs)
      await runInJobContext(
        job.data,
        'report-job',
        { jobId: job.data.pdfJobId, inspectionId: job.data.inspectionId },
        () => one(job),
      );
  };
}

/** One attempt of one report job (see reportJobHandler). */
function reportJobAttempt(process: ProcessReportJob, notifier: Notifier, logger: Logger) {
  return async (job: JobWithMetadata<ReportJobData>): Promise<void> => {
    const finalAttempt = job.retryCount >= job.retryLimit;
    try {
      const done = await process.execute(job.data.pdfJobId, { finalAttempt });
      logger.info('report job finished', {
        pdfJobId: job.data.pdfJobId,
        state: done?.state,
        attempt: job.retryCount + 1,
      });
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'REPORT.UNEXPECTED';
      const permanent = isPermanentReportFailure(code);
      logger.warn('report job failed', {
        pdfJobId: job.data.pdfJobId,
        attempt: job.retryCount + 1,
        finalAttempt,
        permanent,
        err: e,
      });
      if (finalAttempt || permanent) await notifier.notify(failureAlert(job, code, permanent, e));
      // The job row is FAILED already; pg-boss must not retry it (an operator re-runs it after the fix).
      if (permanent) return;
      throw e;
    }
  };
}

function failureAlert(job: JobWithMetadata<ReportJobData>, code: string, permanent: boolean, e: unknown): Alert {
  return {
    kind: 'JOB_FAILED',
    severity: 'critical',
    title: permanent
      ? 'A report job failed: its input must be fixed, then re-run it'
      : 'A report job failed permanently',
    key: job.data.pdfJobId,
    details: {
      pdfJobId: job.data.pdfJobId,
      inspectionId: job.data.inspectionId,
      code,
      attempts: job.retryCount + 1,
      message: e instanceof Error ? e.message.slice(0, 500) : String(e),
    },
  };
}

/** The load governor: between WORKER_MIN_CONCURRENCY and RENDER_CONCURRENCY consumers, by machine load. */
function reportGovernor(config: Config, logger: Logger, governed: Governed): LoadGovernor {
  const w = config.worker;
  return new LoadGovernor(
    governed,
    config.render.concurrency,
    {
      min: Math.min(w.minConcurrency, config.render.concurrency),
      max: config.render.concurrency,
      highLoadPerCore: w.highLoadPerCore,
      lowLoadPerCore: w.lowLoadPerCore,
      minFreeMemoryMB: w.minFreeMemoryMB,
    },
    (from, to, sample) => logger.warn('report worker concurrency changed', { from, to, ...sample }),
  );
}

/**
 * The report worker: up to RENDER_CONCURRENCY pg-boss consumers (highest priority first) running
 * ProcessReportJob; a load governor takes consumers away when the machine is loaded and gives them back when
 * it is not. A failure is recorded on the job and re-thrown so pg-boss retries it with backoff; on the last
 * attempt the job is marked FAILED and an alert goes out.
 */
export async function startReportWorker(
  container: Container,
  bus: PgBossBus,
  config: Config,
  logger: Logger,
): Promise<{ stop(): Promise<void>; concurrency(): number }> {
  const process = container.get(ProcessReportJob);
  const notifier = container.get<Notifier>(Notifier);
  const handler = reportJobHandler(process, notifier, logger);
  const consumers = new ConsumerPool(
    () =>
      bus.boss.work(
        REPORT_QUEUE,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 1, priority: true },
        handler,
      ),
    (id) => bus.boss.offWork(REPORT_QUEUE, { id }),
  );
  // While a dependency of the report pipeline has an open breaker the queue pauses (no attempts burnt);
  // it resumes at the governor's level once every breaker has closed.
  const health = container.get(Tokens.DependencyHealth);
  let wanted = config.render.concurrency;
  const apply = () => consumers.resize(health.concurrencyFor(REPORT_DEPENDENCIES, wanted));
  health.onChange(() => {
    const open = health.openOnes();
    if (health.anyOpen(REPORT_DEPENDENCIES))
      logger.warn('report queue paused: a dependency is failing', { openBreakers: open });
    else if (health.onTrial(REPORT_DEPENDENCIES))
      logger.warn('report queue on trial: one job at a time while a breaker is half-open', { openBreakers: open });
    else logger.info('report queue resumed', { openBreakers: open });
    void apply();
  });
  await apply();
  const governor = reportGovernor(config, logger, {
    setConcurrency: async (n: number) => {
      wanted = n;
      await apply();
    },
  });
  governor.start(config.worker.governorSeconds * 1000);
  const backlog = new BacklogMonitor(
    REPORT_QUEUE,
    async () => (await container.get<ReportJobStore>(ReportJobStore).stats(new Date())).byState.QUEUED ?? 0,
    { maxDepth: config.worker.backlogMaxDepth, forMs: config.worker.backlogMinutes * 60_000 },
    notifier,
  );
  backlog.start(30_000);
  logger.info('report worker started', { concurrency: config.render.concurrency });
  return {
    concurrency: () => consumers.size,
    /** Stops taking jobs and closes the Chromium pool (call after the queue drained its active jobs). */
    stop: async () => {
      governor.stop();
      backlog.stop();
      await consumers.resize(0);
      await container.get<PdfRenderer>(PdfRenderer).close();
    },
  };
}
