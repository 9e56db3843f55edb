import { PhotoErrors } from '../../domain/inspection/photo.js';
import type { Actor } from '../actor.js';
import type { PhotoDeps } from './deps.js';
import { editableInspection } from './inspection-photo-checks.js';
import type { PhotoView } from './photo-links.js';

/** Sets the display order; the list must contain exactly the inspection's photos. */
export class ReorderPhotos {
  constructor(private readonly d: PhotoDeps) {}

  async execute(actor: Actor, inspectionId: string, orderedIds: string[]): Promise<PhotoView[]> {
    const photos = await this.d.uow.run(async (tx) => {
      const now = this.d.clock.now();
      await editableInspection(tx, actor, inspectionId);
      const existing = (await tx.photos.listForInspection(inspectionId)).map((p) => p.id).sort();
      const given = [...orderedIds].sort();
      if (new Set(orderedIds).size !== orderedIds.length || JSON.stringify(existing) !== JSON.stringify(given)) {
        throw PhotoErrors.orderMismatch();
      }
      await tx.photos.reorder(inspectionId, orderedIds, now);
      await tx.audit.record(
        { actorId: actor.userId, action: 'PHOTOS_REORDERED', entity: 'inspection', entityId: inspectionId },
        now,
      );
      return tx.photos.listForInspection(inspectionId);
    });
    return this.d.links.views(photos);
  }
}
