import { ChainErrors, type Utxo } from '../../domain/chain/chain.js';
import { isRetryable, MintErrors, type MintJob } from '../../domain/archive/mint-job.js';
import { InspectionErrors } from '../../domain/inspection/inspection.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import { withTimeout } from '../../domain/shared/timeout.js';
import type { Chain } from '../../ports/chain.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { JobTelemetry } from '../../ports/job-telemetry.js';
import type { NftMinter, PlateHasher } from '../../ports/nft-minter.js';
import type { Notifier } from '../../ports/notifier.js';
import { noTracer, type Tracer } from '../../ports/tracer.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import { nftContentOf } from './nft-content.js';
import { transitionInspection } from '../inspections/transition.js';
import { announceMintFailure } from './mint-failure.js';

/** The queue name in telemetry (the same as the pg-boss queue). */
export const MINT_QUEUE_NAME = 'mint';

export interface MintJobDeps {
  uow: UnitOfWork;
  chain: Chain;
  minter: NftMinter;
  plates: PlateHasher;
  ids: IdGenerator;
  clock: Clock;
  notifier: Notifier;
  telemetry: JobTelemetry;
  /** Spans for the build and the submit (none when not given). */
  tracer?: Tracer;
  log: {
    info(message: string, meta?: Record<string, unknown>): void;
    warn(message: string, meta?: Record<string, unknown>): void;
  };
  /** Budget of each chain call (the chain submit stage timeout). */
  chainTimeoutMs: number;
  leaseSeconds: number;
}

const ref = (u: Pick<Utxo, 'txHash' | 'index'>) => `${u.txHash}#${u.index}`;

/**
 * Builds, records and submits the mint of one QUEUED job. Never mints twice:
 * 1. the transaction's hash, CBOR and inputs are committed (SUBMITTED) before the submit, so a crash after it
 *    still knows what was sent;
 * 2. a job that has sent something before first asks the chain what became of it (still pending or
 *    confirmed: adopted) and whether the asset exists at all (minted by an earlier attempt: adopted);
 * 3. a rebuild reuses the earlier inputs while they are unspent, so at most one of the two transactions can
 *    ever land; new inputs are chosen only once the old ones are spent, which proves the earlier transaction
 *    can no longer land (the asset does not exist, so it was not that one spending them).
 * Retryable errors (kind unavailable: provider down, busy inputs, timeouts) are thrown for the queue to retry
 * with backoff; fatal ones, or any error on the final attempt, end the job FAILED and the inspection
 * FAIL_ARCHIVE with the error kept and an alert sent.
 */
export class ProcessMintJob {
  constructor(private readonly d: MintJobDeps) {}

  async execute(jobId: string, opts: { finalAttempt: boolean }): Promise<MintJob | null> {
    const job = await this.d.uow.run((tx) => tx.mintJobStore.startAttempt(jobId, this.d.clock.now()));
    // Not QUEUED: already submitted (the watcher's), confirmed, failed, or unknown.
    if (!job) return this.d.uow.run((tx) => tx.mintJobStore.find(jobId));
    const started = this.d.clock.now().getTime();
    try {
      const sent = await this.submitOrAdopt(job);
      this.d.telemetry.stageCompleted(MINT_QUEUE_NAME, 'SUBMIT', (this.d.clock.now().getTime() - started) / 1000);
      this.d.telemetry.attemptEnded(MINT_QUEUE_NAME, 'done');
      if (!sent.adopted) this.d.telemetry.mintSubmission('submitted');
      this.d.log.info('mint submitted', {
        mintJobId: job.id,
        inspectionId: job.inspectionId,
        txHash: sent.hash,
        adopted: sent.adopted,
        attempt: job.attempts,
      });
      return this.d.uow.run((tx) => tx.mintJobStore.find(jobId));
    } catch (e) {
      const error = isDomainError(e)
        ? { code: e.code, message: e.message }
        : { code: 'ARCHIVE.UNEXPECTED', message: e instanceof Error ? e.message : String(e) };
      const final = opts.finalAttempt || !isRetryable(e);
      // A job that got as far as SUBMITTED before the error goes back to QUEUED (its pending tx is kept).
      await this.d.uow.run((tx) => tx.mintJobStore.requeue(jobId, error, this.d.clock.now()));
      if (!final) {
        await this.d.uow.run((tx) => tx.mintJobStore.fail(jobId, error, false, this.d.clock.now()));
        this.d.telemetry.attemptEnded(MINT_QUEUE_NAME, 'retry', error.code);
        throw e;
      }
      await this.failForGood(job, error);
      return this.d.uow.run((tx) => tx.mintJobStore.find(jobId));
    }
  }

