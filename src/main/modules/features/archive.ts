import type { ContainerModule } from 'inversify';
import { archiveHandlers } from '../../../adapters/http/handlers/archive-handlers.js';
import { runInOrigin } from '../../../adapters/observability/job-context.js';
import { ArchiveInspection } from '../../../application/archive/archive-inspection.js';
import { ConfirmMints } from '../../../application/archive/confirm-mints.js';
import { GetMintJobStats } from '../../../application/archive/get-mint-job-stats.js';
import { ListMintJobs } from '../../../application/archive/list-mint-jobs.js';
import { RerunFailedMints } from '../../../application/archive/rerun-failed-mints.js';
import { ProcessMintJob } from '../../../application/archive/process-mint-job.js';
import { WithdrawPrivateCids } from '../../../application/archive/withdraw-private-cids.js';
import { Chain } from '../../../ports/chain.js';
import { Clock } from '../../../ports/clock.js';
import { IdGenerator } from '../../../ports/id-generator.js';
import { Ipfs } from '../../../ports/ipfs.js';
import { Tracer } from '../../../ports/tracer.js';
import { JobTelemetry } from '../../../ports/job-telemetry.js';
import { MintJobStore } from '../../../ports/mint-jobs.js';
import { NftMinter, PlateHasher } from '../../../ports/nft-minter.js';
import { Notifier } from '../../../ports/notifier.js';
import { InspectionReports } from '../../../ports/report-jobs.js';
import { UnitOfWork } from '../../../ports/unit-of-work.js';
import { Tokens } from '../../tokens.js';
import { featureModule, type Get } from '../feature-module.js';
import { archiveDeps } from './deps.js';

/** Archiving on Cardano: one NFT per report (queue, submit, confirm), the mint job views and the private-CID withdrawal. */
export const archiveFeature = (): ContainerModule =>
  featureModule((b) => {
    b.factory(ArchiveInspection, (g) => new ArchiveInspection(g(UnitOfWork), archiveDeps(g), g(Clock)));
    const mintLog = (g: Get) => g(Tokens.Logger).child({ component: 'mint' });
    b.factory(
      ProcessMintJob,
      (g) =>
        new ProcessMintJob({
          uow: g(UnitOfWork),
          chain: g(Chain),
          minter: g(NftMinter),
          plates: g(PlateHasher),
          ids: g(IdGenerator),
          clock: g(Clock),
          notifier: g(Notifier),
          telemetry: g(JobTelemetry),
          tracer: g(Tracer),
          log: mintLog(g),
          chainTimeoutMs: g(Tokens.Config).chain.timeoutMs,
          leaseSeconds: g(Tokens.Config).mint.leaseSeconds,
        }),
    );
    b.factory(ConfirmMints, (g) => {
      const m = g(Tokens.Config).mint;
      return new ConfirmMints(
        {
          uow: g(UnitOfWork),
          chain: g(Chain),
          ids: g(IdGenerator),
          clock: g(Clock),
          notifier: g(Notifier),
          telemetry: g(JobTelemetry),
          tracer: g(Tracer),
          inOrigin: runInOrigin,
          log: mintLog(g),
        },
        {
          confirmations: m.confirmations,
          confirmTimeoutMs: m.confirmTimeoutMs,
          stuckAlertMs: m.stuckAlertMs,
          chainTimeoutMs: g(Tokens.Config).chain.timeoutMs,
          batch: 200,
        },
        (job) => g<UnitOfWork>(UnitOfWork).run((tx) => tx.mintJobs.resend(job.id, job.inspectionId)),
      );
    });
    b.factory(ListMintJobs, (g) => new ListMintJobs(g(MintJobStore)));
    b.factory(GetMintJobStats, (g) => new GetMintJobStats(g(MintJobStore), g(Clock)));
    b.factory(RerunFailedMints, (g) => new RerunFailedMints(g(MintJobStore), g(ArchiveInspection)));
    b.factory(
      WithdrawPrivateCids,
      (g) => new WithdrawPrivateCids(g(InspectionReports), g(MintJobStore), g(Ipfs), g(UnitOfWork), g(Clock)),
    );
    b.handlers((g) =>
      archiveHandlers({
        archiveInspection: g(ArchiveInspection),
        getMintJobStats: g(GetMintJobStats),
        listMintJobs: g(ListMintJobs),
        rerunFailedMints: g(RerunFailedMints),
      }),
    );
  });
