import { DomainError } from '../shared/domain-error.js';
import type { WorkOrigin } from '../shared/work-origin.js';

/**
 * QUEUED -> SUBMITTED (the transaction's hash is saved as pendingTxHash before it is submitted) ->
 * CONFIRMED (after MINT_CONFIRMATIONS blocks; only then are txHash and assetId written) or FAILED.
 * A SUBMITTED job whose transaction vanished goes back to QUEUED to be rebuilt (pendingTxHash kept, so the
 * rebuild first finds out what became of it).
 */
export const MINT_JOB_STATES = ['QUEUED', 'SUBMITTED', 'CONFIRMED', 'FAILED'] as const;
export type MintJobState = (typeof MINT_JOB_STATES)[number];
export const ACTIVE_MINT_STATES: readonly MintJobState[] = ['QUEUED', 'SUBMITTED'];

export type MintTrigger = 'manual' | 'auto';

export interface MintJob {
  id: string;
  inspectionId: string;
  state: MintJobState;
  trigger: MintTrigger;
  attempts: number;
  /** Policy id + asset name (hex), known from the inspection id before anything is built. */
  policyId: string;
  assetName: string;
  /** The last transaction built for this job: its hash, CBOR and the inputs it spends ("txHash#index"). */
  pendingTxHash: string | null;
  pendingTxCbor: string | null;
  pendingInputs: string[];
  /** Final: set only once CONFIRMED. */
  txHash: string | null;
  assetId: string | null;
  /** The CIP-25 metadata the NFT carries (as minted). */
  metadata: Record<string, unknown> | null;
  confirmations: number;
  lastError: string | null;
  lastErrorCode: string | null;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  confirmedAt: Date | null;
  finishedAt: Date | null;
  /**
   * What asked for the mint (the trace context and request id current when the job was created), so the
   * confirmation watcher's span and audit rows join the approval's trace and request. Absent when unknown.
   */
  origin?: WorkOrigin;
}

export const MintErrors = {
  alreadyActive: () =>
    new DomainError('ARCHIVE.ALREADY_IN_PROGRESS', 'conflict', 'This inspection already has a mint in progress.'),
  reportsMissing: () =>
    new DomainError(
      'ARCHIVE.REPORTS_MISSING',
      'conflict',
      'The inspection has no finished report PDFs with IPFS CIDs yet; archive it once its report job is done.',
    ),
  jobNotFound: () => new DomainError('ARCHIVE.JOB_NOT_FOUND', 'not_found', 'No such mint job.'),
  jobMoved: () =>
    new DomainError('ARCHIVE.JOB_MOVED', 'conflict', 'The mint job changed state while it was being processed.'),
  notRetryable: (state: MintJobState) =>
    new DomainError(
      'ARCHIVE.NOT_RETRYABLE',
      'conflict',
      `A mint job in state ${state} cannot be re-run; only FAILED ones can.`,
    ),
};

/**
 * Retryable errors are those of kind "unavailable" (provider down, timeouts, busy inputs); everything else
 * (a ledger rejection, missing funds, missing reports) is fatal. Decided by the error's type and code,
 * never by its message.
 */
export const isRetryable = (e: unknown): boolean => e instanceof DomainError && e.kind === 'unavailable';
