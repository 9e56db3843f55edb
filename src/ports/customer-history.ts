import type { InspectionStatus } from '../domain/inspection/status.js';
import type { IsoDate } from '../domain/inspection/pretty-id.js';
import type { Page, PageRequest } from '../domain/shared/pagination.js';

/** Why a customer may see an inspection. */
export type HistoryAccess = 'OWNER' | 'UNLOCKED';

export interface HistoryFilter {
  status?: InspectionStatus[];
  /** Inclusive range of inspection dates. */
  dateFrom?: IsoDate;
  dateTo?: IsoDate;
}

export interface HistoryEntry {
  inspectionId: string;
  access: HistoryAccess;
}

/**
 * The customer's inspection history (a read model): the inspections of their own vehicles — the inspection's
 * owner field, its vehicle link, or a request of theirs that resulted in it — and the reports they unlocked
 * with credits. Owner access wins over an unlock.
 */
export interface CustomerInspectionHistory {
  /** Newest inspection date first, then newest created. */
  list(customerId: string, filter: HistoryFilter, page: PageRequest): Promise<Page<HistoryEntry>>;
  /** How the customer may see this inspection, or null (not theirs: callers answer 404). */
  accessTo(customerId: string, inspectionId: string): Promise<HistoryAccess | null>;
}
export const CustomerInspectionHistory = Symbol('CustomerInspectionHistory');
