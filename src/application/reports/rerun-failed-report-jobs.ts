import type { ReportJobStore } from '../../ports/report-jobs.js';
import type { Actor } from '../actor.js';
import type { RerunReportJob } from './rerun-report-job.js';

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
