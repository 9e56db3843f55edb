import { PriceErrors, type VehicleClass } from '../../domain/customer/vehicle-class.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';

/** What an inspection of a class costs now. */
export interface Quote {
  vehicleClass: VehicleClass;
  priceIdr: number;
  currency: 'IDR';
  priceId: string;
  effectiveFrom: Date;
  quotedAt: Date;
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
