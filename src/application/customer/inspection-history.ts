import type { Inspection } from '../../domain/inspection/inspection.js';
import { InspectionErrors } from '../../domain/inspection/inspection.js';
import type { InspectionStatus } from '../../domain/inspection/status.js';
import type { IsoDate } from '../../domain/inspection/pretty-id.js';
import type { StoredReport } from '../../domain/report/report-job.js';
import { HistoryErrors } from '../../domain/customer/customer-errors.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { Clock } from '../../ports/clock.js';
import type { CustomerInspectionHistory, HistoryAccess, HistoryFilter } from '../../ports/customer-history.js';
import type { CustomerVehicleRepository } from '../../ports/customer-vehicles.js';
import type { InspectionRepository } from '../../ports/inspection-repository.js';
import type { ByteSource, ObjectStorage } from '../../ports/object-storage.js';
import type { PhotoRepository } from '../../ports/photo-repository.js';
import type { InspectionReports } from '../../ports/report-jobs.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { SignedUrl } from '../photos/photo-links.js';
import type { PrintRenditions } from '../reports/print-renditions.js';
import type { InspectionPhoto } from '../../domain/inspection/photo.js';
import { isPublicVariant } from '../../domain/inspection/report.js';
import { isDomainError } from '../../domain/shared/domain-error.js';

export interface VehicleSummary {
  vehicleId: string | null;
  plateNumber: string;
  brand: string | null;
  model: string | null;
  year: number | null;
  vehicleClass: string | null;
}

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

export interface HistoryDetail extends HistoryItem {
  overallRating: number | null;
  /** The inspection form; identity details (names) only for the owner, not for an unlocked report. */
  identityDetails: Record<string, unknown> | null;
  vehicleData: Record<string, unknown>;
  equipmentChecklist: Record<string, unknown>;
  inspectionSummary: Record<string, unknown>;
  detailedAssessment: Record<string, unknown>;
  bodyPaintThickness: Record<string, unknown>;
  /**
   * Photos printed in the no-docs report (never document photos). The signed URL serves the print rendition
   * (JPEG, metadata removed: no EXIF, no GPS), never the original a staff member sees.
   */
  photos: CustomerPhotoView[];
  reportFiles: Array<{ variant: string; sha256: string; sizeBytes: number; pageCount: number; ipfsCid: string | null }>;
  /** The customer's own vehicle record when the inspection is linked to it. */
  customerVehicle: Record<string, unknown> | null;
}

/** A photo as a customer sees it: the rendition's type and size, no original file name or hash. */
export type CustomerPhotoView = Pick<InspectionPhoto, 'id' | 'label' | 'category' | 'needAttention' | 'sortOrder'> & {
  contentType: 'image/jpeg';
  sizeBytes: number;
} & SignedUrl;

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

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

async function summary(
  d: HistoryDeps,
  customerId: string,
  i: Inspection,
  access: HistoryAccess,
  reports: StoredReport[],
): Promise<HistoryItem> {
  const own =
    i.customerVehicleId && access === 'OWNER' ? await d.vehicles.findOwned(customerId, i.customerVehicleId) : null;
  const v = i.vehicleData ?? {};
  return {
    id: i.id,
    prettyId: i.prettyId,
    status: i.status,
    access,
    inspectionDate: i.inspectionDate,
    approvedAt: i.approvedAt,
    archivedAt: i.archivedAt,
    vehicle: {
      vehicleId: own?.id ?? null,
      plateNumber: own?.plateNumber ?? i.plateNumber,
      brand: own?.brand ?? text(v.merekKendaraan),
      model: own?.model ?? text(v.tipeKendaraan),
      year: own?.year ?? (typeof v.tahun === 'number' ? v.tahun : null),
      vehicleClass: own?.vehicleClass ?? null,
    },
    reports: { full: reports.some((r) => r.variant === 'full'), noDocs: reports.some((r) => r.variant === 'no-docs') },
    nftAssetId: i.nftAssetId,
    blockchainTxHash: i.blockchainTxHash,
  };
}

const audit = (
  d: HistoryDeps,
  customerId: string,
  action: 'VIEW_LIST' | 'VIEW_DETAIL' | 'DOWNLOAD',
  entityId: string | null,
  metadata: Record<string, unknown>,
) =>
  d.uow.run((tx) =>
    tx.audit.record({ actorId: customerId, action, entity: 'inspection', entityId, metadata }, d.clock.now()),
  );

/** GET /me/inspections: the customer's inspection history. */
export class ListMyInspections {
  constructor(private readonly d: HistoryDeps) {}

