import { MintErrors, type MintJob, type MintTrigger } from '../../domain/archive/mint-job.js';
import type { Inspection } from '../../domain/inspection/inspection.js';
import { PUBLIC_VARIANT, REPORT_VARIANTS } from '../../domain/inspection/report.js';
import { assertTransition, type TransitionActor } from '../../domain/inspection/status.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { NftMinter } from '../../ports/nft-minter.js';
import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { loadVisible } from '../inspections/access.js';
import { transitionInspection } from '../inspections/transition.js';

export interface ArchiveDeps {
  ids: IdGenerator;
  minter: Pick<NftMinter, 'policyId' | 'assetNameFor'>;
}

/**
 * Starts archiving inside the caller's transaction: APPROVED (or FAIL_ARCHIVE, a retry) -> ARCHIVING, the
 * status history, an audit row and the mint job with its queue message, all or nothing. Both reports must
 * exist, the public one with its IPFS CID (the NFT carries both hashes and the public CID only).
 */
export async function startArchive(
  tx: TransactionalPorts,
  d: ArchiveDeps,
  inspection: Inspection,
  by: { userId: string | null; role: TransitionActor },
  trigger: MintTrigger,
  now: Date,
): Promise<MintJob> {
  // Checked before anything is read: an unknown move is 409, a move the actor may not make 403.
  assertTransition(inspection.status, 'ARCHIVING', by.role);
  const reports = await tx.reports.listForInspection(inspection.id);
  if (!REPORT_VARIANTS.every((v) => reports.some((r) => r.variant === v && (v !== PUBLIC_VARIANT || r.ipfsCid))))
    throw MintErrors.reportsMissing();
  // Archived before (then reverted): its NFT exists and a report is never minted twice. The inspection goes
  // back to ARCHIVED with that token, and no new mint job is made (a second CONFIRMED job for the same asset
  // is impossible, and the watcher would retry it forever).
  const [minted] = await tx.mintJobStore.confirmedFor([inspection.id]);
  const retry = inspection.status === 'FAIL_ARCHIVE';
  if (minted?.txHash && minted.assetId) {
    const archiving = await transitionInspection(tx, d.ids, {
      from: inspection,
      to: 'ARCHIVING',
      by,
      reason: retry ? 'archive retried' : null,
      now,
    });
    // The chain already confirmed this NFT: the system completes the archive with it at once (one
    // millisecond later, so the history lists the two steps in order).
    await transitionInspection(tx, d.ids, {
      from: archiving.inspection,
      to: 'ARCHIVED',
      by: { userId: by.userId, role: 'SYSTEM' },
      patch: { nftAssetId: minted.assetId, blockchainTxHash: minted.txHash, archivedAt: now },
      reason: 'already minted: the existing NFT is kept',
      now,
      historyAt: new Date(now.getTime() + 1),
    });
    await tx.audit.record(
      {
        actorId: by.userId,
        action: 'ARCHIVE_REQUESTED',
        entity: 'inspection',
        entityId: inspection.id,
        metadata: {
          mintJobId: minted.id,
          trigger,
          from: inspection.status,
          assetId: minted.assetId,
          adoptedExistingNft: true,
        },
      },
      now,
    );
    return minted;
  }
  const job = await tx.mintJobs.enqueue(
    {
      inspectionId: inspection.id,
      trigger,
      policyId: d.minter.policyId,
      assetName: d.minter.assetNameFor(inspection.id),
    },
    now,
  );
  await transitionInspection(tx, d.ids, {
    from: inspection,
    to: 'ARCHIVING',
    by,
    reason: retry ? 'archive retried' : null,
    now,
  });
  await tx.audit.record(
    {
      actorId: by.userId,
      action: 'ARCHIVE_REQUESTED',
      entity: 'inspection',
      entityId: inspection.id,
      metadata: { mintJobId: job.id, trigger, from: inspection.status, assetId: `${job.policyId}${job.assetName}` },
    },
    now,
  );
  return job;
}

/** An administrator archives an approved inspection (or retries a failed archive): 202 with the mint job. */
export class ArchiveInspection {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly d: ArchiveDeps,
    private readonly clock: Clock,
  ) {}

  execute(actor: Actor, id: string): Promise<MintJob> {
    return this.uow.run(async (tx) => {
      const inspection = await loadVisible(tx.inspections, actor, id, true);
      return startArchive(
        tx,
        this.d,
        inspection,
        { userId: actor.userId, role: actor.role },
        'manual',
        this.clock.now(),
      );
    });
  }
}
