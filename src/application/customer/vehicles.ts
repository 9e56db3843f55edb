import {
  checkVehiclePhotoSet,
  MAX_VEHICLE_PHOTOS,
  normaliseVehicleFields,
  VehicleErrors,
  vehiclePhotoKey,
  type CustomerVehicle,
  type VehicleClass,
  type VehicleInput,
  type VehiclePatch,
  type VehiclePhotoType,
} from '../../domain/customer/vehicle.js';
import type { ImageType } from '../../domain/inspection/photo.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { NewOwnedPhoto } from '../../ports/customer-vehicles.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { ObjectDeleter } from '../photos/object-deleter.js';
import { assertDecodable, checkUploadShape, type ImageCheck, type IncomingFile } from '../photos/incoming-file.js';
import type { OwnedPhotoLinks, OwnedPhotoView } from './owned-photos.js';
import { assertStorageQuota, serialiseCustomer } from './storage-quota.js';

/** A vehicle's photo as callers see it: an owned photo without the owner (the vehicle it is listed under). */
export type VehiclePhotoView = Omit<OwnedPhotoView, 'ownerId'>;

export type VehicleView = CustomerVehicle & { photos: VehiclePhotoView[] };

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

interface Uploaded {
  id: string;
  key: string;
  contentType: ImageType;
  file: IncomingFile;
  type: VehiclePhotoType;
}

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

async function withPhotos(
  tx: TransactionalPorts,
  links: OwnedPhotoLinks,
  vehicles: CustomerVehicle[],
): Promise<VehicleView[]> {
  const photos = await tx.customerVehicles.listPhotos(vehicles.map((v) => v.id));
  const shown = async (v: CustomerVehicle) =>
    (await links.views(photos.filter((p) => p.ownerId === v.id))).map(({ ownerId: _o, ...p }) => p);
  return Promise.all(vehicles.map(async (v) => ({ ...v, photos: await shown(v) })));
}

async function ownedOr404(tx: TransactionalPorts, actor: Actor, id: string, lock = false): Promise<CustomerVehicle> {
  const v = lock
    ? await tx.customerVehicles.findOwnedForUpdate(actor.userId, id)
    : await tx.customerVehicles.findOwned(actor.userId, id);
  if (!v) throw VehicleErrors.notFound();
  return v;
}

/**
 * Uploads photos for a vehicle before any row is written, and records the objects for deletion when the
 * work that should reference them fails (the caller then rethrows).
 */
class PhotoUploads {
  constructor(private readonly d: VehicleDeps) {}

  async upload(vehicleId: string, photos: TypedFile[], contentTypes: ImageType[]): Promise<Uploaded[]> {
    const done: Uploaded[] = [];
    try {
      for (const [i, p] of photos.entries()) {
        const id = this.d.ids.next();
        const contentType = contentTypes[i] as ImageType;
        const key = vehiclePhotoKey(vehicleId, id, contentType);
        await this.d.storage.put(key, p.file.open(), { contentType, size: p.file.size });
        done.push({ id, key, contentType, file: p.file, type: p.type });
      }
      return done;
    } catch (e) {
      await this.discard(done);
      throw e;
    }
  }

  rows(vehicleId: string, uploaded: Uploaded[]): NewOwnedPhoto[] {
    return uploaded.map((u, i) => ({
      id: u.id,
      ownerId: vehicleId,
      type: u.type,
      storageKey: u.key,
      storageDriver: this.d.storage.driver,
      contentType: u.contentType,
      sizeBytes: u.file.size,
      sha256: u.file.sha256,
      sortOrder: i,
    }));
  }

  async discard(uploaded: Array<{ key: string }>): Promise<void> {
    if (uploaded.length === 0) return;
    await this.d.uow.run((tx) =>
      tx.deletions.enqueue(
        uploaded.map((u) => ({ driver: this.d.storage.driver, key: u.key })),
        this.d.clock.now(),
      ),
    );
    await this.d.deleter.sweep();
  }
}

/** The caller's vehicles, newest first, optionally of one class. */
export class ListMyVehicles {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: OwnedPhotoLinks,
  ) {}

  async execute(
    actor: Actor,
    filter: { vehicleClass?: VehicleClass },
    page: Partial<PageRequest>,
  ): Promise<Page<VehicleView>> {
    return this.uow.run(async (tx) => {
      const p = await tx.customerVehicles.listOwned(actor.userId, filter, normalisePage(page));
      return { ...p, items: await withPhotos(tx, this.links, p.items) };
    });
  }
}

