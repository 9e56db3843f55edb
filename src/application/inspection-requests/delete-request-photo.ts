import { InspectionErrors } from '../../domain/inspection/inspection.js';
import type { Actor } from '../actor.js';
import { REQUEST_ENTITY, type RequestPhotoDeps } from './deps.js';
import { assertNotFinal, loadForUpdate } from './request-helpers.js';

/**
 * Removes one attachment from the customer's own request while it is not DONE or CANCELLED. The record
 * goes in the transaction, with the object queued for deletion (on the store the row recorded) and an
 * audit row; the object is deleted right after, or by the sweeper when storage fails.
 */
export class DeleteRequestPhoto {
  constructor(private readonly d: Pick<RequestPhotoDeps, 'uow' | 'clock' | 'deleter'>) {}

  async execute(actor: Actor, requestId: string, photoId: string): Promise<void> {
    await this.d.uow.run(async (tx) => {
      const now = this.d.clock.now();
      const r = await loadForUpdate(tx, requestId, actor.userId);
      assertNotFinal(r);
      const photo = await tx.inspectionRequests.deletePhoto(requestId, photoId);
      if (!photo) throw InspectionErrors.photoNotFound();
      await tx.deletions.enqueue([{ driver: photo.storageDriver, key: photo.storageKey }], now);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'UPDATE',
          entity: REQUEST_ENTITY,
          entityId: requestId,
          metadata: { photoRemoved: photoId, type: photo.type },
        },
        now,
      );
    });
    await this.d.deleter.sweep();
  }
}
