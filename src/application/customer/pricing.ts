import { throwIfInvalid } from '../../domain/identity/user.js';
import {
  checkEffectiveFrom,
  PriceErrors,
  validatePriceIdr,
  VEHICLE_CLASSES,
  type ClassPrice,
  type VehicleClass,
} from '../../domain/customer/vehicle.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

/** What an inspection of a class costs now. */
export interface Quote {
  vehicleClass: VehicleClass;
  priceIdr: number;
  currency: 'IDR';
  priceId: string;
  effectiveFrom: Date;
  quotedAt: Date;
}

/** A class with the price in force now (null when none was ever set or only future prices exist). */
export interface VehicleClassInfo {
  vehicleClass: VehicleClass;
  priceIdr: number | null;
  priceId: string | null;
  effectiveFrom: Date | null;
}

export interface SetClassPriceInput {
  vehicleClass: VehicleClass;
  priceIdr: number;
  /** Default: now. May be in the future (a scheduled change), never in the past. */
  effectiveFrom?: Date;
  note?: string | null;
}

/** Public: the current price of one class, or PRICE.NOT_SET. */
export class GetQuote {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(vehicleClass: VehicleClass): Promise<Quote> {
    const now = this.clock.now();
    const price = await this.uow.run((tx) => tx.classPrices.current(vehicleClass, now));
    if (!price) throw PriceErrors.notSet(vehicleClass);
    return {
      vehicleClass,
      priceIdr: price.priceIdr,
      currency: 'IDR',
      priceId: price.id,
      effectiveFrom: price.effectiveFrom,
      quotedAt: now,
    };
  }
}

/** Public: every class, in tier order, with its current price or null. */
export class ListVehicleClasses {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<VehicleClassInfo[]> {
    const prices = await this.uow.run((tx) => tx.classPrices.currentAll(this.clock.now()));
    return VEHICLE_CLASSES.map((vehicleClass) => {
      const p = prices.find((x) => x.vehicleClass === vehicleClass);
      return {
        vehicleClass,
        priceIdr: p?.priceIdr ?? null,
        priceId: p?.id ?? null,
        effectiveFrom: p?.effectiveFrom ?? null,
      };
    });
  }
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

/** The price history, newest effectiveFrom first (future-dated ones included), optionally of one class. */
export class ListClassPriceHistory {
  constructor(private readonly uow: UnitOfWork) {}

  execute(filter: { vehicleClass?: VehicleClass }, page: Partial<PageRequest>): Promise<Page<ClassPrice>> {
    return this.uow.run((tx) => tx.classPrices.history(filter, normalisePage(page)));
  }
}
