import type { ReportVariant } from '../../domain/inspection/report.js';
import { ReportErrors, type ReportJob, type StoredReport } from '../../domain/report/report-job.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { Clock } from '../../ports/clock.js';
import type { InspectionRepository } from '../../ports/inspection-repository.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { InspectionReports, ReportJobFilter, ReportJobStats, ReportJobStore } from '../../ports/report-jobs.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { loadVisible } from '../inspections/access.js';

/** GET /admin/pdf-jobs: report jobs newest first, filtered by state, stage or inspection. */
export class ListReportJobs {
  constructor(private readonly jobs: ReportJobStore) {}

  execute(filter: ReportJobFilter, page: Partial<PageRequest>): Promise<Page<ReportJob>> {
    return this.jobs.list(filter, normalisePage(page));
  }
}

export interface InspectionReportsView {
  jobs: ReportJob[];
  reports: Array<StoredReport & { url: string; urlExpiresAt: Date }>;
}

/** The report jobs of an inspection and its stored PDFs with signed, expiring download URLs. */
export class GetInspectionReports {
  constructor(
    private readonly inspections: InspectionRepository,
    private readonly jobs: ReportJobStore,
    private readonly reports: InspectionReports,
    private readonly storage: ObjectStorage,
    private readonly urlTtlSeconds: number,
  ) {}

  async execute(actor: Actor, id: string): Promise<InspectionReportsView> {
    const inspection = await loadVisible(this.inspections, actor, id);
    const [jobs, reports] = await Promise.all([
      this.jobs.list({ inspectionId: id }, { page: 1, pageSize: 20 }),
      this.reports.listForInspection(id),
    ]);
    const expires = new Date(Date.now() + this.urlTtlSeconds * 1000);
    const withUrls = await Promise.all(
      reports.map(async (r) => ({
        ...r,
        url: await this.storage.signedGetUrl(r.storageKey, this.urlTtlSeconds, {
          downloadName: `${inspection.prettyId}-${r.variant as ReportVariant}.pdf`,
        }),
        urlExpiresAt: expires,
      })),
    );
    return { jobs: jobs.items, reports: withUrls };
  }
}

/** An operator re-runs a job: it resumes at its stage with the artifacts it has. */
export class RerunReportJob {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, jobId: string): Promise<ReportJob> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const job = await tx.reportJobStore.find(jobId);
      if (!job) throw ReportErrors.jobNotFound();
      if (job.state === 'RUNNING') throw ReportErrors.jobRunning();
      if (job.state === 'DONE') throw ReportErrors.jobDone();
      const requeued = (await tx.reportJobStore.requeue(jobId, now)) as ReportJob;
      await tx.reportJobs.resend(jobId, job.inspectionId, job.priority);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'REPORT_JOB_RERUN',
          entity: 'pdf_job',
          entityId: jobId,
          metadata: { stage: job.stage, previousError: job.lastErrorCode },
        },
        now,
      );
      return requeued;
    });
  }
}

/** Queue figures for administrators (state and stage counts, oldest waiting job, failures per code). */
export class GetReportJobStats {
  constructor(
    private readonly jobs: ReportJobStore,
    private readonly clock: Clock,
  ) {}

  execute(): Promise<ReportJobStats> {
    return this.jobs.stats(this.clock.now());
  }
}

/** Re-runs every FAILED report job (each resumes at its stage), up to `limit`; returns the ids queued again. */
export class RerunFailedReportJobs {
  constructor(
    private readonly jobs: ReportJobStore,
    private readonly rerun: RerunReportJob,
  ) {}

  async execute(actor: Actor, limit = 500): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 1; ids.length < limit; page++) {
      const batch = await this.jobs.list({ state: ['FAILED'] }, { page, pageSize: 100 });
      ids.push(...batch.items.map((j) => j.id));
      if (page * 100 >= batch.total) break;
    }
    const chosen = ids.slice(0, limit);
    for (const id of chosen) await this.rerun.execute(actor, id);
    return chosen;
  }
}
