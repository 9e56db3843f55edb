import { expect } from 'chai';
import type { Knex } from 'knex';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors, PASSWORD, type TestActor } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';

describe('API: administration of users, branch cities and the audit trail (PostgreSQL)', () => {
  let knex: Knex;
  let t: TestApp;
  let actors: Actors;
  let sa: TestActor;
  let admin: TestActor;

  useTestDatabase((k) => (knex = k));
  beforeEach(async () => {
    t = buildTestApp({ knex });
    actors = new Actors(t.container);
    sa = await actors.create('SUPERADMIN');
    admin = await actors.create('ADMIN');
  });

  it('branch cities: admin creates (code upper-cased), public lists, duplicates are 409, in-use cannot be deleted', async () => {
    const created = await t.api.post('/api/v1/branch-cities').set(admin.auth).send({ name: 'Yogyakarta', code: 'yog' });
    expect(created.status).to.equal(201);
    expect(created.headers.location).to.equal(`/api/v1/branch-cities/${created.body.id}`);
    expect(created.body).to.include({ code: 'YOG', isActive: true });
    expect(
      (await t.api.post('/api/v1/branch-cities').set(admin.auth).send({ name: 'Again', code: 'YOG' })).body.code,
    ).to.equal('BRANCH.CODE_TAKEN');
    const sol = await t.api
      .post('/api/v1/branch-cities')
      .set(admin.auth)
      .send({ name: 'Solo', code: 'SOL' })
      .expect(201);
    await t.api.patch(`/api/v1/branch-cities/${sol.body.id}`).set(admin.auth).send({ isActive: false }).expect(200);
    expect((await t.api.get('/api/v1/branch-cities')).body.items.map((b: { code: string }) => b.code)).to.deep.equal([
      'YOG',
    ]);
    expect(
      (await t.api.get('/api/v1/branch-cities?includeInactive=true')).body.items.map((b: { code: string }) => b.code),
    ).to.deep.equal(['SOL', 'YOG']);
    expect((await t.api.get(`/api/v1/branch-cities/${created.body.id}`)).body.name).to.equal('Yogyakarta');

    const inspector = await t.api
      .post('/api/v1/admin/users/inspectors')
      .set(admin.auth)
      .send({ email: 'ina@example.com', name: 'Ina', branchCityId: created.body.id });
    expect(inspector.status).to.equal(201);
    const del = await t.api.delete(`/api/v1/branch-cities/${created.body.id}`).set(admin.auth);
    expect(del.status).to.equal(409);
    expect(del.body.code).to.equal('BRANCH.IN_USE');
    await t.api.delete(`/api/v1/branch-cities/${sol.body.id}`).set(admin.auth).expect(204);
    expect((await t.api.get(`/api/v1/branch-cities/${sol.body.id}`)).status).to.equal(404);
  });

  it('creates an inspector whose PIN is returned once and works for login; regenerating replaces it', async () => {
    const branch = await actors.branchCity();
    const r = await t.api
      .post('/api/v1/admin/users/inspectors')
      .set(admin.auth)
      .send({ email: 'Ina@Example.com', name: 'Ina', branchCityId: branch.id });
    expect(r.status).to.equal(201);
    expect(r.headers['cache-control']).to.equal('no-store');
    expect(r.body.pin).to.match(/^[0-9]{6}$/);
    expect(r.body.user).to.include({ role: 'INSPECTOR', branchCityId: branch.id, email: 'ina@example.com' });
    await t.api.post('/api/v1/auth/login/inspector').send({ email: 'ina@example.com', pin: r.body.pin }).expect(200);
    const fetched = await t.api.get(`/api/v1/admin/users/${r.body.user.id}`).set(admin.auth);
    expect(fetched.body).to.not.have.property('pin');
    const regen = await t.api.post(`/api/v1/admin/users/${r.body.user.id}/pin`).set(admin.auth);
    expect(regen.status).to.equal(200);
    await t.api
      .post('/api/v1/auth/login/inspector')
      .send({ email: 'ina@example.com', pin: regen.body.pin })
      .expect(200);
    const row = await knex('users').where({ id: r.body.user.id }).first();
    expect(JSON.stringify(row)).to.not.contain(regen.body.pin);
  });

  it('an inspector needs an existing active branch city', async () => {
    const r = await t.api
      .post('/api/v1/admin/users/inspectors')
      .set(admin.auth)
      .send({ email: 'x@example.com', name: 'X', branchCityId: '00000000-0000-4000-8000-000000000000' });
    expect(r.status).to.equal(400);
    expect(r.body.code).to.equal('USER.BRANCH_REQUIRED');
  });

  it('only a SUPERADMIN creates or grants ADMIN/SUPERADMIN', async () => {
    const body = { email: 'new-admin@example.com', name: 'New', password: PASSWORD, role: 'ADMIN' };
    const denied = await t.api.post('/api/v1/admin/users').set(admin.auth).send(body);
    expect(denied.status).to.equal(403);
    expect(denied.body.code).to.equal('USER.ROLE_NOT_GRANTABLE');
    const ok = await t.api.post('/api/v1/admin/users').set(sa.auth).send(body);
    expect(ok.status).to.equal(201);
    const reviewer = await t.api
      .post('/api/v1/admin/users')
      .set(admin.auth)
      .send({ ...body, email: 'rev@example.com', role: 'REVIEWER' });
    expect(reviewer.status).to.equal(201);
    const promote = await t.api
      .patch(`/api/v1/admin/users/${reviewer.body.id}/role`)
      .set(admin.auth)
      .send({ role: 'SUPERADMIN' });
    expect(promote.body.code).to.equal('USER.ROLE_NOT_GRANTABLE');
    const promoted = await t.api
      .patch(`/api/v1/admin/users/${reviewer.body.id}/role`)
      .set(sa.auth)
      .send({ role: 'ADMIN' });
    expect(promoted.body.role).to.equal('ADMIN');
    const touchAdmin = await t.api.post(`/api/v1/admin/users/${promoted.body.id}/deactivate`).set(admin.auth);
    expect(touchAdmin.body.code).to.equal('USER.NOT_MANAGEABLE');
  });

  it("a role change ends the user's sessions; the new role applies from the next login", async () => {
    const c = await actors.create('CUSTOMER');
    expect((await t.api.get('/api/v1/admin/users').set(c.auth)).status).to.equal(403);
    await t.api.patch(`/api/v1/admin/users/${c.user.id}/role`).set(sa.auth).send({ role: 'ADMIN' }).expect(200);
    const old = await t.api.get('/api/v1/admin/users').set(c.auth);
    expect([old.status, old.body.code]).to.deep.equal([401, 'AUTH.SESSION_REVOKED']);
    const login = await t.api.post('/api/v1/auth/login').send({ identifier: c.user.email, password: c.secret });
    expect(
      (await t.api.get('/api/v1/admin/users').set({ Authorization: `Bearer ${login.body.accessToken}` })).status,
    ).to.equal(200);
  });

  it('lists and searches users with pagination and filters', async () => {
    for (let i = 0; i < 3; i++) await actors.create('CUSTOMER', { email: `findme-${i}@example.com` });
    const r = await t.api.get('/api/v1/admin/users?q=FINDME&role=CUSTOMER&pageSize=2&page=1').set(admin.auth);
    expect(r.status).to.equal(200);
    expect(r.body).to.include({ total: 3, page: 1, pageSize: 2 });
    expect(r.body.items).to.have.length(2);
    const two = await t.api.get('/api/v1/admin/users?role=ADMIN&role=SUPERADMIN').set(admin.auth);
    expect(two.body.items.map((u: { role: string }) => u.role).sort()).to.deep.equal(['ADMIN', 'SUPERADMIN']);
    expect((await t.api.get('/api/v1/admin/users?isActive=false').set(admin.auth)).body.total).to.equal(0);
  });

  it('re-activation after deactivation lets the user log in again; the audit trail shows both', async () => {
    const c = await actors.create('CUSTOMER');
    await t.api.post(`/api/v1/admin/users/${c.user.id}/deactivate`).set(admin.auth).expect(200);
    await t.api.post(`/api/v1/admin/users/${c.user.id}/activate`).set(admin.auth).expect(200);
    await t.api.post('/api/v1/auth/login').send({ identifier: c.user.email, password: PASSWORD }).expect(200);
    const audit = await t.api.get(`/api/v1/admin/audit-logs?entityId=${c.user.id}&pageSize=10`).set(sa.auth);
    expect(audit.status).to.equal(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).to.include.members([
      'USER_DEACTIVATED',
      'USER_ACTIVATED',
    ]);
    expect(audit.body.items.find((e: { action: string }) => e.action === 'USER_DEACTIVATED')).to.include({
      actorId: admin.user.id,
      entity: 'user',
    });
    const filtered = await t.api.get('/api/v1/admin/audit-logs?action=USER_ACTIVATED').set(sa.auth);
    expect(filtered.body.total).to.equal(1);
  });
});
