import { normaliseVehicleFields, type CustomerVehicle, type VehiclePatch } from '../../domain/customer/vehicle.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { OwnedPhotoLinks } from '../photos/owned-photo-links.js';
import type { VehicleView } from './deps.js';
import { ownedOr404, viewOf } from './vehicle-helpers.js';

/** Changes fields of the caller's vehicle; a new plate is normalised and re-checked for uniqueness. */
export class UpdateVehicle {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: OwnedPhotoLinks,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, id: string, input: VehiclePatch): Promise<VehicleView> {
    const patch = normaliseVehicleFields(input, this.clock.now());
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      await ownedOr404(tx, actor, id, true);
      const vehicle = (await tx.customerVehicles.update(id, patch, now)) as CustomerVehicle;
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'VEHICLE_UPDATED',
          entity: 'customer_vehicle',
          entityId: id,
          metadata: { fields: Object.keys(patch).sort() },
        },
        now,
      );
      return viewOf(tx, this.links, vehicle);
    });
  }
}
