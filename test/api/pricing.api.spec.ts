import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import { Clock } from '../../src/ports/clock.js';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors, type TestActor } from '../support/actors.js';
import { useTestDatabase } from '../support/db.js';

/** The real time plus an offset the test moves forward. */
class OffsetClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

const HOUR = 3_600_000;

describe('API: vehicle-class pricing (PostgreSQL)', () => {
  let knex: Knex;
  let t: TestApp;
  let clock: OffsetClock;
  let admin: TestActor;
  let superadmin: TestActor;

  useTestDatabase((k) => (knex = k));
  beforeEach(async () => {
    clock = new OffsetClock();
    const fakeClock = new ContainerModule(({ rebind }) => {
      rebind<Clock>(Clock).toConstantValue(clock);
    });
    t = buildTestApp({ knex, overrides: [fakeClock] });
    const actors = new Actors(t.container);
    admin = await actors.create('ADMIN');
    superadmin = await actors.create('SUPERADMIN');
  });

  const setPrice = (who: TestActor, body: Record<string, unknown>) =>
    t.api.post('/api/v1/admin/vehicle-class-prices').set(who.auth).send(body);

  it('the quote is public: 404 PRICE.NOT_SET until a price is set, then the price in force', async () => {
    const none = await t.api.get('/api/v1/public/quote?vehicleClass=LCGC');
    expect(none.status).to.equal(404);
    expect(none.body.code).to.equal('PRICE.NOT_SET');
    const set = await setPrice(admin, { vehicleClass: 'LCGC', priceIdr: 350000, note: ' launch ' });
    expect(set.status, JSON.stringify(set.body)).to.equal(201);
    expect(set.body).to.deep.include({
      vehicleClass: 'LCGC',
      priceIdr: 350000,
      createdBy: admin.user.id,
      note: 'launch',
    });
    expect(Math.abs(Date.parse(set.body.effectiveFrom) - Date.now()), 'effectiveFrom defaults to now').to.be.lessThan(
      10_000,
    );
    const quote = await t.api.get('/api/v1/public/quote?vehicleClass=LCGC').expect(200);
    expect(quote.body).to.deep.include({
      vehicleClass: 'LCGC',
      priceIdr: 350000,
      currency: 'IDR',
      priceId: set.body.id,
      effectiveFrom: set.body.effectiveFrom,
    });
    const bad = await t.api.get('/api/v1/public/quote?vehicleClass=SPORT');
    expect(bad.status).to.equal(400);
    expect((await t.api.get('/api/v1/public/quote')).status, 'the class is required').to.equal(400);

    const classes = await t.api.get('/api/v1/vehicle-classes').expect(200);
    expect(classes.body.items.map((c: { vehicleClass: string }) => c.vehicleClass)).to.deep.equal([
      'LCGC',
      'REGULAR',
      'EXTRA',
      'LUXURY',
      'EU_US_SMALL',
      'EU_US_MEDIUM',
      'EU_US_HIGH_END',
      'HYBRID',
      'EV',
    ]);
    expect(classes.body.items[0]).to.deep.equal({
      vehicleClass: 'LCGC',
      priceIdr: 350000,
      priceId: set.body.id,
      effectiveFrom: set.body.effectiveFrom,
    });
    expect(classes.body.items[8]).to.deep.equal({
      vehicleClass: 'EV',
      priceIdr: null,
      priceId: null,
      effectiveFrom: null,
    });

    const audit = await knex('audit_logs').where({ action: 'CLASS_PRICE_SET', entity_id: set.body.id }).first();
    expect(audit).to.deep.include({ actor_id: admin.user.id, entity: 'vehicle_class_price' });
    expect(audit.metadata).to.deep.include({ vehicleClass: 'LCGC', priceIdr: 350000 });
  });

  it('a future-dated price waits its turn; the history lists newest effectiveFrom first, filtered and paginated', async () => {
    const now = await setPrice(admin, { vehicleClass: 'REGULAR', priceIdr: 450000 }).expect(201);
    const inTwoHours = new Date(Date.now() + 2 * HOUR).toISOString();
    const later = await setPrice(superadmin, {
      vehicleClass: 'REGULAR',
      priceIdr: 500000,
      effectiveFrom: inTwoHours,
      note: 'scheduled',
    }).expect(201);
    expect(later.body.effectiveFrom).to.equal(inTwoHours);
    await setPrice(admin, { vehicleClass: 'EV', priceIdr: 950000 }).expect(201);

    expect((await t.api.get('/api/v1/public/quote?vehicleClass=REGULAR').expect(200)).body).to.deep.include({
      priceIdr: 450000,
      priceId: now.body.id,
    });
    clock.offsetMs = 2 * HOUR + 1000;
    expect((await t.api.get('/api/v1/public/quote?vehicleClass=REGULAR').expect(200)).body).to.deep.include({
      priceIdr: 500000,
      priceId: later.body.id,
    });
    expect((await t.api.get('/api/v1/vehicle-classes').expect(200)).body.items[1]).to.deep.include({
      vehicleClass: 'REGULAR',
      priceIdr: 500000,
    });

    const regular = await t.api
      .get('/api/v1/admin/vehicle-class-prices?vehicleClass=REGULAR')
      .set(admin.auth)
      .expect(200);
    expect(regular.body).to.deep.include({ total: 2, page: 1, pageSize: 20 });
    expect(regular.body.items.map((p: { id: string }) => p.id)).to.deep.equal([later.body.id, now.body.id]);
    expect(regular.body.items[0]).to.deep.include({ createdBy: superadmin.user.id, note: 'scheduled' });
    const page2 = await t.api
      .get('/api/v1/admin/vehicle-class-prices?pageSize=2&page=2')
      .set(superadmin.auth)
      .expect(200);
    expect(page2.body).to.deep.include({ total: 3, page: 2, pageSize: 2 });
    expect(page2.body.items).to.have.length(1);
  });

  it('refuses a duplicate start (409 PRICE.DUPLICATE), a start in the past (422) and prices that are not whole positive rupiah (400)', async () => {
    const at = new Date(Date.now() + 24 * HOUR).toISOString();
    await setPrice(admin, { vehicleClass: 'LUXURY', priceIdr: 1_000_000, effectiveFrom: at }).expect(201);
    const dup = await setPrice(admin, { vehicleClass: 'LUXURY', priceIdr: 1_100_000, effectiveFrom: at });
    expect(dup.status).to.equal(409);
    expect(dup.body.code).to.equal('PRICE.DUPLICATE');
    await setPrice(admin, { vehicleClass: 'EXTRA', priceIdr: 600_000, effectiveFrom: at }).expect(201);
    const past = await setPrice(admin, {
      vehicleClass: 'LUXURY',
      priceIdr: 900_000,
      effectiveFrom: new Date(Date.now() - 24 * HOUR).toISOString(),
    });
    expect(past.status).to.equal(422);
    expect(past.body.code).to.equal('PRICE.EFFECTIVE_IN_PAST');
    for (const priceIdr of [0, -1, 1.5, 1_000_000_000_001, '500000']) {
      const r = await setPrice(admin, { vehicleClass: 'LUXURY', priceIdr });
      expect(r.status, String(priceIdr)).to.equal(400);
      expect(r.body.code).to.equal('VALIDATION.FAILED');
    }
    const max = await setPrice(admin, { vehicleClass: 'EU_US_HIGH_END', priceIdr: 1_000_000_000_000 }).expect(201);
    expect((await t.api.get('/api/v1/public/quote?vehicleClass=EU_US_HIGH_END').expect(200)).body.priceIdr).to.equal(
      1_000_000_000_000,
    );
    expect(max.body.priceIdr).to.equal(1_000_000_000_000);
    expect(await knex('vehicle_class_prices')).to.have.length(3);
  });

  it('only ADMIN and SUPERADMIN manage prices: customers and other staff get 403, anonymous 401', async () => {
    const actors = new Actors(t.container);
    for (const role of ['CUSTOMER', 'REVIEWER', 'INSPECTOR'] as const) {
      const who = await actors.create(role);
      const set = await setPrice(who, { vehicleClass: 'LCGC', priceIdr: 1 });
      expect(set.status, role).to.equal(403);
      expect(set.body.code).to.equal('AUTH.FORBIDDEN');
      expect((await t.api.get('/api/v1/admin/vehicle-class-prices').set(who.auth)).status, role).to.equal(403);
    }
    expect(
      (await t.api.post('/api/v1/admin/vehicle-class-prices').send({ vehicleClass: 'LCGC', priceIdr: 1 })).status,
    ).to.equal(401);
    expect(await knex('vehicle_class_prices')).to.deep.equal([]);
  });
});
