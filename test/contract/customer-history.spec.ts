import { expect } from 'chai';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { MemoryCustomerInspectionHistory } from '../../src/adapters/memory/memory-customer-history.js';
import { createMemoryPersistence } from '../../src/adapters/memory/index.js';
import { KnexCustomerInspectionHistory } from '../../src/adapters/postgres/knex-customer-history.js';
import { createKnexPersistence } from '../../src/adapters/postgres/index.js';
import type { CustomerInspectionHistory } from '../../src/ports/customer-history.js';
import type { TransactionalPorts, UnitOfWork } from '../../src/ports/unit-of-work.js';
import { testKnex, truncateAll } from '../support/db.js';
import { newInspection } from './inspection-ports.contract.js';
import { newUser } from './user-repository.contract.js';

interface Subject {
  name: string;
  create(): Promise<{
    p: TransactionalPorts & { uow: UnitOfWork };
    history: CustomerInspectionHistory;
    unlock(customerId: string, inspectionId: string): Promise<void>;
  }>;
}

let knex: Knex | undefined;
const subjects: Subject[] = [
  {
    name: 'memory',
    create: async () => {
      const p = createMemoryPersistence();
      return {
        p,
        history: new MemoryCustomerInspectionHistory(p.store),
        unlock: async (customerId, inspectionId) =>
          void p.store.state.reportUnlocks.push({ customerId, inspectionId, createdAt: new Date() }),
      };
    },
  },
  {
    name: 'knex + PostgreSQL',
    create: async () => {
      knex ??= testKnex();
      await truncateAll(knex);
      const db = knex;
      return {
        p: createKnexPersistence(db, () => ({ requestId: 'history', ip: '127.0.0.1' })),
        history: new KnexCustomerInspectionHistory(db),
        unlock: async (customerId, inspectionId) =>
          void (await db('report_unlocks').insert({
            customer_id: customerId,
            inspection_id: inspectionId,
            created_at: new Date(),
          })),
      };
    },
  },
];
after(async () => {
  await knex?.destroy();
});

for (const subject of subjects) {
  describe(`customer inspection history contract: ${subject.name}`, () => {
    const t0 = new Date('2026-02-01T00:00:00.000Z');

    it('ownership by owner field, own vehicle and own request; unlocks; owner wins over an unlock; filters and pages', async () => {
      const { p, history, unlock } = await subject.create();
      const branch = await p.branches.create({ id: randomUUID(), name: 'Medan', code: 'MDN' }, t0);
      const inspectorId = (
        await p.users.create(
          newUser({ role: 'INSPECTOR', branchCityId: branch.id, passwordHash: null, pinHash: 'h' }),
          t0,
        )
      ).id;
      const me = (await p.users.create(newUser(), t0)).id;
      const someone = (await p.users.create(newUser(), t0)).id;
      const vehicle = await p.customerVehicles.create(
        {
          id: randomUUID(),
          customerId: me,
          plateNumber: 'BK 1 A',
          year: 2021,
          transmission: 'MANUAL',
          bodyType: 'SEDAN',
          brand: 'Toyota',
          model: 'Vios',
          colour: null,
          specification: {},
          serviceHistory: [],
          vehicleClass: 'REGULAR',
        },
        t0,
      );
      const mk = (date: string, over: { customerUserId?: string; customerVehicleId?: string } = {}) =>
        p.inspections.create(
          newInspection({
            inspectorId,
            branchCityId: branch.id,
            inspectionDate: date,
            customerUserId: over.customerUserId ?? null,
            customerVehicleId: over.customerVehicleId ?? null,
          }),
          t0,
        );
      const byVehicle = await mk('2026-01-05', { customerVehicleId: vehicle.id });
      const byOwner = await mk('2026-01-04', { customerUserId: me });
      const byRequest = await mk('2026-01-03');
      await p.inspectionRequests
        .create(
          {
            id: randomUUID(),
            customerId: me,
            vehicleId: null,
            vehicleDescription: null,
            vehicleClass: 'REGULAR',
            preferredSchedule: t0,
            notes: null,
            priceIdr: 1,
            priceId: null,
            createdBy: me,
          },
          t0,
        )
        .then((r) => p.inspectionRequests.update(r.id, { inspectionId: byRequest.id }, t0));
      const unlocked = await mk('2026-01-02');
      await unlock(me, unlocked.id);
      const ownedAndUnlocked = await mk('2026-01-01', { customerUserId: me });
      await unlock(me, ownedAndUnlocked.id);
      const foreign = await mk('2026-01-06', { customerUserId: someone });

      const all = await history.list(me, {}, { page: 1, pageSize: 10 });
      expect(all.total).to.equal(5);
      expect(all.items).to.deep.equal([
        { inspectionId: byVehicle.id, access: 'OWNER' },
        { inspectionId: byOwner.id, access: 'OWNER' },
        { inspectionId: byRequest.id, access: 'OWNER' },
        { inspectionId: unlocked.id, access: 'UNLOCKED' },
        { inspectionId: ownedAndUnlocked.id, access: 'OWNER' },
      ]);
      expect((await history.list(me, {}, { page: 2, pageSize: 2 })).items.map((e) => e.inspectionId)).to.deep.equal([
        byRequest.id,
        unlocked.id,
      ]);
      expect(
        (await history.list(me, { dateFrom: '2026-01-02', dateTo: '2026-01-04' }, { page: 1, pageSize: 10 })).items.map(
          (e) => e.inspectionId,
        ),
      ).to.deep.equal([byOwner.id, byRequest.id, unlocked.id]);
      await p.inspections.update(byOwner.id, { status: 'APPROVED' }, t0);
      expect(
        (await history.list(me, { status: ['APPROVED'] }, { page: 1, pageSize: 10 })).items.map((e) => e.inspectionId),
      ).to.deep.equal([byOwner.id]);

      expect(await history.accessTo(me, byVehicle.id)).to.equal('OWNER');
      expect(await history.accessTo(me, unlocked.id)).to.equal('UNLOCKED');
      expect(await history.accessTo(me, ownedAndUnlocked.id)).to.equal('OWNER');
      expect(await history.accessTo(me, foreign.id)).to.equal(null);
      expect(await history.accessTo(someone, byVehicle.id)).to.equal(null);
      expect(await history.accessTo(me, randomUUID())).to.equal(null);
      expect((await history.list(someone, {}, { page: 1, pageSize: 10 })).items).to.deep.equal([
        { inspectionId: foreign.id, access: 'OWNER' },
      ]);
    });
  });
}
