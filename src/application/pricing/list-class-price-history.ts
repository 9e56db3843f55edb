import type { ClassPrice, VehicleClass } from '../../domain/customer/vehicle-class.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';

/** The price history, newest effectiveFrom first (future-dated ones included), optionally of one class. */
export class ListClassPriceHistory {
  constructor(private readonly uow: UnitOfWork) {}

  execute(filter: { vehicleClass?: VehicleClass }, page: Partial<PageRequest>): Promise<Page<ClassPrice>> {
    return this.uow.run((tx) => tx.classPrices.history(filter, normalisePage(page)));
  }
}
