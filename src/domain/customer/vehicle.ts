import { EXTENSION_OF, type ImageType } from '../inspection/photo.js';
import { compactPlate, normalisePlate, validatePlate } from '../inspection/plate.js';
import { DomainError, type ErrorDetail } from '../shared/domain-error.js';
import { PhotoErrors } from '../inspection/photo.js';
import { isVehicleClass, VEHICLE_CLASSES, type VehicleClass } from './vehicle-class.js';

export const VEHICLE_PHOTO_TYPES = [
  'FRONT',
  'BACK',
  'LEFT',
  'RIGHT',
  'INTERIOR',
  'EXTERIOR',
  'ENGINE',
  'DOCUMENT',
  'OTHER',
] as const;
export type VehiclePhotoType = (typeof VEHICLE_PHOTO_TYPES)[number];

export interface ServiceRecord {
  date: string;
  odometerKm?: number;
  description: string;
  workshop?: string;
}

/** The editable fields of a vehicle. */
export interface VehicleFields {
  plateNumber: string;
  year: number;
  transmission: string;
  bodyType: string;
  brand: string;
  model: string;
  colour: string | null;
  specification: Record<string, unknown>;
  serviceHistory: ServiceRecord[];
  vehicleClass: VehicleClass;
}

/** A customer's vehicle (table customer_vehicles). The plate is unique per customer, compared compact. */
export interface CustomerVehicle extends VehicleFields {
  id: string;
  customerId: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A stored photo of a vehicle or of an inspection request (tables customer_vehicle_photos, customer_request_photos). */
export interface OwnedPhoto {
  id: string;
  /** The vehicle's or the request's id. */
  ownerId: string;
  type: VehiclePhotoType;
  storageKey: string;
  storageDriver: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  sortOrder: number;
  createdAt: Date;
}

// ---------------------------------------------------------------------------------------------------------
// Rules of vehicles (owned by the vehicles feature; the class prices are in vehicle-class.ts).

/** A vehicle has at most this many photos; exactly one of them is the FRONT photo. */
export const MAX_VEHICLE_PHOTOS = 10;
export const MIN_VEHICLE_YEAR = 1900;
/** Next year's models are sold from mid-year on: the latest accepted model year is next year (UTC). */
export const maxVehicleYear = (now: Date): number => now.getUTCFullYear() + 1;

export const isVehiclePhotoType = (v: unknown): v is VehiclePhotoType =>
  typeof v === 'string' && (VEHICLE_PHOTO_TYPES as readonly string[]).includes(v);

/** Stable error codes of vehicles. */
export const VehicleErrors = {
  notFound: () => new DomainError('VEHICLE.NOT_FOUND', 'not_found', 'No such vehicle.'),
  duplicatePlate: (plate: string) =>
    new DomainError('VEHICLE.DUPLICATE_PLATE', 'conflict', `You already have a vehicle with the plate ${plate}.`, [
      { path: '/plateNumber', message: 'is already used by another of your vehicles' },
    ]),
  frontPhotoRequired: () =>
    new DomainError(
      'VEHICLE.FRONT_PHOTO_REQUIRED',
      'unprocessable',
      'Exactly one photo must be of type FRONT; none is.',
      [{ path: '/body/photoTypes', message: 'must contain FRONT once' }],
    ),
  multipleFrontPhotos: (count: number) =>
    new DomainError(
      'VEHICLE.MULTIPLE_FRONT_PHOTOS',
      'unprocessable',
      `Exactly one photo must be of type FRONT; ${count} are.`,
      [{ path: '/body/photoTypes', message: 'must contain FRONT once' }],
    ),
  quotaExceeded: (max: number) =>
    new DomainError(
      'VEHICLE.QUOTA_EXCEEDED',
      'conflict',
      `A customer may register at most ${max} vehicles; delete one first.`,
    ),
  inUse: (openRequests: number) =>
    new DomainError(
      'VEHICLE.IN_USE',
      'conflict',
      `${openRequests} open inspection request(s) use this vehicle; cancel them or wait until they are done before deleting it.`,
    ),
};

/** What a customer sends to register a vehicle (colour, specification and service history optional). */
export type VehicleInput = Omit<VehicleFields, 'colour' | 'specification' | 'serviceHistory'> &
  Partial<Pick<VehicleFields, 'colour' | 'specification' | 'serviceHistory'>>;
export type VehiclePatch = Partial<VehicleFields>;

const TEXT_FIELDS = ['transmission', 'bodyType', 'brand', 'model'] as const;

export function validateVehicleYear(year: number, now: Date, path = '/year'): ErrorDetail | null {
  const max = maxVehicleYear(now);
  return Number.isInteger(year) && year >= MIN_VEHICLE_YEAR && year <= max
    ? null
    : { path, message: `must be a whole year from ${MIN_VEHICLE_YEAR} to ${max}` };
}

/**
 * Normalises a vehicle's fields (plate "ab1234cd" -> "AB 1234 CD", text trimmed, an empty colour -> null)
 * and checks the rules a schema cannot state (plate shape, model year up to next year, non-blank text).
 * Only the fields present are touched, so it serves both create and patch. Throws VALIDATION.FAILED.
 */
export function normaliseVehicleFields<T extends Partial<VehicleFields>>(input: T, now: Date): T {
  const out: Partial<VehicleFields> = { ...input };
  const problems: ErrorDetail[] = [];
  if (input.plateNumber !== undefined) {
    out.plateNumber = normalisePlate(input.plateNumber);
    const bad = validatePlate(out.plateNumber);
    if (bad) problems.push(bad);
  }
  if (input.year !== undefined) {
    const bad = validateVehicleYear(input.year, now);
    if (bad) problems.push(bad);
  }
  for (const f of TEXT_FIELDS) {
    const v = input[f];
    if (v === undefined) continue;
    out[f] = v.trim().replace(/\s+/g, ' ');
    if (out[f] === '') problems.push({ path: `/${f}`, message: 'must not be blank' });
  }
  if (input.colour !== undefined)
    out.colour = input.colour === null || input.colour.trim() === '' ? null : input.colour.trim();
  if (input.vehicleClass !== undefined && !isVehicleClass(input.vehicleClass))
    problems.push({ path: '/vehicleClass', message: `must be one of: ${VEHICLE_CLASSES.join(', ')}` });
  if (input.serviceHistory !== undefined) {
    out.serviceHistory = input.serviceHistory.map((r) => ({
      ...r,
      description: r.description.trim(),
      ...(r.workshop !== undefined ? { workshop: r.workshop.trim() } : {}),
    }));
    out.serviceHistory.forEach((r, i) => {
      if (r.description === '')
        problems.push({ path: `/serviceHistory/${i}/description`, message: 'must not be blank' });
    });
  }
  if (problems.length > 0)
    throw new DomainError('VALIDATION.FAILED', 'validation', 'The request is not valid.', problems);
  return out as T;
}

/** Two plates are the same vehicle when their compact forms are equal ("AB 1234 CD" = "ab1234cd"). */
export const samePlate = (a: string, b: string): boolean => compactPlate(a) === compactPlate(b);

/**
 * The `photoTypes` form field: one type per uploaded file, comma separated, in file order
 * ("FRONT,BACK,INTERIOR"; case and blanks ignored). Throws VALIDATION.FAILED.
 */
export function parsePhotoTypes(raw: string | undefined, count: number, path = '/body/photoTypes'): VehiclePhotoType[] {
  const bad = (message: string) =>
    new DomainError('VALIDATION.FAILED', 'validation', 'The request is not valid.', [{ path, message }]);
  if (raw === undefined || raw.trim() === '')
    throw bad('is required: one photo type per file, comma separated (e.g. "FRONT,BACK")');
  const types = raw.split(',').map((t) => t.trim().toUpperCase());
  const unknown = types.find((t) => !isVehiclePhotoType(t));
  if (unknown !== undefined) throw bad(`"${unknown}" is not one of: ${VEHICLE_PHOTO_TYPES.join(', ')}`);
  if (types.length !== count) throw bad(`names ${types.length} type(s) for ${count} file(s)`);
  return types as VehiclePhotoType[];
}

/** A vehicle's photo set: 1..MAX_VEHICLE_PHOTOS photos with exactly one FRONT. */
export function checkVehiclePhotoSet(types: VehiclePhotoType[]): void {
  if (types.length > MAX_VEHICLE_PHOTOS) throw PhotoErrors.tooMany(MAX_VEHICLE_PHOTOS, 'photos');
  const fronts = types.filter((t) => t === 'FRONT').length;
  if (fronts === 0) throw VehicleErrors.frontPhotoRequired();
  if (fronts > 1) throw VehicleErrors.multipleFrontPhotos(fronts);
}

/** Object key of a vehicle photo: customer-vehicles/{vehicleId}/photos/{photoId}.{ext}. */
export const vehiclePhotoKey = (vehicleId: string, photoId: string, type: ImageType): string =>
  `customer-vehicles/${vehicleId}/photos/${photoId}.${EXTENSION_OF[type]}`;
