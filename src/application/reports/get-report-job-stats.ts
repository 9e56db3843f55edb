import type { Clock } from '../../ports/clock.js';
import type { ReportJobStats, ReportJobStore } from '../../ports/report-jobs.js';

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
