import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { ClassPrice, VehicleClass } from '../../src/domain/customer/vehicle-class.js';
import type { DomainError } from '../../src/domain/shared/domain-error.js';
import type { NewCustomerVehicle, NewOwnedPhoto } from '../../src/ports/customer-vehicles.js';
import type { TransactionalPorts, UnitOfWork } from '../../src/ports/unit-of-work.js';
import type { PersistenceUnderTest } from './harness.js';
import { newUser } from './user-repository.contract.js';

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect((e as DomainError).code, String(e)).to.equal(code);
    return;
  }
  expect.fail(`expected ${code}`);
}

export const newVehicle = (customerId: string, over: Partial<NewCustomerVehicle> = {}): NewCustomerVehicle => ({
  id: randomUUID(),
  customerId,
  plateNumber: 'AB 1234 CD',
  year: 2021,
  transmission: 'Automatic',
  bodyType: 'MPV',
  brand: 'Toyota',
  model: 'Avanza',
  colour: null,
  specification: { engineCc: 1496, fuel: 'Bensin' },
  serviceHistory: [{ date: '2025-12-01', odometerKm: 30000, description: '30k service' }],
  vehicleClass: 'REGULAR',
  ...over,
});

const photo = (vehicleId: string, type: NewOwnedPhoto['type'], sortOrder: number): NewOwnedPhoto => ({
  id: randomUUID(),
  ownerId: vehicleId,
  type,
  storageKey: `customer-vehicles/${vehicleId}/photos/${randomUUID()}.jpg`,
  storageDriver: 'fs',
  contentType: 'image/jpeg',
  sizeBytes: 1234 + sortOrder,
  sha256: 'a'.repeat(64),
  sortOrder,
});

