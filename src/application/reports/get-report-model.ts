import { InspectionErrors, type Inspection } from '../../domain/inspection/inspection.js';
import type { InspectionPhoto } from '../../domain/inspection/photo.js';
import { identityForVariant, photosForVariant, type ReportVariant } from '../../domain/inspection/report.js';
import type { BranchCityRepository } from '../../ports/branch-city-repository.js';
import type { Clock } from '../../ports/clock.js';
import type { InspectionRepository } from '../../ports/inspection-repository.js';
import type { PhotoRepository } from '../../ports/photo-repository.js';
import type { RenderTokens } from '../../ports/render-tokens.js';
import type { UserRepository } from '../../ports/user-repository.js';
import { checkRenderToken } from './render-token.js';

export interface ReportModel {
  variant: ReportVariant;
  inspection: Inspection;
  branch: { code: string; name: string };
  inspectorName: string;
  reviewerName: string | null;
  photos: InspectionPhoto[];
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
    checkRenderToken(this.tokens, this.clock, token, inspectionId, variant);
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
