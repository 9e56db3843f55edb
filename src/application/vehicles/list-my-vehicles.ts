import type { VehicleClass } from '../../domain/customer/vehicle-class.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { OwnedPhotoLinks } from '../photos/owned-photo-links.js';
import type { VehicleView } from './deps.js';
import { withPhotos } from './vehicle-helpers.js';

/** The caller's vehicles, newest first, optionally of one class. */
export class ListMyVehicles {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: OwnedPhotoLinks,
  ) {}

  async execute(
    actor: Actor,
    filter: { vehicleClass?: VehicleClass },
    page: Partial<PageRequest>,
  ): Promise<Page<VehicleView>> {
    return this.uow.run(async (tx) => {
      const p = await tx.customerVehicles.listOwned(actor.userId, filter, normalisePage(page));
      return { ...p, items: await withPhotos(tx, this.links, p.items) };
    });
  }
}
