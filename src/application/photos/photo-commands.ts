import { InspectionErrors, type Inspection } from '../../domain/inspection/inspection.js';
import {
  objectsOf,
  photoKey,
  type ImageType,
  type InspectionPhoto,
  type PhotoMetadata,
  PhotoErrors,
} from '../../domain/inspection/photo.js';
import { isEditable } from '../../domain/inspection/status.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { loadVisible } from '../inspections/access.js';
import { checkUploads, type ImageCheck, type IncomingFile } from './incoming-file.js';
import type { ObjectDeleter } from './object-deleter.js';
import type { PhotoLinks, PhotoView } from './photo-links.js';

export const MAX_PHOTOS_PER_REQUEST = 10;

export interface PhotoLimits {
  maxBytes: number;
}

export interface PhotoDeps {
  uow: UnitOfWork;
  storage: ObjectStorage;
  deleter: ObjectDeleter;
  links: PhotoLinks;
  ids: IdGenerator;
  clock: Clock;
  limits: PhotoLimits;
  check: ImageCheck;
}

const DEFAULT_META: PhotoMetadata = {
  label: '',
  category: 'GENERAL',
  isMandatory: false,
  needAttention: false,
  displayInPdf: true,
  isDocument: false,
};

async function editableInspection(tx: TransactionalPorts, actor: Actor, id: string): Promise<Inspection> {
  const inspection = await loadVisible(tx.inspections, actor, id, true);
  if (!isEditable(inspection.status)) throw InspectionErrors.notEditable(inspection.status);
  return inspection;
}

/** Every file is checked (count, size, type by magic bytes, decoded whole) before anything is stored. */
function checkFiles(files: IncomingFile[], limits: PhotoLimits, check: ImageCheck): Promise<ImageType[]> {
  return checkUploads(files, { field: 'photos', maxFiles: MAX_PHOTOS_PER_REQUEST, maxBytes: limits.maxBytes }, check);
}

/**
 * Adds photos to an inspection still in review. Objects are uploaded first; the records are written in one
 * transaction afterwards. A failed upload or a failed transaction leaves no record, and the objects already
 * uploaded are deleted (or queued for deletion).
 */
export class AddPhotos {
  constructor(private readonly d: PhotoDeps) {}

  async execute(
    actor: Actor,
    inspectionId: string,
    files: IncomingFile[],
    metadata: Array<Partial<PhotoMetadata>>,
  ): Promise<PhotoView[]> {
    const types = await checkFiles(files, this.d.limits, this.d.check);
    await this.d.uow.run((tx) => editableInspection(tx, actor, inspectionId));
    const uploaded: Array<{ id: string; key: string; type: ImageType; file: IncomingFile }> = [];
    try {
      for (const [i, file] of files.entries()) {
        const id = this.d.ids.next();
        const key = photoKey(inspectionId, id, types[i] as ImageType);
        await this.d.storage.put(key, file.open(), { contentType: types[i] as ImageType, size: file.size });
        uploaded.push({ id, key, type: types[i] as ImageType, file });
      }
      const created = await this.d.uow.run(async (tx) => {
        const now = this.d.clock.now();
        await editableInspection(tx, actor, inspectionId);
        const existing = await tx.photos.listForInspection(inspectionId);
        let order = existing.reduce((m, p) => Math.max(m, p.sortOrder + 1), 0);
        const out: InspectionPhoto[] = [];
        for (const [i, u] of uploaded.entries()) {
          const meta = { ...DEFAULT_META, ...(metadata[i] ?? {}) };
          out.push(
            await tx.photos.create(
              {
                id: u.id,
                inspectionId,
                storageKey: u.key,
                storageDriver: this.d.storage.driver,
                contentType: u.type,
                sizeBytes: u.file.size,
                sha256: u.file.sha256,
                originalName: u.file.originalName,
                sortOrder: order++,
                ...meta,
              },
              now,
            ),
          );
        }
        await tx.audit.record(
          {
            actorId: actor.userId,
            action: 'PHOTO_ADDED',
            entity: 'inspection',
            entityId: inspectionId,
            metadata: { photoIds: out.map((p) => p.id) },
          },
          now,
        );
        return out;
      });
      return this.d.links.views(created);
    } catch (e) {
      await this.discard(uploaded.map((u) => u.key));
      throw e;
    }
  }

  private async discard(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.d.uow.run((tx) =>
      tx.deletions.enqueue(
        keys.map((key) => ({ driver: this.d.storage.driver, key })),
        this.d.clock.now(),
      ),
    );
    await this.d.deleter.sweep();
  }
}

