import { DomainError } from '../shared/domain-error.js';
import type { ReportVariant } from '../inspection/report.js';

export const REPORT_JOB_STATES = ['QUEUED', 'RUNNING', 'DONE', 'FAILED'] as const;
export type ReportJobState = (typeof REPORT_JOB_STATES)[number];
/** Heavy work (RENDER: render, stamp, size control) is separate from I/O (STORE, IPFS) and bookkeeping (RECORD). */
export const REPORT_JOB_STAGES = ['RENDER', 'STORE', 'IPFS', 'RECORD', 'DONE'] as const;
export type ReportJobStage = (typeof REPORT_JOB_STAGES)[number];

export interface SizeStepRecord {
  step: string;
  sizeMB: number;
  scale?: number;
  preset?: string;
  accepted: boolean;
  note?: string;
}

/** What a stage produced for one variant; persisted so a retry resumes with it. */
export interface VariantArtifact {
  /** Key of the finished PDF in the worker's scratch store (between RENDER and STORE). */
  scratchKey: string;
  sha256: string;
  sizeBytes: number;
  pageCount: number;
  htmlSha256: string;
  imagesLoaded: number;
  renderAttempts: number;
  renderMs: number;
  renderTimings?: { loadMs: number; assetsMs: number; printMs: number };
  sizeBeforeMB: number;
  sizeAfterMB: number;
  rerendered: boolean;
  sizeSteps: SizeStepRecord[];
  storageKey?: string;
  /** CID of the PDF in IPFS (added and pinned at the IPFS stage). */
  ipfsCid?: string;
}

export interface ReportJob {
  id: string;
  inspectionId: string;
  priority: 'single' | 'bulk';
  state: ReportJobState;
  stage: ReportJobStage;
  attempts: number;
  lastError: string | null;
  lastErrorCode: string | null;
  artifacts: Partial<Record<ReportVariant, VariantArtifact>>;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface StoredReport {
  inspectionId: string;
  variant: ReportVariant;
  storageDriver: string;
  storageKey: string;
  sha256: string;
  sizeBytes: number;
  pageCount: number;
  htmlSha256: string;
  ipfsCid: string | null;
  pdfJobId: string | null;
  createdAt: Date;
}

/** Object key of a stored report: reports/{inspectionId}/{prettyId}-{variant}.pdf. */
/**
 * Failures that another attempt cannot fix: the input itself is wrong (an image that does not decode, so the
 * report page fails its image check even after the renderer's own retries; an inspection that is gone; a
 * validation error). The job fails at once with its cause and an alert; an operator re-runs it after fixing
 * the input. Everything else (network, timeouts, an unavailable dependency, the unexpected) is retried.
 */
export function isPermanentReportFailure(code: string): boolean {
  return (
    code === 'RENDER.QUALITY_GATE' ||
    code === 'PHOTO.UNREADABLE' ||
    code === 'INSPECTION.NOT_FOUND' ||
    code.startsWith('VALIDATION.')
  );
}

export const reportKey = (inspectionId: string, prettyId: string, variant: ReportVariant): string =>
  `reports/${inspectionId}/${prettyId}-${variant}.pdf`;

/** Errors of report pages (render tokens) and of re-running report jobs. */
export const ReportErrors = {
  tokenExpired: () => new DomainError('REPORT.TOKEN_EXPIRED', 'forbidden', 'This render token has expired.'),
  tokenInvalid: () =>
    new DomainError('REPORT.TOKEN_INVALID', 'forbidden', 'This render token is not valid for this report.'),
  jobNotFound: () => new DomainError('REPORT.JOB_NOT_FOUND', 'not_found', 'No such report job.'),
  jobRunning: () =>
    new DomainError('REPORT.JOB_RUNNING', 'conflict', 'The job is running; wait for it to finish or fail.'),
  jobDone: () =>
    new DomainError(
      'REPORT.JOB_DONE',
      'conflict',
      'The job is done; approve again (after a revert) to make new reports.',
    ),
};
