import type { Knex } from 'knex';
import { pageOf } from './knex-paging.js';
import type { ReportVariant } from '../../domain/inspection/report.js';
import type { ReportJob, ReportJobStage, VariantArtifact } from '../../domain/report/report-job.js';
import type { Page, PageRequest } from '../../domain/shared/pagination.js';
import type { ReportJobFilter, ReportJobStats, ReportJobStore } from '../../ports/report-jobs.js';

type Row = Record<string, unknown>;

const toJob = (r: Row): ReportJob => ({
  id: r.id as string,
  inspectionId: r.inspection_id as string,
  priority: r.priority as 'single' | 'bulk',
  state: r.state as ReportJob['state'],
  stage: r.stage as ReportJob['stage'],
  attempts: Number(r.attempts),
  lastError: (r.last_error as string | null) ?? null,
  lastErrorCode: (r.last_error_code as string | null) ?? null,
  artifacts: (r.artifacts ?? {}) as ReportJob['artifacts'],
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
  startedAt: (r.started_at as Date | null) ?? null,
  finishedAt: (r.finished_at as Date | null) ?? null,
});

/** pdf_jobs: one row per report job, its stage, attempts, last error and artifacts. */
export class KnexReportJobStore implements ReportJobStore {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async find(id: string): Promise<ReportJob | null> {
    const r = await this.db('pdf_jobs').where({ id }).first();
    return r ? toJob(r) : null;
  }

  async list(f: ReportJobFilter, page: PageRequest): Promise<Page<ReportJob>> {
    const q = this.db('pdf_jobs').modify((b) => {
      if (f.state?.length) b.whereIn('state', f.state);
      if (f.stage?.length) b.whereIn('stage', f.stage);
      if (f.inspectionId) b.where('inspection_id', f.inspectionId);
    });
    return pageOf(q, page, toJob, (b) => b.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }]));
  }

  async markRunning(id: string, now: Date): Promise<ReportJob | null> {
    // A finished job delivered again (a worker died after the commit, before pg-boss heard of it) stays DONE.
    const [r] = await this.db('pdf_jobs')
      .where({ id })
      .whereNot({ state: 'DONE' })
      .update({
        state: 'RUNNING',
        attempts: this.db.raw('attempts + 1'),
        started_at: this.db.raw('coalesce(started_at, ?)', [now]),
        updated_at: now,
      })
      .returning('*');
    return r ? toJob(r as Row) : this.find(id);
  }

  async saveProgress(
    id: string,
    stage: ReportJobStage,
    artifacts: Partial<Record<ReportVariant, VariantArtifact>>,
    now: Date,
  ): Promise<void> {
    await this.db('pdf_jobs')
      .where({ id })
      .update({ stage, artifacts: JSON.stringify(artifacts), updated_at: now });
  }

  async fail(id: string, error: { code: string; message: string }, final: boolean, now: Date): Promise<void> {
    await this.db('pdf_jobs')
      .where({ id })
      .update({
        state: final ? 'FAILED' : 'QUEUED',
        last_error: error.message.slice(0, 2000),
        last_error_code: error.code,
        updated_at: now,
        finished_at: final ? now : null,
      });
  }

  async complete(id: string, now: Date): Promise<void> {
    await this.db('pdf_jobs').where({ id }).update({
      state: 'DONE',
      stage: 'DONE',
      last_error: null,
      last_error_code: null,
      updated_at: now,
      finished_at: now,
    });
  }

  async stats(now: Date): Promise<ReportJobStats> {
    const tally = async (column: string) =>
      Object.fromEntries(
        (
          (await this.db('pdf_jobs').select(column).count({ n: '*' }).groupBy(column)) as Array<Record<string, unknown>>
        ).map((r) => [String(r[column]), Number(r.n)]),
      );
    const failed = (await this.db('pdf_jobs')
      .where({ state: 'FAILED' })
      .select('last_error_code')
      .count({ n: '*' })
      .groupBy('last_error_code')) as Array<{ last_error_code: string | null; n: number }>;
    const oldest = (await this.db('pdf_jobs').where({ state: 'QUEUED' }).min({ t: 'created_at' }).first()) as
      { t: Date | null } | undefined;
    const avg = (await this.db('pdf_jobs')
      .where({ state: 'DONE' })
      .select(
        this.db.raw(
          `avg(((artifacts->'full'->>'renderMs')::numeric + (artifacts->'no-docs'->>'renderMs')::numeric) / 2) AS ms`,
        ),
      )
      .first()) as { ms: string | null } | undefined;
    return {
      byState: await tally('state'),
      byStage: await tally('stage'),
      oldestQueuedAgeSeconds: oldest?.t ? Math.max(0, Math.round((now.getTime() - oldest.t.getTime()) / 1000)) : null,
      failedByCode: Object.fromEntries(failed.map((f) => [f.last_error_code ?? 'UNKNOWN', Number(f.n)])),
      averageRenderMs: avg?.ms === null || avg?.ms === undefined ? null : Math.round(Number(avg.ms)),
    };
  }

  async requeue(id: string, now: Date): Promise<ReportJob | null> {
    const [r] = await this.db('pdf_jobs')
      .where({ id })
      .update({ state: 'QUEUED', last_error: null, last_error_code: null, finished_at: null, updated_at: now })
      .returning('*');
    return r ? toJob(r as Row) : null;
  }
}
