import type { Container } from 'inversify';
import type PgBoss from 'pg-boss';
import { ProcessReportJob } from '../application/reports/process-report-job.js';
import type { Logger } from '../adapters/observability/logger.js';
import { REPORT_QUEUE, type PgBossBus } from '../adapters/queue/pg-boss-bus.js';
import { Notifier } from '../ports/notifier.js';
import { PdfRenderer } from '../ports/pdf-renderer.js';
import type { Config } from './config.js';

export interface ReportJobData {
  pdfJobId: string;
  inspectionId: string;
}

export const reportQueues = (config: Config) => [
  { name: REPORT_QUEUE, retryLimit: config.reports.jobRetryLimit, retryDelaySeconds: config.reports.jobRetryDelaySeconds, expireInSeconds: Math.ceil((config.render.taskTimeoutMs * 3) / 1000) },
];

/**
 * The report worker: RENDER_CONCURRENCY pg-boss consumers (highest priority first) running ProcessReportJob.
 * A failure is recorded on the job and re-thrown so pg-boss retries it with backoff; on the last attempt
 * the job is marked FAILED.
 */
export async function startReportWorker(container: Container, bus: PgBossBus, config: Config, logger: Logger): Promise<{ stop(): Promise<void> }> {
  const process = container.get(ProcessReportJob);
  const notifier = container.get<Notifier>(Notifier);
  const ids: string[] = [];
  for (let i = 0; i < config.render.concurrency; i++) {
    ids.push(
      await bus.boss.work<ReportJobData>(REPORT_QUEUE, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: 1, priority: true }, async (jobs: PgBoss.JobWithMetadata<ReportJobData>[]) => {
        for (const job of jobs) {
          const finalAttempt = job.retryCount >= job.retryLimit;
          try {
            const done = await process.execute(job.data.pdfJobId, { finalAttempt });
            logger.info('report job finished', { pdfJobId: job.data.pdfJobId, state: done?.state, attempt: job.retryCount + 1 });
          } catch (e) {
            logger.warn('report job failed', { pdfJobId: job.data.pdfJobId, attempt: job.retryCount + 1, finalAttempt, err: e });
            if (finalAttempt) {
              const code = (e as { code?: string }).code ?? 'REPORT.UNEXPECTED';
              await notifier.notify({ kind: 'JOB_FAILED', severity: 'critical', title: 'A report job failed permanently', key: job.data.pdfJobId, details: { pdfJobId: job.data.pdfJobId, inspectionId: job.data.inspectionId, code, attempts: job.retryCount + 1 } });
            }
            throw e;
          }
        }
      }),
    );
  }
  logger.info('report worker started', { concurrency: config.render.concurrency });
  return {
    /** Stops taking jobs and closes the Chromium pool (call after the queue drained its active jobs). */
    stop: async () => {
      for (const id of ids) await bus.boss.offWork({ id }).catch(() => undefined);
      await container.get<PdfRenderer>(PdfRenderer).close();
    },
  };
}
