import type { MintJob } from '../../domain/archive/mint-job.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import { withTimeout } from '../../domain/shared/timeout.js';
import type { Chain } from '../../ports/chain.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { JobTelemetry } from '../../ports/job-telemetry.js';
import type { Notifier } from '../../ports/notifier.js';
import { noTracer, runInCurrentContext, type RunInOrigin, type Tracer } from '../../ports/tracer.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import { MINT_QUEUE_NAME } from './process-mint-job.js';
import { transitionInspection } from '../inspections/transition.js';

export interface ConfirmMintsOptions {
  /** Blocks on top needed before a mint counts (MINT_CONFIRMATIONS). */
  confirmations: number;
  /** A submitted transaction seen neither in a block nor in the mempool for this long is rebuilt. */
  confirmTimeoutMs: number;
  /** SUBMITTED for longer than this: an operator is alerted (MINT_STUCK). */
  stuckAlertMs: number;
  chainTimeoutMs: number;
  batch: number;
}

export interface ConfirmDeps {
  uow: UnitOfWork;
  chain: Chain;
  ids: IdGenerator;
  clock: Clock;
  notifier: Notifier;
  telemetry: JobTelemetry;
  /**
   * A span per confirmation written (`mint.confirm`): a child of the trace that asked for the mint (see
   * `inOrigin`), or a trace of its own for a job without a recorded origin.
   */
  tracer?: Tracer;
  /**
   * Runs each job's check in the context of the job's origin: its spans join the approval's trace, and
   * its log lines and audit rows (NFT_MINTED, ARCHIVED) carry the approval's request id. The watcher polls
   * outside any request or job, so without this they would have neither.
   */
  inOrigin?: RunInOrigin;
  log: {
    info(message: string, meta?: Record<string, unknown>): void;
    warn(message: string, meta?: Record<string, unknown>): void;
  };
}

export interface ConfirmRound {
  checked: number;
  confirmed: number;
  rebuilt: number;
  stuck: number;
}

/**
 * The confirmation watcher: polls every SUBMITTED mint. With enough confirmations the job becomes CONFIRMED
 * and, in the same transaction, the inspection ARCHIVED with its asset id and transaction hash (written only
 * now) and its UTxO leases released. A transaction that vanished (never seen on chain or in the mempool
 * within the timeout, or rolled back after being seen) sends the job back to QUEUED to be rebuilt: the
 * rebuild first asks the chain what became of it. Safe with several workers: every move is guarded.
 */
export class ConfirmMints {
  constructor(
    private readonly d: ConfirmDeps,
    private readonly o: ConfirmMintsOptions,
    private readonly resend: (job: MintJob) => Promise<void>,
  ) {}

  async tick(): Promise<ConfirmRound> {
    const jobs = await this.d.uow.run((tx) => tx.mintJobStore.listSubmitted(this.o.batch));
    const round: ConfirmRound = { checked: 0, confirmed: 0, rebuilt: 0, stuck: 0 };
    for (const job of jobs) {
      try {
        await (this.d.inOrigin ?? runInCurrentContext)(
          job.origin,
          { mintJobId: job.id, inspectionId: job.inspectionId },
          () => this.check(job, round),
        );
      } catch (e) {
        // One unreachable answer must not stop the round; the job is looked at again next time.
        this.d.log.warn('mint confirmation check failed', {
          mintJobId: job.id,
          code: isDomainError(e) ? e.code : undefined,
          err: e,
        });
      }
    }
    return round;
  }

