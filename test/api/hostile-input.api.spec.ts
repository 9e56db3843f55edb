/**
 * Hostile input found by fuzzing and by hand (issue "Trust", item 8): NUL characters anywhere, the bearer
 * scheme's case. Each answer is a 4xx problem+json with a stable code, never a 500, and the app keeps serving.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors, type TestActor } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';
import { createInspectionAs, inspectionInput } from '../support/inspections.js';

const NUL_MESSAGE = 'must not contain a NUL character (U+0000)';
const SURROGATE_MESSAGE =
  'must be well-formed Unicode (a lone surrogate, U+D800 to U+DFFF without its pair, is not a character)';

describe('API: hostile input answers 4xx, never 500 (PostgreSQL)', () => {
  let knex: Knex;
  let t: TestApp;
  let actors: Actors;
  let sa: TestActor;
  let reviewer: TestActor;
  let inspector: TestActor;

  useTestDatabase((k) => (knex = k), 5);
  beforeEach(async () => {
    t = buildTestApp({ knex });
    actors = new Actors(t.container);
    ({ SUPERADMIN: sa, REVIEWER: reviewer, INSPECTOR: inspector } = await actors.all());
  });

  const refusedNul = (
    r: { status: number; body: { code: string; errors?: Array<{ path: string; message: string }> } },
    path: string,
  ) => {
    expect(r.status, JSON.stringify(r.body)).to.equal(400);
    expect(r.body.code).to.equal('VALIDATION.FAILED');
    expect(r.body.errors).to.deep.equal([{ path, message: NUL_MESSAGE }]);
  };

  it('a NUL character in any string of a JSON body is refused with 400, also without logging in', async () => {
    refusedNul(
      await t.api.post('/api/v1/auth/login').send({ identifier: 'a\u0000@b.co', password: 'x' }),
      '/body/identifier',
    );
    refusedNul(await t.api.post('/api/v1/auth/login').send({ email: 'a@b.co\u0000', password: 'x' }), '/body/email');
    refusedNul(
      await t.api.post('/api/v1/auth/login/inspector').send({ email: 'i\u0000@b.co', pin: '123456' }),
      '/body/email',
    );
    refusedNul(
      await t.api
        .post('/api/v1/auth/register')
        .send({ email: 'new@b.co', name: 'Bad\u0000Name', password: 'long-enough-password-1' }),
      '/body/name',
    );
    refusedNul(await t.api.patch('/api/v1/auth/me').set(reviewer.auth).send({ name: '\u0000' }), '/body/name');
    const i = await createInspectionAs(t.container, inspector);
    refusedNul(
      await t.api
        .put(`/api/v1/inspections/${i.id}`)
        .set(reviewer.auth)
        .send({ vehicleData: { merekKendaraan: 'Hon\u0000da' } }),
      '/body/vehicleData/merekKendaraan',
    );
    refusedNul(
      await t.api
        .put(`/api/v1/inspections/${i.id}`)
        .set(reviewer.auth)
        .send({ detailedAssessment: { testDrive: { 'r\u0000em': 5 } } }),
      '/body/detailedAssessment/testDrive/r\\u0000em',
    );
    refusedNul(
      await t.api
        .post('/api/v1/admin/credit-packages')
        .set(sa.auth)
        .send({ name: 'P\u0000', credits: 1, priceIdr: 1000 }),
      '/body/name',
    );
    expect(await knex('users').where({ email: 'new@b.co' }).first(), 'nothing written').to.equal(undefined);
    expect((await t.api.get('/api/v1/health/ready')).status).to.equal(200);
  });

  it('a lone UTF-16 surrogate (valid JSON, not Unicode) in any string or key is refused with 400 (found by the contract fuzzer)', async () => {
    const refused = (
      r: { status: number; body: { code: string; errors?: Array<{ path: string; message: string }> } },
      path: string,
    ) => {
      expect(r.status, JSON.stringify(r.body)).to.equal(400);
      expect(r.body.code).to.equal('VALIDATION.FAILED');
      expect(r.body.errors).to.deep.equal([{ path, message: SURROGATE_MESSAGE }]);
    };
    const i = await createInspectionAs(t.container, inspector);
    refused(
      await t.api
        .post('/api/v1/inspections')
        .set(inspector.auth)
        .send({ plateNumber: 'AB 1 CD', vehicleData: { merekKendaraan: 'x\udfffy' } }),
      '/body/vehicleData/merekKendaraan',
    );
    refused(
      await t.api
        .put(`/api/v1/inspections/${i.id}`)
        .set(reviewer.auth)
        .send({ vehicleData: { merekKendaraan: '\ud800' } }),
      '/body/vehicleData/merekKendaraan',
    );
    refused(
      await t.api
        .put(`/api/v1/inspections/${i.id}`)
        .set(reviewer.auth)
        .send({ detailedAssessment: { testDrive: { 'x\udfffy': 5 } } }),
      '/body/detailedAssessment/testDrive/x\\udfffy',
    );
    refused(
      await t.api
        .post(`/api/v1/inspections/${i.id}/revert`)
        .set(sa.auth)
        .send({ to: 'NEED_REVIEW', reason: 'Wrong odometer\ud800' }),
      '/body/reason',
    );
    refused(
      await t.api
        .post('/api/v1/auth/register')
        .send({ email: 'sur@b.co', name: 'Budi \ud83d', password: 'long-enough-password-1' }),
      '/body/name',
    );
    // A proper pair (an emoji) is a character like any other.
    await t.api.patch('/api/v1/auth/me').set(reviewer.auth).send({ name: 'Rina \ud83d\ude97' }).expect(200);
    expect((await knex('inspection_change_logs').where({ inspection_id: i.id })).length, 'nothing written').to.equal(0);
    expect((await t.api.get('/api/v1/health/ready')).status).to.equal(200);
  });

  it('a NUL character in a query or path parameter is refused with 400', async () => {
    refusedNul(await t.api.get('/api/v1/inspections?q=ab%00cd').set(reviewer.auth), '/query/q');
    const r = await t.api.get('/api/v1/inspections/%00').set(reviewer.auth);
    expect(r.status).to.equal(400);
    expect(r.body.code).to.equal('VALIDATION.FAILED');
  });

  it('accepts the bearer scheme in any case (RFC 9110), and refuses a malformed header with 401', async () => {
    const token = reviewer.auth.Authorization.replace(/^Bearer /, '');
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const r = await t.api.get('/api/v1/auth/me').set('Authorization', `${scheme} ${token}`);
      expect(r.status, scheme).to.equal(200);
      expect(r.body.id).to.equal(reviewer.user.id);
    }
    for (const bad of [`Basic ${token}`, `Bearer`, `Bearer${token}`, `Bearer ${token} extra`]) {
      const r = await t.api.get('/api/v1/auth/me').set('Authorization', bad);
      expect(r.status, bad).to.equal(401);
      expect(r.body.code, bad).to.equal('AUTH.INVALID_TOKEN');
    }
  });

  async function vehicleOf(owner: TestActor): Promise<string> {
    const id = randomUUID();
    const now = new Date();
    await knex('customer_vehicles').insert({
      id,
      customer_id: owner.user.id,
      plate_number: 'AB 1 XY',
      plate_compact: 'AB1XY',
      year: 2020,
      transmission: 'AUTOMATIC',
      body_type: 'MPV',
      brand: 'Honda',
      model: 'Mobilio',
      vehicle_class: 'REGULAR',
      created_at: now,
      updated_at: now,
    });
    return id;
  }

  it('an inspection links only a vehicle of the customer given with it: unknown or foreign vehicles are 400, not 500', async () => {
    const owner = await actors.create('CUSTOMER');
    const stranger = await actors.create('CUSTOMER');
    const vehicle = await vehicleOf(owner);
    const create = (over: Record<string, unknown>) =>
      t.api
        .post('/api/v1/inspections')
        .set(inspector.auth)
        .send({ ...inspectionInput(), ...over });
    for (const over of [
      { customerVehicleId: randomUUID(), customerUserId: owner.user.id },
      { customerVehicleId: vehicle },
      { customerVehicleId: vehicle, customerUserId: stranger.user.id },
    ]) {
      const r = await create(over);
      expect(r.status, JSON.stringify(over)).to.equal(400);
      expect(r.body.code).to.equal('INSPECTION.UNKNOWN_VEHICLE');
    }
    expect(await knex('inspections').count({ n: '*' }).first(), 'nothing written').to.deep.equal({ n: 0 });
    const ok = await create({ customerVehicleId: vehicle, customerUserId: owner.user.id });
    expect(ok.status).to.equal(201);
    expect(ok.body).to.include({ customerVehicleId: vehicle, customerUserId: owner.user.id });
  });

  it("a role change with an unknown branch is 400 (not a foreign-key 500), and a changed role ends the user's sessions", async () => {
    const user = await actors.create('REVIEWER');
    const unknown = await t.api
      .patch(`/api/v1/admin/users/${user.user.id}/role`)
      .set(sa.auth)
      .send({ role: 'INSPECTOR', branchCityId: randomUUID() });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.code).to.equal('USER.BRANCH_REQUIRED');
    expect((await t.api.get('/api/v1/auth/me').set(user.auth)).status, 'still logged in').to.equal(200);
    const changed = await t.api.patch(`/api/v1/admin/users/${user.user.id}/role`).set(sa.auth).send({ role: 'ADMIN' });
    expect(changed.status).to.equal(200);
    const me = await t.api.get('/api/v1/auth/me').set(user.auth);
    expect(me.status).to.equal(401);
    expect(me.body.code).to.equal('AUTH.SESSION_REVOKED');
    const audit = await knex('audit_logs').where({ action: 'ROLE_CHANGED', entity_id: user.user.id }).first();
    expect(audit.metadata).to.deep.include({ from: 'REVIEWER', to: 'ADMIN', revokedSessions: 1 });
  });

  it('whoever recorded an inspection cannot approve it, alone or in bulk (segregation of duties)', async () => {
    // As after a promotion: the reviewer is the one who recorded it (a PIN-only inspector cannot log in as one).
    const i = await createInspectionAs(t.container, inspector);
    const again = await actors.create('REVIEWER');
    await knex('inspections').where({ id: i.id }).update({ inspector_id: again.user.id });
    const one = await t.api.post(`/api/v1/inspections/${i.id}/approve`).set(again.auth);
    expect(one.status).to.equal(403);
    expect(one.body.code).to.equal('INSPECTION.SELF_APPROVAL');
    const bulk = await t.api
      .post('/api/v1/inspections/bulk-approve')
      .set(again.auth)
      .send({ ids: [i.id] });
    expect(bulk.body.results ?? bulk.body.items ?? bulk.body).to.satisfy((r: unknown) =>
      JSON.stringify(r).includes('INSPECTION.SELF_APPROVAL'),
    );
    expect((await knex('inspections').where({ id: i.id }).first()).status).to.equal('NEED_REVIEW');
    expect(
      (await t.api.post(`/api/v1/inspections/${i.id}/approve`).set(reviewer.auth)).status,
      'another reviewer approves',
    ).to.equal(200);
  });
});
