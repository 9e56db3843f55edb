import type { CreateVehicle } from '../../../application/vehicles/create-vehicle.js';
import type { DeleteVehicle } from '../../../application/vehicles/delete-vehicle.js';
import type { GetMyVehicle } from '../../../application/vehicles/get-my-vehicle.js';
import type { ListMyVehicles } from '../../../application/vehicles/list-my-vehicles.js';
import type { ReplaceVehiclePhotos } from '../../../application/vehicles/replace-vehicle-photos.js';
import type { UpdateVehicle } from '../../../application/vehicles/update-vehicle.js';
import type { Response } from 'express';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { TypedFile } from '../../../application/vehicles/deps.js';
import { parsePhotoTypes, type VehicleInput, type VehiclePatch } from '../../../domain/customer/vehicle.js';
import type { VehicleClass } from '../../../domain/customer/vehicle-class.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { actorOf } from '../auth.js';
import { filesOf } from '../multipart.js';
import { toErrorDetails, type ApiSpec } from '../openapi.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';
import { assertSafeKeys } from '../../../domain/shared/safe-keys.js';

type Q = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const param = (res: Response, name: string) => String(validOf(res).params[name]);
const page = (q: Q) => ({ page: q.page as number | undefined, pageSize: q.pageSize as number | undefined });

// ajv-formats is CommonJS: under NodeNext its default import is the module object or the function itself.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const formatsModule = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formatsModule.default ?? formatsModule;

/** A validator of a schema in openapi.yaml's components (the multipart `data` field carries JSON). */
function componentValidator(spec: ApiSpec, name: string): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'example' });
  ajv.addSchema({ ...spec.document, $id: 'openapi' } as never);
  return ajv.compile({ $ref: `openapi#/components/schemas/${name}` });
}

/** The multipart `data` field: the vehicle as a JSON object (schema VehicleInput). */
function vehicleData(raw: unknown, validate: ValidateFunction): VehicleInput {
  const bad = (message: string) =>
    new DomainError('VALIDATION.FAILED', 'validation', 'The request is not valid.', [{ path: '/body/data', message }]);
  if (typeof raw !== 'string' || raw.trim() === '') throw bad('is required: the vehicle as a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw bad('must be a JSON object');
  }
  assertSafeKeys(parsed, '/body/data');
  if (!validate(parsed))
    throw new DomainError(
      'VALIDATION.FAILED',
      'validation',
      'The request is not valid.',
      toErrorDetails(validate.errors, '/body/data'),
    );
  return parsed as VehicleInput;
}

/** The uploaded `photos` paired with the `photoTypes` list (one type per file, in order). */
const typedFiles = (res: Response, check: (files: TypedFile['file'][]) => void): TypedFile[] => {
  const files = filesOf(res, 'photos');
  // The files are judged first: a non-image is 415 whatever the other fields say.
  check(files);
  const types = parsePhotoTypes(str((validOf(res).body as Q).photoTypes), files.length);
  return files.map((file, i) => ({ file, type: types[i] as TypedFile['type'] }));
};

/** The use cases these handlers call. */
export interface VehicleUseCases {
  createVehicle: CreateVehicle;
  deleteVehicle: DeleteVehicle;
  getMyVehicle: GetMyVehicle;
  listMyVehicles: ListMyVehicles;
  replaceVehiclePhotos: ReplaceVehiclePhotos;
  updateVehicle: UpdateVehicle;
}

/** The customer's vehicles: list, read, create (multipart with photos), update, delete and replace photos. */
export function vehicleHandlers(uc: VehicleUseCases, spec: ApiSpec): OperationHandlers {
  let validateInput: ValidateFunction | undefined;
  return {
    listMyVehicles: async (_req, res) => {
      const q = validOf(res).query as Q;
      res.json(
        await uc.listMyVehicles.execute(
          actorOf(res),
          { vehicleClass: q.vehicleClass as VehicleClass | undefined },
          page(q),
        ),
      );
    },
    createMyVehicle: async (_req, res) => {
      const photos = typedFiles(res, (files) => uc.createVehicle.checkFiles(files));
      validateInput ??= componentValidator(spec, 'VehicleInput');
      const input = vehicleData((validOf(res).body as Q).data, validateInput);
      const created = await uc.createVehicle.execute(actorOf(res), input, photos);
      res.status(201).location(`/api/v1/me/vehicles/${created.id}`).json(created);
    },
    getMyVehicle: async (_req, res) => {
      res.json(await uc.getMyVehicle.execute(actorOf(res), param(res, 'id')));
    },
    updateMyVehicle: async (_req, res) => {
      res.json(await uc.updateVehicle.execute(actorOf(res), param(res, 'id'), validOf(res).body as VehiclePatch));
    },
    deleteMyVehicle: async (_req, res) => {
      await uc.deleteVehicle.execute(actorOf(res), param(res, 'id'));
      res.status(204).end();
    },
    replaceMyVehiclePhotos: async (_req, res) => {
      const photos = typedFiles(res, (files) => uc.replaceVehiclePhotos.checkFiles(files));
      res.json(await uc.replaceVehiclePhotos.execute(actorOf(res), param(res, 'id'), photos));
    },
  };
}
