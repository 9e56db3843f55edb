import type { ArchiveInspection } from '../../../application/archive/archive-inspection.js';
import type { GetMintJobStats } from '../../../application/archive/get-mint-job-stats.js';
import type { ListMintJobs } from '../../../application/archive/list-mint-jobs.js';
import type { RerunFailedMints } from '../../../application/archive/rerun-failed-mints.js';
import type { MintJob } from '../../../domain/archive/mint-job.js';
import { actorOf } from '../auth.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';

/** A mint job as the API shows it (the signed transaction's CBOR and the inputs stay internal). */
export const mintJobView = (j: MintJob) => ({
  id: j.id,
  inspectionId: j.inspectionId,
  state: j.state,
  trigger: j.trigger,
  attempts: j.attempts,
  policyId: j.policyId,
  assetName: j.assetName,
  assetId: j.assetId,
  pendingTxHash: j.pendingTxHash,
  txHash: j.txHash,
  confirmations: j.confirmations,
  metadata: j.metadata,
  lastError: j.lastError,
  lastErrorCode: j.lastErrorCode,
  createdAt: j.createdAt,
  updatedAt: j.updatedAt,
  submittedAt: j.submittedAt,
  confirmedAt: j.confirmedAt,
  finishedAt: j.finishedAt,
});

/** The use cases these handlers call. */
export interface ArchiveUseCases {
  archiveInspection: ArchiveInspection;
  getMintJobStats: GetMintJobStats;
  listMintJobs: ListMintJobs;
  rerunFailedMints: RerunFailedMints;
}

export function archiveHandlers(uc: ArchiveUseCases): OperationHandlers {
  return {
    archiveInspection: async (_req, res) => {
      res
        .status(202)
        .json(mintJobView(await uc.archiveInspection.execute(actorOf(res), String(validOf(res).params.id))));
    },
    listMintJobs: async (_req, res) => {
      const q = validOf(res).query;
      const state =
        q.state === undefined ? undefined : ([] as MintJob['state'][]).concat(q.state as MintJob['state'][]);
      const page = await uc.listMintJobs.execute(
        { state, inspectionId: typeof q.inspectionId === 'string' ? q.inspectionId : undefined },
        { page: q.page as number | undefined, pageSize: q.pageSize as number | undefined },
      );
      res.json({ ...page, items: page.items.map(mintJobView) });
    },
    getMintJobStats: async (_req, res) => {
      res.setHeader('Cache-Control', 'no-store').json(await uc.getMintJobStats.execute());
    },
    rerunFailedMints: async (_req, res) => {
      const r = await uc.rerunFailedMints.execute(actorOf(res));
      res.status(202).json({ requeued: r.requeued.length, jobs: r.requeued.map(mintJobView), skipped: r.skipped });
    },
  };
}
