/**
 * Configuration section of the customer limits: quotas per customer and the inspection request schedule.
 */
import type { EnvSection } from './env.js';
import type { EnvValues } from './schema.js';

/** Customer quotas and inspection request limits. */
export const CUSTOMER_ENV = {
  CUSTOMER_MAX_VEHICLES: {
    type: 'integer',
    minimum: 1,
    maximum: 10000,
    default: 20,
    description: 'Vehicles one customer may register (409 VEHICLE.QUOTA_EXCEEDED beyond).',
  },
  CUSTOMER_MAX_OPEN_REQUESTS: {
    type: 'integer',
    minimum: 1,
    maximum: 10000,
    default: 10,
    description:
      'Inspection requests one customer may have open (not DONE or CANCELLED) at once (409 REQUEST.QUOTA_EXCEEDED beyond).',
  },
  CUSTOMER_MAX_STORED_MB: {
    type: 'integer',
    minimum: 1,
    maximum: 1000000,
    default: 500,
    description:
      'Megabytes of photos one customer may store: vehicle photos plus the photos of all their requests, open or not (409 CUSTOMER.STORAGE_QUOTA_EXCEEDED beyond).',
  },
  REQUEST_SCHEDULE_HORIZON_DAYS: {
    type: 'integer',
    minimum: 1,
    maximum: 365,
    default: 60,
    description:
      'Customer inspection requests: the preferred schedule must be in the future and at most this many days ahead.',
  },
  REQUEST_CREATE_RATE_LIMIT_MAX: {
    type: 'integer',
    minimum: 1,
    default: 10,
    description: 'Inspection requests a client may create per RATE_LIMIT_WINDOW_SECONDS (throttling on create).',
  },
} as const satisfies EnvSection;

/** The customer part of Config. */
export interface CustomerConfig {
  customer: {
    scheduleHorizonDays: number;
    createRateLimitMax: number;
    maxVehicles: number;
    maxOpenRequests: number;
    maxStoredBytes: number;
  };
}

/** Maps the validated environment into Config.customer. */
export function customerConfig(env: EnvValues): CustomerConfig {
  return {
    customer: {
      scheduleHorizonDays: env.REQUEST_SCHEDULE_HORIZON_DAYS,
      createRateLimitMax: env.REQUEST_CREATE_RATE_LIMIT_MAX,
      maxVehicles: env.CUSTOMER_MAX_VEHICLES,
      maxOpenRequests: env.CUSTOMER_MAX_OPEN_REQUESTS,
      maxStoredBytes: env.CUSTOMER_MAX_STORED_MB * 1048576,
    },
  };
}