/** One of the caller's vehicles; another customer's is VEHICLE.NOT_FOUND. */
export class GetMyVehicle {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: OwnedPhotoLinks,
  ) {}

  async execute(actor: Actor, id: string): Promise<VehicleView> {
    return this.uow.run(
      async (tx) => (await withPhotos(tx, this.links, [await ownedOr404(tx, actor, id)]))[0] as VehicleView,
    );
  }
}

/** The per-customer vehicle quota: 409 VEHICLE.QUOTA_EXCEEDED once `max` vehicles are registered. */
function assertVehicleQuota(owned: string[], max: number | undefined): void {
  if (max !== undefined && owned.length >= max) {
    throw VehicleErrors.quotaExceeded(max);
  }
}

const bytesOf = (photos: TypedFile[]): number => photos.reduce((n, p) => n + p.file.size, 0);

/**
 * Registers a vehicle with its photos (1..10, exactly one FRONT). The plate is normalised and unique among
 * the customer's vehicles (compact-compared); a duplicate is VEHICLE.DUPLICATE_PLATE. Photos are uploaded
 * first and the vehicle and photo rows written in one transaction; if that fails, the uploads are deleted.
 * The vehicle and storage quotas are checked before the upload and again, exactly, in that transaction.
 */
export class CreateVehicle {
  private readonly uploads: PhotoUploads;

  constructor(private readonly d: VehicleDeps) {
    this.uploads = new PhotoUploads(d);
  }

  /** The file checks alone, so that a driving adapter can refuse bad files before reading other fields. */
  checkFiles(files: IncomingFile[]): void {
    checkVehicleFiles(files, this.d.limits);
  }

  async execute(actor: Actor, input: VehicleInput, photos: TypedFile[]): Promise<VehicleView> {
    const contentTypes = checkVehicleFiles(
      photos.map((p) => p.file),
      this.d.limits,
    );
    await assertDecodable(
      photos.map((p) => p.file),
      this.d.check,
    );
    checkVehiclePhotoSet(photos.map((p) => p.type));
    const fields = normaliseVehicleFields(
      { colour: null, specification: {}, serviceHistory: [], ...input },
      this.d.clock.now(),
    );
    // Fail fast on a known duplicate before uploading; the unique index decides under concurrency.
    if (await this.d.uow.run((tx) => tx.customerVehicles.findOwnedByPlate(actor.userId, fields.plateNumber)))
      throw VehicleErrors.duplicatePlate(fields.plateNumber);
    const quotas = async (tx: TransactionalPorts) => {
      assertVehicleQuota(await tx.customerVehicles.idsOwnedBy(actor.userId), this.d.limits.maxVehicles);
      await assertStorageQuota(tx, actor.userId, bytesOf(photos), this.d.limits.maxStoredBytes);
    };
    await this.d.uow.run(quotas);
    const vehicleId = this.d.ids.next();
    const uploaded = await this.uploads.upload(vehicleId, photos, contentTypes);
    try {
      return await this.d.uow.run(async (tx) => {
        const now = this.d.clock.now();
        await serialiseCustomer(tx, actor.userId);
        await quotas(tx);
        const vehicle = await tx.customerVehicles.create({ id: vehicleId, customerId: actor.userId, ...fields }, now);
        await tx.customerVehicles.replacePhotos(vehicleId, this.uploads.rows(vehicleId, uploaded), now);
        await tx.audit.record(
          {
            actorId: actor.userId,
            action: 'VEHICLE_CREATED',
            entity: 'customer_vehicle',
            entityId: vehicleId,
            metadata: { plateNumber: vehicle.plateNumber, vehicleClass: vehicle.vehicleClass, photos: uploaded.length },
          },
          now,
        );
        return (await withPhotos(tx, this.d.links, [vehicle]))[0] as VehicleView;
      });
    } catch (e) {
      await this.uploads.discard(uploaded);
      throw e;
    }
  }
}

