import { expect } from 'chai';
import type { Container } from 'inversify';
import { LoginInspector } from '../../../src/application/auth/login-inspector.js';
import { CreateBranchCity } from '../../../src/application/branches/create-branch-city.js';
import { DeleteBranchCity } from '../../../src/application/branches/delete-branch-city.js';
import { UpdateBranchCity } from '../../../src/application/branches/update-branch-city.js';
import { CreateInspector } from '../../../src/application/users/create-inspector.js';
import { CreateStaffUser } from '../../../src/application/users/create-staff-user.js';
import { ListUsers } from '../../../src/application/users/list-users.js';
import { ChangeUserRole } from '../../../src/application/users/change-user-role.js';
import { RegenerateInspectorPin } from '../../../src/application/users/regenerate-inspector-pin.js';
import { SetUserActive } from '../../../src/application/users/set-user-active.js';
import { DomainError } from '../../../src/domain/shared/domain-error.js';
import { buildContainer } from '../../../src/main/container.js';
import { Actors, PASSWORD, type TestActor } from '../../support/actors.js';
import { testConfig } from '../../support/config.js';
import { memoryLogger } from '../../support/logs.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

describe('user management use cases (in-memory adapters)', () => {
  let c: Container;
  let actors: Actors;
  let sa: TestActor;
  let admin: TestActor;
  const as = (a: TestActor) => ({ userId: a.user.id, role: a.user.role });

  beforeEach(async () => {
    c = buildContainer({ config: testConfig(), logger: memoryLogger().logger });
    actors = new Actors(c);
    sa = await actors.create('SUPERADMIN');
    admin = await actors.create('ADMIN');
  });

  it('only a SUPERADMIN creates ADMIN or SUPERADMIN accounts', async () => {
    const input = (role: 'ADMIN' | 'SUPERADMIN' | 'REVIEWER', n: number) => ({
      email: `u${n}@x.co`,
      name: 'U',
      password: PASSWORD,
      role,
    });
    expect(await code(c.get(CreateStaffUser).execute(as(admin), input('ADMIN', 1)))).to.equal(
      'USER.ROLE_NOT_GRANTABLE',
    );
    expect(await code(c.get(CreateStaffUser).execute(as(admin), input('SUPERADMIN', 2)))).to.equal(
      'USER.ROLE_NOT_GRANTABLE',
    );
    expect(await code(c.get(CreateStaffUser).execute(as(admin), input('REVIEWER', 3)))).to.equal('OK');
    expect(await code(c.get(CreateStaffUser).execute(as(sa), input('ADMIN', 4)))).to.equal('OK');
  });

  it('an ADMIN cannot change the role of, or deactivate, another ADMIN', async () => {
    const other = await actors.create('ADMIN');
    expect(await code(c.get(ChangeUserRole).execute(as(admin), other.user.id, 'REVIEWER'))).to.equal(
      'USER.NOT_MANAGEABLE',
    );
    expect(await code(c.get(SetUserActive).execute(as(admin), other.user.id, false))).to.equal('USER.NOT_MANAGEABLE');
    expect(
      await code(c.get(ChangeUserRole).execute(as(admin), (await actors.create('CUSTOMER')).user.id, 'ADMIN')),
    ).to.equal('USER.ROLE_NOT_GRANTABLE');
  });

  it('nobody changes their own role or active flag', async () => {
    expect(await code(c.get(ChangeUserRole).execute(as(sa), sa.user.id, 'ADMIN'))).to.equal(
      'USER.SELF_CHANGE_FORBIDDEN',
    );
    expect(await code(c.get(SetUserActive).execute(as(admin), admin.user.id, false))).to.equal(
      'USER.SELF_CHANGE_FORBIDDEN',
    );
  });

  it('the last active SUPERADMIN cannot be demoted or deactivated', async () => {
    // `actors` created a helper SUPERADMIN only for inspectors; here exactly one exists.
    const sa2 = await actors.create('SUPERADMIN');
    expect(await code(c.get(SetUserActive).execute(as(sa), sa2.user.id, false))).to.equal('OK');
    expect(await code(c.get(ChangeUserRole).execute(as(sa2), sa.user.id, 'ADMIN'))).to.equal('USER.LAST_SUPERADMIN');
  });

  it('an inspector needs an active branch city', async () => {
    const branch = await c.get(CreateBranchCity).execute(null, { name: 'Solo', code: 'sol' });
    expect(branch.code).to.equal('SOL');
    await c.get(UpdateBranchCity).execute(as(admin), branch.id, { isActive: false });
    expect(
      await code(c.get(CreateInspector).execute(as(admin), { email: 'i@x.co', name: 'I', branchCityId: branch.id })),
    ).to.equal('USER.BRANCH_REQUIRED');
    const customer = await actors.create('CUSTOMER');
    expect(await code(c.get(ChangeUserRole).execute(as(admin), customer.user.id, 'INSPECTOR'))).to.equal(
      'USER.BRANCH_REQUIRED',
    );
  });

  it("regenerating a PIN invalidates the old PIN and the inspector's sessions", async () => {
    const inspector = await actors.create('INSPECTOR');
    const { pin } = await c.get(RegenerateInspectorPin).execute(as(admin), inspector.user.id);
    expect(pin).to.match(/^[0-9]{6}$/);
    const client = { userAgent: null, ip: null };
    if (pin !== inspector.secret)
      expect(
        await code(
          c.get(LoginInspector).execute({ email: inspector.user.email as string, pin: inspector.secret, client }),
        ),
      ).to.equal('AUTH.INVALID_CREDENTIALS');
    expect(await code(c.get(LoginInspector).execute({ email: inspector.user.email as string, pin, client }))).to.equal(
      'OK',
    );
    expect(
      await code(c.get(RegenerateInspectorPin).execute(as(admin), (await actors.create('CUSTOMER')).user.id)),
    ).to.equal('USER.NOT_INSPECTOR');
  });

  it('lists and searches users with pagination', async () => {
    for (let i = 0; i < 5; i++) await actors.create('CUSTOMER', { email: `searchable-${i}@x.co` });
    const page = await c.get(ListUsers).execute({ role: ['CUSTOMER'], q: 'SEARCHABLE' }, { page: 2, pageSize: 2 });
    expect(page.total).to.equal(5);
    expect(page.items).to.have.length(2);
    expect(page.items.every((u) => u.email?.startsWith('searchable-'))).to.equal(true);
  });

  it('a branch city still used by users cannot be deleted', async () => {
    const inspector = await actors.create('INSPECTOR');
    expect(await code(c.get(DeleteBranchCity).execute(as(admin), inspector.user.branchCityId as string))).to.equal(
      'BRANCH.IN_USE',
    );
    const empty = await c.get(CreateBranchCity).execute(null, { name: 'Empty', code: 'EMP' });
    expect(await code(c.get(DeleteBranchCity).execute(as(admin), empty.id))).to.equal('OK');
    expect(await code(c.get(CreateBranchCity).execute(null, { name: 'Again', code: 'YOG' }))).to.equal(
      'BRANCH.CODE_TAKEN',
    );
  });
});
