import { expect } from 'chai';
import type { Knex } from 'knex';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors, type TestActor } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';
import { createInspectionAs } from '../support/inspections.js';

describe('API: dashboard statistics (PostgreSQL)', () => {
  let knex: Knex;
  let t: TestApp;
  let admin: TestActor;
  let inspector: TestActor;

  useTestDatabase((k) => (knex = k));
  beforeEach(async () => {
    t = buildTestApp({ knex });
    const actors = new Actors(t.container);
    admin = await actors.create('ADMIN');
    inspector = await actors.create('INSPECTOR');
  });

  it('counts per status, daily trend in Asia/Jakarta, branches vs the previous period and per inspector', async () => {
    const made = [];
    for (let n = 0; n < 3; n++) made.push(await createInspectionAs(t.container, inspector));
    // 17:30 UTC is 00:30 the next day in Jakarta: the bucket follows the time zone.
    await knex('inspections')
      .where({ id: made[0]?.id })
      .update({ created_at: new Date('2026-03-01T17:30:00Z') });
    await knex('inspections')
      .where({ id: made[1]?.id })
      .update({ created_at: new Date('2026-03-03T02:00:00Z'), status: 'APPROVED' });
    await knex('inspections')
      .where({ id: made[2]?.id })
      .update({ created_at: new Date('2026-02-25T02:00:00Z') });
    const r = await t.api
      .get('/api/v1/dashboard/stats?from=2026-02-28T17:00:00Z&to=2026-03-07T17:00:00Z')
      .set(admin.auth);
    expect(r.status).to.equal(200);
    expect(r.body.total).to.equal(2);
    expect(r.body.countsByStatus).to.include({ NEED_REVIEW: 1, APPROVED: 1, ARCHIVED: 0 });
    expect(r.body.range).to.include({
      timeZone: 'Asia/Jakarta',
      granularity: 'day',
      previousFrom: '2026-02-21T17:00:00.000Z',
    });
    expect(r.body.trend).to.have.length(7);
    expect(r.body.trend.slice(0, 3)).to.deep.equal([
      { bucket: '2026-03-01', count: 0 },
      { bucket: '2026-03-02', count: 1 },
      { bucket: '2026-03-03', count: 1 },
    ]);
    expect(r.body.branches[0]).to.include({ code: 'YOG', count: 2, previousCount: 1, change: 1, changePercent: 100 });
    expect(r.body.inspectors).to.deep.equal([
      { inspectorId: inspector.user.id, name: 'Inspector', count: 2, approved: 1 },
    ]);
    const weekly = await t.api
      .get('/api/v1/dashboard/stats?from=2026-02-28T17:00:00Z&to=2026-03-07T17:00:00Z&granularity=week&timeZone=UTC')
      .set(admin.auth);
    // In UTC the first one (Sunday 1 March, 17:30) falls in the week starting Monday 23 February.
    expect(weekly.body.trend).to.deep.equal([
      { bucket: '2026-02-23', count: 1 },
      { bucket: '2026-03-02', count: 1 },
    ]);
  });

  it('refuses a bad range or time zone, and non-admins', async () => {
    const back = await t.api
      .get('/api/v1/dashboard/stats?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z')
      .set(admin.auth);
    expect(back.status).to.equal(400);
    expect(back.body.errors[0].path).to.equal('/query/from');
    const tz = await t.api.get('/api/v1/dashboard/stats?timeZone=Mars/Olympus').set(admin.auth);
    expect(tz.status).to.equal(400);
    expect(tz.body.errors[0].path).to.equal('/query/timeZone');
    const long = await t.api
      .get('/api/v1/dashboard/stats?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z')
      .set(admin.auth);
    expect(long.status).to.equal(400);
    expect((await t.api.get('/api/v1/dashboard/stats').set(inspector.auth)).status).to.equal(403);
    const defaults = await t.api.get('/api/v1/dashboard/stats').set(admin.auth);
    expect(defaults.status).to.equal(200);
    expect(defaults.body.trend.length).to.be.within(30, 31);
  });
});