/** Changes fields of the caller's vehicle; a new plate is normalised and re-checked for uniqueness. */
export class UpdateVehicle {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: OwnedPhotoLinks,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, id: string, input: VehiclePatch): Promise<VehicleView> {
    const patch = normaliseVehicleFields(input, this.clock.now());
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      await ownedOr404(tx, actor, id, true);
      const vehicle = (await tx.customerVehicles.update(id, patch, now)) as CustomerVehicle;
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'VEHICLE_UPDATED',
          entity: 'customer_vehicle',
          entityId: id,
          metadata: { fields: Object.keys(patch).sort() },
        },
        now,
      );
      return (await withPhotos(tx, this.links, [vehicle]))[0] as VehicleView;
    });
  }
}

/**
 * Deletes the caller's vehicle and its photo objects (after the commit, through the deletion queue).
 * Refused with VEHICLE.IN_USE while an open inspection request (not DONE or CANCELLED) uses it; finished
 * requests keep their snapshot (class, price) and lose only the link (ON DELETE SET NULL).
 */
export class DeleteVehicle {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly deleter: ObjectDeleter,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, id: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const now = this.clock.now();
      const vehicle = await ownedOr404(tx, actor, id, true);
      const open = await tx.customerVehicles.countOpenRequests(id);
      if (open > 0) throw VehicleErrors.inUse(open);
      const photos = await tx.customerVehicles.listPhotos([id]);
      await tx.customerVehicles.delete(id);
      await tx.deletions.enqueue(
        photos.map((p) => ({ driver: p.storageDriver, key: p.storageKey })),
        now,
      );
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'VEHICLE_DELETED',
          entity: 'customer_vehicle',
          entityId: id,
          metadata: { plateNumber: vehicle.plateNumber, photos: photos.length },
        },
        now,
      );
    });
    await this.deleter.sweep();
  }
}

/**
 * Replaces the whole photo set of the caller's vehicle (1..10, exactly one FRONT): the new files are uploaded
 * first, the rows swapped in one transaction, then the old objects deleted. On failure the new uploads are
 * deleted and the old set stays as it was.
 */
export class ReplaceVehiclePhotos {
  private readonly uploads: PhotoUploads;

  constructor(private readonly d: VehicleDeps) {
    this.uploads = new PhotoUploads(d);
  }

  checkFiles(files: IncomingFile[]): void {
    checkVehicleFiles(files, this.d.limits);
  }

  async execute(actor: Actor, id: string, photos: TypedFile[]): Promise<VehicleView> {
    const contentTypes = checkVehicleFiles(
      photos.map((p) => p.file),
      this.d.limits,
    );
    await assertDecodable(
      photos.map((p) => p.file),
      this.d.check,
    );
    checkVehiclePhotoSet(photos.map((p) => p.type));
    // The new set replaces the old one: only the difference counts against the storage quota.
    const quota = async (tx: TransactionalPorts) => {
      const previous = await tx.customerVehicles.listPhotos([id]);
      await assertStorageQuota(
        tx,
        actor.userId,
        bytesOf(photos),
        this.d.limits.maxStoredBytes,
        previous.reduce((n, p) => n + p.sizeBytes, 0),
      );
    };
    await this.d.uow.run(async (tx) => {
      await ownedOr404(tx, actor, id);
      await quota(tx);
    });
    const uploaded = await this.uploads.upload(id, photos, contentTypes);
    let view: VehicleView;
    try {
      view = await this.d.uow.run(async (tx) => {
        const now = this.d.clock.now();
        await serialiseCustomer(tx, actor.userId);
        const vehicle = await ownedOr404(tx, actor, id, true);
        await quota(tx);
        const { previous } = await tx.customerVehicles.replacePhotos(id, this.uploads.rows(id, uploaded), now);
        await tx.deletions.enqueue(
          previous.map((p) => ({ driver: p.storageDriver, key: p.storageKey })),
          now,
        );
        const touched = (await tx.customerVehicles.update(id, {}, now)) ?? vehicle;
        await tx.audit.record(
          {
            actorId: actor.userId,
            action: 'VEHICLE_UPDATED',
            entity: 'customer_vehicle',
            entityId: id,
            metadata: { photosReplaced: previous.length, photos: uploaded.length },
          },
          now,
        );
        return (await withPhotos(tx, this.d.links, [touched]))[0] as VehicleView;
      });
    } catch (e) {
      await this.uploads.discard(uploaded);
      throw e;
    }
    await this.d.deleter.sweep();
    return view;
  }
}
