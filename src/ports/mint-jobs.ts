import type { MintJob, MintJobState, MintTrigger } from '../domain/archive/mint-job.js';
import type { Page, PageRequest } from '../domain/shared/pagination.js';
import type { WorkOrigin } from '../domain/shared/work-origin.js';

export interface MintJobFilter {
  state?: MintJobState[];
  inspectionId?: string;
}

export interface MintJobStats {
  byState: Record<string, number>;
  /** Age of the oldest QUEUED job, null when none waits. */
  oldestQueuedAgeSeconds: number | null;
  /** Age of the oldest SUBMITTED job (a mint waiting for confirmations). */
  oldestSubmittedAgeSeconds: number | null;
  failedByCode: Record<string, number>;
  /** Confirmed mints per block height over the recent ones (how many mints landed together). */
  maxMintsPerBlock: number | null;
}

/** Mint jobs and their states. Every move is guarded: a job never moves from a state it is not in (false is returned). */
export interface MintJobStore {
  /** The job, or null when there is none. */
  find(id: string): Promise<MintJob | null>;
  /** The newest job of an inspection (any state). */
  latestForInspection(inspectionId: string): Promise<MintJob | null>;
  /** CONFIRMED jobs of these inspections. */
  confirmedFor(inspectionIds: string[]): Promise<MintJob[]>;
  /** Newest first. */
  list(filter: MintJobFilter, page: PageRequest): Promise<Page<MintJob>>;
  /** SUBMITTED jobs, oldest submission first (the confirmation watcher's work list). */
  listSubmitted(limit: number): Promise<MintJob[]>;
  /** One more attempt on a QUEUED job (null when it is not QUEUED). */
  startAttempt(id: string, now: Date): Promise<MintJob | null>;
  /** Records the metadata the NFT will carry (QUEUED only). */
  saveMetadata(id: string, metadata: Record<string, unknown>, now: Date): Promise<void>;
  /**
   * QUEUED -> SUBMITTED with the transaction's hash, CBOR and inputs: written (and committed) before the
   * transaction is submitted, so a crash right after the submit still knows what was sent. (cbor is null
   * when an earlier mint of the asset was found on chain and is adopted instead.)
   */
  markSubmitted(id: string, tx: { hash: string; cbor: string | null; inputs: string[] }, now: Date): Promise<boolean>;
  /** Latest confirmation count seen by the watcher. */
  saveConfirmations(id: string, confirmations: number, now: Date): Promise<void>;
  /** SUBMITTED -> CONFIRMED: txHash and assetId written. False when the job was not SUBMITTED. */
  confirm(id: string, result: { txHash: string; assetId: string; confirmations: number }, now: Date): Promise<boolean>;
  /** SUBMITTED -> QUEUED (the transaction vanished or must be resubmitted); pendingTxHash is kept. */
  requeue(id: string, error: { code: string; message: string } | null, now: Date): Promise<boolean>;
  /** Records an error on an active job; FAILED when `final`, else it stays in its state for the retry. */
  fail(id: string, error: { code: string; message: string }, final: boolean, now: Date): Promise<boolean>;
  /** Queue figures for operators and /metrics: jobs per state, ages of the oldest QUEUED and SUBMITTED jobs, failures per code. */
  stats(now: Date): Promise<MintJobStats>;
}
export const MintJobStore = Symbol('MintJobStore');

/**
 * Where archiving asks for a mint. Called inside the archive's unit of work: the job row and the queue
 * message commit or roll back with the status change. At most one active (QUEUED or SUBMITTED) job per
 * inspection: a second one is ARCHIVE.ALREADY_IN_PROGRESS.
 */
export interface MintQueue {
  /**
   * Creates the QUEUED job and its queue message. The job keeps its `origin` (what asked for it); when the
   * caller gives none, the adapter records the current one (trace context and request id, as the composition
   * root lets it read them). Errors: ARCHIVE.ALREADY_IN_PROGRESS when the inspection has an active job.
   */
  enqueue(
    job: { inspectionId: string; trigger: MintTrigger; policyId: string; assetName: string; origin?: WorkOrigin },
    now: Date,
  ): Promise<MintJob>;
  /** Sends an existing QUEUED job to the workers again (a rebuild after its transaction vanished). */
  resend(jobId: string, inspectionId: string): Promise<void>;
}
export const MintQueue = Symbol('MintQueue');

/**
 * Leases on the wallet's UTxOs ("txHash#index") so that parallel mints from one wallet never pick the same
 * input. A lease expires by itself (a crashed worker does not keep inputs forever).
 */
export interface UtxoLeases {
  /**
   * Tries to lease each ref in order for `jobId` until `until`; returns the refs it got (free ones, expired
   * ones, or ones this job already holds). Atomic per ref: two jobs never both get one.
   */
  lease(refs: string[], jobId: string, until: Date, now: Date, max: number): Promise<string[]>;
  /** Gives back what a job holds (done, failed, or inputs it will not use). */
  release(jobId: string, refs?: string[]): Promise<void>;
  /** Refs currently leased (unexpired) by anyone. */
  leased(now: Date): Promise<Set<string>>;
}
export const UtxoLeases = Symbol('UtxoLeases');
