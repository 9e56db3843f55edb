import { expect } from 'chai';
import { GetQuote } from '../../../src/application/pricing/get-quote.js';
import { ListClassPriceHistory } from '../../../src/application/pricing/list-class-price-history.js';
import { ListVehicleClasses } from '../../../src/application/pricing/list-vehicle-classes.js';
import { SetClassPrice } from '../../../src/application/pricing/set-class-price.js';
import {
  MAX_PRICE_IDR,
  PRICE_BACKDATE_TOLERANCE_MS,
  VEHICLE_CLASSES,
} from '../../../src/domain/customer/vehicle-class.js';
import type { TestActor } from '../../support/actors.js';
import { as, code, DAY, rejects, world, type World } from './fixtures.js';

describe('vehicle-class pricing use cases (memory adapters)', () => {
  let w: World;
  let admin: TestActor;
  beforeEach(async () => {
    w = world();
    admin = await w.actors.create('ADMIN');
  });
  afterEach(() => w.cleanup());

  const set = (
    vehicleClass: (typeof VEHICLE_CLASSES)[number],
    priceIdr: number,
    effectiveFrom?: Date,
    note?: string | null,
  ) => w.c.get(SetClassPrice).execute(as(admin), { vehicleClass, priceIdr, effectiveFrom, note });
  const at = (ms: number) => new Date(w.clock.now().getTime() + ms);

  it('a quote is the price in force now; none, or only a future one, is PRICE.NOT_SET', async () => {
    expect(await code(w.c.get(GetQuote).execute('REGULAR'))).to.equal('PRICE.NOT_SET');
    const now = await set('REGULAR', 350000);
    const later = await set('REGULAR', 400000, at(DAY));
    expect(await w.c.get(GetQuote).execute('REGULAR')).to.deep.equal({
      vehicleClass: 'REGULAR',
      priceIdr: 350000,
      currency: 'IDR',
      priceId: now.id,
      effectiveFrom: now.effectiveFrom,
      quotedAt: w.clock.now(),
    });
    await set('EV', 700000, at(DAY));
    expect(await code(w.c.get(GetQuote).execute('EV'))).to.equal('PRICE.NOT_SET');
    w.clock.advance(DAY);
    expect((await w.c.get(GetQuote).execute('REGULAR')).priceId).to.equal(later.id);
    expect((await w.c.get(GetQuote).execute('EV')).priceIdr).to.equal(700000);
  });

  it('lists every class in tier order with its current price or nulls', async () => {
    const p = await set('LUXURY', 900000);
    await set('LCGC', 200000, at(DAY));
    const classes = await w.c.get(ListVehicleClasses).execute();
    expect(classes.map((c) => c.vehicleClass)).to.deep.equal([...VEHICLE_CLASSES]);
    expect(classes.find((c) => c.vehicleClass === 'LUXURY')).to.deep.equal({
      vehicleClass: 'LUXURY',
      priceIdr: 900000,
      priceId: p.id,
      effectiveFrom: p.effectiveFrom,
    });
    expect(classes.find((c) => c.vehicleClass === 'LCGC')).to.deep.equal({
      vehicleClass: 'LCGC',
      priceIdr: null,
      priceId: null,
      effectiveFrom: null,
    });
  });

  it('a new price starts now by default, keeps a trimmed note (blank: null) and the admin, and is audited', async () => {
    const p = await set('HYBRID', 650000, undefined, '  launch price ');
    expect(p).to.deep.include({
      vehicleClass: 'HYBRID',
      priceIdr: 650000,
      effectiveFrom: w.clock.now(),
      note: 'launch price',
      createdBy: admin.user.id,
    });
    expect((await set('HYBRID', 660000, at(1000), '   ')).note).to.equal(null);
    const system = await w.c.get(SetClassPrice).execute(null, { vehicleClass: 'EV', priceIdr: 1 });
    expect(system.createdBy).to.equal(null);
    const audits = await w.audit({ action: 'CLASS_PRICE_SET' });
    expect(audits).to.have.length(3);
    expect(audits[0]).to.deep.include({ actorId: admin.user.id, entity: 'vehicle_class_price', entityId: p.id });
    expect(audits[0]?.metadata).to.deep.equal({
      vehicleClass: 'HYBRID',
      priceIdr: 650000,
      effectiveFrom: w.clock.now().toISOString(),
    });
    expect(audits[2]?.actorId).to.equal(null);
  });

  it('refuses prices that are not whole rupiah from 1 to the maximum', async () => {
    for (const priceIdr of [0, -1, 1.5, MAX_PRICE_IDR + 1, Number.NaN]) {
      const e = await rejects(set('REGULAR', priceIdr), 'VALIDATION.FAILED');
      expect(e.details[0]?.path, String(priceIdr)).to.equal('/priceIdr');
    }
    expect(await code(set('REGULAR', MAX_PRICE_IDR))).to.equal('OK');
  });

  it('never rewrites history: a start in the past (beyond the clock-skew tolerance) or an invalid date is refused; the same start twice is PRICE.DUPLICATE', async () => {
    expect(await code(set('REGULAR', 1000, at(-PRICE_BACKDATE_TOLERANCE_MS - 1)))).to.equal('PRICE.EFFECTIVE_IN_PAST');
    expect(await code(set('REGULAR', 1000, at(-PRICE_BACKDATE_TOLERANCE_MS)))).to.equal('OK');
    expect(await code(set('REGULAR', 1000, new Date('not a date')))).to.equal('VALIDATION.FAILED');
    const start = at(DAY);
    await set('EXTRA', 500000, start);
    expect(await code(set('EXTRA', 550000, new Date(start)))).to.equal('PRICE.DUPLICATE');
    expect(await code(set('REGULAR', 550000, new Date(start))), 'per class').to.equal('OK');
    expect((await w.c.get(ListClassPriceHistory).execute({ vehicleClass: 'EXTRA' }, {})).total).to.equal(1);
  });

  it('the history lists newest start first, future prices included, optionally of one class', async () => {
    const a = await set('REGULAR', 1);
    const b = await set('REGULAR', 2, at(2 * DAY));
    const c = await set('REGULAR', 3, at(DAY));
    const d = await set('EV', 4);
    expect(
      (await w.c.get(ListClassPriceHistory).execute({ vehicleClass: 'REGULAR' }, {})).items.map((p) => p.id),
    ).to.deep.equal([b.id, c.id, a.id]);
    const all = await w.c.get(ListClassPriceHistory).execute({}, { page: 1, pageSize: 2 });
    expect(all.total).to.equal(4);
    expect(all.items.map((p) => p.id)).to.deep.equal([b.id, c.id]);
    expect(
      (await w.c.get(ListClassPriceHistory).execute({ vehicleClass: 'EV' }, {})).items.map((p) => p.id),
    ).to.deep.equal([d.id]);
  });
});
