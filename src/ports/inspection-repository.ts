import type { InspectionForm } from '../domain/inspection/change-log.js';
import type { Inspection, StatusChange } from '../domain/inspection/inspection.js';
import type { IsoDate } from '../domain/inspection/pretty-id.js';
import type { InspectionStatus } from '../domain/inspection/status.js';
import type { Page, PageRequest } from '../domain/shared/pagination.js';

export type NewInspection = Omit<
  Inspection,
  'status' | 'reviewerId' | 'approvedAt' | 'nftAssetId' | 'blockchainTxHash' | 'archivedAt' | 'createdAt' | 'updatedAt'
>;

export type InspectionPatch = Partial<
  Pick<
    Inspection,
    | 'status'
    | 'reviewerId'
    | 'approvedAt'
    | 'plateNumber'
    | 'inspectionDate'
    | 'overallRating'
    | 'customerUserId'
    | 'customerVehicleId'
    | 'nftAssetId'
    | 'blockchainTxHash'
    | 'archivedAt'
  > &
    InspectionForm
>;

export interface InspectionFilter {
  status?: InspectionStatus[];
  branchCityId?: string;
  inspectorId?: string;
  /** Inclusive range of inspection dates. */
  dateFrom?: IsoDate;
  dateTo?: IsoDate;
  /** Matches the plate ignoring spaces and case. */
  plate?: string;
  /** Full-text (prefix) search over pretty id, plate, vehicle make/model, customer and inspector names. */
  keyword?: string;
}

export interface InspectionRepository {
  /** Stores a new inspection in NEED_REVIEW. */
  create(inspection: NewInspection, now: Date): Promise<Inspection>;
  /** The inspection, or null when there is none (callers decide whether that is 404). */
  findById(id: string): Promise<Inspection | null>;
  /** Same, locking the row for the rest of the unit of work (status changes serialise on it). */
  findByIdForUpdate(id: string): Promise<Inspection | null>;
  /** By human id (e.g. YOG-01052025-001, exact match), or null. */
  findByPrettyId(prettyId: string): Promise<Inspection | null>;
  /** Newest inspection date first, then newest created. */
  list(filter: InspectionFilter, page: PageRequest): Promise<Page<Inspection>>;
  /** Applies the patch; null when missing. */
  update(id: string, patch: InspectionPatch, now: Date): Promise<Inspection | null>;
  /** Deletes the inspection and everything owned by it (change log, photo records, status history, report jobs, reports, mint jobs); false when missing. */
  delete(id: string): Promise<boolean>;
  /**
   * The next number of the per-(branch, inspection date) sequence, taken atomically under a row lock:
   * concurrent callers never get the same number.
   */
  nextSequence(branchCityId: string, inspectionDate: IsoDate): Promise<number>;
  /** Appends a row to the inspection's status history (the caller writes it in the same unit of work as the change). */
  recordStatusChange(change: StatusChange): Promise<void>;
  /** Oldest first. */
  statusHistory(inspectionId: string): Promise<StatusChange[]>;
}

export const InspectionRepository = Symbol('InspectionRepository');
