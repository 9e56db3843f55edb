import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { CancelMyInspectionRequest } from '../../../src/application/inspection-requests/cancel-my-inspection-request.js';
import { CreateMyInspectionRequest } from '../../../src/application/inspection-requests/create-my-inspection-request.js';
import { SetClassPrice } from '../../../src/application/pricing/set-class-price.js';
import { CreateVehicle } from '../../../src/application/vehicles/create-vehicle.js';
import { DeleteVehicle } from '../../../src/application/vehicles/delete-vehicle.js';
import { GetMyVehicle } from '../../../src/application/vehicles/get-my-vehicle.js';
import { ListMyVehicles } from '../../../src/application/vehicles/list-my-vehicles.js';
import { ReplaceVehiclePhotos } from '../../../src/application/vehicles/replace-vehicle-photos.js';
import { UpdateVehicle } from '../../../src/application/vehicles/update-vehicle.js';
import type { TypedFile, VehicleView } from '../../../src/application/vehicles/deps.js';
import type { VehicleInput, VehiclePhotoType } from '../../../src/domain/customer/vehicle.js';
import type { TestActor } from '../../support/actors.js';
import { fakeImageBytes, imageBytes } from '../../support/inspections.js';
import { as, code, DAY, fileOf, keysUnder, rejects, world, type World } from './fixtures.js';

