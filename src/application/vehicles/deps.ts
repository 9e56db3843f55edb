import type { CustomerVehicle, VehiclePhotoType } from '../../domain/customer/vehicle.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { ImageCheck, IncomingFile } from '../photos/incoming-file.js';
import type { ObjectDeleter } from '../photos/object-deleter.js';
import type { OwnedPhotoLinks, OwnedPhotoView } from '../photos/owned-photo-links.js';

/** A vehicle's photo as callers see it: an owned photo without the owner (the vehicle it is listed under). */
export type VehiclePhotoView = Omit<OwnedPhotoView, 'ownerId'>;

export type VehicleView = CustomerVehicle & { photos: VehiclePhotoView[] };

/** What the vehicle use cases that store photos need. */
export interface VehicleDeps {
  uow: UnitOfWork;
  storage: ObjectStorage;
  deleter: ObjectDeleter;
  links: OwnedPhotoLinks;
  ids: IdGenerator;
  clock: Clock;
  /** maxVehicles and maxStoredBytes: the per-customer quotas (absent: none). */
  limits: { maxBytes: number; maxVehicles?: number; maxStoredBytes?: number };
  check: ImageCheck;
}

/** A vehicle's photo as uploaded: the file and the type the customer gave it. */
export interface TypedFile {
  file: IncomingFile;
  type: VehiclePhotoType;
}