  private async check(job: MintJob, round: ConfirmRound): Promise<void> {
    round.checked += 1;
    const now = this.d.clock.now();
    const age = now.getTime() - (job.submittedAt ?? job.updatedAt).getTime();
    const status = await withTimeout(
      this.d.chain.txStatus(job.pendingTxHash as string),
      this.o.chainTimeoutMs,
      'CHAIN.TIMEOUT',
      'asking for a transaction',
    );
    if (status.state === 'confirmed' && status.confirmations >= this.o.confirmations) {
      const sinceApproval = await (this.d.tracer ?? noTracer).inSpan(
        'mint.confirm',
        { mintJobId: job.id, inspectionId: job.inspectionId, confirmations: status.confirmations },
        () => this.confirm(job, status.confirmations),
      );
      if (sinceApproval !== null) {
        round.confirmed += 1;
        this.d.telemetry.stageCompleted(MINT_QUEUE_NAME, 'CONFIRM', age / 1000);
        this.d.telemetry.mintSubmission('confirmed');
        this.d.telemetry.pipelineEnded('archive', 'success', sinceApproval);
      }
      return;
    }
    if (status.state === 'confirmed') {
      if (status.confirmations !== job.confirmations)
        await this.d.uow.run((tx) => tx.mintJobStore.saveConfirmations(job.id, status.confirmations, now));
    } else if (status.state === 'unknown' && (age >= this.o.confirmTimeoutMs || job.confirmations > 0)) {
      // Expired, dropped from the mempool, or rolled back with its block.
      const reason =
        job.confirmations > 0
          ? 'was rolled back after it had been seen in a block'
          : `was not seen on chain within ${Math.round(this.o.confirmTimeoutMs / 1000)} s`;
      const moved = await this.d.uow.run((tx) =>
        tx.mintJobStore.requeue(
          job.id,
          { code: 'CHAIN.TX_VANISHED', message: `transaction ${job.pendingTxHash} ${reason}` },
          now,
        ),
      );
      if (moved) {
        round.rebuilt += 1;
        this.d.telemetry.mintSubmission('resubmitted');
        this.d.log.warn('mint transaction vanished: rebuilding', {
          mintJobId: job.id,
          txHash: job.pendingTxHash,
          reason,
        });
        await this.resend(job);
      }
      return;
    }
    if (age >= this.o.stuckAlertMs) {
      round.stuck += 1;
      await this.d.notifier.notify({
        kind: 'MINT_STUCK',
        severity: 'warning',
        title: `A mint has been SUBMITTED for ${Math.round(age / 60_000)} min without ${this.o.confirmations} confirmations`,
        key: job.id,
        details: {
          mintJobId: job.id,
          inspectionId: job.inspectionId,
          txHash: job.pendingTxHash,
          state: status.state,
          confirmations: status.confirmations,
        },
      });
    }
  }

  /** Confirms the job and archives its inspection; the seconds since the approval, or null when already done. */
  private confirm(job: MintJob, confirmations: number): Promise<number | null> {
    const assetId = `${job.policyId}${job.assetName}`;
    const txHash = job.pendingTxHash as string;
    return this.d.uow.run(async (tx) => {
      const now = this.d.clock.now();
      if (!(await tx.mintJobStore.confirm(job.id, { txHash, assetId, confirmations }, now))) return null;
      await tx.utxoLeases.release(job.id);
      const inspection = await tx.inspections.findByIdForUpdate(job.inspectionId);
      // ARCHIVING is never reverted while a mint is in flight.
      if (inspection?.status === 'ARCHIVING') {
        await transitionInspection(tx, this.d.ids, {
          from: inspection,
          to: 'ARCHIVED',
          by: { userId: null, role: 'SYSTEM' },
          patch: { nftAssetId: assetId, blockchainTxHash: txHash, archivedAt: now },
          now,
        });
      }
      await tx.audit.record(
        {
          actorId: null,
          action: 'NFT_MINTED',
          entity: 'inspection',
          entityId: job.inspectionId,
          metadata: { mintJobId: job.id, txHash, assetId, confirmations },
        },
        now,
      );
      this.d.log.info('mint confirmed: inspection archived', {
        mintJobId: job.id,
        inspectionId: job.inspectionId,
        txHash,
        assetId,
        confirmations,
      });
      return Math.max(0, (now.getTime() - (inspection?.approvedAt ?? job.createdAt).getTime()) / 1000);
    });
  }
}