  async execute(customerId: string, filter: HistoryFilter, page: Partial<PageRequest>): Promise<Page<HistoryItem>> {
    if (filter.dateFrom && filter.dateTo && filter.dateFrom > filter.dateTo) {
      throw HistoryErrors.invalidRange();
    }
    const entries = await this.d.history.list(customerId, filter, normalisePage(page));
    const items: HistoryItem[] = [];
    for (const e of entries.items) {
      const i = await this.d.inspections.findById(e.inspectionId);
      if (i) items.push(await summary(this.d, customerId, i, e.access, await this.d.reports.listForInspection(i.id)));
    }
    await audit(this.d, customerId, 'VIEW_LIST', null, { filter, page: entries.page, total: entries.total });
    return { ...entries, items };
  }
}

async function loadVisible(
  d: HistoryDeps,
  customerId: string,
  id: string,
): Promise<{ inspection: Inspection; access: HistoryAccess }> {
  const access = await d.history.accessTo(customerId, id);
  const inspection = access ? await d.inspections.findById(id) : null;
  if (!access || !inspection) throw InspectionErrors.notFound();
  return { inspection, access };
}

/** GET /me/inspections/{id}: the report detail with the vehicle; another customer's inspection is 404. */
export class GetMyInspection {
  constructor(private readonly d: HistoryDeps) {}

  async execute(customerId: string, id: string): Promise<HistoryDetail> {
    const { inspection: i, access } = await loadVisible(this.d, customerId, id);
    const reports = await this.d.reports.listForInspection(i.id);
    const photos = (await this.d.photos.listForInspection(i.id))
      .filter((p) => p.displayInPdf && !p.isDocument)
      .sort((a, b) => a.sortOrder - b.sortOrder);
    const own =
      i.customerVehicleId && access === 'OWNER'
        ? await this.d.vehicles.findOwned(customerId, i.customerVehicleId)
        : null;
    const detail: HistoryDetail = {
      ...(await summary(this.d, customerId, i, access, reports)),
      overallRating: i.overallRating,
      identityDetails: access === 'OWNER' ? i.identityDetails : null,
      vehicleData: i.vehicleData,
      equipmentChecklist: i.equipmentChecklist,
      inspectionSummary: i.inspectionSummary,
      detailedAssessment: i.detailedAssessment,
      bodyPaintThickness: i.bodyPaintThickness,
      photos: await customerPhotoViews(this.d, photos),
      // The full variant (with the registration documents) exists for the owner only; an unlocked report is
      // the public variant.
      reportFiles: reports
        .filter((r) => access === 'OWNER' || isPublicVariant(r.variant))
        .map((r) => ({
          variant: r.variant,
          sha256: r.sha256,
          sizeBytes: r.sizeBytes,
          pageCount: r.pageCount,
          ipfsCid: r.ipfsCid ?? null,
        })),
      customerVehicle: own ? { ...own } : null,
    };
    await audit(this.d, customerId, 'VIEW_DETAIL', i.id, { access });
    return detail;
  }
}

/** Signed URLs of the photos' print renditions (made when missing); a photo that cannot be decoded is left out. */
async function customerPhotoViews(d: HistoryDeps, photos: InspectionPhoto[]): Promise<CustomerPhotoView[]> {
  const views: CustomerPhotoView[] = [];
  for (const p of photos) {
    let rendition: { key: string; size: number };
    try {
      rendition = await d.renditions.ensure(p);
    } catch (e) {
      if (isDomainError(e) && e.code === 'PHOTO.UNREADABLE') continue;
      throw e;
    }
    const url = await d.storage.signedGetUrl(rendition.key, d.urlTtlSeconds);
    views.push({
      id: p.id,
      label: p.label,
      category: p.category,
      needAttention: p.needAttention,
      sortOrder: p.sortOrder,
      contentType: 'image/jpeg',
      sizeBytes: rendition.size,
      url,
      urlExpiresAt: new Date(d.clock.now().getTime() + d.urlTtlSeconds * 1000),
    });
  }
  return views;
}

/** GET /me/inspections/{id}/no-docs: the no-docs PDF (documents removed) for the owner or an unlocked report. */
export class DownloadMyReport {
  constructor(private readonly d: HistoryDeps) {}

  async execute(
    customerId: string,
    id: string,
  ): Promise<{ fileName: string; size: number; sha256: string; open: () => Promise<ByteSource> }> {
    const { inspection: i, access } = await loadVisible(this.d, customerId, id);
    const report = (await this.d.reports.listForInspection(i.id)).find((r) => r.variant === 'no-docs');
    if (!report) throw HistoryErrors.reportNotReady();
    await audit(this.d, customerId, 'DOWNLOAD', i.id, { variant: 'no-docs', access, sha256: report.sha256 });
    return {
      fileName: `${i.prettyId}.pdf`,
      size: report.sizeBytes,
      sha256: report.sha256,
      open: () => this.d.storage.get(report.storageKey),
    };
  }
}
