import { expect } from 'chai';
import {
  applyChanges,
  diffEdit,
  latestPerPath,
  type ChangeLogEntry,
  type Editable,
} from '../../../src/domain/inspection/change-log.js';
import { compactPlate, normalisePlate, validatePlate } from '../../../src/domain/inspection/plate.js';
import { dateInZone, formatPrettyId, parsePrettyId } from '../../../src/domain/inspection/pretty-id.js';
import { photoKey, sniffImageType } from '../../../src/domain/inspection/photo.js';
import { identityForVariant, PUBLIC_VARIANT } from '../../../src/domain/inspection/report.js';
import { INSPECTION_STATUSES, isPublishedStatus } from '../../../src/domain/inspection/status.js';

describe('pretty ids', () => {
  it('formats BRANCH-ddMMyyyy-NNN and widens past 999', () => {
    expect(formatPrettyId('YOG', '2025-05-01', 1)).to.equal('YOG-01052025-001');
    expect(formatPrettyId('SOL', '2025-12-31', 999)).to.equal('SOL-31122025-999');
    expect(formatPrettyId('SOL', '2025-12-31', 1000)).to.equal('SOL-31122025-1000');
    expect(() => formatPrettyId('yog', '2025-05-01', 1)).to.throw();
    expect(() => formatPrettyId('YOG', '2025-02-30', 1)).to.throw();
    expect(() => formatPrettyId('YOG', '2025-05-01', 0)).to.throw();
  });

  it('parses back what it formats', () => {
    expect(parsePrettyId('YOG-01052025-1000')).to.deep.equal({
      branchCode: 'YOG',
      inspectionDate: '2025-05-01',
      sequence: 1000,
    });
    expect(parsePrettyId('YOG-31022025-001')).to.equal(null);
  });

  it('dates an inspection in its time zone', () => {
    const lateUtc = new Date('2025-04-30T18:30:00Z');
    expect(dateInZone(lateUtc, 'Asia/Jakarta')).to.equal('2025-05-01');
    expect(dateInZone(lateUtc, 'UTC')).to.equal('2025-04-30');
  });
});

describe('plates', () => {
  it('normalises spacing and case', () => {
    expect(normalisePlate(' b1234xyz ')).to.equal('B 1234 XYZ');
    expect(normalisePlate('AB-1234-CD')).to.equal('AB 1234 CD');
    expect(normalisePlate('ab  1234   cd')).to.equal('AB 1234 CD');
    expect(compactPlate('AB 1234 CD')).to.equal('AB1234CD');
    expect(validatePlate('AB 1234 CD')).to.equal(null);
    expect(validatePlate('ABC')).to.not.equal(null);
  });
});

