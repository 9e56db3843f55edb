import { VEHICLE_CLASSES, type VehicleClass } from '../../domain/customer/vehicle-class.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';

/** A class with the price in force now (null when none was ever set or only future prices exist). */
export interface VehicleClassInfo {
  vehicleClass: VehicleClass;
  priceIdr: number | null;
  priceId: string | null;
  effectiveFrom: Date | null;
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
