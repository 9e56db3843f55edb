import type { Container } from 'inversify';
import { CreateInspection, type CreateInspectionInput } from '../../src/application/inspections/create-inspection.js';
import type { Inspection } from '../../src/domain/inspection/inspection.js';
import type { TestActor } from './actors.js';

/** Object mother for inspections: a filled-in form an inspector would send. */
export const inspectionInput = (over: Partial<CreateInspectionInput> = {}): CreateInspectionInput => ({
  plateNumber: 'ab 1234 cd',
  inspectionDate: '2025-05-01',
  overallRating: 8.5,
  identityDetails: { namaInspektor: 'Ina', namaCustomer: 'Budi Santoso', cabangInspeksi: 'Yogyakarta' },
  vehicleData: { merekKendaraan: 'Toyota', tipeKendaraan: 'Avanza', tahun: 2019, transmisi: 'Manual', odometer: 45000 },
  equipmentChecklist: { bukuService: true, kunciSerep: false },
  inspectionSummary: {
    interiorScore: 8,
    eksteriorScore: 7,
    estimasiPerbaikan: [{ namaPart: 'Ban depan', harga: 850000 }],
  },
  detailedAssessment: { testDrive: { rem: 8, kopling: 9 } },
  bodyPaintThickness: { front: 110, rear: { bumper: 95 } },
  notesFontSizes: { inspectionSummary: 12 },
  ...over,
});

export function createInspectionAs(
  c: Container,
  inspector: TestActor,
  over: Partial<CreateInspectionInput> = {},
): Promise<Inspection> {
  return c.get(CreateInspection).execute({ userId: inspector.user.id, role: 'INSPECTOR' }, inspectionInput(over));
}

/** Tiny real images (8x8, sharp-made): uploads are decoded before they are accepted. */
const TINY: Record<'jpeg' | 'png' | 'webp', string> = {
  jpeg: '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAT/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAAAP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AJAAf//Z',
  png: 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAD0lEQVQImWOowAEYhpYEACrVWgHfA7Y0AAAAAElFTkSuQmCC',
  webp: 'UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoIAAgAAUAmJaQAA3AA/twQAAA=',
};

/**
 * A file of `size` bytes (at least the image itself) with the given type: for images a real, decodable 8x8
 * image followed by padding that varies with `seed` (decoders stop at the image's end, so every seed gives
 * other bytes and another SHA-256); for 'pdf' a PDF header and the padding.
 */
export function imageBytes(type: 'jpeg' | 'png' | 'webp' | 'pdf', size = 2048, seed = 1): Buffer {
  const head = type === 'pdf' ? Buffer.from('%PDF-1.7\n') : Buffer.from(TINY[type], 'base64');
  const body = Buffer.alloc(Math.max(size, head.length));
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + seed * 17) % 251;
  head.copy(body);
  return body;
}

/** Only an image's first bytes, then noise: passes a magic-byte check, fails a real decode. */
export function fakeImageBytes(type: 'jpeg' | 'png' | 'webp', size = 2048, seed = 1): Buffer {
  const head = Buffer.from(TINY[type], 'base64').subarray(0, 12);
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i++) body[i] = (i * 31 + seed * 17) % 251;
  head.copy(body);
  return body;
}
