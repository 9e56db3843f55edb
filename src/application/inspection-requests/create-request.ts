import {
  assertSchedule,
  RequestErrors,
  type CustomerInspectionRequest,
  type CustomerInspectionStatus,
  type VehicleDescription,
} from '../../domain/customer/inspection-request.js';
import type { VehicleClass } from '../../domain/customer/vehicle-class.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { serialiseCustomer } from '../customer-storage/storage-quota.js';
import { REQUEST_ENTITY, type RequestDeps } from './deps.js';
import { recordChange } from './request-helpers.js';

/** A new request: one of the customer's vehicles (vehicleId), or a car described (vehicleClass + vehicleDescription). */
export interface CreateRequestInput {
  vehicleId?: string;
  vehicleClass?: VehicleClass;
  vehicleDescription?: VehicleDescription;
  /** ISO date-time. */
  preferredSchedule: string;
  notes?: string | null;
}

const OPEN_REQUEST_STATUSES: CustomerInspectionStatus[] = [
  'NOT_STARTED',
  'IN_PROGRESS',
  'ON_HOLD',
  'AWAITING_APPROVAL',
];

/** Either an own vehicle alone, or a class with a description: anything else is REQUEST.VEHICLE_REQUIRED. */
function assertVehicleChoice(input: CreateRequestInput): void {
  const ownVehicle =
    input.vehicleId !== undefined && input.vehicleClass === undefined && input.vehicleDescription === undefined;
  const described =
    input.vehicleId === undefined && input.vehicleClass !== undefined && input.vehicleDescription !== undefined;
  if (!ownVehicle && !described) throw RequestErrors.vehicleRequired();
}

/** The open-request quota, counted under the customer's row lock. */
async function assertOpenRequestQuota(tx: TransactionalPorts, max: number | undefined, customerId: string) {
  if (max === undefined) return;
  await serialiseCustomer(tx, customerId);
  const open = await tx.inspectionRequests.list(
    { customerId, status: OPEN_REQUEST_STATUSES },
    { page: 1, pageSize: 1 },
  );
  if (open.total >= max) throw RequestErrors.quotaExceeded(max);
}

/** The class of the customer's own vehicle, or the class given with a described car. */
async function vehicleClassOf(
  tx: TransactionalPorts,
  customerId: string,
  input: CreateRequestInput,
): Promise<VehicleClass> {
  if (input.vehicleId === undefined) return input.vehicleClass as VehicleClass;
  const vehicle = await tx.customerVehicles.findOwned(customerId, input.vehicleId);
  if (!vehicle) throw RequestErrors.vehicleNotFound();
  return vehicle.vehicleClass;
}

/**
 * Creates a request of `customerId` (by the customer or on their behalf) with the class price in force now
 * (snapshot), its first history row (NOT_STARTED) and an audit CREATE, inside the caller's transaction.
 */
export async function createRequest(
  tx: TransactionalPorts,
  d: RequestDeps,
  actor: Actor,
  customerId: string,
  input: CreateRequestInput,
): Promise<CustomerInspectionRequest> {
  const now = d.clock.now();
  assertVehicleChoice(input);
  const preferredSchedule = new Date(input.preferredSchedule);
  assertSchedule(preferredSchedule, now, d.scheduleHorizonDays);
  await assertOpenRequestQuota(tx, d.maxOpenRequests, customerId);
  const vehicleClass = await vehicleClassOf(tx, customerId, input);
  const price = await tx.classPrices.current(vehicleClass, now);
  if (!price) throw RequestErrors.priceNotSet(vehicleClass);
  const created = await tx.inspectionRequests.create(
    {
      id: d.ids.next(),
      customerId,
      vehicleId: input.vehicleId ?? null,
      vehicleDescription: input.vehicleId !== undefined ? null : (input.vehicleDescription ?? null),
      vehicleClass,
      preferredSchedule,
      notes: input.notes?.trim() || null,
      priceIdr: price.priceIdr,
      priceId: price.id,
      createdBy: actor.userId,
    },
    now,
  );
  await recordChange(tx, d.ids, created.id, null, 'NOT_STARTED', actor, null, now);
  await tx.audit.record(
    {
      actorId: actor.userId,
      action: 'CREATE',
      entity: REQUEST_ENTITY,
      entityId: created.id,
      metadata: {
        customerId,
        vehicleId: created.vehicleId,
        vehicleClass,
        priceIdr: price.priceIdr,
        priceId: price.id,
        onBehalf: actor.userId !== customerId,
      },
    },
    now,
  );
  return created;
}
