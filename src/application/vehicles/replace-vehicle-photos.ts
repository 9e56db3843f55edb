import type { NewOwnedPhoto } from '../../ports/customer-vehicles.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { assertStorageQuota, serialiseCustomer } from '../customer-storage/storage-quota.js';
import type { IncomingFile } from '../photos/incoming-file.js';
import type { TypedFile, VehicleDeps, VehicleView } from './deps.js';
import {
  bytesOf,
  checkVehicleFiles,
  checkVehiclePhotos,
  ownedOr404,
  uploadVehiclePhotos,
  viewOf,
} from './vehicle-helpers.js';

/**
 * Replaces the whole photo set of the caller's vehicle (1..10, exactly one FRONT): the new files are uploaded
 * first, the rows swapped in one transaction, then the old objects deleted. On failure the new uploads are
 * deleted and the old set stays as it was.
 */
export class ReplaceVehiclePhotos {
  constructor(private readonly d: VehicleDeps) {}

  /** The file checks alone, so that a driving adapter can refuse bad files before reading other fields. */
  checkFiles(files: IncomingFile[]): void {
    checkVehicleFiles(files, this.d.limits);
  }

  /** `photos`: the new set, 1..10 files, each with its type (exactly one FRONT). */
  async execute(actor: Actor, id: string, photos: TypedFile[]): Promise<VehicleView> {
    const contentTypes = await checkVehiclePhotos(photos, this.d);
    await this.d.uow.run(async (tx) => {
      await ownedOr404(tx, actor, id);
      await this.quota(tx, actor, id, photos);
    });
    const view = await uploadVehiclePhotos(this.d, id, photos, contentTypes, (rows) =>
      this.d.uow.run((tx) => this.swap(tx, actor, id, photos, rows)),
    );
    await this.d.deleter.sweep();
    return view;
  }

  /** The new set replaces the old one: only the difference counts against the storage quota. */
  private async quota(tx: TransactionalPorts, actor: Actor, id: string, photos: TypedFile[]): Promise<void> {
    const previous = await tx.customerVehicles.listPhotos([id]);
    await assertStorageQuota(
      tx,
      actor.userId,
      bytesOf(photos),
      this.d.limits.maxStoredBytes,
      previous.reduce((n, p) => n + p.sizeBytes, 0),
    );
  }

  private async swap(
    tx: TransactionalPorts,
    actor: Actor,
    id: string,
    photos: TypedFile[],
    rows: NewOwnedPhoto[],
  ): Promise<VehicleView> {
    const now = this.d.clock.now();
    await serialiseCustomer(tx, actor.userId);
    const vehicle = await ownedOr404(tx, actor, id, true);
    await this.quota(tx, actor, id, photos);
    const { previous } = await tx.customerVehicles.replacePhotos(id, rows, now);
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
        metadata: { photosReplaced: previous.length, photos: rows.length },
      },
      now,
    );
    return viewOf(tx, this.d.links, touched);
  }
}
