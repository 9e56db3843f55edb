import { normaliseVehicleFields, VehicleErrors, type VehicleInput } from '../../domain/customer/vehicle.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { assertStorageQuota, serialiseCustomer } from '../customer-storage/storage-quota.js';
import type { IncomingFile } from '../photos/incoming-file.js';
import type { TypedFile, VehicleDeps, VehicleView } from './deps.js';
import {
  assertVehicleQuota,
  bytesOf,
  checkVehicleFiles,
  checkVehiclePhotos,
  uploadVehiclePhotos,
  viewOf,
} from './vehicle-helpers.js';

/**
 * Registers a vehicle with its photos (1..10, exactly one FRONT). The plate is normalised and unique among
 * the customer's vehicles (compact-compared); a duplicate is VEHICLE.DUPLICATE_PLATE. Photos are uploaded
 * first and the vehicle and photo rows written in one transaction; if that fails, the uploads are deleted.
 * The vehicle and storage quotas are checked before the upload and again, exactly, in that transaction.
 */
export class CreateVehicle {
  constructor(private readonly d: VehicleDeps) {}

  /** The file checks alone, so that a driving adapter can refuse bad files before reading other fields. */
  checkFiles(files: IncomingFile[]): void {
    checkVehicleFiles(files, this.d.limits);
  }

  /** `photos`: 1..10 files, each with its type (exactly one FRONT). */
  async execute(actor: Actor, input: VehicleInput, photos: TypedFile[]): Promise<VehicleView> {
    const contentTypes = await checkVehiclePhotos(photos, this.d);
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
    return uploadVehiclePhotos(this.d, vehicleId, photos, contentTypes, (rows) =>
      this.d.uow.run(async (tx) => {
        const now = this.d.clock.now();
        await serialiseCustomer(tx, actor.userId);
        await quotas(tx);
        const vehicle = await tx.customerVehicles.create({ id: vehicleId, customerId: actor.userId, ...fields }, now);
        await tx.customerVehicles.replacePhotos(vehicleId, rows, now);
        await tx.audit.record(
          {
            actorId: actor.userId,
            action: 'VEHICLE_CREATED',
            entity: 'customer_vehicle',
            entityId: vehicleId,
            metadata: { plateNumber: vehicle.plateNumber, vehicleClass: vehicle.vehicleClass, photos: rows.length },
          },
          now,
        );
        return viewOf(tx, this.d.links, vehicle);
      }),
    );
  }
}
