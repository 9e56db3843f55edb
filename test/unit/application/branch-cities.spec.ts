import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { CreateBranchCity } from '../../../src/application/branches/create-branch-city.js';
import { DeleteBranchCity } from '../../../src/application/branches/delete-branch-city.js';
import { GetBranchCity } from '../../../src/application/branches/get-branch-city.js';
import { ListBranchCities } from '../../../src/application/branches/list-branch-cities.js';
import { UpdateBranchCity } from '../../../src/application/branches/update-branch-city.js';
import { ChangeUserRole } from '../../../src/application/users/change-user-role.js';
import type { TestActor } from '../../support/actors.js';
import { as, code, rejects, storedInspection, world, type World } from './fixtures.js';

describe('branch city use cases (memory adapters)', () => {
  let w: World;
  let admin: TestActor;
  beforeEach(async () => {
    w = world();
    admin = await w.actors.create('ADMIN');
  });
  afterEach(() => w.cleanup());

  const create = (name: string, code: string, by: TestActor | null = admin) =>
    w.c.get(CreateBranchCity).execute(by ? as(by) : null, { name, code });
  const update = (id: string, patch: Parameters<UpdateBranchCity['execute']>[2]) =>
    w.c.get(UpdateBranchCity).execute(as(admin), id, patch);

  it('creates a branch with a trimmed name and an upper-case code, active; audited (also without an actor)', async () => {
    const b = await create('  Semarang ', ' smg ');
    expect(b).to.deep.include({ name: 'Semarang', code: 'SMG', isActive: true });
    expect(await w.c.get(GetBranchCity).execute(b.id)).to.deep.equal(b);
    await create('Bandung', 'BDG', null);
    const audits = await w.audit({ action: 'BRANCH_CREATED' });
    expect(audits.map((a) => [a.actorId, a.metadata])).to.deep.equal([
      [admin.user.id, { code: 'SMG' }],
      [null, { code: 'BDG' }],
    ]);
  });

  it('refuses a code that is not three letters or a name out of 2-80 characters; a taken code is BRANCH.CODE_TAKEN', async () => {
    for (const [name, c, path] of [
      ['Semarang', 'SM', '/code'],
      ['Semarang', 'SM1', '/code'],
      ['Semarang', 'SMGX', '/code'],
      ['S', 'SMG', '/name'],
      ['x'.repeat(81), 'SMG', '/name'],
    ] as const) {
      const e = await rejects(create(name, c), 'VALIDATION.FAILED');
      expect(
        e.details.map((d) => d.path),
        `${name}/${c}`,
      ).to.deep.equal([path]);
    }
    await create('Semarang', 'SMG');
    expect(await code(create('Semarang Timur', 'smg'))).to.equal('BRANCH.CODE_TAKEN');
    expect(await w.audit({ action: 'BRANCH_CREATED' })).to.have.length(1);
  });

  it('updates name, code and the active flag (normalised, audited with the patch); unknown is BRANCH.NOT_FOUND, a taken code BRANCH.CODE_TAKEN', async () => {
    const a = await create('Semarang', 'SMG');
    const b = await create('Bandung', 'BDG');
    const updated = await update(a.id, { name: ' Semarang Kota ', code: 'skt', isActive: false });
    expect(updated).to.deep.include({ id: a.id, name: 'Semarang Kota', code: 'SKT', isActive: false });
    expect((await w.audit({ action: 'BRANCH_UPDATED', entityId: a.id }))[0]?.metadata).to.deep.equal({
      name: 'Semarang Kota',
      code: 'SKT',
      isActive: false,
    });
    expect(await code(update(b.id, { code: 'SKT' }))).to.equal('BRANCH.CODE_TAKEN');
    expect(await code(update(b.id, { code: 'B' }))).to.equal('VALIDATION.FAILED');
    expect(await code(update(randomUUID(), { isActive: true }))).to.equal('BRANCH.NOT_FOUND');
    expect(await code(update(b.id, { code: 'bdg' })), 'its own code again').to.equal('OK');
  });

  it('lists all or active branches only; an unknown branch is BRANCH.NOT_FOUND', async () => {
    const a = await create('Semarang', 'SMG');
    const b = await create('Bandung', 'BDG');
    await update(a.id, { isActive: false });
    expect((await w.c.get(ListBranchCities).execute(true)).map((x) => x.id)).to.deep.equal([b.id]);
    expect((await w.c.get(ListBranchCities).execute(false)).map((x) => x.id)).to.have.members([a.id, b.id]);
    expect(await code(w.c.get(GetBranchCity).execute(randomUUID()))).to.equal('BRANCH.NOT_FOUND');
  });

  it('deletes an unused branch (audited with its code); one with users is BRANCH.IN_USE, an unknown one BRANCH.NOT_FOUND', async () => {
    const inspector = await w.actors.create('INSPECTOR');
    const used = inspector.user.branchCityId as string;
    expect(await code(w.c.get(DeleteBranchCity).execute(as(admin), used))).to.equal('BRANCH.IN_USE');
    expect(await w.c.get(GetBranchCity).execute(used)).to.have.property('id', used);
    const free = await create('Bandung', 'BDG');
    await w.c.get(DeleteBranchCity).execute(as(admin), free.id);
    expect(await code(w.c.get(GetBranchCity).execute(free.id))).to.equal('BRANCH.NOT_FOUND');
    expect((await w.audit({ action: 'BRANCH_DELETED' }))[0]).to.deep.include({
      actorId: admin.user.id,
      entityId: free.id,
      metadata: { code: 'BDG' },
    });
    expect(await code(w.c.get(DeleteBranchCity).execute(as(admin), free.id))).to.equal('BRANCH.NOT_FOUND');
    expect(await code(create('Bandung Baru', 'BDG')), 'the code is free again').to.equal('OK');
  });

  describe('a branch that inspections still reference (found by these tests: the memory adapter once deleted it)', () => {
    // PostgreSQL refuses the delete (inspections.branch_city_id ... ON DELETE RESTRICT, translated to
    // BRANCH.IN_USE by KnexBranchCityRepository); the memory adapter now checks inspections too, and the
    // persistence contract (misc-ports.contract.ts) pins both.
    it('a branch whose only references are inspections is BRANCH.IN_USE, as on PostgreSQL', async () => {
      const inspector = await w.actors.create('INSPECTOR');
      const yog = inspector.user.branchCityId as string;
      const inspection = await storedInspection(w, inspector);
      const solo = await create('Solo', 'SOL');
      const sa = await w.actors.create('SUPERADMIN');
      await w.c.get(ChangeUserRole).execute(as(sa), inspector.user.id, 'INSPECTOR', solo.id);
      expect(await w.tx((tx) => tx.users.countByBranch(yog)), 'no user is in the branch any more').to.equal(0);
      expect(await code(w.c.get(DeleteBranchCity).execute(as(admin), yog))).to.equal('BRANCH.IN_USE');
      expect(
        await w.tx((tx) => tx.branches.findById(yog)),
        `inspection ${inspection.prettyId} keeps its branch`,
      ).to.not.equal(null);
    });
  });
});
