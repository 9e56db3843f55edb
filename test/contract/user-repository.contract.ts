import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../../src/domain/shared/domain-error.js';
import type { NewUser, UserRepository } from '../../src/ports/user-repository.js';
import type { TransactionalPorts, UnitOfWork } from '../../src/ports/unit-of-work.js';
import type { PersistenceUnderTest } from './harness.js';

export const newUser = (over: Partial<NewUser> = {}): NewUser => ({
  id: randomUUID(),
  email: `${randomUUID().slice(0, 8)}@example.com`,
  username: null,
  name: 'Test User',
  role: 'CUSTOMER',
  branchCityId: null,
  passwordHash: '$argon2id$fake',
  pinHash: null,
  ...over,
});

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(DomainError);
    expect((e as DomainError).code).to.equal(code);
    return;
  }
  expect.fail(`expected ${code}`);
}

/** The behaviour every UserRepository adapter must have. */
export function userRepositoryContract(subject: PersistenceUnderTest): void {
  describe(`UserRepository contract: ${subject.name}`, () => {
    let ports: TransactionalPorts & { uow: UnitOfWork };
    let users: UserRepository;
    const t0 = new Date('2026-01-01T00:00:00.000Z');

    beforeEach(async () => {
      ports = await subject.create();
      users = ports.users;
    });

    it('creates and finds a user by id, email and username with every field round-tripped', async () => {
      const input = newUser({ email: 'budi@example.com', username: 'budi' });
      const created = await users.create(input, t0);
      expect(created).to.deep.include({ ...input, isActive: true, failedLoginCount: 0, lockedUntil: null });
      expect(created.createdAt.toISOString()).to.equal(t0.toISOString());
      for (const found of [
        await users.findById(input.id),
        await users.findByEmail('BUDI@example.com'),
        await users.findByUsername('Budi'),
      ]) {
        expect(found?.id).to.equal(input.id);
        expect(found?.updatedAt.toISOString()).to.equal(t0.toISOString());
      }
      expect(await users.findById(randomUUID())).to.equal(null);
      expect(await users.findByEmail('nobody@example.com')).to.equal(null);
    });

    it('lockForUpdate holds the row until the transaction ends: a second one waits for it (false for an unknown id)', async () => {
      const u = await users.create(newUser(), t0);
      expect(await ports.uow.run((tx) => tx.users.lockForUpdate(randomUUID()))).to.equal(false);
      const order: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const firstLocked = new Promise<void>((r) => (locked = r));
      const first = ports.uow.run(async (tx) => {
        expect(await tx.users.lockForUpdate(u.id)).to.equal(true);
        order.push('first locked');
        locked();
        await gate;
        order.push('first ends');
      });
      await firstLocked;
      const second = ports.uow.run(async (tx) => {
        await tx.users.lockForUpdate(u.id);
        order.push('second locked');
      });
      await new Promise((r) => setTimeout(r, 150));
      order.push('released');
      release();
      await Promise.all([first, second]);
      expect(order).to.deep.equal(['first locked', 'released', 'first ends', 'second locked']);
    });

    it('refuses a second user with the same email or username', async () => {
      await users.create(newUser({ email: 'same@example.com', username: 'same' }), t0);
      await expectCode(users.create(newUser({ email: 'same@example.com' }), t0), 'USER.EMAIL_TAKEN');
      await expectCode(users.create(newUser({ username: 'same' }), t0), 'USER.USERNAME_TAKEN');
      const other = await users.create(newUser({ email: 'other@example.com' }), t0);
      await expectCode(users.update(other.id, { email: 'same@example.com' }, t0), 'USER.EMAIL_TAKEN');
    });

    it('updates only the given fields and bumps updatedAt', async () => {
      const u = await users.create(newUser({ username: 'old' }), t0);
      const t1 = new Date(t0.getTime() + 1000);
      const lockedUntil = new Date(t0.getTime() + 60_000);
      const updated = await users.update(
        u.id,
        { name: 'New Name', failedLoginCount: 3, lockedUntil, isActive: false },
        t1,
      );
      expect(updated).to.deep.include({
        name: 'New Name',
        username: 'old',
        email: u.email,
        failedLoginCount: 3,
        isActive: false,
        role: 'CUSTOMER',
      });
      expect(updated?.lockedUntil?.toISOString()).to.equal(lockedUntil.toISOString());
      expect(updated?.updatedAt.toISOString()).to.equal(t1.toISOString());
      expect(await users.update(randomUUID(), { name: 'x' }, t1)).to.equal(null);
      const cleared = await users.update(u.id, { username: null, lockedUntil: null }, t1);
      expect(cleared).to.deep.include({ username: null, lockedUntil: null });
    });

    it('counts failed logins one by one, locks at the threshold and starts counting again', async () => {
      const u = await users.create(newUser(), t0);
      const policy = { threshold: 3, lockMs: 60_000 };
      const at = (s: number) => new Date(t0.getTime() + s * 1000);
      expect(await users.recordFailedLogin(u.id, at(1), policy)).to.deep.equal({
        failedLoginCount: 1,
        lockedUntil: null,
        lockedNow: false,
      });
      expect(await users.recordFailedLogin(u.id, at(2), policy)).to.deep.equal({
        failedLoginCount: 2,
        lockedUntil: null,
        lockedNow: false,
      });
      const third = await users.recordFailedLogin(u.id, at(3), policy);
      expect(third).to.deep.include({ failedLoginCount: 0, lockedNow: true });
      expect(third?.lockedUntil?.toISOString()).to.equal(new Date(at(3).getTime() + 60_000).toISOString());
      const fourth = await users.recordFailedLogin(u.id, at(4), policy);
      expect(fourth).to.deep.include({ failedLoginCount: 1, lockedNow: false });
      expect(fourth?.lockedUntil?.toISOString(), 'the lock stays').to.equal(third?.lockedUntil?.toISOString());
      expect(await users.recordFailedLogin(randomUUID(), at(5), policy)).to.equal(null);
    });

    it('clears failures after a correct secret only when the account is not locked', async () => {
      const u = await users.create(newUser(), t0);
      const policy = { threshold: 2, lockMs: 60_000 };
      await users.recordFailedLogin(u.id, t0, policy);
      expect(await users.clearFailedLogins(u.id, t0), 'not locked: cleared').to.equal(true);
      expect(await users.findById(u.id)).to.deep.include({ failedLoginCount: 0, lockedUntil: null });
      await users.recordFailedLogin(u.id, t0, policy);
      await users.recordFailedLogin(u.id, t0, policy);
      expect(await users.clearFailedLogins(u.id, new Date(t0.getTime() + 59_000)), 'locked: refused').to.equal(false);
      expect((await users.findById(u.id))?.lockedUntil).to.be.instanceOf(Date);
      expect(await users.clearFailedLogins(u.id, new Date(t0.getTime() + 61_000)), 'lock over: cleared').to.equal(true);
      expect(await users.findById(u.id)).to.deep.include({ failedLoginCount: 0, lockedUntil: null });
      expect(await users.clearFailedLogins(u.id, t0), 'nothing to clear').to.equal(true);
      expect(await users.clearFailedLogins(randomUUID(), t0)).to.equal(false);
    });

    it('lists newest first with filters, substring search and pagination', async () => {
      for (let i = 0; i < 5; i++)
        await users.create(
          newUser({ name: `Customer ${i}`, email: `c${i}@example.com` }),
          new Date(t0.getTime() + i * 1000),
        );
      await users.create(
        newUser({ name: 'Rina Reviewer', role: 'REVIEWER', email: 'rina@example.com' }),
        new Date(t0.getTime() + 10_000),
      );
      const all = await users.list({}, { page: 1, pageSize: 100 });
      expect(all.total).to.equal(6);
      expect(all.items[0]?.name).to.equal('Rina Reviewer');
      const customers = await users.list({ role: ['CUSTOMER'] }, { page: 2, pageSize: 2 });
      expect(customers).to.deep.include({ total: 5, page: 2, pageSize: 2 });
      expect(customers.items.map((u) => u.name)).to.deep.equal(['Customer 2', 'Customer 1']);
      expect((await users.list({ q: 'RINA' }, { page: 1, pageSize: 10 })).items.map((u) => u.email)).to.deep.equal([
        'rina@example.com',
      ]);
      expect((await users.list({ q: '%' }, { page: 1, pageSize: 10 })).total, 'LIKE wildcards are literal').to.equal(0);
      expect(
        (await users.list({ role: ['REVIEWER', 'CUSTOMER'], isActive: true }, { page: 1, pageSize: 10 })).total,
      ).to.equal(6);
    });

    it('counts active users per role and users per branch', async () => {
      const a = await users.create(newUser({ role: 'SUPERADMIN' }), t0);
      await users.create(newUser({ role: 'SUPERADMIN' }), t0);
      await users.update(a.id, { isActive: false }, t0);
      expect(await users.countActiveByRole('SUPERADMIN')).to.equal(1);
      const branch = await ports.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, t0);
      await users.create(
        newUser({ role: 'INSPECTOR', branchCityId: branch.id, passwordHash: null, pinHash: '$argon2id$pin' }),
        t0,
      );
      expect(await users.countByBranch(branch.id)).to.equal(1);
    });
  });
}
