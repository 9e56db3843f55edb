import type { ReportVariant } from '../../domain/inspection/report.js';
import type { ReportJob, ReportJobStage, VariantArtifact } from '../../domain/report/report-job.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { ReportJobFilter, ReportJobStats, ReportJobStore } from '../../ports/report-jobs.js';
import type { MemoryStore } from './memory-store.js';

const clone = <T>(v: T): T => structuredClone(v);

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
