import { compactPlate } from '../../domain/inspection/plate.js';
import {
  VehicleErrors,
  type CustomerVehicle,
  type OwnedPhoto,
  type VehiclePatch,
} from '../../domain/customer/vehicle.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type {
  CustomerVehicleRepository,
  NewCustomerVehicle,
  NewOwnedPhoto,
  VehicleListFilter,
} from '../../ports/customer-vehicles.js';
import type { MemoryStore } from './memory-store.js';

const clone = <T>(v: T): T => structuredClone(v);
const CLOSED_REQUEST_STATUSES = ['DONE', 'CANCELLED'];

export class MemoryCustomerVehicleRepository implements CustomerVehicleRepository {
  constructor(private readonly store: MemoryStore) {}

  private get map(): Map<string, CustomerVehicle> {
    return this.store.state.customerVehicles;
  }

  /** The unique index (customer_id, plate_compact) of the table. */
  private assertPlateFree(customerId: string, plateNumber: string, exceptId: string): void {
    const compact = compactPlate(plateNumber);
    if (
      [...this.map.values()].some(
        (v) => v.customerId === customerId && v.id !== exceptId && compactPlate(v.plateNumber) === compact,
      )
    )
      throw VehicleErrors.duplicatePlate(plateNumber);
  }

  async findById(id: string): Promise<CustomerVehicle | null> {
    const v = this.map.get(id);
    return v ? clone(v) : null;
  }

  async findOwned(customerId: string, id: string): Promise<CustomerVehicle | null> {
    const v = this.map.get(id);
    return v && v.customerId === customerId ? clone(v) : null;
  }

  findOwnedForUpdate(customerId: string, id: string): Promise<CustomerVehicle | null> {
    // The memory unit of work runs one transaction at a time: a read is already exclusive.
    return this.findOwned(customerId, id);
  }

  async findOwnedByPlate(customerId: string, plateNumber: string): Promise<CustomerVehicle | null> {
    const compact = compactPlate(plateNumber);
    const v = [...this.map.values()].find(
      (x) => x.customerId === customerId && compactPlate(x.plateNumber) === compact,
    );
    return v ? clone(v) : null;
  }

  async idsOwnedBy(customerId: string): Promise<string[]> {
    return [...this.map.values()].filter((v) => v.customerId === customerId).map((v) => v.id);
  }

  async listOwned(customerId: string, filter: VehicleListFilter, page: PageRequest): Promise<Page<CustomerVehicle>> {
    const all = [...this.map.values()]
      .filter((v) => v.customerId === customerId && (!filter.vehicleClass || v.vehicleClass === filter.vehicleClass))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id));
    return {
      items: all.slice(offsetOf(page), offsetOf(page) + page.pageSize).map(clone),
      page: page.page,
      pageSize: page.pageSize,
      total: all.length,
    };
  }

  async create(vehicle: NewCustomerVehicle, now: Date): Promise<CustomerVehicle> {
    this.assertPlateFree(vehicle.customerId, vehicle.plateNumber, vehicle.id);
    const v: CustomerVehicle = { ...clone(vehicle), createdAt: now, updatedAt: now };
    this.map.set(v.id, v);
    return clone(v);
  }

  async update(id: string, patch: VehiclePatch, now: Date): Promise<CustomerVehicle | null> {
    const v = this.map.get(id);
    if (!v) return null;
    if (patch.plateNumber !== undefined) this.assertPlateFree(v.customerId, patch.plateNumber, id);
    const defined = Object.fromEntries(Object.entries(clone(patch)).filter(([, x]) => x !== undefined));
    const next: CustomerVehicle = { ...v, ...defined, updatedAt: now };
    this.map.set(id, next);
    return clone(next);
  }

  async delete(id: string): Promise<boolean> {
    if (!this.map.delete(id)) return false;
    const s = this.store.state;
    // ON DELETE CASCADE (photos) and ON DELETE SET NULL (requests, inspections), as in PostgreSQL.
    for (const [pid, p] of s.vehiclePhotos) if (p.ownerId === id) s.vehiclePhotos.delete(pid);
    for (const [rid, r] of s.inspectionRequests)
      if (r.vehicleId === id) s.inspectionRequests.set(rid, { ...r, vehicleId: null });
    for (const [iid, i] of s.inspections)
      if (i.customerVehicleId === id) s.inspections.set(iid, { ...i, customerVehicleId: null });
    return true;
  }

  async countOpenRequests(vehicleId: string): Promise<number> {
    return [...this.store.state.inspectionRequests.values()].filter(
      (r) => r.vehicleId === vehicleId && !CLOSED_REQUEST_STATUSES.includes(r.status),
    ).length;
  }

  async listPhotos(vehicleIds: string[]): Promise<OwnedPhoto[]> {
    const wanted = new Set(vehicleIds);
    return [...this.store.state.vehiclePhotos.values()]
      .filter((p) => wanted.has(p.ownerId))
      .sort((a, b) => a.ownerId.localeCompare(b.ownerId) || a.sortOrder - b.sortOrder || a.id.localeCompare(b.id))
      .map(clone);
  }

  async photoBytesOf(customerId: string): Promise<number> {
    const owned = new Set(await this.idsOwnedBy(customerId));
    return [...this.store.state.vehiclePhotos.values()]
      .filter((p) => owned.has(p.ownerId))
      .reduce((n, p) => n + p.sizeBytes, 0);
  }

  async replacePhotos(
    vehicleId: string,
    photos: NewOwnedPhoto[],
    now: Date,
  ): Promise<{ previous: OwnedPhoto[]; current: OwnedPhoto[] }> {
    const previous = await this.listPhotos([vehicleId]);
    const map = this.store.state.vehiclePhotos;
    for (const p of previous) map.delete(p.id);
    for (const p of photos) map.set(p.id, { ...clone(p), ownerId: vehicleId, createdAt: now });
    return { previous, current: await this.listPhotos([vehicleId]) };
  }
}
