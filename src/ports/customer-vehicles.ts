import type { ClassPrice, VehicleClass } from '../domain/customer/vehicle-class.js';
import type { CustomerVehicle, OwnedPhoto, VehiclePatch } from '../domain/customer/vehicle.js';
import type { Page, PageRequest } from '../domain/shared/pagination.js';

/** A vehicle as it is created (the adapter stamps createdAt/updatedAt). */
export type NewCustomerVehicle = Omit<CustomerVehicle, 'createdAt' | 'updatedAt'>;
/** A photo row as it is recorded (the adapter stamps createdAt). */
export type NewOwnedPhoto = Omit<OwnedPhoto, 'createdAt'>;

export interface VehicleListFilter {
  vehicleClass?: VehicleClass;
}

/**
 * Customers' vehicles and their photos. Owned by the vehicles feature, which adds the methods it needs; the
 * first three are what other features rely on. Errors: VEHICLE.DUPLICATE_PLATE (create, update).
 */
export interface CustomerVehicleRepository {
  /** Any customer's vehicle by id, or null; callers compare customerId themselves (customer paths use findOwned). */
  findById(id: string): Promise<CustomerVehicle | null>;
  /** The customer's vehicle; null when missing or someone else's (callers answer 404 either way). */
  findOwned(customerId: string, id: string): Promise<CustomerVehicle | null>;
  /** Every vehicle id of a customer (the history's ownership rule). */
  idsOwnedBy(customerId: string): Promise<string[]>;

  // The vehicles feature.
  /** Like findOwned, and holds the vehicle until the unit of work ends: a concurrent writer of it waits. */
  findOwnedForUpdate(customerId: string, id: string): Promise<CustomerVehicle | null>;
  /** The customer's vehicle with this plate (compared compact: "AB 1234 CD" = "ab1234cd"), if any. */
  findOwnedByPlate(customerId: string, plateNumber: string): Promise<CustomerVehicle | null>;
  /** The customer's vehicles, newest first. */
  listOwned(customerId: string, filter: VehicleListFilter, page: PageRequest): Promise<Page<CustomerVehicle>>;
  /** Errors: VEHICLE.DUPLICATE_PLATE when the customer already has the plate (compact-compared). */
  create(vehicle: NewCustomerVehicle, now: Date): Promise<CustomerVehicle>;
  /** Null when there is no such vehicle. Errors: VEHICLE.DUPLICATE_PLATE. */
  update(id: string, patch: VehiclePatch, now: Date): Promise<CustomerVehicle | null>;
  /** Deletes the vehicle and its photo records; requests and inspections that named it are kept, without the link. */
  delete(id: string): Promise<boolean>;
  /** Inspection requests referencing the vehicle that are neither DONE nor CANCELLED. */
  countOpenRequests(vehicleId: string): Promise<number>;
  /** The photos of the given vehicles, by vehicle, each in display order. */
  listPhotos(vehicleIds: string[]): Promise<OwnedPhoto[]>;
  /** Bytes of every photo of the customer's vehicles (the storage quota). */
  photoBytesOf(customerId: string): Promise<number>;
  /** Replaces the whole photo set of a vehicle (rows only; objects are the caller's); returns both sets. */
  replacePhotos(
    vehicleId: string,
    photos: NewOwnedPhoto[],
    now: Date,
  ): Promise<{ previous: OwnedPhoto[]; current: OwnedPhoto[] }>;
}
export const CustomerVehicleRepository = Symbol('CustomerVehicleRepository');

export interface ClassPriceFilter {
  vehicleClass?: VehicleClass;
}

/** The price history of each vehicle class (prices take effect from a date; none is ever changed). */
export interface ClassPriceRepository {
  /** The price in force at `at` (latest effectiveFrom <= at), or null when the class has none. */
  current(vehicleClass: VehicleClass, at: Date): Promise<ClassPrice | null>;

  // The pricing feature.
  /** The price in force at `at` of every class that has one. */
  currentAll(at: Date): Promise<ClassPrice[]>;
  /** Errors: PRICE.DUPLICATE when the class already has a price with the same effectiveFrom. */
  add(price: Omit<ClassPrice, 'createdAt'>, now: Date): Promise<ClassPrice>;
  /** The history, newest effectiveFrom first (future-dated prices included). */
  history(filter: ClassPriceFilter, page: PageRequest): Promise<Page<ClassPrice>>;
}
export const ClassPriceRepository = Symbol('ClassPriceRepository');
