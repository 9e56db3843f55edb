import type { InspectionPhoto } from '../../domain/inspection/photo.js';
import type { IsoDate } from '../../domain/inspection/pretty-id.js';
import type { InspectionStatus } from '../../domain/inspection/status.js';
import type { Clock } from '../../ports/clock.js';
import type { CustomerInspectionHistory, HistoryAccess } from '../../ports/customer-history.js';
import type { CustomerVehicleRepository } from '../../ports/customer-vehicles.js';
import type { InspectionRepository } from '../../ports/inspection-repository.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { PhotoRepository } from '../../ports/photo-repository.js';
import type { InspectionReports } from '../../ports/report-jobs.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { SignedUrl } from '../photos/photo-links.js';
import type { PrintRenditions } from '../reports/print-renditions.js';

export interface VehicleSummary {
  vehicleId: string | null;
  plateNumber: string;
  brand: string | null;
  model: string | null;
  year: number | null;
  vehicleClass: string | null;
}

/** One inspection of the customer's history (ListMyInspections). */
export interface HistoryItem {
  id: string;
  prettyId: string;
  status: InspectionStatus;
  access: HistoryAccess;
  inspectionDate: IsoDate;
  approvedAt: Date | null;
  archivedAt: Date | null;
  vehicle: VehicleSummary;
  /** Which report PDFs exist; customers download the no-docs one (documents removed). */
  reports: { full: boolean; noDocs: boolean };
  nftAssetId: string | null;
  blockchainTxHash: string | null;
}

/** A photo as a customer sees it: the rendition's type and size, no original file name or hash. */
export type CustomerPhotoView = Pick<InspectionPhoto, 'id' | 'label' | 'category' | 'needAttention' | 'sortOrder'> & {
  contentType: 'image/jpeg';
  sizeBytes: number;
} & SignedUrl;

/** What the customer history use cases need. */
export interface HistoryDeps {
  history: CustomerInspectionHistory;
  inspections: InspectionRepository;
  reports: InspectionReports;
  vehicles: CustomerVehicleRepository;
  photos: PhotoRepository;
  renditions: Pick<PrintRenditions, 'ensure'>;
  storage: ObjectStorage;
  urlTtlSeconds: number;
  uow: UnitOfWork;
  clock: Clock;
}
