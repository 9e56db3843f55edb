import { InspectionErrors } from '../../domain/inspection/inspection.js';
import { photosForVariant, type ReportVariant } from '../../domain/inspection/report.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import type { Clock } from '../../ports/clock.js';
import type { ByteSource, ObjectStorage } from '../../ports/object-storage.js';
import type { PhotoRepository } from '../../ports/photo-repository.js';
import type { RenderTokens } from '../../ports/render-tokens.js';
import type { PrintRenditions } from './print-renditions.js';
import { checkRenderToken } from './render-token.js';

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
    checkRenderToken(this.tokens, this.clock, token, inspectionId, variant);
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
