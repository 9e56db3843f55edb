import { InspectionErrors } from '../../domain/inspection/inspection.js';
import { objectsOf, photoKey, type InspectionPhoto } from '../../domain/inspection/photo.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { PhotoDeps } from './deps.js';
import type { IncomingFile } from './incoming-file.js';
import { checkInspectionPhotos, editableInspection } from './inspection-photo-checks.js';
import type { PhotoView } from './photo-links.js';
import { uploadThenRecord, type UploadedPhoto } from './photo-upload.js';

/** Replaces a photo's file: upload the new object, swap the record, then delete the old object. */
export class ReplacePhotoFile {
  constructor(private readonly d: PhotoDeps) {}

  async execute(actor: Actor, inspectionId: string, photoId: string, file: IncomingFile): Promise<PhotoView> {
    const contentTypes = await checkInspectionPhotos([file], this.d.limits, this.d.check);
    await this.d.uow.run((tx) => editableInspection(tx, actor, inspectionId));
    const photo = await uploadThenRecord(
      this.d,
      { files: [file], contentTypes, keyOf: (id, type) => photoKey(inspectionId, id, type) },
      ([uploaded]) => this.d.uow.run((tx) => this.swap(tx, actor, inspectionId, photoId, uploaded as UploadedPhoto)),
    );
    await this.d.deleter.sweep();
    return this.d.links.view(photo);
  }

  /** The record points at the new object; the old object is queued for deletion. */
  private async swap(
    tx: TransactionalPorts,
    actor: Actor,
    inspectionId: string,
    photoId: string,
    u: UploadedPhoto,
  ): Promise<InspectionPhoto> {
    const now = this.d.clock.now();
    await editableInspection(tx, actor, inspectionId);
    const old = await tx.photos.findById(photoId);
    if (!old || old.inspectionId !== inspectionId) throw InspectionErrors.photoNotFound();
    const photo = (await tx.photos.updateFile(
      photoId,
      {
        storageKey: u.key,
        storageDriver: this.d.storage.driver,
        contentType: u.contentType,
        sizeBytes: u.file.size,
        sha256: u.file.sha256,
        originalName: u.file.originalName,
      },
      now,
    )) as InspectionPhoto;
    await tx.deletions.enqueue(objectsOf(old), now);
    await tx.audit.record(
      {
        actorId: actor.userId,
        action: 'PHOTO_REPLACED',
        entity: 'photo',
        entityId: photoId,
        metadata: { previousSha256: old.sha256, sha256: u.file.sha256 },
      },
      now,
    );
    return photo;
  }
}
