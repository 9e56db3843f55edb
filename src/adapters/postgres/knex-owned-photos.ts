import type { OwnedPhoto, VehiclePhotoType } from '../../domain/customer/vehicle.js';
import type { NewOwnedPhoto } from '../../ports/customer-vehicles.js';

type Row = Record<string, unknown>;

/**
 * The owner column of customer_vehicle_photos (vehicle_id) and customer_request_photos (request_id); the
 * two tables have the same columns otherwise.
 */
export type OwnerColumn = 'vehicle_id' | 'request_id';

/** Reads an owned photo from a row of the table whose owner column is `owner`. */
export const ownedPhotoFrom =
  (owner: OwnerColumn) =>
  (r: Row): OwnedPhoto => ({
    id: r.id as string,
    ownerId: r[owner] as string,
    type: r.type as VehiclePhotoType,
    storageKey: r.storage_key as string,
    storageDriver: r.storage_driver as string,
    contentType: r.content_type as string,
    sizeBytes: Number(r.size_bytes),
    sha256: r.sha256 as string,
    sortOrder: r.sort_order as number,
    createdAt: r.created_at as Date,
  });

/** The row to insert for a photo of `ownerId`. */
export const ownedPhotoRow = (owner: OwnerColumn, ownerId: string, p: NewOwnedPhoto, createdAt: Date): Row => ({
  id: p.id,
  [owner]: ownerId,
  type: p.type,
  storage_key: p.storageKey,
  storage_driver: p.storageDriver,
  content_type: p.contentType,
  size_bytes: p.sizeBytes,
  sha256: p.sha256,
  sort_order: p.sortOrder,
  created_at: createdAt,
});
