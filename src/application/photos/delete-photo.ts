import { InspectionErrors } from '../../domain/inspection/inspection.js';
import { objectsOf } from '../../domain/inspection/photo.js';
import type { Actor } from '../actor.js';
import type { PhotoDeps } from './deps.js';
import { editableInspection } from './inspection-photo-checks.js';

/** Deletes a photo record; its object is deleted right after (or later by the sweeper). */
export class DeletePhoto {
  constructor(private readonly d: PhotoDeps) {}

  async execute(actor: Actor, inspectionId: string, photoId: string): Promise<void> {
    await this.d.uow.run(async (tx) => {
      const now = this.d.clock.now();
      await editableInspection(tx, actor, inspectionId);
      const photo = await tx.photos.findById(photoId);
      if (!photo || photo.inspectionId !== inspectionId) throw InspectionErrors.photoNotFound();
      await tx.photos.delete(photoId);
      await tx.deletions.enqueue(objectsOf(photo), now);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'PHOTO_DELETED',
          entity: 'photo',
          entityId: photoId,
          metadata: { inspectionId },
        },
        now,
      );
    });
    await this.d.deleter.sweep();
  }
}