/** Changes label, category and flags of a photo. */
export class UpdatePhotoMetadata {
  constructor(private readonly d: PhotoDeps) {}

  async execute(
    actor: Actor,
    inspectionId: string,
    photoId: string,
    patch: Partial<PhotoMetadata>,
  ): Promise<PhotoView> {
    const photo = await this.d.uow.run(async (tx) => {
      const now = this.d.clock.now();
      await editableInspection(tx, actor, inspectionId);
      const current = await tx.photos.findById(photoId);
      if (!current || current.inspectionId !== inspectionId) throw InspectionErrors.photoNotFound();
      const updated = (await tx.photos.updateMetadata(photoId, patch, now)) as InspectionPhoto;
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'PHOTO_UPDATED',
          entity: 'photo',
          entityId: photoId,
          metadata: { fields: Object.keys(patch) },
        },
        now,
      );
      return updated;
    });
    return this.d.links.view(photo);
  }
}

/** Replaces a photo's file: upload the new object, swap the record, then delete the old object. */
export class ReplacePhotoFile {
  constructor(private readonly d: PhotoDeps) {}

  async execute(actor: Actor, inspectionId: string, photoId: string, file: IncomingFile): Promise<PhotoView> {
    const [type] = (await checkFiles([file], this.d.limits, this.d.check)) as [ImageType];
    const newId = this.d.ids.next();
    const key = photoKey(inspectionId, newId, type);
    await this.d.uow.run((tx) => editableInspection(tx, actor, inspectionId));
    await this.d.storage.put(key, file.open(), { contentType: type, size: file.size });
    let swapped: { photo: InspectionPhoto; old: InspectionPhoto };
    try {
      swapped = await this.d.uow.run(async (tx) => {
        const now = this.d.clock.now();
        await editableInspection(tx, actor, inspectionId);
        const old = await tx.photos.findById(photoId);
        if (!old || old.inspectionId !== inspectionId) throw InspectionErrors.photoNotFound();
        const photo = (await tx.photos.updateFile(
          photoId,
          {
            storageKey: key,
            storageDriver: this.d.storage.driver,
            contentType: type,
            sizeBytes: file.size,
            sha256: file.sha256,
            originalName: file.originalName,
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
            metadata: { previousSha256: old.sha256, sha256: file.sha256 },
          },
          now,
        );
        return { photo, old };
      });
    } catch (e) {
      await this.d.uow.run((tx) => tx.deletions.enqueue([{ driver: this.d.storage.driver, key }], this.d.clock.now()));
      await this.d.deleter.sweep();
      throw e;
    }
    await this.d.deleter.sweep();
    return this.d.links.view(swapped.photo);
  }
}

/** Deletes a photo record; its object is deleted right after (or later by the sweeper). */
export class DeletePhoto {
  constructor(private readonly d: PhotoDeps) {}

  async execute(actor: Actor, inspectionId: string, photoId: string): Promise<void> {
    await this.d.uow.run(async (tx) => {
      const now = this.d.clock.now();
      await editableInspection(tx, actor, inspectionId);
      const photo = await tx.photos.findById(photoId);
      if (!photo || photo.inspectionId !== inspectionId) throw InspectionErrors.photoNotFound();
      await tx.photos.delete(photoId);
      await tx.deletions.enqueue(objectsOf(photo), now);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'PHOTO_DELETED',
          entity: 'photo',
          entityId: photoId,
          metadata: { inspectionId },
        },
        now,
      );
    });
    await this.d.deleter.sweep();
  }
}

/** Sets the display order; the list must contain exactly the inspection's photos. */
export class ReorderPhotos {
  constructor(private readonly d: PhotoDeps) {}

  async execute(actor: Actor, inspectionId: string, orderedIds: string[]): Promise<PhotoView[]> {
    const photos = await this.d.uow.run(async (tx) => {
      const now = this.d.clock.now();
      await editableInspection(tx, actor, inspectionId);
      const existing = (await tx.photos.listForInspection(inspectionId)).map((p) => p.id).sort();
      const given = [...orderedIds].sort();
      if (new Set(orderedIds).size !== orderedIds.length || JSON.stringify(existing) !== JSON.stringify(given)) {
        throw PhotoErrors.orderMismatch();
      }
      await tx.photos.reorder(inspectionId, orderedIds, now);
      await tx.audit.record(
        { actorId: actor.userId, action: 'PHOTOS_REORDERED', entity: 'inspection', entityId: inspectionId },
        now,
      );
      return tx.photos.listForInspection(inspectionId);
    });
    return this.d.links.views(photos);
  }
}