  private async submitOrAdopt(job: MintJob): Promise<{ hash: string; adopted: boolean }> {
    const c = this.d.chain;
    const call = <T>(p: Promise<T>, what: string) => withTimeout(p, this.d.chainTimeoutMs, 'CHAIN.TIMEOUT', what);
    // What became of earlier attempts (this job's, and those of failed jobs of the same inspection)?
    const failedBefore = await this.d.uow.run((tx) =>
      tx.mintJobStore.list({ inspectionId: job.inspectionId, state: ['FAILED'] }, { page: 1, pageSize: 50 }),
    );
    const earlier = [job, ...failedBefore.items].filter((j) => j.pendingTxHash);
    for (const e of earlier) {
      const status = await call(c.txStatus(e.pendingTxHash as string), 'asking for a transaction');
      if (status.state !== 'unknown') {
        await this.markSubmitted(job, {
          hash: e.pendingTxHash as string,
          cbor: e.pendingTxCbor,
          inputs: e.pendingInputs,
        });
        return { hash: e.pendingTxHash as string, adopted: true };
      }
    }
    const existing = await call(c.assetMint(job.policyId, job.assetName), 'looking the asset up');
    if (existing) {
      await this.markSubmitted(job, { hash: existing.txHash, cbor: null, inputs: [] });
      return { hash: existing.txHash, adopted: true };
    }
    const wallet = await call(c.utxosAt(this.d.minter.walletAddress), 'listing the wallet');
    const unspent = new Set(wallet.map(ref));
    // An earlier transaction whose inputs are all unspent could still land: send that one again, never a second.
    const resendable = earlier.find(
      (e) => e.pendingTxCbor && e.pendingInputs.length > 0 && e.pendingInputs.every((i) => unspent.has(i)),
    );
    const tx = resendable
      ? {
          hash: resendable.pendingTxHash as string,
          cbor: resendable.pendingTxCbor as string,
          inputs: resendable.pendingInputs,
        }
      : await this.span('mint.build', job, () => this.build(job, wallet));
    // Committed before the submit: whatever happens next, the job knows what may be on chain.
    await this.markSubmitted(job, tx);
    try {
      await this.span('mint.submit', job, () => call(c.submit(tx.cbor), 'submitting the mint'));
    } catch (e) {
      // Busy inputs may be our own transaction, already accepted (a resubmit): then it is simply submitted.
      if (
        isDomainError(e) &&
        e.code === 'CHAIN.UTXO_BUSY' &&
        (await call(c.txStatus(tx.hash), 'asking for a transaction')).state !== 'unknown'
      )
        return { hash: tx.hash, adopted: true };
      throw e;
    }
    return { hash: tx.hash, adopted: false };
  }

  private span<T>(name: string, job: MintJob, fn: () => Promise<T>): Promise<T> {
    return (this.d.tracer ?? noTracer).inSpan(name, { mintJobId: job.id, inspectionId: job.inspectionId }, fn);
  }

