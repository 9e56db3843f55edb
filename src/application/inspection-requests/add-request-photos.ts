import type { OwnedPhoto, VehiclePhotoType } from '../../domain/customer/vehicle.js';
import { PhotoErrors } from '../../domain/inspection/photo.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { assertStorageQuota, serialiseCustomer } from '../customer-storage/storage-quota.js';
import type { IncomingFile } from '../photos/incoming-file.js';
import type { OwnedPhotoLinks } from '../photos/owned-photo-links.js';
import { uploadThenRecord, type UploadedPhoto } from '../photos/photo-upload.js';
import { MAX_REQUEST_PHOTOS, REQUEST_ENTITY, type RequestPhotoDeps, type RequestPhotoView } from './deps.js';
import { assertNotFinal, loadForUpdate } from './request-helpers.js';
import { checkRequestPhotos, photoTypesOf, requestPhotoKey } from './request-photo-files.js';

/**
 * Attaches photos to the customer's own request while it is not DONE or CANCELLED, at most
 * MAX_REQUEST_PHOTOS in total. Objects are uploaded first and the records written in one transaction
 * afterwards; when anything fails, the uploaded objects are deleted (or queued for deletion).
 */
export class AddRequestPhotos {
  constructor(
    private readonly d: RequestPhotoDeps,
    private readonly links: OwnedPhotoLinks,
  ) {}

  /** `photoTypes`: one per file, in file order (default OTHER for every file). */
  async execute(
    actor: Actor,
    requestId: string,
    files: IncomingFile[],
    photoTypes?: string[],
  ): Promise<RequestPhotoView[]> {
    const contentTypes = await checkRequestPhotos(files, this.d.maxBytes, this.d.check);
    const kinds = photoTypesOf(photoTypes, files.length);
    await this.d.uow.run((tx) => this.check(tx, actor, requestId, files));
    const created = await uploadThenRecord(
      this.d,
      { files, contentTypes, keyOf: (id, type) => requestPhotoKey(requestId, id, type) },
      (uploaded) => this.d.uow.run((tx) => this.record(tx, actor, requestId, files, uploaded, kinds)),
    );
    return this.links.views(created);
  }

  /** The request is the caller's, open, with room for the files, and the customer's storage quota holds. */
  private async check(
    tx: TransactionalPorts,
    actor: Actor,
    requestId: string,
    files: IncomingFile[],
  ): Promise<OwnedPhoto[]> {
    const r = await loadForUpdate(tx, requestId, actor.userId);
    assertNotFinal(r);
    const existing = await tx.inspectionRequests.listPhotos(requestId);
    if (existing.length + files.length > MAX_REQUEST_PHOTOS) {
      throw PhotoErrors.tooMany(MAX_REQUEST_PHOTOS, 'photos', existing.length);
    }
    await serialiseCustomer(tx, r.customerId);
    await assertStorageQuota(
      tx,
      r.customerId,
      files.reduce((n, f) => n + f.size, 0),
      this.d.maxStoredBytes,
    );
    return existing;
  }

  private async record(
    tx: TransactionalPorts,
    actor: Actor,
    requestId: string,
    files: IncomingFile[],
    uploaded: UploadedPhoto[],
    kinds: VehiclePhotoType[],
  ): Promise<OwnedPhoto[]> {
    const now = this.d.clock.now();
    const existing = await this.check(tx, actor, requestId, files);
    let order = existing.reduce((m, p) => Math.max(m, p.sortOrder + 1), 0);
    const out: OwnedPhoto[] = [];
    for (const [i, u] of uploaded.entries()) {
      out.push(
        await tx.inspectionRequests.addPhoto({
          id: u.id,
          ownerId: requestId,
          type: kinds[i] as VehiclePhotoType,
          storageKey: u.key,
          storageDriver: this.d.storage.driver,
          contentType: u.contentType,
          sizeBytes: u.file.size,
          sha256: u.file.sha256,
          sortOrder: order++,
          createdAt: now,
        }),
      );
    }
    await tx.audit.record(
      {
        actorId: actor.userId,
        action: 'UPDATE',
        entity: REQUEST_ENTITY,
        entityId: requestId,
        metadata: { photosAdded: out.map((p) => p.id), types: kinds },
      },
      now,
    );
    return out;
  }
}
