import type { ReportJob } from '../../domain/report/report-job.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { ReportJobFilter, ReportJobStore } from '../../ports/report-jobs.js';

/** GET /admin/pdf-jobs: report jobs newest first, filtered by state, stage or inspection. */
export class ListReportJobs {
  constructor(private readonly jobs: ReportJobStore) {}

  execute(filter: ReportJobFilter, page: Partial<PageRequest>): Promise<Page<ReportJob>> {
    return this.jobs.list(filter, normalisePage(page));
  }
}
