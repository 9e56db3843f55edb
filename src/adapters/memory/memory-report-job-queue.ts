import { randomUUID } from 'node:crypto';
import type { ReportJobQueue, ReportPriority } from '../../ports/report-job-queue.js';
import type { MemoryStore } from './memory-store.js';

export class MemoryReportJobQueue implements ReportJobQueue {
  constructor(private readonly store: MemoryStore) {}

  async enqueue(inspectionId: string, priority: ReportPriority, now: Date): Promise<string> {
    const id = randomUUID();
    this.store.state.pdfJobs.push({
      id,
      inspectionId,
      priority,
      state: 'QUEUED',
      stage: 'RENDER',
      attempts: 0,
      lastError: null,
      lastErrorCode: null,
      artifacts: {},
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
    });
    this.store.state.sentJobs.push({ pdfJobId: id, priority });
    return id;
  }

  async resend(jobId: string, _inspectionId: string, priority: ReportPriority): Promise<void> {
    this.store.state.sentJobs.push({ pdfJobId: jobId, priority });
  }
}
