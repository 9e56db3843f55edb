import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { DomainError } from '../../src/domain/shared/domain-error.js';
import type { TransactionalPorts, UnitOfWork } from '../../src/ports/unit-of-work.js';
import type { PersistenceUnderTest } from './harness.js';
import { newUser } from './user-repository.contract.js';
import { newInspection } from './inspection-ports.contract.js';

/** BranchCityRepository, AuditLog and UnitOfWork: the behaviour every adapter family must have. */
export function miscPortsContract(subject: PersistenceUnderTest): void {
  describe(`BranchCityRepository / AuditLog / UnitOfWork contract: ${subject.name}`, () => {
    let ports: TransactionalPorts & { uow: UnitOfWork };
    const t0 = new Date('2026-01-01T00:00:00.000Z');

    beforeEach(async () => {
      ports = await subject.create();
    });

    it('branch cities: create, unique code, list ordered with the active filter, update, delete', async () => {
      const yog = await ports.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, t0);
      const sol = await ports.branches.create({ id: randomUUID(), name: 'Solo', code: 'SOL' }, t0);
      expect(yog).to.deep.include({ code: 'YOG', isActive: true });
      try {
        await ports.branches.create({ id: randomUUID(), name: 'Dup', code: 'YOG' }, t0);
        expect.fail('duplicate code');
      } catch (e) {
        expect((e as DomainError).code).to.equal('BRANCH.CODE_TAKEN');
      }
      await ports.branches.update(sol.id, { isActive: false }, t0);
      expect((await ports.branches.list(false)).map((b) => b.code)).to.deep.equal(['SOL', 'YOG']);
      expect((await ports.branches.list(true)).map((b) => b.code)).to.deep.equal(['YOG']);
      expect((await ports.branches.findByCode('YOG'))?.id).to.equal(yog.id);
      expect(await ports.branches.update(randomUUID(), { name: 'x' }, t0)).to.equal(null);
      await ports.users.create(
        newUser({ role: 'INSPECTOR', branchCityId: yog.id, pinHash: 'h', passwordHash: null }),
        t0,
      );
      try {
        await ports.branches.delete(yog.id);
        expect.fail('in use');
      } catch (e) {
        expect((e as DomainError).code).to.equal('BRANCH.IN_USE');
      }
      expect(await ports.branches.delete(sol.id)).to.equal(true);
      expect(await ports.branches.delete(sol.id)).to.equal(false);
      // A branch that only inspections reference (its inspector moved elsewhere) is in use too.
      const mdn = await ports.branches.create({ id: randomUUID(), name: 'Medan', code: 'MDN' }, t0);
      const inspector = await ports.users.create(
        newUser({ role: 'INSPECTOR', branchCityId: mdn.id, pinHash: 'h', passwordHash: null }),
        t0,
      );
      await ports.inspections.create(newInspection({ inspectorId: inspector.id, branchCityId: mdn.id }), t0);
      await ports.users.update(inspector.id, { branchCityId: yog.id }, t0);
      try {
        await ports.branches.delete(mdn.id);
        expect.fail('in use by an inspection');
      } catch (e) {
        expect((e as DomainError).code).to.equal('BRANCH.IN_USE');
      }
    });

    it('audit log: records entries and lists newest first with filters', async () => {
      const actor = randomUUID();
      await ports.audit.record(
        {
          actorId: actor,
          action: 'LOGIN_SUCCEEDED',
          entity: 'session',
          entityId: 's1',
          metadata: { method: 'password' },
        },
        t0,
      );
      await ports.audit.record(
        { actorId: null, action: 'LOGIN_FAILED', entity: 'user', entityId: null },
        new Date(t0.getTime() + 1000),
      );
      await ports.audit.record(
        { actorId: actor, action: 'LOGOUT', entity: 'session', entityId: 's1' },
        new Date(t0.getTime() + 2000),
      );
      const all = await ports.audit.list({}, { page: 1, pageSize: 10 });
      expect(all.total).to.equal(3);
      expect(all.items.map((e) => e.action)).to.deep.equal(['LOGOUT', 'LOGIN_FAILED', 'LOGIN_SUCCEEDED']);
      expect(all.items[2]).to.deep.include({ actorId: actor, entity: 'session', entityId: 's1' });
      expect(all.items[2]?.metadata).to.deep.equal({ method: 'password' });
      expect(all.items[1]?.metadata).to.deep.equal({});
      expect((await ports.audit.list({ actorId: actor }, { page: 1, pageSize: 10 })).total).to.equal(2);
      expect((await ports.audit.list({ action: 'LOGIN_FAILED' }, { page: 1, pageSize: 10 })).total).to.equal(1);
      expect(
        (
          await ports.audit.list(
            { from: new Date(t0.getTime() + 1000), to: new Date(t0.getTime() + 2000) },
            { page: 1, pageSize: 10 },
          )
        ).items.map((e) => e.action),
      ).to.deep.equal(['LOGIN_FAILED']);
    });

    it('unit of work: commits on success and rolls back everything on a throw', async () => {
      const kept = newUser();
      await ports.uow.run(async (tx) => {
        await tx.users.create(kept, t0);
        await tx.audit.record({ actorId: kept.id, action: 'USER_REGISTERED', entity: 'user', entityId: kept.id }, t0);
      });
      const lost = newUser();
      const boom = new Error('boom');
      try {
        await ports.uow.run(async (tx) => {
          await tx.users.create(lost, t0);
          await tx.audit.record({ actorId: lost.id, action: 'USER_REGISTERED', entity: 'user', entityId: lost.id }, t0);
          await tx.users.update(kept.id, { name: 'changed' }, t0);
          throw boom;
        });
        expect.fail('should rethrow');
      } catch (e) {
        expect(e).to.equal(boom, 'the error is rethrown unchanged');
      }
      expect(await ports.users.findById(lost.id)).to.equal(null);
      expect((await ports.users.findById(kept.id))?.name).to.equal('Test User');
      expect((await ports.audit.list({}, { page: 1, pageSize: 10 })).total).to.equal(1);
    });

    it('unit of work: concurrent refreshes of one token serialise on the token lock; exactly one rotates it', async () => {
      const u = await ports.users.create(newUser(), t0);
      const sessionId = randomUUID();
      const first = {
        id: randomUUID(),
        sessionId,
        tokenHash: 'hash-1',
        createdAt: t0,
        expiresAt: new Date(t0.getTime() + 86_400_000),
        usedAt: null,
      };
      await ports.sessions.createSession(
        {
          id: sessionId,
          userId: u.id,
          createdAt: t0,
          expiresAt: first.expiresAt,
          lastUsedAt: t0,
          userAgent: null,
          ip: null,
        },
        first,
      );
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          ports.uow.run(async (tx) => {
            const t = await tx.sessions.findTokenForUpdate('hash-1');
            if (!t || t.usedAt) return 'saw-used';
            // Give the other transactions time to reach the lock while this one holds it.
            await new Promise((r) => setTimeout(r, 20));
            await tx.sessions.rotate(t.id, { ...first, id: randomUUID(), tokenHash: `next-${i}` }, t0);
            return 'rotated';
          }),
        ),
      );
      expect(outcomes.filter((o) => o === 'rotated')).to.have.length(1);
      expect(outcomes.filter((o) => o === 'saw-used')).to.have.length(5);
    });
  });
}
