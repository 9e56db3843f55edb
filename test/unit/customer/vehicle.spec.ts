import { expect } from 'chai';
import { checkEffectiveFrom, isVehicleClass, validatePriceIdr } from '../../../src/domain/customer/vehicle-class.js';
import {
  checkVehiclePhotoSet,
  maxVehicleYear,
  normaliseVehicleFields,
  parsePhotoTypes,
  samePlate,
  validateVehicleYear,
  vehiclePhotoKey,
} from '../../../src/domain/customer/vehicle.js';
import type { DomainError } from '../../../src/domain/shared/domain-error.js';

function thrown(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    return e as DomainError;
  }
  return expect.fail('expected a DomainError') as never;
}

describe('customer vehicles: domain rules', () => {
  const now = new Date('2026-11-24T03:00:00.000Z');

  it('normalises the plate and compares plates compact', () => {
    const v = normaliseVehicleFields({ plateNumber: ' ab1234cd ' }, now);
    expect(v.plateNumber).to.equal('AB 1234 CD');
    expect(normaliseVehicleFields({ plateNumber: 'b-1-xyz' }, now).plateNumber).to.equal('B 1 XYZ');
    expect(samePlate('AB 1234 CD', 'ab1234cd')).to.equal(true);
    expect(samePlate('AB 1234 CD', 'AB 1234 CE')).to.equal(false);
    const bad = thrown(() => normaliseVehicleFields({ plateNumber: 'ABCDEF' }, now));
    expect(bad.code).to.equal('VALIDATION.FAILED');
    expect(bad.details).to.deep.equal([
      { path: '/plateNumber', message: 'must be a vehicle plate such as "B 1234 XYZ"' },
    ]);
  });

  it('accepts model years from 1900 to next year (UTC)', () => {
    expect(maxVehicleYear(now)).to.equal(2027);
    expect(maxVehicleYear(new Date('2026-12-31T23:59:59.999Z'))).to.equal(2027);
    expect(validateVehicleYear(1900, now)).to.equal(null);
    expect(validateVehicleYear(2027, now)).to.equal(null);
    expect(validateVehicleYear(1899, now)?.path).to.equal('/year');
    expect(validateVehicleYear(2028, now)?.message).to.equal('must be a whole year from 1900 to 2027');
    expect(validateVehicleYear(2020.5, now)).to.not.equal(null);
    expect(thrown(() => normaliseVehicleFields({ year: 2028 }, now)).details.map((d) => d.path)).to.deep.equal([
      '/year',
    ]);
  });

  it('trims text fields, refuses blank ones, maps an empty colour to null and only touches fields given', () => {
    const v = normaliseVehicleFields(
      { brand: '  Toyota ', model: 'Avanza   1.5  G', colour: '  ', transmission: 'CVT' },
      now,
    );
    expect(v).to.deep.equal({ brand: 'Toyota', model: 'Avanza 1.5 G', colour: null, transmission: 'CVT' });
    expect(normaliseVehicleFields({ colour: null }, now)).to.deep.equal({ colour: null });
    expect(normaliseVehicleFields({ colour: ' Silver ' }, now)).to.deep.equal({ colour: 'Silver' });
    expect(normaliseVehicleFields({}, now)).to.deep.equal({});
    const e = thrown(() =>
      normaliseVehicleFields(
        { brand: '   ', bodyType: '', serviceHistory: [{ date: '2026-01-01', description: ' ' }] },
        now,
      ),
    );
    expect(e.details.map((d) => d.path)).to.deep.equal(['/bodyType', '/brand', '/serviceHistory/0/description']);
    expect(thrown(() => normaliseVehicleFields({ vehicleClass: 'SPORT' as never }, now)).details[0]?.path).to.equal(
      '/vehicleClass',
    );
  });

  it('vehicle classes are the nine price tiers', () => {
    for (const c of [
      'LCGC',
      'REGULAR',
      'EXTRA',
      'LUXURY',
      'EU_US_SMALL',
      'EU_US_MEDIUM',
      'EU_US_HIGH_END',
      'HYBRID',
      'EV',
    ])
      expect(isVehicleClass(c), c).to.equal(true);
    expect(isVehicleClass('lcgc')).to.equal(false);
    expect(isVehicleClass(undefined)).to.equal(false);
  });

  it('parses photoTypes: one known type per file, case and blanks ignored', () => {
    expect(parsePhotoTypes('front, back ,Interior', 3)).to.deep.equal(['FRONT', 'BACK', 'INTERIOR']);
    expect(thrown(() => parsePhotoTypes(undefined, 1)).details[0]).to.deep.include({ path: '/body/photoTypes' });
    expect(thrown(() => parsePhotoTypes('  ', 1)).code).to.equal('VALIDATION.FAILED');
    expect(thrown(() => parsePhotoTypes('FRONT,WHEEL', 2)).details[0]?.message).to.contain('"WHEEL"');
    expect(thrown(() => parsePhotoTypes('FRONT,BACK', 3)).details[0]?.message).to.equal(
      'names 2 type(s) for 3 file(s)',
    );
  });

  it('a photo set has 1-10 photos and exactly one FRONT', () => {
    expect(() => checkVehiclePhotoSet(['FRONT'])).to.not.throw();
    expect(() => checkVehiclePhotoSet(['BACK', 'FRONT', 'DOCUMENT', 'OTHER'])).to.not.throw();
    expect(thrown(() => checkVehiclePhotoSet(['BACK', 'LEFT']))).to.deep.include({
      code: 'VEHICLE.FRONT_PHOTO_REQUIRED',
      kind: 'unprocessable',
    });
    expect(thrown(() => checkVehiclePhotoSet([]))).to.deep.include({ code: 'VEHICLE.FRONT_PHOTO_REQUIRED' });
    expect(thrown(() => checkVehiclePhotoSet(['FRONT', 'FRONT']))).to.deep.include({
      code: 'VEHICLE.MULTIPLE_FRONT_PHOTOS',
      kind: 'unprocessable',
    });
    expect(thrown(() => checkVehiclePhotoSet(['FRONT', ...Array<'OTHER'>(10).fill('OTHER')]))).to.deep.include({
      code: 'PHOTO.TOO_MANY',
      kind: 'validation',
    });
  });

  it('stores photos under the vehicle with the extension of their sniffed type', () => {
    expect(vehiclePhotoKey('v1', 'p1', 'image/jpeg')).to.equal('customer-vehicles/v1/photos/p1.jpg');
    expect(vehiclePhotoKey('v1', 'p2', 'image/webp')).to.equal('customer-vehicles/v1/photos/p2.webp');
  });

  it('prices are whole rupiah from 1 to 10^12 and start now or later', () => {
    expect(validatePriceIdr(1)).to.equal(null);
    expect(validatePriceIdr(1_000_000_000_000)).to.equal(null);
    for (const bad of [0, -5, 1.5, 1_000_000_000_001, Number.NaN])
      expect(validatePriceIdr(bad), String(bad)).to.deep.include({ path: '/priceIdr' });
    expect(() => checkEffectiveFrom(now, now)).to.not.throw();
    expect(() => checkEffectiveFrom(new Date(now.getTime() + 86_400_000), now), 'future-dated').to.not.throw();
    expect(() => checkEffectiveFrom(new Date(now.getTime() - 60_000), now), 'a minute of clock skew').to.not.throw();
    expect(thrown(() => checkEffectiveFrom(new Date(now.getTime() - 3_600_000), now))).to.deep.include({
      code: 'PRICE.EFFECTIVE_IN_PAST',
      kind: 'unprocessable',
    });
    expect(thrown(() => checkEffectiveFrom(new Date('nope'), now)).code).to.equal('VALIDATION.FAILED');
  });
});
