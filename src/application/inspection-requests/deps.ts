import type { CustomerInspectionRequest, RequestStatusChange } from '../../domain/customer/inspection-request.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { ImageCheck } from '../photos/incoming-file.js';
import type { ObjectDeleter } from '../photos/object-deleter.js';
import type { OwnedPhotoView } from '../photos/owned-photo-links.js';

/** The audit entity of every request action (CREATE, UPDATE, STATUS_CHANGE, ASSIGN). */
export const REQUEST_ENTITY = 'customer_inspection_request';
/** Attachment photos a request may have in total. */
export const MAX_REQUEST_PHOTOS = 10;

/** What creating a request needs. */
export interface RequestDeps {
  uow: UnitOfWork;
  ids: IdGenerator;
  clock: Clock;
  /** The preferred schedule may be at most this many days ahead. */
  scheduleHorizonDays: number;
  /** Open (not DONE or CANCELLED) requests one customer may have at once; absent: no quota. */
  maxOpenRequests?: number;
}

/** What attaching photos to a request needs. */
export interface RequestPhotoDeps {
  uow: UnitOfWork;
  ids: IdGenerator;
  clock: Clock;
  storage: ObjectStorage;
  deleter: ObjectDeleter;
  maxBytes: number;
  check: ImageCheck;
  /** The per-customer storage quota (CUSTOMER_MAX_STORED_MB); absent: none. */
  maxStoredBytes?: number;
}

/** A request's attachment as callers see it (the owner is the request). */
export type RequestPhotoView = OwnedPhotoView;

/** A request with its status history and photos (GetMyInspectionRequest, GetInspectionRequest). */
export interface RequestDetail {
  request: CustomerInspectionRequest;
  statusHistory: RequestStatusChange[];
  photos: RequestPhotoView[];
}
