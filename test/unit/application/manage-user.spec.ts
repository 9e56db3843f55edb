import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { CreateBranchCity } from '../../../src/application/branches/create-branch-city.js';
import { UpdateBranchCity } from '../../../src/application/branches/update-branch-city.js';
import { ChangeUserRole } from '../../../src/application/users/change-user-role.js';
import { RegenerateInspectorPin } from '../../../src/application/users/regenerate-inspector-pin.js';
import { SetUserActive } from '../../../src/application/users/set-user-active.js';
import type { Role } from '../../../src/domain/identity/role.js';
import type { TestActor } from '../../support/actors.js';
import { as, code, rejects, world, type World } from './fixtures.js';

describe('user management: role changes, activation and PINs (memory adapters)', () => {
  let w: World;
  let sa: TestActor;
  let admin: TestActor;
  beforeEach(async () => {
    w = world();
    sa = await w.actors.create('SUPERADMIN');
    admin = await w.actors.create('ADMIN');
  });
  afterEach(() => w.cleanup());

  const role = (by: TestActor, subject: TestActor | string, to: Role, branchCityId?: string) =>
    w.c.get(ChangeUserRole).execute(as(by), typeof subject === 'string' ? subject : subject.user.id, to, branchCityId);
  const active = (by: TestActor, subject: TestActor, value: boolean) =>
    w.c.get(SetUserActive).execute(as(by), subject.user.id, value);
  const sessions = (a: TestActor) => w.tx((tx) => tx.sessions.listActiveForUser(a.user.id, w.clock.now()));
  const userOf = (a: TestActor) => w.tx((tx) => tx.users.findById(a.user.id));

  describe('ChangeUserRole', () => {
    it("changes the role, ends the user's sessions (the role is in their tokens) and audits both", async () => {
      const reviewer = await w.actors.create('REVIEWER');
      expect(await sessions(reviewer)).to.have.length(1);
      const updated = await role(admin, reviewer, 'CUSTOMER');
      expect(updated).to.deep.include({ id: reviewer.user.id, role: 'CUSTOMER' });
      expect(updated).to.not.have.property('passwordHash');
      expect(await sessions(reviewer)).to.deep.equal([]);
      expect(await w.tx((tx) => tx.sessions.findSession(reviewer.sessionId))).to.deep.include({
        revokeReason: 'ROLE_CHANGED',
        revokedAt: w.clock.now(),
      });
      expect((await w.audit({ action: 'ROLE_CHANGED', entityId: reviewer.user.id }))[0]?.metadata).to.deep.equal({
        from: 'REVIEWER',
        to: 'CUSTOMER',
        revokedSessions: 1,
      });
    });

    it('the same role again keeps the sessions (revokedSessions 0)', async () => {
      const reviewer = await w.actors.create('REVIEWER');
      await role(admin, reviewer, 'REVIEWER');
      expect(await sessions(reviewer)).to.have.length(1);
      expect((await w.audit({ action: 'ROLE_CHANGED' }))[0]?.metadata).to.deep.include({ revokedSessions: 0 });
    });

    it('an inspector needs an existing, active branch; a given branch must exist for any role', async () => {
      const customer = await w.actors.create('CUSTOMER');
      const solo = await w.c.get(CreateBranchCity).execute(null, { name: 'Solo', code: 'SOL' });
      expect(await code(role(admin, customer, 'INSPECTOR'))).to.equal('USER.BRANCH_REQUIRED');
      expect(await code(role(admin, customer, 'REVIEWER', randomUUID()))).to.equal('USER.BRANCH_REQUIRED');
      await w.c.get(UpdateBranchCity).execute(as(admin), solo.id, { isActive: false });
      expect(await code(role(admin, customer, 'INSPECTOR', solo.id))).to.equal('USER.BRANCH_REQUIRED');
      await w.c.get(UpdateBranchCity).execute(as(admin), solo.id, { isActive: true });
      expect(await role(admin, customer, 'INSPECTOR', solo.id)).to.deep.include({
        role: 'INSPECTOR',
        branchCityId: solo.id,
      });
      expect(await role(admin, customer, 'REVIEWER'), 'the branch is kept when none is given').to.deep.include({
        role: 'REVIEWER',
        branchCityId: solo.id,
      });
    });

    it('grants and manages by rank: an ADMIN neither grants SUPERADMIN nor touches one; a REVIEWER manages nobody', async () => {
      const reviewer = await w.actors.create('REVIEWER');
      const customer = await w.actors.create('CUSTOMER');
      expect(await code(role(admin, customer, 'SUPERADMIN'))).to.equal('USER.ROLE_NOT_GRANTABLE');
      expect(await code(role(admin, sa, 'REVIEWER'))).to.equal('USER.NOT_MANAGEABLE');
      expect(await code(role(reviewer, customer, 'CUSTOMER'))).to.equal('USER.ROLE_NOT_GRANTABLE');
      expect(await code(role(sa, customer, 'ADMIN'))).to.equal('OK');
      expect(await code(role(sa, randomUUID(), 'REVIEWER'))).to.equal('USER.NOT_FOUND');
      expect(await code(role(admin, admin, 'REVIEWER'))).to.equal('USER.SELF_CHANGE_FORBIDDEN');
    });

    it('the last active SUPERADMIN is never demoted; with two, one may go; an inactive one does not count', async () => {
      // Actors made a helper SUPERADMIN for no-one here: `sa` is the only one.
      const second = await w.actors.create('SUPERADMIN');
      expect(await code(role(second, sa, 'ADMIN'))).to.equal('OK');
      const third = await w.actors.create('SUPERADMIN');
      await active(second, third, false);
      expect(await code(role(third, second, 'ADMIN')), 'the only active SUPERADMIN').to.equal('USER.LAST_SUPERADMIN');
      expect(await code(role(second, third, 'ADMIN')), 'demoting an inactive SUPERADMIN is fine').to.equal('OK');
      expect(await code(role(second, sa, 'SUPERADMIN')), 'promoting needs no check').to.equal('OK');
    });
  });

  describe('SetUserActive', () => {
    it('deactivating ends every session and clears a lockout; re-activating restores the login; both audited', async () => {
      const reviewer = await w.actors.create('REVIEWER');
      await w.tx((tx) =>
        tx.users.update(
          reviewer.user.id,
          { failedLoginCount: 4, lockedUntil: new Date(w.clock.now().getTime() + 60_000) },
          w.clock.now(),
        ),
      );
      const off = await active(admin, reviewer, false);
      expect(off.isActive).to.equal(false);
      expect(await userOf(reviewer)).to.deep.include({ isActive: false, failedLoginCount: 0, lockedUntil: null });
      expect(await sessions(reviewer)).to.deep.equal([]);
      expect((await active(admin, reviewer, true)).isActive).to.equal(true);
      expect(
        (await w.audit({ entityId: reviewer.user.id }))
          .map((a) => a.action)
          .filter((a) => a === 'USER_DEACTIVATED' || a === 'USER_ACTIVATED'),
      ).to.deep.equal(['USER_DEACTIVATED', 'USER_ACTIVATED']);
      expect(await w.tx((tx) => tx.sessions.findSession(reviewer.sessionId))).to.deep.include({
        revokeReason: 'DEACTIVATED',
      });
    });

    it('re-activating keeps the sessions that are left; only deactivation revokes', async () => {
      const reviewer = await w.actors.create('REVIEWER');
      await active(admin, reviewer, true);
      expect(await sessions(reviewer)).to.have.length(1);
    });

    it('the last active SUPERADMIN cannot be deactivated; nobody changes their own flag; ranks apply', async () => {
      const second = await w.actors.create('SUPERADMIN');
      await active(second, sa, false);
      expect(await code(active(admin, second, false))).to.equal('USER.NOT_MANAGEABLE');
      expect(await code(active(second, second, false))).to.equal('USER.SELF_CHANGE_FORBIDDEN');
      // Only `second` is an active SUPERADMIN now. Another SUPERADMIN acting on it must be an inactive one
      // (a stale request, or a race with its deactivation): the guard still holds.
      await rejects(active(sa, second, false), 'USER.LAST_SUPERADMIN');
      await rejects(role(sa, second, 'ADMIN'), 'USER.LAST_SUPERADMIN');
      expect((await userOf(second))?.isActive).to.equal(true);
    });
  });

  describe('RegenerateInspectorPin', () => {
    it("issues a new 6-digit PIN, ends the inspector's sessions, clears a lockout and audits; only for inspectors", async () => {
      const inspector = await w.actors.create('INSPECTOR');
      await w.tx((tx) =>
        tx.users.update(
          inspector.user.id,
          { failedLoginCount: 5, lockedUntil: new Date(w.clock.now().getTime() + 60_000) },
          w.clock.now(),
        ),
      );
      const before = (await userOf(inspector))?.pinHash;
      const { user, pin } = await w.c.get(RegenerateInspectorPin).execute(as(admin), inspector.user.id);
      expect(pin).to.match(/^\d{6}$/);
      expect(user).to.not.have.property('pinHash');
      const after = await userOf(inspector);
      expect(after?.pinHash).to.not.equal(before);
      expect(after).to.deep.include({ failedLoginCount: 0, lockedUntil: null });
      expect(await sessions(inspector)).to.deep.equal([]);
      expect(await w.audit({ action: 'PIN_REGENERATED', entityId: inspector.user.id })).to.have.length(1);
      expect(await code(w.c.get(RegenerateInspectorPin).execute(as(admin), admin.user.id))).to.equal(
        'USER.SELF_CHANGE_FORBIDDEN',
      );
      expect(await code(w.c.get(RegenerateInspectorPin).execute(as(admin), sa.user.id))).to.equal(
        'USER.NOT_MANAGEABLE',
      );
      expect(await code(w.c.get(RegenerateInspectorPin).execute(as(admin), randomUUID()))).to.equal('USER.NOT_FOUND');
      expect(
        await code(w.c.get(RegenerateInspectorPin).execute(as(admin), (await w.actors.create('REVIEWER')).user.id)),
      ).to.equal('USER.NOT_INSPECTOR');
    });
  });
});
