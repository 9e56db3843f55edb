import type { ReportVariant } from '../../domain/inspection/report.js';
import type { ReportJob, StoredReport } from '../../domain/report/report-job.js';
import type { InspectionRepository } from '../../ports/inspection-repository.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { InspectionReports, ReportJobStore } from '../../ports/report-jobs.js';
import type { Actor } from '../actor.js';
import { loadVisible } from '../inspections/access.js';

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
