import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import type { ReportJobQueue, ReportPriority } from '../../ports/report-job-queue.js';
import { PRIORITY, REPORT_QUEUE, type JobBus } from '../queue/pg-boss-bus.js';

const isTransaction = (db: Knex | Knex.Transaction): db is Knex.Transaction =>
  (db as Knex.Transaction).isTransaction === true;

/**
 * Report requests as pdf_jobs rows plus a pg-boss job, both written in the caller's transaction: a rolled
 * back approval leaves neither. Without a bus (CLI, tests of other things) only the row is written.
 */
export class KnexReportJobQueue implements ReportJobQueue {
  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly bus?: JobBus,
  ) {}

  async enqueue(inspectionId: string, priority: ReportPriority, now: Date): Promise<string> {
    const id = randomUUID();
    await this.db('pdf_jobs').insert({
      id,
      inspection_id: inspectionId,
      priority,
      state: 'QUEUED',
      stage: 'RENDER',
      created_at: now,
      updated_at: now,
    });
    await this.bus?.send(
      REPORT_QUEUE,
      { pdfJobId: id, inspectionId },
      { priority: PRIORITY[priority] },
      isTransaction(this.db) ? this.db : undefined,
    );
    return id;
  }

  async resend(jobId: string, inspectionId: string, priority: ReportPriority): Promise<void> {
    await this.bus?.send(
      REPORT_QUEUE,
      { pdfJobId: jobId, inspectionId },
      { priority: PRIORITY[priority] },
      isTransaction(this.db) ? this.db : undefined,
    );
  }
}