  private async build(job: MintJob, wallet: Utxo[]): Promise<{ hash: string; cbor: string; inputs: string[] }> {
    const t0 = this.d.clock.now().getTime();
    const { inspection, reports } = await this.d.uow.run(async (tx) => ({
      inspection: await tx.inspections.findById(job.inspectionId),
      reports: await tx.reports.listForInspection(job.inspectionId),
    }));
    if (!inspection) throw InspectionErrors.notFound();
    const content = nftContentOf(inspection, reports, this.d.plates);
    const params = await withTimeout(
      this.d.chain.protocolParameters(),
      this.d.chainTimeoutMs,
      'CHAIN.TIMEOUT',
      'reading protocol parameters',
    );
    const needed = this.d.minter.lovelaceNeeded(params);
    // One ADA-only input per mint, smallest sufficient first (big ones stay for later; NFT outputs that
    // landed in the wallet are never swept into change).
    // Every worker tries refs in the same total order (lovelace, then ref): leases taken inside concurrent
    // transactions then never wait on each other in a cycle (no deadlock).
    const usable = wallet
      .filter((u) => Object.keys(u.assets).length === 0 && u.lovelace >= needed)
      .sort((a, b) =>
        a.lovelace < b.lovelace ? -1 : a.lovelace > b.lovelace ? 1 : ref(a) < ref(b) ? -1 : ref(a) > ref(b) ? 1 : 0,
      );
    if (usable.length === 0) {
      const total = wallet.reduce((s, u) => s + u.lovelace, 0n);
      if (total < needed) throw ChainErrors.insufficientFunds(needed, total);
      throw ChainErrors.fundsNotSplit(needed, total);
    }
    const now = this.d.clock.now();
    const until = new Date(now.getTime() + this.d.leaseSeconds * 1000);
    const taken = await this.d.uow.run(async (tx) => {
      const busy = await tx.utxoLeases.leased(now);
      return tx.utxoLeases.lease(
        usable.map(ref).filter((r) => !busy.has(r)),
        job.id,
        until,
        now,
        1,
      );
    });
    const input = usable.find((u) => ref(u) === taken[0]);
    if (!input) throw ChainErrors.utxoBusy(`all ${usable.length} spendable wallet UTxOs are leased by other mints`);
    const built = this.d.minter.build({ inspectionId: job.inspectionId, content, inputs: [input], params });
    await this.d.uow.run((tx) => tx.mintJobStore.saveMetadata(job.id, built.metadata, this.d.clock.now()));
    this.d.telemetry.stageCompleted(MINT_QUEUE_NAME, 'BUILD', (this.d.clock.now().getTime() - t0) / 1000);
    return { hash: built.txHash, cbor: built.txCborHex, inputs: built.inputs };
  }

  private async markSubmitted(
    job: MintJob,
    tx: { hash: string; cbor: string | null; inputs: string[] },
  ): Promise<void> {
    const ok = await this.d.uow.run((t) => t.mintJobStore.markSubmitted(job.id, tx, this.d.clock.now()));
    if (!ok) throw MintErrors.jobMoved();
  }

  private async failForGood(job: MintJob, error: { code: string; message: string }): Promise<void> {
    const now = this.d.clock.now();
    const failed = await this.d.uow.run(async (tx) => {
      if (!(await tx.mintJobStore.fail(job.id, error, true, now))) return null;
      await tx.utxoLeases.release(job.id);
      const inspection = await tx.inspections.findByIdForUpdate(job.inspectionId);
      if (inspection?.status === 'ARCHIVING') {
        await transitionInspection(tx, this.d.ids, {
          from: inspection,
          to: 'FAIL_ARCHIVE',
          by: { userId: null, role: 'SYSTEM' },
          reason: `${error.code}: ${error.message}`.slice(0, 500),
          now,
        });
      }
      await tx.audit.record(
        {
          actorId: null,
          action: 'ARCHIVE_FAILED',
          entity: 'inspection',
          entityId: job.inspectionId,
          metadata: { mintJobId: job.id, code: error.code, attempts: job.attempts },
        },
        now,
      );
      return { approvedAt: inspection?.approvedAt ?? job.createdAt };
    });
    if (failed) await announceMintFailure(this.d, job, error, failed.approvedAt);
  }
}
