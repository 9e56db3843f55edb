import type { Role } from '../identity/role.js';
import { DomainError } from '../shared/domain-error.js';
import type { VehicleClass } from './vehicle-class.js';

/**
 * NOT_STARTED (requested, waiting for an assignee and payment), IN_PROGRESS (the inspection is being done),
 * ON_HOLD (paused: customer unreachable, vehicle unavailable...), AWAITING_APPROVAL (inspected, the report is
 * in review), DONE (the resulting inspection is linked), CANCELLED (withdrawn before work started).
 */
export const CUSTOMER_INSPECTION_STATUSES = [
  'NOT_STARTED',
  'IN_PROGRESS',
  'ON_HOLD',
  'AWAITING_APPROVAL',
  'DONE',
  'CANCELLED',
] as const;
export type CustomerInspectionStatus = (typeof CUSTOMER_INSPECTION_STATUSES)[number];

/** UNPAID -> PENDING (invoice open) -> PAID; WAIVED by an admin with a reason; REFUND_PENDING -> REFUNDED after an admin cancels a paid request. */
export const REQUEST_PAYMENT_STATUSES = ['UNPAID', 'PENDING', 'PAID', 'WAIVED', 'REFUND_PENDING', 'REFUNDED'] as const;
export type RequestPaymentStatus = (typeof REQUEST_PAYMENT_STATUSES)[number];

/** What a customer tells about a car that is not (yet) one of their vehicles. */
export interface VehicleDescription {
  plateNumber?: string;
  brand?: string;
  model?: string;
  year?: number;
}

