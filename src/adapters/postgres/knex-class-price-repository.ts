import type { Knex } from 'knex';
import { PriceErrors, type ClassPrice, type VehicleClass } from '../../domain/customer/vehicle-class.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { ClassPriceFilter, ClassPriceRepository } from '../../ports/customer-vehicles.js';
import { isUniqueViolation } from './pg-errors.js';

type Row = Record<string, unknown>;

const toPrice = (r: Row): ClassPrice => ({
  id: r.id as string,
  vehicleClass: r.vehicle_class as VehicleClass,
  priceIdr: Number(r.price_idr),
  effectiveFrom: r.effective_from as Date,
  createdBy: (r.created_by as string | null) ?? null,
  note: (r.note as string | null) ?? null,
  createdAt: r.created_at as Date,
});

export class KnexClassPriceRepository implements ClassPriceRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async current(vehicleClass: VehicleClass, at: Date): Promise<ClassPrice | null> {
    const r = await this.db('vehicle_class_prices')
      .where({ vehicle_class: vehicleClass })
      .where('effective_from', '<=', at)
      .orderBy('effective_from', 'desc')
      .first();
    return r ? toPrice(r) : null;
  }

  async currentAll(at: Date): Promise<ClassPrice[]> {
    const rows = await this.db('vehicle_class_prices')
      .distinctOn('vehicle_class')
      .where('effective_from', '<=', at)
      .orderBy([{ column: 'vehicle_class' }, { column: 'effective_from', order: 'desc' }]);
    return rows.map(toPrice);
  }

  async add(p: Omit<ClassPrice, 'createdAt'>, now: Date): Promise<ClassPrice> {
    try {
      const [r] = await this.db('vehicle_class_prices')
        .insert({
          id: p.id,
          vehicle_class: p.vehicleClass,
          price_idr: p.priceIdr,
          effective_from: p.effectiveFrom,
          created_by: p.createdBy,
          note: p.note,
          created_at: now,
        })
        .returning('*');
      return toPrice(r as Row);
    } catch (e) {
      if (isUniqueViolation(e, 'vehicle_class_prices_effective_unique'))
        throw PriceErrors.duplicate(p.vehicleClass, p.effectiveFrom);
      throw e;
    }
  }

  async history(filter: ClassPriceFilter, page: PageRequest): Promise<Page<ClassPrice>> {
    const base = this.db('vehicle_class_prices').modify((q) => {
      if (filter.vehicleClass) q.where({ vehicle_class: filter.vehicleClass });
    });
    const [count] = await base.clone().count({ n: '*' });
    const rows = await base
      .orderBy([
        { column: 'effective_from', order: 'desc' },
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(page.pageSize)
      .offset(offsetOf(page));
    return { items: rows.map(toPrice), page: page.page, pageSize: page.pageSize, total: Number(count?.n ?? 0) };
  }
}
