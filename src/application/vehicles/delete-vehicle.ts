import { VehicleErrors } from '../../domain/customer/vehicle.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { ObjectDeleter } from '../photos/object-deleter.js';
import { ownedOr404 } from './vehicle-helpers.js';

/**
 * Deletes the caller's vehicle and its photo objects (after the commit, through the deletion queue).
 * Refused with VEHICLE.IN_USE while an open inspection request (not DONE or CANCELLED) uses it; finished
 * requests keep their snapshot (class, price) and lose only the link (ON DELETE SET NULL).
 */
export class DeleteVehicle {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly deleter: ObjectDeleter,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, id: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const now = this.clock.now();
      const vehicle = await ownedOr404(tx, actor, id, true);
      const open = await tx.customerVehicles.countOpenRequests(id);
      if (open > 0) throw VehicleErrors.inUse(open);
      const photos = await tx.customerVehicles.listPhotos([id]);
      await tx.customerVehicles.delete(id);
      await tx.deletions.enqueue(
        photos.map((p) => ({ driver: p.storageDriver, key: p.storageKey })),
        now,
      );
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'VEHICLE_DELETED',
          entity: 'customer_vehicle',
          entityId: id,
          metadata: { plateNumber: vehicle.plateNumber, photos: photos.length },
        },
        now,
      );
    });
    await this.deleter.sweep();
  }
}
