import type {
  CustomerInspectionRequest,
  CustomerInspectionStatus,
  RequestPaymentStatus,
  RequestStatusChange,
} from '../domain/customer/inspection-request.js';
import type { OwnedPhoto } from '../domain/customer/vehicle.js';
import type { VehicleClass } from '../domain/customer/vehicle-class.js';
import type { Page, PageRequest } from '../domain/shared/pagination.js';

export type NewInspectionRequest = Omit<
  CustomerInspectionRequest,
  'status' | 'assigneeId' | 'paymentStatus' | 'paymentWaiverReason' | 'inspectionId' | 'createdAt' | 'updatedAt'
>;

export type InspectionRequestPatch = Partial<
  Pick<CustomerInspectionRequest, 'status' | 'assigneeId' | 'paymentStatus' | 'paymentWaiverReason' | 'inspectionId'>
>;

export interface InspectionRequestFilter {
  customerId?: string;
  status?: CustomerInspectionStatus[];
  assigneeId?: string;
  vehicleClass?: VehicleClass[];
  paymentStatus?: RequestPaymentStatus[];
  /** Half-open range [scheduleFrom, scheduleTo) of the preferred schedule. */
  scheduleFrom?: Date;
  scheduleTo?: Date;
}

/**
 * Customers' inspection requests, with their status history and photos. Owned by the request workflow, which
 * adds the methods it needs; the first four methods are what payments and the history rely on.
 */
export interface InspectionRequestRepository {
  /** The request, or null when there is none (ownership is the caller's check). */
  findById(id: string): Promise<CustomerInspectionRequest | null>;
  /** Like findById, and holds the request until the unit of work ends: a concurrent writer of it waits. */
  findByIdForUpdate(id: string): Promise<CustomerInspectionRequest | null>;
  /** Sets the payment status (the payment feature's webhook and checkout). */
  setPaymentStatus(id: string, status: RequestPaymentStatus, now: Date): Promise<CustomerInspectionRequest | null>;
  /** Ids of the inspections that resulted from a customer's requests (the history's ownership rule). */
  inspectionIdsOf(customerId: string): Promise<string[]>;

  /** Stores a new request: NOT_STARTED, UNPAID, unassigned, no inspection. */
  create(request: NewInspectionRequest, now: Date): Promise<CustomerInspectionRequest>;
  /** Applies the patch (undefined fields untouched) and bumps updatedAt; null when missing. */
  update(id: string, patch: InspectionRequestPatch, now: Date): Promise<CustomerInspectionRequest | null>;
  /** Newest created first, then id. */
  list(filter: InspectionRequestFilter, page: PageRequest): Promise<Page<CustomerInspectionRequest>>;
  /** The request an inspection resulted from, if any. */
  findByInspectionId(inspectionId: string): Promise<CustomerInspectionRequest | null>;
  /** Appends a row to the request's status history (actor id and role, from, to, reason). */
  recordStatusChange(change: RequestStatusChange): Promise<void>;
  /** Oldest first. */
  statusHistory(requestId: string): Promise<RequestStatusChange[]>;
  /** Attachment photos (ownerId is the request id). */
  addPhoto(photo: OwnedPhoto): Promise<OwnedPhoto>;
  /** In sortOrder, then creation. */
  listPhotos(requestId: string): Promise<OwnedPhoto[]>;
  /** Removes one attachment of the request; the removed photo, or null when the request has no such photo. */
  deletePhoto(requestId: string, photoId: string): Promise<OwnedPhoto | null>;
  /** Bytes of every photo of every request of the customer, open or not (the storage quota). */
  photoBytesOf(customerId: string): Promise<number>;
}
export const InspectionRequestRepository = Symbol('InspectionRequestRepository');
