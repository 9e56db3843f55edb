import { DomainError, type ErrorDetail } from '../shared/domain-error.js';

/** Price tiers of vehicles (the class decides what an inspection costs). */
export const VEHICLE_CLASSES = [
  'LCGC',
  'REGULAR',
  'EXTRA',
  'LUXURY',
  'EU_US_SMALL',
  'EU_US_MEDIUM',
  'EU_US_HIGH_END',
  'HYBRID',
  'EV',
] as const;
export type VehicleClass = (typeof VEHICLE_CLASSES)[number];

export const isVehicleClass = (v: unknown): v is VehicleClass =>
  typeof v === 'string' && (VEHICLE_CLASSES as readonly string[]).includes(v);

/** A price of a vehicle class from `effectiveFrom` on (table vehicle_class_prices); the history is kept. */
export interface ClassPrice {
  id: string;
  vehicleClass: VehicleClass;
  priceIdr: number;
  effectiveFrom: Date;
  createdBy: string | null;
  note: string | null;
  createdAt: Date;
}

/** Prices are whole rupiah, at most one trillion. */
export const MAX_PRICE_IDR = 1_000_000_000_000;
/** How far in the past a new price may start (clock skew between the admin's client and us). */
export const PRICE_BACKDATE_TOLERANCE_MS = 5 * 60_000;

/** Stable error codes of class prices. */
export const PriceErrors = {
  notSet: (vehicleClass: VehicleClass) =>
    new DomainError('PRICE.NOT_SET', 'not_found', `No price is in force for the vehicle class ${vehicleClass}.`),
  duplicate: (vehicleClass: VehicleClass, effectiveFrom: Date) =>
    new DomainError(
      'PRICE.DUPLICATE',
      'conflict',
      `${vehicleClass} already has a price starting at ${effectiveFrom.toISOString()}.`,
      [{ path: '/effectiveFrom', message: 'is already taken for this class' }],
    ),
  effectiveInPast: () =>
    new DomainError(
      'PRICE.EFFECTIVE_IN_PAST',
      'unprocessable',
      'A new price cannot start in the past (history is never rewritten); give a time from now on.',
      [{ path: '/effectiveFrom', message: 'must not be in the past' }],
    ),
};

export function validatePriceIdr(v: number, path = '/priceIdr'): ErrorDetail | null {
  return Number.isSafeInteger(v) && v > 0 && v <= MAX_PRICE_IDR
    ? null
    : { path, message: `must be a whole number of rupiah from 1 to ${MAX_PRICE_IDR}` };
}

/** A new price may start now or later, never earlier (a few minutes of clock skew tolerated). */
export function checkEffectiveFrom(effectiveFrom: Date, now: Date): void {
  if (Number.isNaN(effectiveFrom.getTime()))
    throw new DomainError('VALIDATION.FAILED', 'validation', 'The request is not valid.', [
      { path: '/effectiveFrom', message: 'must be a date-time' },
    ]);
  if (effectiveFrom.getTime() < now.getTime() - PRICE_BACKDATE_TOLERANCE_MS) throw PriceErrors.effectiveInPast();
}
