import { InspectionErrors, type Inspection } from '../../domain/inspection/inspection.js';
import type { InspectionPhoto } from '../../domain/inspection/photo.js';
import { identityForVariant, photosForVariant, type ReportVariant } from '../../domain/inspection/report.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import { ReportErrors } from '../../domain/report/report-job.js';
import type { PrintRenditions } from './print-renditions.js';
import type { BranchCityRepository } from '../../ports/branch-city-repository.js';
import type { Clock } from '../../ports/clock.js';
import type { InspectionRepository } from '../../ports/inspection-repository.js';
import type { ByteSource, ObjectStorage } from '../../ports/object-storage.js';
import type { PhotoRepository } from '../../ports/photo-repository.js';
import type { RenderTokens } from '../../ports/render-tokens.js';
import type { UserRepository } from '../../ports/user-repository.js';

export interface ReportModel {
  variant: ReportVariant;
  inspection: Inspection;
  branch: { code: string; name: string };
  inspectorName: string;
  reviewerName: string | null;
  photos: InspectionPhoto[];
}

function checkToken(tokens: RenderTokens, clock: Clock, token: string, id: string, variant: ReportVariant): void {
  const verdict = tokens.verify(token, id, variant, clock.now());
  if (verdict === 'expired') throw ReportErrors.tokenExpired();
  if (verdict !== 'ok') throw ReportErrors.tokenInvalid();
}

/** Everything the report page of one variant shows; read with a render token, not a user session. */
export class GetReportModel {
  constructor(
    private readonly tokens: RenderTokens,
    private readonly clock: Clock,
    private readonly inspections: InspectionRepository,
    private readonly photos: PhotoRepository,
    private readonly users: UserRepository,
    private readonly branches: BranchCityRepository,
  ) {}

  async execute(inspectionId: string, variant: ReportVariant, token: string): Promise<ReportModel> {
    checkToken(this.tokens, this.clock, token, inspectionId, variant);
    const inspection = await this.inspections.findById(inspectionId);
    if (!inspection) throw InspectionErrors.notFound();
    const [photos, branch, inspector, reviewer] = await Promise.all([
      this.photos.listForInspection(inspectionId),
      this.branches.findById(inspection.branchCityId),
      this.users.findById(inspection.inspectorId),
      inspection.reviewerId ? this.users.findById(inspection.reviewerId) : Promise.resolve(null),
    ]);
    return {
      variant,
      // The public variant never sees the customer's identity fields (an allow-list, not a deny-list).
      inspection: { ...inspection, identityDetails: identityForVariant(inspection.identityDetails ?? {}, variant) },
      branch: { code: branch?.code ?? '', name: branch?.name ?? '' },
      inspectorName: inspector?.name ?? '',
      reviewerName: reviewer?.name ?? null,
      photos: photosForVariant(photos, variant),
    };
  }
}

/**
 * The print rendition of one photo of a report variant (a document photo is never served for "no-docs").
 * When the photo cannot be decoded, its original is served and the page's image check decides.
 */
export class GetReportPhoto {
  constructor(
    private readonly tokens: RenderTokens,
    private readonly clock: Clock,
    private readonly photos: PhotoRepository,
    private readonly storage: ObjectStorage,
    private readonly renditions: PrintRenditions,
  ) {}

  async execute(
    inspectionId: string,
    variant: ReportVariant,
    photoId: string,
    token: string,
  ): Promise<{ contentType: string; size: number; body: ByteSource }> {
    checkToken(this.tokens, this.clock, token, inspectionId, variant);
    const photo = await this.photos.findById(photoId);
    if (!photo || photo.inspectionId !== inspectionId || photosForVariant([photo], variant).length === 0)
      throw InspectionErrors.photoNotFound();
    try {
      return await this.renditions.open(photo);
    } catch (e) {
      if (!(isDomainError(e) && e.code === 'PHOTO.UNREADABLE')) throw e;
      return { contentType: photo.contentType, size: photo.sizeBytes, body: await this.storage.get(photo.storageKey) };
    }
  }
}
