import { InspectionErrors } from '../../domain/inspection/inspection.js';
import type { InspectionPhoto, PhotoMetadata } from '../../domain/inspection/photo.js';
import type { Actor } from '../actor.js';
import type { PhotoDeps } from './deps.js';
import { editableInspection } from './inspection-photo-checks.js';
import type { PhotoView } from './photo-links.js';

/** Changes label, category and flags of a photo. */
export class UpdatePhotoMetadata {
  constructor(private readonly d: PhotoDeps) {}

  async execute(
    actor: Actor,
    inspectionId: string,
    photoId: string,
    patch: Partial<PhotoMetadata>,
  ): Promise<PhotoView> {
    const photo = await this.d.uow.run(async (tx) => {
      const now = this.d.clock.now();
      await editableInspection(tx, actor, inspectionId);
      const current = await tx.photos.findById(photoId);
      if (!current || current.inspectionId !== inspectionId) throw InspectionErrors.photoNotFound();
      const updated = (await tx.photos.updateMetadata(photoId, patch, now)) as InspectionPhoto;
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'PHOTO_UPDATED',
          entity: 'photo',
          entityId: photoId,
          metadata: { fields: Object.keys(patch) },
        },
        now,
      );
      return updated;
    });
    return this.d.links.view(photo);
  }
}
