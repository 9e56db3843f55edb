import type { Knex } from 'knex';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createKnexPersistence } from '../../src/adapters/postgres/index.js';
import type { ManifestKind } from '../../src/application/stored-objects/manifest-format.js';
import type { NewOwnedPhoto } from '../../src/ports/customer-vehicles.js';
import type { ObjectStorage } from '../../src/ports/object-storage.js';
import { newVehicle } from '../contract/customer-vehicles.contract.js';
import { newInspection } from '../contract/inspection-ports.contract.js';
import { newUser } from '../contract/user-repository.contract.js';

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** One object a seeded row references, with the bytes it should have. */
export interface SeededObject {
  kind: ManifestKind;
  id: string;
  driver: string;
  key: string;
  bytes: Buffer;
  contentType: string;
}

export interface SeedOptions {
  /** Driver recorded on every row (default: the store's, else fs). */
  driver?: string;
  /** Inspection photos (at least 2: the first gets a rendition with its hash, the second one without). */
  photos?: number;
}

/**
 * Rows of every kind that references objects, with their objects put in `store` (when given): inspection
 * photos (two with renditions, the second's hash not recorded, as before it was kept), two vehicle photos,
 * one request photo and the two report PDFs of the inspection.
 */
export async function seedStoredObjects(
  knex: Knex,
  store: ObjectStorage | null,
  o: SeedOptions = {},
): Promise<SeededObject[]> {
  const driver = o.driver ?? store?.driver ?? 'fs';
  const now = new Date();
  const p = createKnexPersistence(knex, () => ({ requestId: null, ip: null }));
  const out: SeededObject[] = [];
  const put = async (s: Omit<SeededObject, 'driver'>) => {
    if (store) await store.put(s.key, s.bytes, { contentType: s.contentType, size: s.bytes.length });
    out.push({ ...s, driver });
    return s;
  };
  const branch = await p.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, now);
  const inspector = await p.users.create(
    newUser({ role: 'INSPECTOR', branchCityId: branch.id, passwordHash: null, pinHash: 'h' }),
    now,
  );
  const i = await p.inspections.create(newInspection({ inspectorId: inspector.id, branchCityId: branch.id }), now);
  for (let n = 0; n < Math.max(2, o.photos ?? 3); n++) {
    const id = randomUUID();
    const bytes = randomBytes(1000 + n);
    const { key } = await put({
      kind: 'inspection-photo',
      id,
      key: `inspections/${i.id}/photos/${id}.jpg`,
      bytes,
      contentType: 'image/jpeg',
    });
    await p.photos.create(
      {
        ...{ id, inspectionId: i.id, storageKey: key, storageDriver: driver, contentType: 'image/jpeg' },
        ...{ sizeBytes: bytes.length, sha256: sha256(bytes), label: '', category: 'GENERAL' },
        ...{ isMandatory: false, needAttention: false, displayInPdf: true, isDocument: false },
        ...{ sortOrder: n, originalName: null },
      },
      now,
    );
    if (n > 1) continue;
    const rendition = randomBytes(500 + n);
    const r = { kind: 'rendition' as const, id, key: key.replace(/\.jpg$/, '.print.jpg'), bytes: rendition };
    await put({ ...r, contentType: 'image/jpeg' });
    await p.photos.setRendition(id, { key: r.key, sizeBytes: rendition.length, sha256: sha256(rendition) }, now);
    // The second rendition is as old ones are: no hash recorded.
    if (n === 1) await knex('inspection_photos').where({ id }).update({ rendition_sha256: null });
  }
  const customer = await p.users.create(newUser({ role: 'CUSTOMER' }), now);
  const vehicle = await p.customerVehicles.create(newVehicle(customer.id), now);
  const vehiclePhotos: NewOwnedPhoto[] = [];
  for (const [n, type] of (['FRONT', 'BACK'] as const).entries()) {
    const id = randomUUID();
    const bytes = randomBytes(700 + n);
    const key = `customer-vehicles/${vehicle.id}/photos/${id}.jpg`;
    await put({ kind: 'vehicle-photo', id, key, bytes, contentType: 'image/jpeg' });
    vehiclePhotos.push({
      ...{ id, ownerId: vehicle.id, type, storageKey: key, storageDriver: driver, sortOrder: n },
      ...{ contentType: 'image/jpeg', sizeBytes: bytes.length, sha256: sha256(bytes) },
    });
  }
  await p.customerVehicles.replacePhotos(vehicle.id, vehiclePhotos, now);
  const price = await p.classPrices.add(
    { id: randomUUID(), vehicleClass: 'REGULAR', priceIdr: 350_000, effectiveFrom: now, createdBy: null, note: null },
    now,
  );
  const request = await p.inspectionRequests.create(
    {
      ...{ id: randomUUID(), customerId: customer.id, vehicleId: vehicle.id, vehicleDescription: null },
      ...{ vehicleClass: 'REGULAR', preferredSchedule: now, notes: null, priceIdr: 350_000, priceId: price.id },
      createdBy: customer.id,
    },
    now,
  );
  const requestPhotoId = randomUUID();
  const requestBytes = randomBytes(800);
  const requestKey = `customer-requests/${request.id}/photos/${requestPhotoId}.png`;
  await put({
    kind: 'request-photo',
    id: requestPhotoId,
    key: requestKey,
    bytes: requestBytes,
    contentType: 'image/png',
  });
  await p.inspectionRequests.addPhoto({
    ...{ id: requestPhotoId, ownerId: request.id, type: 'OTHER', storageKey: requestKey, storageDriver: driver },
    ...{ contentType: 'image/png', sizeBytes: requestBytes.length, sha256: sha256(requestBytes), sortOrder: 0 },
    createdAt: now,
  });
  for (const variant of ['full', 'no-docs'] as const) {
    const bytes = randomBytes(2000 + variant.length);
    const key = `reports/${i.id}/YOG-1-${variant}.pdf`;
    await put({ kind: 'report-pdf', id: `${i.id}/${variant}`, key, bytes, contentType: 'application/pdf' });
    await p.reports.upsert({
      ...{ inspectionId: i.id, variant, storageDriver: driver, storageKey: key, sha256: sha256(bytes) },
      ...{ sizeBytes: bytes.length, pageCount: 3, htmlSha256: 'ab'.repeat(32), ipfsCid: null, pdfJobId: null },
      createdAt: now,
    });
  }
  return out;
}
