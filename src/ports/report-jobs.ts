import type { ReportVariant } from '../domain/inspection/report.js';
import type {
  ReportJob,
  ReportJobStage,
  ReportJobState,
  StoredReport,
  VariantArtifact,
} from '../domain/report/report-job.js';
import type { Page, PageRequest } from '../domain/shared/pagination.js';

export interface ReportJobFilter {
  state?: ReportJobState[];
  stage?: ReportJobStage[];
  inspectionId?: string;
}

/** Report jobs: each job's state, stage, attempts, last error and artifacts. */
export interface ReportJobStore {
  /** The job, or null when there is none. */
  find(id: string): Promise<ReportJob | null>;
  /** Newest first. */
  list(filter: ReportJobFilter, page: PageRequest): Promise<Page<ReportJob>>;
  /** RUNNING, one more attempt, startedAt set (first time only); a DONE job is returned unchanged (a re-delivery). */
  markRunning(id: string, now: Date): Promise<ReportJob | null>;
  /** Persists the stage reached and the artifacts so far. */
  saveProgress(
    id: string,
    stage: ReportJobStage,
    artifacts: Partial<Record<ReportVariant, VariantArtifact>>,
    now: Date,
  ): Promise<void>;
  /** Records an error; FAILED when `final`, else back to QUEUED for the retry. */
  fail(id: string, error: { code: string; message: string }, final: boolean, now: Date): Promise<void>;
  /** DONE at stage DONE, error cleared, finishedAt set. */
  complete(id: string, now: Date): Promise<void>;
  /** An operator's re-run: QUEUED again at the same stage (artifacts kept), error cleared. */
  requeue(id: string, now: Date): Promise<ReportJob | null>;
  /** Queue figures for operators: counts per state and stage, the oldest waiting job, failures per error code. */
  stats(now: Date): Promise<ReportJobStats>;
}

export interface ReportJobStats {
  byState: Record<string, number>;
  byStage: Record<string, number>;
  oldestQueuedAgeSeconds: number | null;
  failedByCode: Record<string, number>;
  /** Average render time per report variant over finished jobs (ms), null when none. */
  averageRenderMs: number | null;
}
export const ReportJobStore = Symbol('ReportJobStore');

export interface InspectionReports {
  /** Inserts or replaces the stored report of a variant. */
  upsert(report: StoredReport): Promise<void>;
  /** The stored reports of an inspection, one per variant, by variant name. */
  listForInspection(inspectionId: string): Promise<StoredReport[]>;
  /** Reports whose PDF has this SHA-256 (lowercase hex); verification looks files up here. */
  findBySha256(sha256: string): Promise<StoredReport[]>;
  /** Reports that name this IPFS CID (the public archive decides from them whether a CID is still published). */
  findByCid(cid: string): Promise<StoredReport[]>;
  /**
   * Reports of private variants (not PUBLIC_VARIANT) that still name an IPFS CID, by inspection id after
   * `afterInspectionId` (the reports of the time when both variants went to IPFS).
   */
  listPrivateWithCid(afterInspectionId: string | null, limit: number): Promise<StoredReport[]>;
  /** Forgets the CID of one report when it is still `cid`; false when it was not. */
  clearCid(inspectionId: string, variant: ReportVariant, cid: string): Promise<boolean>;
}
export const InspectionReports = Symbol('InspectionReports');
