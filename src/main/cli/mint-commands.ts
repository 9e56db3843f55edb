import { ArchiveInspection } from '../../application/archive/archive-inspection.js';
import { GetMintJobStats } from '../../application/archive/get-mint-job-stats.js';
import { ListMintJobs } from '../../application/archive/list-mint-jobs.js';
import { RerunFailedMints } from '../../application/archive/rerun-failed-mints.js';
import { UsageError, type CliCommand } from './context.js';

/** mint:list, mint:stats, mint:rerun: the mint jobs, for operators. */
export const mintCommands: Record<string, CliCommand> = {
  'mint:list': async ({ values, container, out }) => {
    const page = await container
      .get(ListMintJobs)
      .execute(
        { state: values.state ? [values.state.toUpperCase() as 'FAILED'] : undefined },
        { page: 1, pageSize: 100 },
      );
    for (const j of page.items)
      out(
        [
          j.id,
          j.inspectionId,
          j.state.padEnd(9),
          `attempts ${j.attempts}`,
          j.txHash ?? j.pendingTxHash ?? '-',
          j.createdAt.toISOString(),
          j.lastErrorCode ?? '',
        ].join('  '),
      );
    out(`${page.items.length} of ${page.total} mint jobs`);
    return 0;
  },
  'mint:stats': async ({ container, out }) => {
    out(JSON.stringify(await container.get(GetMintJobStats).execute(), null, 2));
    return 0;
  },
  'mint:rerun': async ({ values, positionals, withQueues, out }) => {
    await withQueues(async (jobContainer, operator) => {
      if (values['all-failed']) {
        const r = await jobContainer.get(RerunFailedMints).execute(operator);
        out(
          `archiving again: ${r.requeued.length}${r.requeued.map((j) => `\n${j.inspectionId} -> job ${j.id}`).join('')}`,
        );
        for (const s of r.skipped) out(`skipped ${s.inspectionId}: ${s.code}`);
      } else {
        const id = positionals[0];
        if (!id) throw new UsageError('mint:rerun needs an inspection id or --all-failed');
        const job = await jobContainer.get(ArchiveInspection).execute(operator, id);
        out(`archiving again: ${id} -> job ${job.id}`);
      }
    });
    return 0;
  },
};