describe('customer vehicle use cases (memory adapters, filesystem storage)', () => {
  let w: World;
  let customer: TestActor;
  let other: TestActor;

  async function setUp(env: Record<string, string> = {}) {
    w = world({ env });
    customer = await w.actors.create('CUSTOMER');
    other = await w.actors.create('CUSTOMER');
  }
  beforeEach(() => setUp());
  afterEach(() => w.cleanup());

  let seed = 0;
  const photo = (type: VehiclePhotoType, size = 2048, kind: 'jpeg' | 'png' | 'webp' = 'jpeg'): TypedFile => ({
    type,
    file: fileOf(imageBytes(kind, size, ++seed), `${type.toLowerCase()}.${kind}`),
  });
  const input = (over: Partial<VehicleInput> = {}): VehicleInput => ({
    plateNumber: 'ab1234cd',
    year: 2020,
    transmission: ' Automatic ',
    bodyType: 'SUV',
    brand: 'Toyota',
    model: 'Fortuner  2.4 VRZ',
    vehicleClass: 'LUXURY',
    ...over,
  });
  const create = (
    a: TestActor = customer,
    over: Partial<VehicleInput> = {},
    photos: TypedFile[] = [photo('FRONT'), photo('BACK', 3000, 'png')],
  ) => w.c.get(CreateVehicle).execute(as(a), input(over), photos);
  const objectsOf = (v: { id: string }) => keysUnder(w.storage, `customer-vehicles/${v.id}/`);
  const allVehicleObjects = () => keysUnder(w.storage, 'customer-vehicles/');

  describe('registering', () => {
    it('normalises the fields, stores the photos, then the rows, and audits VEHICLE_CREATED', async () => {
      const v = await create();
      expect(v).to.deep.include({
        customerId: customer.user.id,
        plateNumber: 'AB 1234 CD',
        transmission: 'Automatic',
        model: 'Fortuner 2.4 VRZ',
        colour: null,
        vehicleClass: 'LUXURY',
      });
      expect(v.specification).to.deep.equal({});
      expect(v.serviceHistory).to.deep.equal([]);
      expect(v.photos.map((p) => [p.type, p.sortOrder, p.contentType, p.sizeBytes])).to.deep.equal([
        ['FRONT', 0, 'image/jpeg', 2048],
        ['BACK', 1, 'image/png', 3000],
      ]);
      for (const p of v.photos) {
        expect(p).to.not.have.any.keys('ownerId', 'storageKey', 'storageDriver');
        expect(p.url).to.be.a('string').and.not.empty;
      }
      expect(await objectsOf(v)).to.have.members(
        v.photos.map(
          (p) => `customer-vehicles/${v.id}/photos/${p.id}.${p.contentType === 'image/png' ? 'png' : 'jpg'}`,
        ),
      );
      const [audit] = await w.audit({ action: 'VEHICLE_CREATED' });
      expect(audit).to.deep.include({ actorId: customer.user.id, entity: 'customer_vehicle', entityId: v.id });
      expect(audit?.metadata).to.deep.equal({ plateNumber: 'AB 1234 CD', vehicleClass: 'LUXURY', photos: 2 });
    });

    it('refuses a bad photo set before storing anything', async () => {
      const cases: Array<[TypedFile[], string]> = [
        [[], 'PHOTO.NO_FILE'],
        [Array.from({ length: 11 }, (_, i) => photo(i === 0 ? 'FRONT' : 'OTHER')), 'PHOTO.TOO_MANY'],
        [[photo('BACK'), photo('INTERIOR')], 'VEHICLE.FRONT_PHOTO_REQUIRED'],
        [[photo('FRONT'), photo('FRONT')], 'VEHICLE.MULTIPLE_FRONT_PHOTOS'],
        [[{ type: 'FRONT', file: fileOf(imageBytes('pdf'), 'front.pdf') }], 'PHOTO.UNSUPPORTED_TYPE'],
        [[{ type: 'FRONT', file: fileOf(fakeImageBytes('jpeg'), 'front.jpg') }], 'PHOTO.UNREADABLE'],
      ];
      for (const [photos, expected] of cases)
        expect(await code(create(customer, {}, photos)), expected).to.equal(expected);
      expect(await allVehicleObjects()).to.deep.equal([]);
      expect((await w.c.get(ListMyVehicles).execute(as(customer), {}, {})).total).to.equal(0);
    });

    it('refuses a file above PHOTO_MAX_MB with PHOTO.TOO_LARGE', async () => {
      w.cleanup();
      await setUp({ PHOTO_MAX_MB: '1' });
      expect(await code(create(customer, {}, [photo('FRONT', 1024 * 1024 + 1)]))).to.equal('PHOTO.TOO_LARGE');
      expect(await code(create(customer, {}, [photo('FRONT', 1024 * 1024)]))).to.equal('OK');
    });

    it('refuses fields a schema cannot check: plate shape, model year, blank text', async () => {
      for (const over of [
        { plateNumber: 'ABC' },
        { year: w.clock.now().getUTCFullYear() + 2 },
        { year: 1899 },
        { brand: '   ' },
      ]) {
        const e = await rejects(create(customer, over), 'VALIDATION.FAILED');
        expect(e.details[0]?.path, JSON.stringify(over)).to.equal(`/${Object.keys(over)[0]}`);
      }
      expect(await allVehicleObjects()).to.deep.equal([]);
    });

    it('a plate is unique per customer, compared compact: VEHICLE.DUPLICATE_PLATE; another customer may have it', async () => {
      await create();
      expect(await code(create(customer, { plateNumber: 'AB 1234-CD' }))).to.equal('VEHICLE.DUPLICATE_PLATE');
      expect(await code(create(other, { plateNumber: 'AB1234CD' }))).to.equal('OK');
      expect(await allVehicleObjects()).to.have.length(4);
    });

    it("under concurrency the unique plate decides, and the loser's uploads are deleted", async () => {
      const results = await Promise.all(
        [create(), create(customer, { plateNumber: 'AB 1234 CD' })].map((p) =>
          p.then(
            (v) => v,
            (e: { code: string }) => e.code,
          ),
        ),
      );
      const winner =
        results.find((r): r is VehicleView => typeof r !== 'string') ?? expect.fail('one registration wins');
      expect(results.filter((r) => r === 'VEHICLE.DUPLICATE_PLATE')).to.have.length(1);
      expect(await allVehicleObjects()).to.have.members(await objectsOf(winner));
      expect(await allVehicleObjects()).to.have.length(2);
    });

    it('the vehicle quota (CUSTOMER_MAX_VEHICLES) and the storage quota (CUSTOMER_MAX_STORED_MB) are checked before uploading', async () => {
      w.cleanup();
      await setUp({ CUSTOMER_MAX_VEHICLES: '2', CUSTOMER_MAX_STORED_MB: '1' });
      await create(customer, { plateNumber: 'B 1 A' }, [photo('FRONT', 300 * 1024)]);
      expect(await code(create(customer, { plateNumber: 'B 2 A' }, [photo('FRONT', 800 * 1024)]))).to.equal(
        'CUSTOMER.STORAGE_QUOTA_EXCEEDED',
      );
      await create(customer, { plateNumber: 'B 3 A' }, [photo('FRONT', 300 * 1024)]);
      expect(await code(create(customer, { plateNumber: 'B 4 A' }))).to.equal('VEHICLE.QUOTA_EXCEEDED');
      expect(await allVehicleObjects()).to.have.length(2);
      expect(await code(create(other, { plateNumber: 'B 4 A' })), 'quotas are per customer').to.equal('OK');
    });
  });

  describe('reading and changing', () => {
    it("lists and reads the customer's own vehicles only (optionally by class); someone else's is VEHICLE.NOT_FOUND", async () => {
      const mine = await create();
      const ev = await create(customer, { plateNumber: 'B 999 EV', vehicleClass: 'EV' });
      const theirs = await create(other);
      expect((await w.c.get(ListMyVehicles).execute(as(customer), {}, {})).items.map((v) => v.id)).to.have.members([
        mine.id,
        ev.id,
      ]);
      expect(
        (await w.c.get(ListMyVehicles).execute(as(customer), { vehicleClass: 'EV' }, {})).items.map((v) => v.id),
      ).to.deep.equal([ev.id]);
      expect((await w.c.get(GetMyVehicle).execute(as(customer), mine.id)).photos).to.have.length(2);
      expect(await code(w.c.get(GetMyVehicle).execute(as(customer), theirs.id))).to.equal('VEHICLE.NOT_FOUND');
      expect(await code(w.c.get(UpdateVehicle).execute(as(customer), theirs.id, { colour: 'Red' }))).to.equal(
        'VEHICLE.NOT_FOUND',
      );
      expect(await code(w.c.get(DeleteVehicle).execute(as(customer), theirs.id))).to.equal('VEHICLE.NOT_FOUND');
      expect(await code(w.c.get(ReplaceVehiclePhotos).execute(as(customer), theirs.id, [photo('FRONT')]))).to.equal(
        'VEHICLE.NOT_FOUND',
      );
      expect(await objectsOf(theirs)).to.have.length(2);
    });

    it('updates normalised fields (audit lists them), re-checks the plate, refuses bad values', async () => {
      const v = await create();
      const second = await create(customer, { plateNumber: 'B 77 ZZ' });
      w.clock.advance(1000);
      const updated = await w.c
        .get(UpdateVehicle)
        .execute(as(customer), v.id, { plateNumber: 'd 5 xy', colour: '  ', brand: ' Lexus ' });
      expect(updated).to.deep.include({
        plateNumber: 'D 5 XY',
        colour: null,
        brand: 'Lexus',
        model: 'Fortuner 2.4 VRZ',
      });
      expect(updated.updatedAt).to.deep.equal(w.clock.now());
      expect(updated.photos).to.have.length(2);
      expect((await w.audit({ action: 'VEHICLE_UPDATED', entityId: v.id }))[0]?.metadata).to.deep.equal({
        fields: ['brand', 'colour', 'plateNumber'],
      });
      expect(await code(w.c.get(UpdateVehicle).execute(as(customer), second.id, { plateNumber: 'D5XY' }))).to.equal(
        'VEHICLE.DUPLICATE_PLATE',
      );
      expect(await code(w.c.get(UpdateVehicle).execute(as(customer), second.id, { year: 1800 }))).to.equal(
        'VALIDATION.FAILED',
      );
      expect((await w.c.get(GetMyVehicle).execute(as(customer), second.id)).plateNumber).to.equal('B 77 ZZ');
    });

    it('replaces the whole photo set: new objects stored, old ones deleted, audit counts both', async () => {
      const v = await create();
      const before = await objectsOf(v);
      const replaced = await w.c
        .get(ReplaceVehiclePhotos)
        .execute(as(customer), v.id, [photo('INTERIOR', 1000, 'webp'), photo('FRONT'), photo('ENGINE')]);
      expect(replaced.photos.map((p) => [p.type, p.sortOrder])).to.deep.equal([
        ['INTERIOR', 0],
        ['FRONT', 1],
        ['ENGINE', 2],
      ]);
      const after = await objectsOf(v);
      expect(after).to.have.length(3);
      expect(after.filter((k) => before.includes(k))).to.deep.equal([]);
      expect((await w.audit({ action: 'VEHICLE_UPDATED', entityId: v.id }))[0]?.metadata).to.deep.equal({
        photosReplaced: 2,
        photos: 3,
      });
      expect(await code(w.c.get(ReplaceVehiclePhotos).execute(as(customer), v.id, [photo('BACK')]))).to.equal(
        'VEHICLE.FRONT_PHOTO_REQUIRED',
      );
      expect(await objectsOf(v)).to.deep.equal(after);
    });

    it('a replacement counts only the difference against the storage quota', async () => {
      w.cleanup();
      await setUp({ CUSTOMER_MAX_STORED_MB: '1' });
      const v = await create(customer, {}, [photo('FRONT', 700 * 1024)]);
      expect(
        await code(w.c.get(ReplaceVehiclePhotos).execute(as(customer), v.id, [photo('FRONT', 900 * 1024)])),
      ).to.equal('OK');
      expect(
        await code(
          w.c
            .get(ReplaceVehiclePhotos)
            .execute(as(customer), v.id, [photo('FRONT', 900 * 1024), photo('BACK', 200 * 1024)]),
        ),
      ).to.equal('CUSTOMER.STORAGE_QUOTA_EXCEEDED');
      expect(await objectsOf(v)).to.have.length(1);
    });
  });

  describe('deleting', () => {
    beforeEach(async () => {
      await w.c.get(SetClassPrice).execute(null, { vehicleClass: 'LUXURY', priceIdr: 900000 });
    });
    const request = (vehicleId: string) =>
      w.c
        .get(CreateMyInspectionRequest)
        .execute(as(customer), { vehicleId, preferredSchedule: new Date(w.clock.now().getTime() + DAY).toISOString() });

    it('is refused while an open request uses the vehicle (VEHICLE.IN_USE); afterwards the rows and objects go and the request keeps its snapshot', async () => {
      const v = await create();
      const r = await request(v.id);
      expect(await code(w.c.get(DeleteVehicle).execute(as(customer), v.id))).to.equal('VEHICLE.IN_USE');
      expect(await objectsOf(v)).to.have.length(2);
      await w.c.get(CancelMyInspectionRequest).execute(as(customer), r.id, null);
      await w.c.get(DeleteVehicle).execute(as(customer), v.id);
      expect(await code(w.c.get(GetMyVehicle).execute(as(customer), v.id))).to.equal('VEHICLE.NOT_FOUND');
      expect(await objectsOf(v), 'the objects are deleted right after the commit').to.deep.equal([]);
      expect(await w.tx((tx) => tx.deletions.due(new Date(w.clock.now().getTime() + DAY), 100))).to.deep.equal([]);
      expect(await w.tx((tx) => tx.inspectionRequests.findById(r.id))).to.deep.include({
        vehicleId: null,
        vehicleClass: 'LUXURY',
        priceIdr: 900000,
        status: 'CANCELLED',
      });
      const [audit] = await w.audit({ action: 'VEHICLE_DELETED' });
      expect(audit?.metadata).to.deep.equal({ plateNumber: 'AB 1234 CD', photos: 2 });
    });

    it('of a vehicle never used deletes it at once; deleting it again is VEHICLE.NOT_FOUND', async () => {
      const v = await create();
      await w.c.get(DeleteVehicle).execute(as(customer), v.id);
      expect(await code(w.c.get(DeleteVehicle).execute(as(customer), v.id))).to.equal('VEHICLE.NOT_FOUND');
      expect(await code(w.c.get(DeleteVehicle).execute(as(customer), randomUUID()))).to.equal('VEHICLE.NOT_FOUND');
    });
  });
});
