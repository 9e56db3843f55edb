import type { InspectionPhoto } from '../../domain/inspection/photo.js';
import { isPublicVariant } from '../../domain/inspection/report.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import type { CustomerPhotoView, HistoryDeps, HistoryItem } from './deps.js';
import { audit, loadVisible, ownVehicleOf, summary } from './history-helpers.js';

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

/** GET /me/inspections/{id}: the report detail with the vehicle; another customer's inspection is 404. */
export class GetMyInspection {
  constructor(private readonly d: HistoryDeps) {}

  async execute(customerId: string, id: string): Promise<HistoryDetail> {
    const { inspection: i, access } = await loadVisible(this.d, customerId, id);
    const reports = await this.d.reports.listForInspection(i.id);
    const photos = (await this.d.photos.listForInspection(i.id))
      .filter((p) => p.displayInPdf && !p.isDocument)
      .sort((a, b) => a.sortOrder - b.sortOrder);
    const own = await ownVehicleOf(this.d, customerId, i, access);
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
