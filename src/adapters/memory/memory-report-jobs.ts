import { randomUUID } from 'node:crypto';
import { PUBLIC_VARIANT, type ReportVariant } from '../../domain/inspection/report.js';
import type { ReportJob, ReportJobStage, StoredReport, VariantArtifact } from '../../domain/report/report-job.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { ReportJobQueue, ReportPriority } from '../../ports/report-job-queue.js';
import type { InspectionReports, ReportJobFilter, ReportJobStats, ReportJobStore } from '../../ports/report-jobs.js';
import type { MemoryStore } from './memory-store.js';

const clone = <T>(v: T): T => structuredClone(v);

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

export class MemoryReportJobStore implements ReportJobStore {
  constructor(private readonly store: MemoryStore) {}

  private job(id: string): ReportJob | undefined {
    return this.store.state.pdfJobs.find((j) => j.id === id);
  }

  async find(id: string): Promise<ReportJob | null> {
    const j = this.job(id);
    return j ? clone(j) : null;
  }

  async list(f: ReportJobFilter, page: PageRequest): Promise<Page<ReportJob>> {
    const all = this.store.state.pdfJobs
      .filter(
        (j) =>
          (!f.state?.length || f.state.includes(j.state)) &&
          (!f.stage?.length || f.stage.includes(j.stage)) &&
          (!f.inspectionId || j.inspectionId === f.inspectionId),
      )
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id));
    const start = offsetOf(page);
    return {
      items: all.slice(start, start + page.pageSize).map(clone),
      page: page.page,
      pageSize: page.pageSize,
      total: all.length,
    };
  }

  async markRunning(id: string, now: Date): Promise<ReportJob | null> {
    const j = this.job(id);
    if (!j) return null;
    if (j.state !== 'DONE')
      Object.assign(j, { state: 'RUNNING', attempts: j.attempts + 1, startedAt: j.startedAt ?? now, updatedAt: now });
    return clone(j);
  }

  async saveProgress(
    id: string,
    stage: ReportJobStage,
    artifacts: Partial<Record<ReportVariant, VariantArtifact>>,
    now: Date,
  ): Promise<void> {
    const j = this.job(id);
    if (j) Object.assign(j, { stage, artifacts: clone(artifacts), updatedAt: now });
  }

  async fail(id: string, error: { code: string; message: string }, final: boolean, now: Date): Promise<void> {
    const j = this.job(id);
    if (j)
      Object.assign(j, {
        state: final ? 'FAILED' : 'QUEUED',
        lastError: error.message.slice(0, 2000),
        lastErrorCode: error.code,
        updatedAt: now,
        finishedAt: final ? now : null,
      });
  }

  async complete(id: string, now: Date): Promise<void> {
    const j = this.job(id);
    if (j)
      Object.assign(j, {
        state: 'DONE',
        stage: 'DONE',
        lastError: null,
        lastErrorCode: null,
        updatedAt: now,
        finishedAt: now,
      });
  }

  async stats(now: Date): Promise<ReportJobStats> {
    const jobs = this.store.state.pdfJobs;
    const tally = (key: (j: ReportJob) => string) =>
      jobs.reduce<Record<string, number>>((acc, j) => ({ ...acc, [key(j)]: (acc[key(j)] ?? 0) + 1 }), {});
    const queued = jobs.filter((j) => j.state === 'QUEUED').map((j) => j.createdAt.getTime());
    const done = jobs.filter((j) => j.state === 'DONE' && j.artifacts.full && j.artifacts['no-docs']);
    return {
      byState: tally((j) => j.state),
      byStage: tally((j) => j.stage),
      oldestQueuedAgeSeconds: queued.length
        ? Math.max(0, Math.round((now.getTime() - Math.min(...queued)) / 1000))
        : null,
      failedByCode: jobs
        .filter((j) => j.state === 'FAILED')
        .reduce<Record<string, number>>(
          (acc, j) => ({ ...acc, [j.lastErrorCode ?? 'UNKNOWN']: (acc[j.lastErrorCode ?? 'UNKNOWN'] ?? 0) + 1 }),
          {},
        ),
      averageRenderMs: done.length
        ? Math.round(
            done.reduce(
              (s, j) => s + ((j.artifacts.full?.renderMs ?? 0) + (j.artifacts['no-docs']?.renderMs ?? 0)) / 2,
              0,
            ) / done.length,
          )
        : null,
    };
  }

  async requeue(id: string, now: Date): Promise<ReportJob | null> {
    const j = this.job(id);
    if (!j) return null;
    Object.assign(j, { state: 'QUEUED', lastError: null, lastErrorCode: null, finishedAt: null, updatedAt: now });
    return clone(j);
  }
}

export class MemoryInspectionReports implements InspectionReports {
  constructor(private readonly store: MemoryStore) {}

  async upsert(r: StoredReport): Promise<void> {
    const s = this.store.state;
    s.reports = [...s.reports.filter((x) => !(x.inspectionId === r.inspectionId && x.variant === r.variant)), clone(r)];
  }

  async listForInspection(inspectionId: string): Promise<StoredReport[]> {
    return this.store.state.reports
      .filter((r) => r.inspectionId === inspectionId)
      .sort((a, b) => a.variant.localeCompare(b.variant))
      .map(clone);
  }

  async findBySha256(sha256: string): Promise<StoredReport[]> {
    return this.store.state.reports.filter((r) => r.sha256 === sha256).map(clone);
  }

  async findByCid(cid: string): Promise<StoredReport[]> {
    return this.store.state.reports.filter((r) => r.ipfsCid === cid).map(clone);
  }

  async listPrivateWithCid(afterInspectionId: string | null, limit: number): Promise<StoredReport[]> {
    return this.store.state.reports
      .filter(
        (r) =>
          r.variant !== PUBLIC_VARIANT &&
          r.ipfsCid &&
          (afterInspectionId === null || r.inspectionId > afterInspectionId),
      )
      .sort((a, b) =>
        a.inspectionId === b.inspectionId
          ? a.variant.localeCompare(b.variant)
          : a.inspectionId < b.inspectionId
            ? -1
            : 1,
      )
      .slice(0, limit)
      .map(clone);
  }

  async clearCid(inspectionId: string, variant: ReportVariant, cid: string): Promise<boolean> {
    const r = this.store.state.reports.find(
      (x) => x.inspectionId === inspectionId && x.variant === variant && x.ipfsCid === cid,
    );
    if (!r) return false;
    r.ipfsCid = null;
    return true;
  }
}
