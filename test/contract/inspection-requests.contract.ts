import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { CustomerInspectionRequest } from '../../src/domain/customer/inspection-request.js';
import type { VehicleClass } from '../../src/domain/customer/vehicle-class.js';
import type { NewInspectionRequest } from '../../src/ports/inspection-requests.js';
import type { TransactionalPorts, UnitOfWork } from '../../src/ports/unit-of-work.js';
import type { PersistenceUnderTest } from './harness.js';
import { newInspection } from './inspection-ports.contract.js';
import { newUser } from './user-repository.contract.js';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

/** InspectionRequestRepository: requests, their status history and attachment photos. */
export function inspectionRequestsContract(subject: PersistenceUnderTest): void {
  describe(`inspection request persistence contract: ${subject.name}`, () => {
    let p: TransactionalPorts & { uow: UnitOfWork };
    let customerId: string;
    let otherCustomerId: string;
    let vehicleId: string;
    let priceId: string;

    const newRequest = (over: Partial<NewInspectionRequest> = {}): NewInspectionRequest => ({
      id: randomUUID(),
      customerId,
      vehicleId,
      vehicleDescription: null,
      vehicleClass: 'REGULAR',
      preferredSchedule: at(86_400),
      notes: 'Call first',
      priceIdr: 350_000,
      priceId,
      createdBy: customerId,
      ...over,
    });

    beforeEach(async () => {
      p = await subject.create();
      customerId = (await p.users.create(newUser({ role: 'CUSTOMER' }), t0)).id;
      otherCustomerId = (await p.users.create(newUser({ role: 'CUSTOMER' }), t0)).id;
      vehicleId = (
        await p.customerVehicles.create(
          {
            id: randomUUID(),
            customerId,
            plateNumber: 'AB 1234 CD',
            year: 2019,
            transmission: 'Manual',
            bodyType: 'MPV',
            brand: 'Toyota',
            model: 'Avanza',
            colour: null,
            specification: {},
            serviceHistory: [],
            vehicleClass: 'REGULAR',
          },
          t0,
        )
      ).id;
      priceId = (
        await p.classPrices.add(
          {
            id: randomUUID(),
            vehicleClass: 'REGULAR',
            priceIdr: 350_000,
            effectiveFrom: t0,
            createdBy: null,
            note: null,
          },
          t0,
        )
      ).id;
    });

    it('creates NOT_STARTED, UNPAID, unassigned and round-trips every field (a described car too)', async () => {
      const input = newRequest();
      const created = await p.inspectionRequests.create(input, at(1));
      const expected: CustomerInspectionRequest = {
        ...input,
        status: 'NOT_STARTED',
        assigneeId: null,
        paymentStatus: 'UNPAID',
        paymentWaiverReason: null,
        inspectionId: null,
        createdAt: at(1),
        updatedAt: at(1),
      };
      expect(created).to.deep.equal(expected);
      expect(await p.inspectionRequests.findById(input.id)).to.deep.equal(expected);
      expect(await p.inspectionRequests.findByIdForUpdate(input.id)).to.deep.equal(expected);
      expect(await p.inspectionRequests.findById(randomUUID())).to.equal(null);

      const described = newRequest({
        vehicleId: null,
        vehicleDescription: { plateNumber: 'B 1 XYZ', brand: 'Honda', model: 'Jazz', year: 2015 },
        vehicleClass: 'LCGC',
        priceIdr: 250_000,
        priceId: null,
        notes: null,
      });
      const d = await p.inspectionRequests.create(described, at(2));
      expect(d).to.deep.include({
        vehicleId: null,
        vehicleDescription: { plateNumber: 'B 1 XYZ', brand: 'Honda', model: 'Jazz', year: 2015 },
        vehicleClass: 'LCGC',
        priceIdr: 250_000,
        priceId: null,
        notes: null,
      });
      expect((await p.inspectionRequests.findById(d.id))?.vehicleDescription).to.deep.equal({
        plateNumber: 'B 1 XYZ',
        brand: 'Honda',
        model: 'Jazz',
        year: 2015,
      });
    });

    it('update applies the defined fields only, bumps updatedAt, and answers null for a missing request', async () => {
      const r = await p.inspectionRequests.create(newRequest(), t0);
      const assignee = (await p.users.create(newUser({ role: 'ADMIN' }), t0)).id;
      const u = await p.inspectionRequests.update(
        r.id,
        {
          status: 'IN_PROGRESS',
          assigneeId: assignee,
          paymentStatus: 'WAIVED',
          paymentWaiverReason: 'fleet',
          inspectionId: undefined,
        },
        at(5),
      );
      expect(u).to.deep.include({
        status: 'IN_PROGRESS',
        assigneeId: assignee,
        paymentStatus: 'WAIVED',
        paymentWaiverReason: 'fleet',
        inspectionId: null,
        notes: 'Call first',
      });
      expect(u?.updatedAt.toISOString()).to.equal(at(5).toISOString());
      expect(u?.createdAt.toISOString()).to.equal(t0.toISOString());
      expect(await p.inspectionRequests.update(randomUUID(), { status: 'ON_HOLD' }, at(5))).to.equal(null);
      const paid = await p.inspectionRequests.setPaymentStatus(r.id, 'PAID', at(6));
      expect(paid).to.deep.include({ paymentStatus: 'PAID', status: 'IN_PROGRESS' });
      expect(await p.inspectionRequests.setPaymentStatus(randomUUID(), 'PAID', at(6))).to.equal(null);
    });

    it('refuses DONE without a linked inspection (the table check)', async () => {
      const r = await p.inspectionRequests.create(newRequest(), t0);
      let failed = false;
      try {
        await p.uow.run((tx) => tx.inspectionRequests.update(r.id, { status: 'DONE' }, at(1)));
      } catch {
        failed = true;
      }
      expect(failed).to.equal(true);
      expect((await p.inspectionRequests.findById(r.id))?.status).to.equal('NOT_STARTED');
    });

    it('lists newest first with every filter, paginated', async () => {
      const admin = (await p.users.create(newUser({ role: 'ADMIN' }), t0)).id;
      const a = await p.inspectionRequests.create(newRequest({ preferredSchedule: at(100) }), at(1));
      const b = await p.inspectionRequests.create(
        newRequest({
          preferredSchedule: at(200),
          vehicleId: null,
          vehicleDescription: { brand: 'BMW' },
          vehicleClass: 'LUXURY',
          priceId: null,
        }),
        at(2),
      );
      const c = await p.inspectionRequests.create(
        newRequest({
          customerId: otherCustomerId,
          vehicleId: null,
          vehicleDescription: { brand: 'Tesla' },
          vehicleClass: 'EV',
          priceId: null,
          preferredSchedule: at(300),
        }),
        at(3),
      );
      await p.inspectionRequests.update(b.id, { status: 'ON_HOLD', assigneeId: admin, paymentStatus: 'PAID' }, at(4));
      const ids = async (f: Parameters<typeof p.inspectionRequests.list>[0], page = { page: 1, pageSize: 10 }) =>
        (await p.inspectionRequests.list(f, page)).items.map((r) => r.id);
      expect(await ids({})).to.deep.equal([c.id, b.id, a.id]);
      expect(await ids({ customerId })).to.deep.equal([b.id, a.id]);
      expect(await ids({ status: ['ON_HOLD', 'DONE'] })).to.deep.equal([b.id]);
      expect(await ids({ status: ['NOT_STARTED'] })).to.deep.equal([c.id, a.id]);
      expect(await ids({ assigneeId: admin })).to.deep.equal([b.id]);
      expect(await ids({ vehicleClass: ['EV', 'REGULAR'] as VehicleClass[] })).to.deep.equal([c.id, a.id]);
      expect(await ids({ paymentStatus: ['UNPAID'] })).to.deep.equal([c.id, a.id]);
      expect(await ids({ scheduleFrom: at(100), scheduleTo: at(300) }), '[from, to)').to.deep.equal([b.id, a.id]);
      expect(await ids({ scheduleFrom: at(101) })).to.deep.equal([c.id, b.id]);
      expect(await ids({ customerId, status: ['NOT_STARTED'], vehicleClass: ['REGULAR'] })).to.deep.equal([a.id]);
      const page2 = await p.inspectionRequests.list({}, { page: 2, pageSize: 2 });
      expect(page2).to.deep.include({ page: 2, pageSize: 2, total: 3 });
      expect(page2.items.map((r) => r.id)).to.deep.equal([a.id]);
    });

    it('links inspections: findByInspectionId and inspectionIdsOf', async () => {
      const branchCityId = (await p.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, t0)).id;
      const inspectorId = (
        await p.users.create(newUser({ role: 'INSPECTOR', branchCityId, passwordHash: null, pinHash: 'h' }), t0)
      ).id;
      const inspection = await p.inspections.create(newInspection({ inspectorId, branchCityId }), t0);
      const r = await p.inspectionRequests.create(newRequest(), t0);
      await p.inspectionRequests.create(newRequest(), t0);
      expect(await p.inspectionRequests.findByInspectionId(inspection.id)).to.equal(null);
      expect(await p.inspectionRequests.inspectionIdsOf(customerId)).to.deep.equal([]);
      await p.inspectionRequests.update(r.id, { inspectionId: inspection.id, status: 'DONE' }, at(1));
      expect((await p.inspectionRequests.findByInspectionId(inspection.id))?.id).to.equal(r.id);
      expect(await p.inspectionRequests.inspectionIdsOf(customerId)).to.deep.equal([inspection.id]);
      expect(await p.inspectionRequests.inspectionIdsOf(otherCustomerId)).to.deep.equal([]);
    });

    it('status history: oldest first, with actor and role, per request', async () => {
      const r = await p.inspectionRequests.create(newRequest(), t0);
      const other = await p.inspectionRequests.create(newRequest(), t0);
      await p.inspectionRequests.recordStatusChange({
        id: randomUUID(),
        requestId: r.id,
        fromStatus: 'NOT_STARTED',
        toStatus: 'ON_HOLD',
        actorId: customerId,
        actorRole: 'ADMIN',
        reason: 'unreachable',
        createdAt: at(2),
      });
      await p.inspectionRequests.recordStatusChange({
        id: randomUUID(),
        requestId: r.id,
        fromStatus: null,
        toStatus: 'NOT_STARTED',
        actorId: customerId,
        actorRole: 'CUSTOMER',
        reason: null,
        createdAt: at(1),
      });
      await p.inspectionRequests.recordStatusChange({
        id: randomUUID(),
        requestId: other.id,
        fromStatus: null,
        toStatus: 'NOT_STARTED',
        actorId: null,
        actorRole: null,
        reason: null,
        createdAt: at(1),
      });
      const h = await p.inspectionRequests.statusHistory(r.id);
      expect(h.map((c) => [c.fromStatus, c.toStatus, c.actorRole, c.reason])).to.deep.equal([
        [null, 'NOT_STARTED', 'CUSTOMER', null],
        ['NOT_STARTED', 'ON_HOLD', 'ADMIN', 'unreachable'],
      ]);
      expect(h[0]).to.deep.include({ requestId: r.id, actorId: customerId });
      expect(h[0]?.createdAt.toISOString()).to.equal(at(1).toISOString());
      expect(await p.inspectionRequests.statusHistory(randomUUID())).to.deep.equal([]);
    });

    it('photos: recorded and listed in sort order, per request; rolled back with the unit of work', async () => {
      const r = await p.inspectionRequests.create(newRequest(), t0);
      const photo = (sortOrder: number) => ({
        id: randomUUID(),
        ownerId: r.id,
        type: 'DOCUMENT' as const,
        storageKey: `customer-requests/${r.id}/photos/${sortOrder}.jpg`,
        storageDriver: 'fs',
        contentType: 'image/jpeg',
        sizeBytes: 1234,
        sha256: 'a'.repeat(64),
        sortOrder,
        createdAt: at(sortOrder),
      });
      const second = photo(1);
      const first = photo(0);
      expect(await p.inspectionRequests.addPhoto(second)).to.deep.equal(second);
      await p.inspectionRequests.addPhoto(first);
      expect(await p.inspectionRequests.listPhotos(r.id)).to.deep.equal([first, second]);
      expect(await p.inspectionRequests.listPhotos(randomUUID())).to.deep.equal([]);
      try {
        await p.uow.run(async (tx) => {
          await tx.inspectionRequests.addPhoto(photo(2));
          throw new Error('boom');
        });
      } catch {
        // rolled back
      }
      expect((await p.inspectionRequests.listPhotos(r.id)).map((x) => x.sortOrder)).to.deep.equal([0, 1]);
      // Removing one attachment: only from its own request, once.
      const extra = photo(3);
      await p.inspectionRequests.addPhoto(extra);
      expect(await p.inspectionRequests.deletePhoto(randomUUID(), extra.id), 'another request').to.equal(null);
      expect(await p.inspectionRequests.deletePhoto(r.id, extra.id)).to.deep.equal(extra);
      expect(await p.inspectionRequests.deletePhoto(r.id, extra.id), 'already gone').to.equal(null);
      expect((await p.inspectionRequests.listPhotos(r.id)).map((x) => x.sortOrder)).to.deep.equal([0, 1]);
      // The storage quota: the photos of all the customer's requests, closed ones too, nobody else's.
      const closed = await p.inspectionRequests.create(newRequest(), t0);
      await p.inspectionRequests.update(closed.id, { status: 'CANCELLED' }, t0);
      await p.inspectionRequests.addPhoto({ ...photo(5), ownerId: closed.id, sizeBytes: 1000 });
      expect(await p.inspectionRequests.photoBytesOf(customerId)).to.equal(1234 * 2 + 1000);
      expect(await p.inspectionRequests.photoBytesOf(otherCustomerId)).to.equal(0);
    });
  });
}
