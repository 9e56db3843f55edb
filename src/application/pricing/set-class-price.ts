import { throwIfInvalid } from '../../domain/identity/user.js';
import {
  checkEffectiveFrom,
  validatePriceIdr,
  type ClassPrice,
  type VehicleClass,
} from '../../domain/customer/vehicle-class.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

export interface SetClassPriceInput {
  vehicleClass: VehicleClass;
  priceIdr: number;
  /** Default: now. May be in the future (a scheduled change), never in the past. */
  effectiveFrom?: Date;
  note?: string | null;
}

/**
 * Adds a price of a class from `effectiveFrom` on (default now; future-dated prices wait their turn). The
 * history is never rewritten: a price cannot start in the past, and a second price with the same start is
 * PRICE.DUPLICATE. Requests already created keep the price they snapshotted.
 */
export class SetClassPrice {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor | null, input: SetClassPriceInput): Promise<ClassPrice> {
    const now = this.clock.now();
    throwIfInvalid([validatePriceIdr(input.priceIdr)]);
    const effectiveFrom = input.effectiveFrom ?? now;
    checkEffectiveFrom(effectiveFrom, now);
    const note = input.note?.trim() ? input.note.trim() : null;
    return this.uow.run(async (tx) => {
      const price = await tx.classPrices.add(
        {
          id: this.ids.next(),
          vehicleClass: input.vehicleClass,
          priceIdr: input.priceIdr,
          effectiveFrom,
          createdBy: actor?.userId ?? null,
          note,
        },
        now,
      );
      await tx.audit.record(
        {
          actorId: actor?.userId ?? null,
          action: 'CLASS_PRICE_SET',
          entity: 'vehicle_class_price',
          entityId: price.id,
          metadata: {
            vehicleClass: price.vehicleClass,
            priceIdr: price.priceIdr,
            effectiveFrom: price.effectiveFrom.toISOString(),
          },
        },
        now,
      );
      return price;
    });
  }
}
