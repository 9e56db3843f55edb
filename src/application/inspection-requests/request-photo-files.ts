import { VEHICLE_PHOTO_TYPES, type VehiclePhotoType } from '../../domain/customer/vehicle.js';
import { EXTENSION_OF, type ImageType } from '../../domain/inspection/photo.js';
import { invalidInput } from '../../domain/shared/domain-error.js';
import { checkUploads, type ImageCheck, type IncomingFile } from '../photos/incoming-file.js';
import { MAX_REQUEST_PHOTOS } from './deps.js';

/** Count, size and type (by magic bytes) of every file, checked before anything is looked up or stored. */
export function checkRequestPhotos(files: IncomingFile[], maxBytes: number, check: ImageCheck): Promise<ImageType[]> {
  return checkUploads(files, { field: 'photos', maxFiles: MAX_REQUEST_PHOTOS, maxBytes }, check);
}

/** One VehiclePhotoType per file (400 VALIDATION.FAILED on a wrong count or value); OTHER for every file when absent. */
export function photoTypesOf(given: string[] | undefined, count: number): VehiclePhotoType[] {
  if (given === undefined) return Array.from({ length: count }, () => 'OTHER');
  const bad = (message: string) => invalidInput('/body/photoTypes', message);
  if (given.length !== count) throw bad(`has ${given.length} types for ${count} files`);
  for (const t of given)
    if (!(VEHICLE_PHOTO_TYPES as readonly string[]).includes(t))
      throw bad(`${t} is not one of ${VEHICLE_PHOTO_TYPES.join(', ')}`);
  return given as VehiclePhotoType[];
}

/** The storage key of a request's attachment photo. */
export const requestPhotoKey = (requestId: string, photoId: string, type: ImageType): string =>
  `customer-requests/${requestId}/photos/${photoId}.${EXTENSION_OF[type]}`;
