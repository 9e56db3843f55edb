import { InspectionErrors } from '../../domain/inspection/inspection.js';
import { objectsOf } from '../../domain/inspection/photo.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { ObjectDeleter } from '../photos/object-deleter.js';

/**
 * Permanent deletion (SUPERADMIN). The rows go in one transaction that also records every stored object
 * as pending deletion; the objects are then deleted at once, and whatever fails is retried by the sweeper.
 */
export class DeleteInspection {
  constructor(private readonly uow: UnitOfWork, private readonly deleter: ObjectDeleter, private readonly clock: Clock) {}

  async execute(actor: Actor, id: string): Promise<{ objects: number }> {
    const objects = await this.uow.run(async (tx) => {
      const now = this.clock.now();
      const inspection = await tx.inspections.findByIdForUpdate(id);
      if (!inspection) throw InspectionErrors.notFound();
      const photos = await tx.photos.listForInspection(id);
      await tx.deletions.enqueue(photos.flatMap(objectsOf), now);
      await tx.inspections.delete(id);
      await tx.audit.record({ actorId: actor.userId, action: 'INSPECTION_DELETED', entity: 'inspection', entityId: id, metadata: { prettyId: inspection.prettyId, photos: photos.length } }, now);
      return photos.length;
    });
    await this.deleter.sweep();
    return { objects };
  }
}
