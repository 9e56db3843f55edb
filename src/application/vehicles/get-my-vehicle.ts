import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { OwnedPhotoLinks } from '../photos/owned-photo-links.js';
import type { VehicleView } from './deps.js';
import { ownedOr404, viewOf } from './vehicle-helpers.js';

/** One of the caller's vehicles; another customer's is VEHICLE.NOT_FOUND. */
export class GetMyVehicle {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: OwnedPhotoLinks,
  ) {}

  async execute(actor: Actor, id: string): Promise<VehicleView> {
    return this.uow.run(async (tx) => viewOf(tx, this.links, await ownedOr404(tx, actor, id)));
  }
}
