import type { InspectionPhoto, PhotoMetadata } from '../../domain/inspection/photo.js';
import { photoKey } from '../../domain/inspection/photo.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { PhotoDeps } from './deps.js';
import type { IncomingFile } from './incoming-file.js';
import { checkInspectionPhotos, editableInspection } from './inspection-photo-checks.js';
import type { PhotoView } from './photo-links.js';
import { uploadThenRecord, type UploadedPhoto } from './photo-upload.js';

const DEFAULT_META: PhotoMetadata = {
  label: '',
  category: 'GENERAL',
  isMandatory: false,
  needAttention: false,
  displayInPdf: true,
  isDocument: false,
};

/**
 * Adds photos to an inspection still in review. Objects are uploaded first; the records are written in one
 * transaction afterwards. A failed upload or a failed transaction leaves no record, and the objects already
 * uploaded are deleted (or queued for deletion).
 */
export class AddPhotos {
  constructor(private readonly d: PhotoDeps) {}

  /** `metadata`: one entry per file, in file order (missing fields take the defaults). */
  async execute(
    actor: Actor,
    inspectionId: string,
    files: IncomingFile[],
    metadata: Array<Partial<PhotoMetadata>>,
  ): Promise<PhotoView[]> {
    const contentTypes = await checkInspectionPhotos(files, this.d.limits, this.d.check);
    await this.d.uow.run((tx) => editableInspection(tx, actor, inspectionId));
    const created = await uploadThenRecord(
      this.d,
      { files, contentTypes, keyOf: (id, type) => photoKey(inspectionId, id, type) },
      (uploaded) => this.d.uow.run((tx) => this.record(tx, actor, inspectionId, uploaded, metadata)),
    );
    return this.d.links.views(created);
  }

  private async record(
    tx: TransactionalPorts,
    actor: Actor,
    inspectionId: string,
    uploaded: UploadedPhoto[],
    metadata: Array<Partial<PhotoMetadata>>,
  ): Promise<InspectionPhoto[]> {
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
            contentType: u.contentType,
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
  }
}
