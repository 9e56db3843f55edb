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
  inspectionSummary: { interiorScore: 8, eksteriorScore: 7, estimasiPerbaikan: [{ namaPart: 'Ban depan', harga: 850000 }] },
  detailedAssessment: { testDrive: { rem: 8, kopling: 9 } },
  bodyPaintThickness: { front: 110, rear: { bumper: 95 } },
  notesFontSizes: { inspectionSummary: 12 },
  ...over,
});

export function createInspectionAs(c: Container, inspector: TestActor, over: Partial<CreateInspectionInput> = {}): Promise<Inspection> {
  return c.get(CreateInspection).execute({ userId: inspector.user.id, role: 'INSPECTOR' }, inspectionInput(over));
}

/** Bytes that start like the given image type (content sniffing only reads the head). */
export function imageBytes(type: 'jpeg' | 'png' | 'webp' | 'pdf', size = 2048, seed = 1): Buffer {
  const head = {
    jpeg: [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46],
    png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    webp: [...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBPVP8 ')],
    pdf: [...Buffer.from('%PDF-1.7\n')],
  }[type];
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i++) body[i] = (i * 31 + seed * 17) % 251;
  Buffer.from(head).copy(body);
  return body;
}
