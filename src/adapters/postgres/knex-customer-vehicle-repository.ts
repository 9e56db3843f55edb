import type { Knex } from 'knex';
import { compactPlate } from '../../domain/inspection/plate.js';
import {
  VehicleErrors,
  type CustomerVehicle,
  type OwnedPhoto,
  type ServiceRecord,
  type VehiclePatch,
} from '../../domain/customer/vehicle.js';
import type { VehicleClass } from '../../domain/customer/vehicle-class.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type {
  CustomerVehicleRepository,
  NewCustomerVehicle,
  NewOwnedPhoto,
  VehicleListFilter,
} from '../../ports/customer-vehicles.js';
import { ownedPhotoFrom, ownedPhotoRow } from './knex-owned-photos.js';
import { isUniqueViolation } from './pg-errors.js';

type Row = Record<string, unknown>;

const toVehicle = (r: Row): CustomerVehicle => ({
  id: r.id as string,
  customerId: r.customer_id as string,
  plateNumber: r.plate_number as string,
  year: r.year as number,
  transmission: r.transmission as string,
  bodyType: r.body_type as string,
  brand: r.brand as string,
  model: r.model as string,
  colour: (r.colour as string | null) ?? null,
  specification: (r.specification as Record<string, unknown> | null) ?? {},
  serviceHistory: (r.service_history as ServiceRecord[] | null) ?? [],
  vehicleClass: r.vehicle_class as VehicleClass,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

const toPhoto = ownedPhotoFrom('vehicle_id');
/** Column values of the fields present in a patch (jsonb values serialised: pg would send arrays as PG arrays). */
function columnsOf(p: VehiclePatch): Row {
  const row: Row = {};
  if (p.plateNumber !== undefined) {
    row.plate_number = p.plateNumber;
    row.plate_compact = compactPlate(p.plateNumber);
  }
  if (p.year !== undefined) row.year = p.year;
  if (p.transmission !== undefined) row.transmission = p.transmission;
  if (p.bodyType !== undefined) row.body_type = p.bodyType;
  if (p.brand !== undefined) row.brand = p.brand;
  if (p.model !== undefined) row.model = p.model;
  if (p.colour !== undefined) row.colour = p.colour;
  if (p.specification !== undefined) row.specification = JSON.stringify(p.specification);
  if (p.serviceHistory !== undefined) row.service_history = JSON.stringify(p.serviceHistory);
  if (p.vehicleClass !== undefined) row.vehicle_class = p.vehicleClass;
  return row;
}

export class KnexCustomerVehicleRepository implements CustomerVehicleRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async findById(id: string): Promise<CustomerVehicle | null> {
    const r = await this.db('customer_vehicles').where({ id }).first();
    return r ? toVehicle(r) : null;
  }

  async findOwned(customerId: string, id: string): Promise<CustomerVehicle | null> {
    const r = await this.db('customer_vehicles').where({ id, customer_id: customerId }).first();
    return r ? toVehicle(r) : null;
  }

  async findOwnedForUpdate(customerId: string, id: string): Promise<CustomerVehicle | null> {
    const r = await this.db('customer_vehicles').where({ id, customer_id: customerId }).forUpdate().first();
    return r ? toVehicle(r) : null;
  }

  async findOwnedByPlate(customerId: string, plateNumber: string): Promise<CustomerVehicle | null> {
    const r = await this.db('customer_vehicles')
      .where({ customer_id: customerId, plate_compact: compactPlate(plateNumber) })
      .first();
    return r ? toVehicle(r) : null;
  }

  async idsOwnedBy(customerId: string): Promise<string[]> {
    return (await this.db('customer_vehicles').where({ customer_id: customerId }).select('id')).map(
      (r: Row) => r.id as string,
    );
  }

  async listOwned(customerId: string, filter: VehicleListFilter, page: PageRequest): Promise<Page<CustomerVehicle>> {
    const base = this.db('customer_vehicles')
      .where({ customer_id: customerId })
      .modify((q) => {
        if (filter.vehicleClass) q.where({ vehicle_class: filter.vehicleClass });
      });
    const [count] = await base.clone().count({ n: '*' });
    const rows = await base
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(page.pageSize)
      .offset(offsetOf(page));
    return { items: rows.map(toVehicle), page: page.page, pageSize: page.pageSize, total: Number(count?.n ?? 0) };
  }

  async create(v: NewCustomerVehicle, now: Date): Promise<CustomerVehicle> {
    try {
      const [r] = await this.db('customer_vehicles')
        .insert({ id: v.id, customer_id: v.customerId, ...columnsOf(v), created_at: now, updated_at: now })
        .returning('*');
      return toVehicle(r as Row);
    } catch (e) {
      if (isUniqueViolation(e, 'customer_vehicles_plate_unique')) throw VehicleErrors.duplicatePlate(v.plateNumber);
      throw e;
    }
  }

  async update(id: string, patch: VehiclePatch, now: Date): Promise<CustomerVehicle | null> {
    try {
      const [r] = await this.db('customer_vehicles')
        .where({ id })
        .update({ ...columnsOf(patch), updated_at: now })
        .returning('*');
      return r ? toVehicle(r as Row) : null;
    } catch (e) {
      if (isUniqueViolation(e, 'customer_vehicles_plate_unique'))
        throw VehicleErrors.duplicatePlate(patch.plateNumber ?? '');
      throw e;
    }
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db('customer_vehicles').where({ id }).delete()) > 0;
  }

  async countOpenRequests(vehicleId: string): Promise<number> {
    const [r] = await this.db('customer_inspection_requests')
      .where({ vehicle_id: vehicleId })
      .whereNotIn('status', ['DONE', 'CANCELLED'])
      .count({ n: '*' });
    return Number(r?.n ?? 0);
  }

  async listPhotos(vehicleIds: string[]): Promise<OwnedPhoto[]> {
    if (vehicleIds.length === 0) return [];
    const rows = await this.db('customer_vehicle_photos')
      .whereIn('vehicle_id', vehicleIds)
      .orderBy([{ column: 'vehicle_id' }, { column: 'sort_order' }, { column: 'id' }]);
    return rows.map(toPhoto);
  }

  async photoBytesOf(customerId: string): Promise<number> {
    const [r] = await this.db('customer_vehicle_photos as p')
      .join('customer_vehicles as v', 'v.id', 'p.vehicle_id')
      .where('v.customer_id', customerId)
      .sum({ n: 'p.size_bytes' });
    return Number(r?.n ?? 0);
  }

  async replacePhotos(
    vehicleId: string,
    photos: NewOwnedPhoto[],
    now: Date,
  ): Promise<{ previous: OwnedPhoto[]; current: OwnedPhoto[] }> {
    const previous = await this.listPhotos([vehicleId]);
    await this.db('customer_vehicle_photos').where({ vehicle_id: vehicleId }).delete();
    if (photos.length > 0) {
      await this.db('customer_vehicle_photos').insert(
        photos.map((p) => ownedPhotoRow('vehicle_id', vehicleId, p, now)),
      );
    }
    return { previous, current: await this.listPhotos([vehicleId]) };
  }
}
