import {
  checkVehiclePhotoSet,
  MAX_VEHICLE_PHOTOS,
  VehicleErrors,
  vehiclePhotoKey,
  type CustomerVehicle,
} from '../../domain/customer/vehicle.js';
import type { ImageType } from '../../domain/inspection/photo.js';
import type { NewOwnedPhoto } from '../../ports/customer-vehicles.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { assertDecodable, checkUploadShape, type IncomingFile } from '../photos/incoming-file.js';
import type { OwnedPhotoLinks } from '../photos/owned-photo-links.js';
import { uploadThenRecord, type UploadedPhoto } from '../photos/photo-upload.js';
import type { TypedFile, VehicleDeps, VehicleView } from './deps.js';

/**
 * Every file is checked (count, size, image type by magic bytes) before anything else of the request, and
 * before anything is stored, like every photo upload (checkUploadShape): PHOTO.NO_FILE, PHOTO.TOO_MANY,
 * PHOTO.TOO_LARGE (413), PHOTO.UNSUPPORTED_TYPE (415).
 */
export function checkVehicleFiles(files: IncomingFile[], limits: { maxBytes: number }): ImageType[] {
  return checkUploadShape(files, {
    field: 'photos',
    maxFiles: MAX_VEHICLE_PHOTOS,
    maxBytes: limits.maxBytes,
    required: 'Attach at least the FRONT photo.',
  });
}

/** `checkVehicleFiles`, every file decoded whole, then the set (exactly one FRONT); returns the file types. */
export async function checkVehiclePhotos(photos: TypedFile[], d: Pick<VehicleDeps, 'limits' | 'check'>) {
  const contentTypes = checkVehicleFiles(
    photos.map((p) => p.file),
    d.limits,
  );
  await assertDecodable(
    photos.map((p) => p.file),
    d.check,
  );
  checkVehiclePhotoSet(photos.map((p) => p.type));
  return contentTypes;
}

/** The vehicles with their photos (signed URLs). */
export async function withPhotos(
  tx: TransactionalPorts,
  links: OwnedPhotoLinks,
  vehicles: CustomerVehicle[],
): Promise<VehicleView[]> {
  const photos = await tx.customerVehicles.listPhotos(vehicles.map((v) => v.id));
  const shown = async (v: CustomerVehicle) =>
    (await links.views(photos.filter((p) => p.ownerId === v.id))).map(({ ownerId: _o, ...p }) => p);
  return Promise.all(vehicles.map(async (v) => ({ ...v, photos: await shown(v) })));
}

/** One vehicle with its photos. */
export async function viewOf(
  tx: TransactionalPorts,
  links: OwnedPhotoLinks,
  vehicle: CustomerVehicle,
): Promise<VehicleView> {
  return (await withPhotos(tx, links, [vehicle]))[0] as VehicleView;
}

/** The caller's vehicle (locked when `lock`); another customer's is VEHICLE.NOT_FOUND. */
export async function ownedOr404(
  tx: TransactionalPorts,
  actor: Actor,
  id: string,
  lock = false,
): Promise<CustomerVehicle> {
  const v = lock
    ? await tx.customerVehicles.findOwnedForUpdate(actor.userId, id)
    : await tx.customerVehicles.findOwned(actor.userId, id);
  if (!v) throw VehicleErrors.notFound();
  return v;
}

/** The per-customer vehicle quota: 409 VEHICLE.QUOTA_EXCEEDED once `max` vehicles are registered. */
export function assertVehicleQuota(owned: string[], max: number | undefined): void {
  if (max !== undefined && owned.length >= max) {
    throw VehicleErrors.quotaExceeded(max);
  }
}

export const bytesOf = (photos: TypedFile[]): number => photos.reduce((n, p) => n + p.file.size, 0);

function rowsOf(d: VehicleDeps, vehicleId: string, photos: TypedFile[], uploaded: UploadedPhoto[]): NewOwnedPhoto[] {
  return uploaded.map((u, i) => ({
    id: u.id,
    ownerId: vehicleId,
    type: (photos[i] as TypedFile).type,
    storageKey: u.key,
    storageDriver: d.storage.driver,
    contentType: u.contentType,
    sizeBytes: u.file.size,
    sha256: u.file.sha256,
    sortOrder: i,
  }));
}

/**
 * A vehicle's photos through the one photo-upload flow (uploadThenRecord): uploaded before any row is
 * written, then `record` gets the photo rows to write; when it fails, the uploads are deleted.
 */
export function uploadVehiclePhotos<T>(
  d: VehicleDeps,
  vehicleId: string,
  photos: TypedFile[],
  contentTypes: ImageType[],
  record: (rows: NewOwnedPhoto[]) => Promise<T>,
): Promise<T> {
  return uploadThenRecord(
    d,
    { files: photos.map((p) => p.file), contentTypes, keyOf: (id, type) => vehiclePhotoKey(vehicleId, id, type) },
    (uploaded) => record(rowsOf(d, vehicleId, photos, uploaded)),
  );
}