/** CustomerVehicleRepository and ClassPriceRepository: what every adapter family must do. */
export function customerVehiclesContract(subject: PersistenceUnderTest): void {
  describe(`CustomerVehicleRepository / ClassPriceRepository contract: ${subject.name}`, () => {
    let ports: TransactionalPorts & { uow: UnitOfWork };
    let alice: string;
    let bob: string;
    const t0 = new Date('2026-01-01T00:00:00.000Z');
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

    beforeEach(async () => {
      ports = await subject.create();
      alice = (await ports.users.create(newUser(), t0)).id;
      bob = (await ports.users.create(newUser(), t0)).id;
    });

    it("creates and finds vehicles; findOwned and idsOwnedBy see only the owner's", async () => {
      const input = newVehicle(alice, { colour: 'White' });
      const created = await ports.customerVehicles.create(input, t0);
      expect(created).to.deep.equal({ ...input, createdAt: t0, updatedAt: t0 });
      expect(await ports.customerVehicles.findById(input.id)).to.deep.equal(created);
      expect(await ports.customerVehicles.findOwned(alice, input.id)).to.deep.equal(created);
      expect(await ports.customerVehicles.findOwned(bob, input.id), "someone else's vehicle").to.equal(null);
      expect(await ports.customerVehicles.findOwned(alice, randomUUID())).to.equal(null);
      expect(await ports.customerVehicles.findById(randomUUID())).to.equal(null);
      expect(
        (await ports.customerVehicles.findOwnedByPlate(alice, 'ab1234cd'))?.id,
        'plate found compact-compared',
      ).to.equal(input.id);
      expect(await ports.customerVehicles.findOwnedByPlate(bob, 'AB 1234 CD')).to.equal(null);
      const second = await ports.customerVehicles.create(newVehicle(alice, { plateNumber: 'B 1 XYZ' }), t0);
      await ports.customerVehicles.create(newVehicle(bob), t0);
      expect((await ports.customerVehicles.idsOwnedBy(alice)).sort()).to.deep.equal([input.id, second.id].sort());
      expect(await ports.customerVehicles.idsOwnedBy(randomUUID())).to.deep.equal([]);
    });

    it('the plate is unique per customer, compared compact ("AB 1234 CD" = "ab1234cd"); two customers may share one', async () => {
      await ports.customerVehicles.create(newVehicle(alice, { plateNumber: 'AB 1234 CD' }), t0);
      await expectCode(
        ports.customerVehicles.create(newVehicle(alice, { plateNumber: 'ab1234cd' }), t0),
        'VEHICLE.DUPLICATE_PLATE',
      );
      const bobs = await ports.customerVehicles.create(newVehicle(bob, { plateNumber: 'ab1234cd' }), t0);
      expect(bobs.plateNumber).to.equal('ab1234cd');
      const other = await ports.customerVehicles.create(newVehicle(alice, { plateNumber: 'B 1 XYZ' }), t0);
      await expectCode(
        ports.customerVehicles.update(other.id, { plateNumber: 'AB-1234-CD' }, at(1)),
        'VEHICLE.DUPLICATE_PLATE',
      );
      expect((await ports.customerVehicles.findById(other.id))?.plateNumber, 'unchanged after the refusal').to.equal(
        'B 1 XYZ',
      );
      // Inside a unit of work the refusal rolls the whole work back.
      try {
        await ports.uow.run(async (tx) => {
          await tx.customerVehicles.update(other.id, { colour: 'Red' }, at(2));
          await tx.customerVehicles.create(newVehicle(alice, { plateNumber: 'AB1234CD' }), at(2));
        });
        expect.fail('duplicate');
      } catch (e) {
        expect((e as DomainError).code).to.equal('VEHICLE.DUPLICATE_PLATE');
      }
      expect((await ports.customerVehicles.findById(other.id))?.colour).to.equal(null);
    });

    it("lists a customer's vehicles newest first, paginated, with the class filter", async () => {
      const a = await ports.customerVehicles.create(
        newVehicle(alice, { plateNumber: 'A 1 A', vehicleClass: 'EV' }),
        at(1),
      );
      const b = await ports.customerVehicles.create(newVehicle(alice, { plateNumber: 'A 2 A' }), at(2));
      const c = await ports.customerVehicles.create(
        newVehicle(alice, { plateNumber: 'A 3 A', vehicleClass: 'EV' }),
        at(3),
      );
      await ports.customerVehicles.create(newVehicle(bob, { plateNumber: 'A 4 A', vehicleClass: 'EV' }), at(4));
      const all = await ports.customerVehicles.listOwned(alice, {}, { page: 1, pageSize: 2 });
      expect(all.total).to.equal(3);
      expect(all.items.map((v) => v.id)).to.deep.equal([c.id, b.id]);
      expect(
        (await ports.customerVehicles.listOwned(alice, {}, { page: 2, pageSize: 2 })).items.map((v) => v.id),
      ).to.deep.equal([a.id]);
      const ev = await ports.customerVehicles.listOwned(alice, { vehicleClass: 'EV' }, { page: 1, pageSize: 10 });
      expect(ev).to.deep.include({ total: 2, page: 1, pageSize: 10 });
      expect(ev.items.map((v) => v.id)).to.deep.equal([c.id, a.id]);
      expect((await ports.customerVehicles.listOwned(randomUUID(), {}, { page: 1, pageSize: 10 })).total).to.equal(0);
    });

    it('updates only the fields given (jsonb fields replaced whole) and bumps updatedAt', async () => {
      const v = await ports.customerVehicles.create(newVehicle(alice, { colour: 'White' }), t0);
      const history = [
        { date: '2026-06-01', description: 'Oil change', workshop: 'Auto2000' },
        { date: '2026-07-01', odometerKm: 41000, description: 'Brakes' },
      ];
      const updated = await ports.customerVehicles.update(
        v.id,
        {
          plateNumber: 'B 1 XYZ',
          year: 2022,
          colour: null,
          specification: { seats: 7 },
          serviceHistory: history,
          vehicleClass: 'EXTRA',
        },
        at(5),
      );
      expect(updated).to.deep.equal({
        ...v,
        plateNumber: 'B 1 XYZ',
        year: 2022,
        colour: null,
        specification: { seats: 7 },
        serviceHistory: history,
        vehicleClass: 'EXTRA',
        updatedAt: at(5),
      });
      expect(await ports.customerVehicles.findById(v.id)).to.deep.equal(updated);
      const touched = await ports.customerVehicles.update(v.id, {}, at(6));
      expect(touched).to.deep.equal({ ...updated, updatedAt: at(6) });
      expect(await ports.customerVehicles.update(randomUUID(), { year: 2000 }, at(6))).to.equal(null);
      expect((await ports.customerVehicles.findOwnedForUpdate(alice, v.id))?.id).to.equal(v.id);
      expect(await ports.customerVehicles.findOwnedForUpdate(bob, v.id)).to.equal(null);
    });

    it('photo rows: replacePhotos swaps the whole set and returns both; listPhotos is in display order per vehicle', async () => {
      const v = await ports.customerVehicles.create(newVehicle(alice), t0);
      const w = await ports.customerVehicles.create(newVehicle(alice, { plateNumber: 'B 1 XYZ' }), t0);
      const first = [photo(v.id, 'FRONT', 0), photo(v.id, 'BACK', 1)];
      const r1 = await ports.customerVehicles.replacePhotos(v.id, first, at(1));
      expect(r1.previous).to.deep.equal([]);
      expect(r1.current).to.deep.equal(first.map((p) => ({ ...p, createdAt: at(1) })));
      await ports.customerVehicles.replacePhotos(w.id, [photo(w.id, 'FRONT', 0)], at(1));
      const second = [photo(v.id, 'INTERIOR', 0), photo(v.id, 'FRONT', 1), photo(v.id, 'ENGINE', 2)];
      const r2 = await ports.customerVehicles.replacePhotos(v.id, second, at(2));
      expect(r2.previous.map((p) => p.id)).to.deep.equal(first.map((p) => p.id));
      expect(r2.current.map((p) => [p.type, p.sortOrder])).to.deep.equal([
        ['INTERIOR', 0],
        ['FRONT', 1],
        ['ENGINE', 2],
      ]);
      const both = await ports.customerVehicles.listPhotos([v.id, w.id]);
      expect(both.filter((p) => p.ownerId === v.id).map((p) => p.id)).to.deep.equal(second.map((p) => p.id));
      expect(both.filter((p) => p.ownerId === w.id)).to.have.length(1);
      expect(await ports.customerVehicles.listPhotos([])).to.deep.equal([]);
      // The storage quota: every photo of every vehicle of the customer, nobody else's.
      const bytes = [...second, photo(w.id, 'FRONT', 0)].reduce((n, p) => n + p.sizeBytes, 0);
      expect(await ports.customerVehicles.photoBytesOf(alice)).to.equal(bytes);
      expect(await ports.customerVehicles.photoBytesOf(bob)).to.equal(0);
    });

    it('photo swap is atomic: a failing unit of work keeps the old set', async () => {
      const v = await ports.customerVehicles.create(newVehicle(alice), t0);
      const old = [photo(v.id, 'FRONT', 0)];
      await ports.customerVehicles.replacePhotos(v.id, old, t0);
      const boom = new Error('after the swap');
      try {
        await ports.uow.run(async (tx) => {
          const r = await tx.customerVehicles.replacePhotos(
            v.id,
            [photo(v.id, 'FRONT', 0), photo(v.id, 'LEFT', 1)],
            at(1),
          );
          expect(r.current).to.have.length(2, 'the new set is visible inside the transaction');
          throw boom;
        });
        expect.fail('should rethrow');
      } catch (e) {
        expect(e).to.equal(boom);
      }
      expect((await ports.customerVehicles.listPhotos([v.id])).map((p) => p.id)).to.deep.equal(old.map((p) => p.id));
    });

    it('delete removes the vehicle and its photo rows; open requests are counted, finished ones lose only the link', async () => {
      const v = await ports.customerVehicles.create(newVehicle(alice), t0);
      await ports.customerVehicles.replacePhotos(v.id, [photo(v.id, 'FRONT', 0)], t0);
      const request = (over: { id?: string } = {}) => ({
        id: over.id ?? randomUUID(),
        customerId: alice,
        vehicleId: v.id,
        vehicleDescription: null,
        vehicleClass: 'REGULAR' as const,
        preferredSchedule: at(60 * 24),
        notes: null,
        priceIdr: 450000,
        priceId: null,
        createdBy: alice,
      });
      expect(await ports.customerVehicles.countOpenRequests(v.id)).to.equal(0);
      const open = await ports.inspectionRequests.create(request(), t0);
      const cancelled = await ports.inspectionRequests.create(request(), t0);
      await ports.inspectionRequests.update(cancelled.id, { status: 'CANCELLED' }, at(1));
      expect(await ports.customerVehicles.countOpenRequests(v.id)).to.equal(1);
      await ports.inspectionRequests.update(open.id, { status: 'ON_HOLD' }, at(2));
      expect(await ports.customerVehicles.countOpenRequests(v.id), 'ON_HOLD is still open').to.equal(1);
      await ports.inspectionRequests.update(open.id, { status: 'CANCELLED' }, at(3));
      expect(await ports.customerVehicles.countOpenRequests(v.id)).to.equal(0);
      expect(await ports.customerVehicles.delete(v.id)).to.equal(true);
      expect(await ports.customerVehicles.findById(v.id)).to.equal(null);
      expect(await ports.customerVehicles.listPhotos([v.id])).to.deep.equal([]);
      expect((await ports.inspectionRequests.findById(open.id))?.vehicleId, 'ON DELETE SET NULL').to.equal(null);
      expect((await ports.inspectionRequests.findById(open.id))?.priceIdr, 'the snapshot stays').to.equal(450000);
      expect(await ports.customerVehicles.delete(v.id)).to.equal(false);
    });

    const price = (
      vehicleClass: VehicleClass,
      priceIdr: number,
      effectiveFrom: Date,
      over: Partial<ClassPrice> = {},
    ): Omit<ClassPrice, 'createdAt'> => ({
      id: randomUUID(),
      vehicleClass,
      priceIdr,
      effectiveFrom,
      createdBy: null,
      note: null,
      ...over,
    });

    it('class prices: current(at) is the latest effectiveFrom <= at, future-dated prices wait their turn', async () => {
      expect(await ports.classPrices.current('LCGC', t0)).to.equal(null);
      const p1 = await ports.classPrices.add(price('LCGC', 350000, at(0), { createdBy: alice, note: 'launch' }), t0);
      expect(p1).to.deep.equal({
        ...price('LCGC', 350000, at(0)),
        id: p1.id,
        createdBy: alice,
        note: 'launch',
        createdAt: t0,
      });
      const p2 = await ports.classPrices.add(price('LCGC', 400000, at(60)), t0);
      const big = await ports.classPrices.add(price('EU_US_HIGH_END', 999_999_999_999, at(30)), t0);
      expect(await ports.classPrices.current('LCGC', at(-1))).to.equal(null, 'nothing before the first price');
      expect((await ports.classPrices.current('LCGC', at(0)))?.id).to.equal(p1.id);
      expect((await ports.classPrices.current('LCGC', at(59)))?.id).to.equal(
        p1.id,
        'the future price is not yet in force',
      );
      expect((await ports.classPrices.current('LCGC', at(60)))?.id).to.equal(p2.id);
      expect((await ports.classPrices.current('LCGC', at(6000)))?.priceIdr).to.equal(400000);
      expect(
        (await ports.classPrices.current('EU_US_HIGH_END', at(30)))?.priceIdr,
        'a large price survives the bigint column',
      ).to.equal(999_999_999_999);
      expect(await ports.classPrices.current('EV', at(6000))).to.equal(null);
      expect((await ports.classPrices.currentAll(at(10))).map((p) => p.id)).to.deep.equal([p1.id]);
      expect((await ports.classPrices.currentAll(at(60))).map((p) => [p.vehicleClass, p.priceIdr])).to.deep.equal([
        ['EU_US_HIGH_END', 999_999_999_999],
        ['LCGC', 400000],
      ]);
      expect(big.priceIdr).to.equal(999_999_999_999);
    });

    it('class prices: one price per (class, effectiveFrom); the history is newest effectiveFrom first, paginated and filterable', async () => {
      const a = await ports.classPrices.add(price('REGULAR', 450000, at(0)), t0);
      const c = await ports.classPrices.add(price('REGULAR', 500000, at(120)), at(1));
      const b = await ports.classPrices.add(price('REGULAR', 475000, at(60)), at(2));
      const ev = await ports.classPrices.add(price('EV', 950000, at(0)), at(3));
      await expectCode(ports.classPrices.add(price('REGULAR', 1, at(60)), at(4)), 'PRICE.DUPLICATE');
      await ports.classPrices.add(price('EV', 1, at(60)), at(4));
      const regular = await ports.classPrices.history({ vehicleClass: 'REGULAR' }, { page: 1, pageSize: 2 });
      expect(regular).to.deep.include({ total: 3, page: 1, pageSize: 2 });
      expect(regular.items.map((p) => p.id)).to.deep.equal([c.id, b.id]);
      expect(
        (await ports.classPrices.history({ vehicleClass: 'REGULAR' }, { page: 2, pageSize: 2 })).items.map((p) => p.id),
      ).to.deep.equal([a.id]);
      const all = await ports.classPrices.history({}, { page: 1, pageSize: 10 });
      expect(all.total).to.equal(5);
      expect(all.items.map((p) => p.effectiveFrom.getTime())).to.deep.equal(
        [...all.items.map((p) => p.effectiveFrom.getTime())].sort((x, y) => y - x),
      );
      expect(all.items.some((p) => p.id === ev.id)).to.equal(true);
    });
  });
}