/** Table customer_inspection_requests. */
export interface CustomerInspectionRequest {
  id: string;
  customerId: string;
  vehicleId: string | null;
  vehicleDescription: VehicleDescription | null;
  vehicleClass: VehicleClass;
  assigneeId: string | null;
  preferredSchedule: Date;
  notes: string | null;
  status: CustomerInspectionStatus;
  /** The class price when the request was created (IDR), and the price row it came from. */
  priceIdr: number;
  priceId: string | null;
  paymentStatus: RequestPaymentStatus;
  paymentWaiverReason: string | null;
  /** The inspection that resulted (required for DONE). */
  inspectionId: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface RequestStatusChange {
  id: string;
  requestId: string;
  fromStatus: CustomerInspectionStatus | null;
  toStatus: CustomerInspectionStatus;
  actorId: string | null;
  actorRole: string | null;
  reason: string | null;
  createdAt: Date;
}

// ---------------------------------------------------------------------------------------------------------
// The workflow: who may move a request from which status to which, and what must hold first.
// ---------------------------------------------------------------------------------------------------------

/** Preconditions of a move, checked in this order after the role. */
export type RequestGuard =
  /** A reason (at least 3 characters) must be given: it is kept in the status history. */
  | 'REASON'
  /** Work needs money: paymentStatus PAID, or WAIVED by an admin with a reason. */
  | 'PAYMENT_SETTLED'
  /** The resulting inspection must be linked. */
  | 'INSPECTION_LINKED';

export interface RequestTransitionRule {
  from: CustomerInspectionStatus;
  to: CustomerInspectionStatus;
  roles: readonly Role[];
  guards: readonly RequestGuard[];
}

const ADMINS: readonly Role[] = ['ADMIN', 'SUPERADMIN'];

/**
 * The request lifecycle as data. A (from, to) pair absent from the table is REQUEST.INVALID_TRANSITION (409);
 * a pair present but not for the caller's role is REQUEST.TRANSITION_FORBIDDEN (403). DONE and CANCELLED are
 * final (no rule leaves them). The same pair may appear once per set of roles with different guards
 * (a customer cancels without a reason; an admin must give one).
 */
export const REQUEST_TRANSITIONS: readonly RequestTransitionRule[] = [
  { from: 'NOT_STARTED', to: 'CANCELLED', roles: ['CUSTOMER'], guards: [] },
  { from: 'NOT_STARTED', to: 'CANCELLED', roles: ADMINS, guards: ['REASON'] },
  { from: 'NOT_STARTED', to: 'IN_PROGRESS', roles: ADMINS, guards: ['PAYMENT_SETTLED'] },
  { from: 'NOT_STARTED', to: 'ON_HOLD', roles: ADMINS, guards: ['REASON'] },
  { from: 'ON_HOLD', to: 'NOT_STARTED', roles: ADMINS, guards: [] },
  { from: 'ON_HOLD', to: 'IN_PROGRESS', roles: ADMINS, guards: ['PAYMENT_SETTLED'] },
  { from: 'ON_HOLD', to: 'CANCELLED', roles: ADMINS, guards: ['REASON'] },
  { from: 'IN_PROGRESS', to: 'ON_HOLD', roles: ADMINS, guards: ['REASON'] },
  { from: 'IN_PROGRESS', to: 'AWAITING_APPROVAL', roles: ADMINS, guards: [] },
  { from: 'AWAITING_APPROVAL', to: 'IN_PROGRESS', roles: ADMINS, guards: ['REASON', 'PAYMENT_SETTLED'] },
  { from: 'AWAITING_APPROVAL', to: 'DONE', roles: ADMINS, guards: ['INSPECTION_LINKED'] },
];

export const FINAL_REQUEST_STATUSES: readonly CustomerInspectionStatus[] = ['DONE', 'CANCELLED'];
export const isFinalRequestStatus = (s: CustomerInspectionStatus): boolean => FINAL_REQUEST_STATUSES.includes(s);

/** Payment states in which work may run. */
export const isPaymentSettled = (status: RequestPaymentStatus, waiverReason?: string | null): boolean =>
  status === 'PAID' || (status === 'WAIVED' && !!waiverReason?.trim());

export const MIN_REASON_LENGTH = 3;

export interface TransitionContext {
  paymentStatus: RequestPaymentStatus;
  waiverReason?: string | null;
  inspectionId: string | null;
  /** The reason the caller gives for this move. */
  reason?: string | null;
}

export const RequestErrors = {
  notFound: () => new DomainError('REQUEST.NOT_FOUND', 'not_found', 'No such inspection request.'),
  quotaExceeded: (max: number) =>
    new DomainError(
      'REQUEST.QUOTA_EXCEEDED',
      'conflict',
      `A customer may have at most ${max} open inspection requests; finish or cancel one first.`,
    ),
  invalidTransition: (from: CustomerInspectionStatus, to: CustomerInspectionStatus) =>
    new DomainError('REQUEST.INVALID_TRANSITION', 'conflict', `An inspection request cannot go from ${from} to ${to}.`),
  transitionForbidden: (role: Role, from: CustomerInspectionStatus, to: CustomerInspectionStatus) =>
    new DomainError(
      'REQUEST.TRANSITION_FORBIDDEN',
      'forbidden',
      `A ${role} may not move an inspection request from ${from} to ${to}.`,
    ),
  paymentRequired: (status: RequestPaymentStatus) =>
    new DomainError(
      'REQUEST.PAYMENT_REQUIRED',
      'conflict',
      `Work cannot start while the payment is ${status}: it must be PAID, or waived by an admin with a reason.`,
    ),
  inspectionRequired: () =>
    new DomainError(
      'REQUEST.INSPECTION_REQUIRED',
      'conflict',
      'Link the resulting inspection before marking the request DONE.',
    ),
  reasonRequired: () =>
    new DomainError('REQUEST.REASON_REQUIRED', 'validation', 'This change needs a reason.', [
      { path: '/body/reason', message: `is required (at least ${MIN_REASON_LENGTH} characters)` },
    ]),
  scheduleInPast: () =>
    new DomainError('REQUEST.SCHEDULE_IN_PAST', 'validation', 'The preferred schedule must be in the future.', [
      { path: '/body/preferredSchedule', message: 'must be in the future' },
    ]),
  scheduleTooFar: (days: number) =>
    new DomainError('REQUEST.SCHEDULE_TOO_FAR', 'validation', `The preferred schedule must be within ${days} days.`, [
      { path: '/body/preferredSchedule', message: `must be at most ${days} days ahead` },
    ]),
  vehicleRequired: () =>
    new DomainError(
      'REQUEST.VEHICLE_REQUIRED',
      'validation',
      'Give either vehicleId, or vehicleClass with vehicleDescription.',
      [{ path: '/body/vehicleId', message: 'give vehicleId, or vehicleClass with vehicleDescription (not both)' }],
    ),
  vehicleNotFound: () => new DomainError('VEHICLE.NOT_FOUND', 'not_found', 'No such vehicle.'),
  priceNotSet: (vehicleClass: VehicleClass) =>
    new DomainError(
      'REQUEST.PRICE_NOT_SET',
      'conflict',
      `No price is set for the vehicle class ${vehicleClass}; an admin must set one first.`,
    ),
  unknownCustomer: () =>
    new DomainError(
      'REQUEST.UNKNOWN_CUSTOMER',
      'unprocessable',
      'customerId does not name an active customer account.',
      [{ path: '/body/customerId', message: 'must be the id of an active CUSTOMER user' }],
    ),
  invalidAssignee: () =>
    new DomainError(
      'REQUEST.INVALID_ASSIGNEE',
      'unprocessable',
      'The assignee must be an active ADMIN, SUPERADMIN or INSPECTOR.',
      [{ path: '/body/assigneeId', message: 'must be the id of an active ADMIN, SUPERADMIN or INSPECTOR user' }],
    ),
  unknownInspection: () =>
    new DomainError('REQUEST.UNKNOWN_INSPECTION', 'unprocessable', 'inspectionId does not name an inspection.', [
      { path: '/body/inspectionId', message: 'must be the id of an existing inspection' },
    ]),
  inspectionTaken: () =>
    new DomainError(
      'REQUEST.INSPECTION_TAKEN',
      'conflict',
      'This inspection already belongs to another request or another customer.',
    ),
  final: (status: CustomerInspectionStatus) =>
    new DomainError('REQUEST.FINAL', 'conflict', `The request is ${status}; it can no longer be changed.`),
  notWaivable: (status: RequestPaymentStatus) =>
    new DomainError(
      'REQUEST.PAYMENT_NOT_WAIVABLE',
      'conflict',
      `A payment that is ${status} cannot be waived (only UNPAID or PENDING).`,
    ),
};

/**
 * Checks a status change by an actor of `actorRole` against REQUEST_TRANSITIONS and the rule's guards, in
 * this order: the pair exists (409 REQUEST.INVALID_TRANSITION), the role may make it (403
 * REQUEST.TRANSITION_FORBIDDEN), then REASON (400 REQUEST.REASON_REQUIRED), PAYMENT_SETTLED (409
 * REQUEST.PAYMENT_REQUIRED), INSPECTION_LINKED (409 REQUEST.INSPECTION_REQUIRED). Returns the rule applied.
 */
export function assertRequestTransition(
  from: CustomerInspectionStatus,
  to: CustomerInspectionStatus,
  actorRole: Role,
  ctx: TransitionContext,
): RequestTransitionRule {
  const rules = REQUEST_TRANSITIONS.filter((r) => r.from === from && r.to === to);
  if (rules.length === 0) throw RequestErrors.invalidTransition(from, to);
  const rule = rules.find((r) => r.roles.includes(actorRole));
  if (!rule) throw RequestErrors.transitionForbidden(actorRole, from, to);
  for (const guard of rule.guards) {
    if (guard === 'REASON' && (ctx.reason?.trim().length ?? 0) < MIN_REASON_LENGTH)
      throw RequestErrors.reasonRequired();
    if (guard === 'PAYMENT_SETTLED' && !isPaymentSettled(ctx.paymentStatus, ctx.waiverReason))
      throw RequestErrors.paymentRequired(ctx.paymentStatus);
    if (guard === 'INSPECTION_LINKED' && !ctx.inspectionId) throw RequestErrors.inspectionRequired();
  }
  return rule;
}

const DAY_MS = 86_400_000;

/** The preferred schedule must lie in (now, now + horizonDays]. */
export function assertSchedule(preferred: Date, now: Date, horizonDays: number): void {
  if (preferred.getTime() <= now.getTime()) throw RequestErrors.scheduleInPast();
  if (preferred.getTime() > now.getTime() + horizonDays * DAY_MS) throw RequestErrors.scheduleTooFar(horizonDays);
}
