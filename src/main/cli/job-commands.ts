import { GetReportJobStats } from '../../application/reports/get-report-job-stats.js';
import { ListReportJobs } from '../../application/reports/list-report-jobs.js';
import { RerunFailedReportJobs } from '../../application/reports/rerun-failed-report-jobs.js';
import { RerunReportJob } from '../../application/reports/rerun-report-job.js';
import { ReportJobStore } from '../../ports/report-jobs.js';
import { UsageError, type CliCommand } from './context.js';

/** jobs:list, jobs:show, jobs:stats, jobs:rerun: the report jobs, for operators. */
export const jobCommands: Record<string, CliCommand> = {
  'jobs:list': async ({ values, container, out }) => {
    const page = await container.get(ListReportJobs).execute(
      {
        state: values.state ? [values.state.toUpperCase() as 'FAILED'] : undefined,
        stage: values.stage ? [values.stage.toUpperCase() as 'RENDER'] : undefined,
      },
      { page: 1, pageSize: 100 },
    );
    for (const j of page.items)
      out(
        [
          j.id,
          j.state.padEnd(7),
          j.stage.padEnd(6),
          `attempts ${j.attempts}`,
          j.priority,
          j.createdAt.toISOString(),
          j.lastErrorCode ?? '',
        ].join('  '),
      );
    out(`${page.items.length} of ${page.total} jobs`);
    return 0;
  },
  'jobs:show': async ({ positionals, container, out }) => {
    const id = positionals[0];
    if (!id) throw new UsageError('jobs:show needs a job id');
    const job = await container.get<ReportJobStore>(ReportJobStore).find(id);
    if (!job) throw new UsageError(`no report job ${id}`);
    out(JSON.stringify(job, null, 2));
    return 0;
  },
  'jobs:stats': async ({ container, out }) => {
    out(JSON.stringify(await container.get(GetReportJobStats).execute(), null, 2));
    return 0;
  },
  'jobs:rerun': async ({ values, positionals, withQueues, out }) => {
    await withQueues(async (jobContainer, operator) => {
      if (values['all-failed']) {
        const ids = await jobContainer.get(RerunFailedReportJobs).execute(operator);
        out(`queued again: ${ids.length}${ids.length ? `\n${ids.join('\n')}` : ''}`);
      } else {
        const id = positionals[0];
        if (!id) throw new UsageError('jobs:rerun needs a job id or --all-failed');
        const job = await jobContainer.get(RerunReportJob).execute(operator, id);
        out(`queued again: ${job.id} (resumes at ${job.stage})`);
      }
    });
    return 0;
  },
};