describe('review change log', () => {
  const current = (): Editable => ({
    plateNumber: 'B 1 AB',
    inspectionDate: '2025-05-01',
    overallRating: 8,
    identityDetails: { namaInspektor: 'Ina' },
    vehicleData: { merekKendaraan: 'Toyota', tahun: 2019 },
    equipmentChecklist: {},
    inspectionSummary: { estimasiPerbaikan: [{ namaPart: 'Ban', harga: 100 }] },
    detailedAssessment: { testDrive: { rem: 8, setir: { a: 1, b: 2 } } },
    bodyPaintThickness: {},
    notesFontSizes: {},
  });

  it('records one entry per changed leaf, at most three levels deep', () => {
    const diff = diffEdit(current(), {
      vehicleData: { merekKendaraan: 'Honda', tahun: 2019 },
      detailedAssessment: { testDrive: { rem: 9, setir: { a: 1, b: 3 } } },
      inspectionSummary: { estimasiPerbaikan: [{ namaPart: 'Ban', harga: 150 }] },
      overallRating: 7.5,
    });
    expect(diff).to.deep.equal([
      { fieldPath: 'vehicleData.merekKendaraan', oldValue: 'Toyota', newValue: 'Honda' },
      { fieldPath: 'detailedAssessment.testDrive.rem', oldValue: 8, newValue: 9 },
      { fieldPath: 'detailedAssessment.testDrive.setir', oldValue: { a: 1, b: 2 }, newValue: { a: 1, b: 3 } },
      {
        fieldPath: 'inspectionSummary.estimasiPerbaikan',
        oldValue: [{ namaPart: 'Ban', harga: 100 }],
        newValue: [{ namaPart: 'Ban', harga: 150 }],
      },
      { fieldPath: 'overallRating', oldValue: 8, newValue: 7.5 },
    ]);
    expect(diffEdit(current(), { vehicleData: { tahun: 2019 } }), 'unchanged values make no entry').to.deep.equal([]);
    expect(diffEdit(current(), { vehicleData: { warna: 'Merah' } })).to.deep.equal([
      { fieldPath: 'vehicleData.warna', oldValue: null, newValue: 'Merah' },
    ]);
  });

  it('refuses fields that are not editable', () => {
    expect(() => diffEdit(current(), { status: 'APPROVED' })).to.throw(/cannot be edited/);
    expect(() => diffEdit(current(), { vehicleData: 'x' })).to.throw(/not valid/);
  });

  it('applies the latest value of each path', () => {
    const at = (ms: number) => new Date(1_700_000_000_000 + ms);
    const e = (fieldPath: string, newValue: unknown, ms: number): ChangeLogEntry => ({
      id: String(ms),
      inspectionId: 'i',
      fieldPath,
      oldValue: null,
      newValue,
      changedBy: 'u',
      createdAt: at(ms),
    });
    const entries = [
      e('vehicleData.merekKendaraan', 'Honda', 2),
      e('vehicleData.merekKendaraan', 'Mazda', 3),
      e('detailedAssessment.banDepan.kiri', 7, 1),
      e('overallRating', 6, 4),
    ];
    expect(latestPerPath(entries).map((x) => x.newValue)).to.deep.equal([7, 6, 'Mazda']);
    const applied = applyChanges(current(), entries);
    expect(applied.vehicleData).to.deep.equal({ merekKendaraan: 'Mazda', tahun: 2019 });
    expect(applied.detailedAssessment).to.deep.equal({
      testDrive: { rem: 8, setir: { a: 1, b: 2 } },
      banDepan: { kiri: 7 },
    });
    expect(applied.overallRating).to.equal(6);
    expect(current().vehicleData.merekKendaraan, 'the input is not mutated').to.equal('Toyota');
  });

  describe('reserved keys (prototype pollution)', () => {
    const polluted = () => (Object.prototype as Record<string, unknown>).polluted;
    afterEach(() => {
      delete (Object.prototype as Record<string, unknown>).polluted;
    });

    it('refuses __proto__, constructor and prototype at any depth of an edit, with their path', () => {
      for (const [raw, path] of [
        ['{"detailedAssessment":{"__proto__":{"polluted":true}}}', '/detailedAssessment/__proto__'],
        ['{"bodyPaintThickness":{"constructor":{"prototype":{"polluted":true}}}}', '/bodyPaintThickness/constructor'],
        ['{"vehicleData":{"a":{"b":{"c":{"__proto__":1}}}}}', '/vehicleData/a/b/c/__proto__'],
        [
          '{"inspectionSummary":{"estimasiPerbaikan":[{"prototype":1}]}}',
          '/inspectionSummary/estimasiPerbaikan/0/prototype',
        ],
        ['{"__proto__":{"polluted":true}}', '/__proto__'],
      ] as const) {
        const patch = JSON.parse(raw) as Record<string, unknown>;
        let err: { code?: string; details?: unknown } | undefined;
        try {
          diffEdit(current(), patch);
        } catch (e) {
          err = e as { code?: string; details?: unknown };
        }
        expect(err?.code, raw).to.equal('VALIDATION.FORBIDDEN_KEY');
        expect(err?.details, raw).to.deep.equal([{ path, message: 'is a reserved key' }]);
      }
      expect(polluted()).to.equal(undefined);
    });

    it('applying stored entries whose path reaches a prototype changes nothing and pollutes nothing', () => {
      const e = (fieldPath: string, newValue: unknown, ms: number): ChangeLogEntry => ({
        id: String(ms),
        inspectionId: 'i',
        fieldPath,
        oldValue: null,
        newValue,
        changedBy: 'u',
        createdAt: new Date(ms),
      });
      const applied = applyChanges(current(), [
        e('detailedAssessment.__proto__.polluted', true, 1),
        e('bodyPaintThickness.constructor.prototype', { polluted: true }, 2),
        e('vehicleData.prototype', 'x', 3),
        e('vehicleData.warna', 'Merah', 4),
      ]);
      expect(polluted(), 'Object.prototype untouched').to.equal(undefined);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      expect(applied.detailedAssessment).to.deep.equal(current().detailedAssessment);
      expect(applied.bodyPaintThickness).to.deep.equal({});
      expect(applied.vehicleData, 'the safe entry is applied').to.deep.equal({
        merekKendaraan: 'Toyota',
        tahun: 2019,
        warna: 'Merah',
      });
      expect(Object.getPrototypeOf(applied.detailedAssessment)).to.equal(Object.prototype);
    });

    it('reads only own properties: an inherited name is not an old value', () => {
      const diff = diffEdit(current(), { vehicleData: { toString: 'x', hasOwnProperty: 'y' } });
      expect(diff).to.deep.equal([
        { fieldPath: 'vehicleData.toString', oldValue: null, newValue: 'x' },
        { fieldPath: 'vehicleData.hasOwnProperty', oldValue: null, newValue: 'y' },
      ]);
    });
  });
});

describe('photos', () => {
  it('recognises JPEG, PNG and WebP by magic bytes only', () => {
    expect(sniffImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).to.equal('image/jpeg');
    expect(sniffImageType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).to.equal('image/png');
    expect(sniffImageType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).to.equal('image/webp');
    expect(sniffImageType(new TextEncoder().encode('GIF89a......'))).to.equal(null);
    expect(sniffImageType(new TextEncoder().encode('%PDF-1.7 jpg'))).to.equal(null);
  });

  it('keys photos under their inspection', () => {
    expect(photoKey('i1', 'p1', 'image/webp')).to.equal('inspections/i1/photos/p1.webp');
  });
});

describe('what a report variant may show', () => {
  const details = {
    namaInspektor: 'Ina',
    namaCustomer: 'Budi Santoso',
    cabangInspeksi: 'Yogyakarta',
    teleponCustomer: '0812',
    alamat: 'Jl. Malioboro 1',
  };

  it("the public variant prints an allow-list of identity fields (staff and branch), never the customer's", () => {
    expect(identityForVariant(details, 'no-docs')).to.deep.equal({
      namaInspektor: 'Ina',
      cabangInspeksi: 'Yogyakarta',
    });
    expect(identityForVariant(details, 'full')).to.deep.equal(details);
    // Inherited names are not fields: a prototype never leaks a value into the public report.
    expect(
      identityForVariant(Object.create({ namaInspektor: 'inherited' }) as Record<string, unknown>, 'no-docs'),
    ).to.deep.equal({});
    expect(PUBLIC_VARIANT).to.equal('no-docs');
  });

  it('a public report is published unless its inspection is back in review or deactivated', () => {
    expect(INSPECTION_STATUSES.filter(isPublishedStatus)).to.deep.equal([
      'APPROVED',
      'ARCHIVING',
      'ARCHIVED',
      'FAIL_ARCHIVE',
    ]);
  });
});
