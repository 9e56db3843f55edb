import type { ContainerModule } from 'inversify';
import { vehicleHandlers } from '../../../adapters/http/handlers/vehicle-handlers.js';
import { OwnedPhotoLinks } from '../../../application/photos/owned-photo-links.js';
import { CreateVehicle } from '../../../application/vehicles/create-vehicle.js';
import { DeleteVehicle } from '../../../application/vehicles/delete-vehicle.js';
import { GetMyVehicle } from '../../../application/vehicles/get-my-vehicle.js';
import { ListMyVehicles } from '../../../application/vehicles/list-my-vehicles.js';
import { ReplaceVehiclePhotos } from '../../../application/vehicles/replace-vehicle-photos.js';
import { UpdateVehicle } from '../../../application/vehicles/update-vehicle.js';
import type { VehicleDeps } from '../../../application/vehicles/deps.js';
import { ObjectDeleter } from '../../../application/photos/object-deleter.js';
import { Clock } from '../../../ports/clock.js';
import { IdGenerator } from '../../../ports/id-generator.js';
import { ObjectStorage } from '../../../ports/object-storage.js';
import { UnitOfWork } from '../../../ports/unit-of-work.js';
import { Tokens } from '../../tokens.js';
import { featureModule, type Get } from '../feature-module.js';
import { imageCheck } from './deps.js';

/** A customer's vehicles with their photos. */
export const vehiclesFeature = (): ContainerModule =>
  featureModule((b) => {
    const vehicleDeps = (g: Get): VehicleDeps => ({
      uow: g(UnitOfWork),
      storage: g(ObjectStorage),
      deleter: g(ObjectDeleter),
      links: g(OwnedPhotoLinks),
      ids: g(IdGenerator),
      clock: g(Clock),
      limits: {
        maxBytes: g(Tokens.Config).photos.maxBytes,
        maxVehicles: g(Tokens.Config).customer.maxVehicles,
        maxStoredBytes: g(Tokens.Config).customer.maxStoredBytes,
      },
      check: imageCheck(g),
    });
    b.factory(ListMyVehicles, (g) => new ListMyVehicles(g(UnitOfWork), g(OwnedPhotoLinks)));
    b.factory(GetMyVehicle, (g) => new GetMyVehicle(g(UnitOfWork), g(OwnedPhotoLinks)));
    b.factory(CreateVehicle, (g) => new CreateVehicle(vehicleDeps(g)));
    b.factory(UpdateVehicle, (g) => new UpdateVehicle(g(UnitOfWork), g(OwnedPhotoLinks), g(Clock)));
    b.factory(DeleteVehicle, (g) => new DeleteVehicle(g(UnitOfWork), g(ObjectDeleter), g(Clock)));
    b.factory(ReplaceVehiclePhotos, (g) => new ReplaceVehiclePhotos(vehicleDeps(g)));
    b.handlers((g) =>
      vehicleHandlers(
        {
          createVehicle: g(CreateVehicle),
          deleteVehicle: g(DeleteVehicle),
          getMyVehicle: g(GetMyVehicle),
          listMyVehicles: g(ListMyVehicles),
          replaceVehiclePhotos: g(ReplaceVehiclePhotos),
          updateVehicle: g(UpdateVehicle),
        },
        g(Tokens.ApiSpec),
      ),
    );
  });
