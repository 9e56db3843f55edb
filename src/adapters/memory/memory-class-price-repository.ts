import { PriceErrors, type ClassPrice, type VehicleClass } from '../../domain/customer/vehicle-class.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { ClassPriceFilter, ClassPriceRepository } from '../../ports/customer-vehicles.js';
import type { MemoryStore } from './memory-store.js';

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryClassPriceRepository implements ClassPriceRepository {
  constructor(private readonly store: MemoryStore) {}

  private get list(): ClassPrice[] {
    return this.store.state.classPrices;
  }

  /** Newest effectiveFrom first; ties (never for one class) by creation. */
  private sorted(filter: (p: ClassPrice) => boolean): ClassPrice[] {
    return this.list
      .filter(filter)
      .sort(
        (a, b) =>
          b.effectiveFrom.getTime() - a.effectiveFrom.getTime() ||
          b.createdAt.getTime() - a.createdAt.getTime() ||
          b.id.localeCompare(a.id),
      );
  }

  async current(vehicleClass: VehicleClass, at: Date): Promise<ClassPrice | null> {
    const p = this.sorted((x) => x.vehicleClass === vehicleClass && x.effectiveFrom.getTime() <= at.getTime())[0];
    return p ? clone(p) : null;
  }

  async currentAll(at: Date): Promise<ClassPrice[]> {
    const seen = new Set<VehicleClass>();
    const out: ClassPrice[] = [];
    for (const p of this.sorted((x) => x.effectiveFrom.getTime() <= at.getTime())) {
      if (seen.has(p.vehicleClass)) continue;
      seen.add(p.vehicleClass);
      out.push(clone(p));
    }
    return out.sort((a, b) => a.vehicleClass.localeCompare(b.vehicleClass));
  }

  async add(price: Omit<ClassPrice, 'createdAt'>, now: Date): Promise<ClassPrice> {
    if (
      this.list.some(
        (p) => p.vehicleClass === price.vehicleClass && p.effectiveFrom.getTime() === price.effectiveFrom.getTime(),
      )
    )
      throw PriceErrors.duplicate(price.vehicleClass, price.effectiveFrom);
    const p: ClassPrice = { ...clone(price), createdAt: now };
    this.list.push(p);
    return clone(p);
  }

  async history(filter: ClassPriceFilter, page: PageRequest): Promise<Page<ClassPrice>> {
    const all = this.sorted((p) => !filter.vehicleClass || p.vehicleClass === filter.vehicleClass);
    return {
      items: all.slice(offsetOf(page), offsetOf(page) + page.pageSize).map(clone),
      page: page.page,
      pageSize: page.pageSize,
      total: all.length,
    };
  }
}
