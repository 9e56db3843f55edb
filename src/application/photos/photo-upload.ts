import type { ImageType } from '../../domain/inspection/photo.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { IncomingFile } from './incoming-file.js';
import type { ObjectDeleter } from './object-deleter.js';

/** What storing photos needs: the store, the deletion queue and its sweeper, ids and the time. */
export interface PhotoUploadDeps {
  uow: UnitOfWork;
  storage: ObjectStorage;
  deleter: ObjectDeleter;
  ids: IdGenerator;
  clock: Clock;
}

/** The files to store, already checked (checkUploadShape / checkUploads), and where each one goes. */
export interface PhotoUploadPlan {
  files: IncomingFile[];
  /** The type of each file, in file order (what the checks returned). */
  contentTypes: ImageType[];
  /** The storage key of a new photo (inspection, vehicle or request photo). */
  keyOf: (photoId: string, contentType: ImageType) => string;
}

/** A file stored under `key`, waiting for the row that references it. */
export interface UploadedPhoto {
  /** The new photo's id (the row's id). */
  id: string;
  key: string;
  contentType: ImageType;
  file: IncomingFile;
}

/**
 * The one photo-upload flow of inspection, vehicle and request photos: every file is uploaded to object
 * storage first (a fresh id per file, in file order), then `record` writes the rows that reference them
 * (normally in one transaction). When an upload or `record` fails, the objects already uploaded are
 * discarded (queued for deletion, then swept) and the error is rethrown: no object stays without its row.
 */
export async function uploadThenRecord<T>(
  d: PhotoUploadDeps,
  plan: PhotoUploadPlan,
  record: (uploaded: UploadedPhoto[]) => Promise<T>,
): Promise<T> {
  const uploaded: UploadedPhoto[] = [];
  try {
    for (const [i, file] of plan.files.entries()) {
      const id = d.ids.next();
      const contentType = plan.contentTypes[i] as ImageType;
      const key = plan.keyOf(id, contentType);
      await d.storage.put(key, file.open(), { contentType, size: file.size });
      uploaded.push({ id, key, contentType, file });
    }
    return await record(uploaded);
  } catch (e) {
    await discardUploads(d, uploaded);
    throw e;
  }
}

/** Queues stored objects of this store for deletion and sweeps at once (the sweeper retries a failure later). */
export async function discardUploads(
  d: Pick<PhotoUploadDeps, 'uow' | 'storage' | 'deleter' | 'clock'>,
  uploaded: Array<{ key: string }>,
): Promise<void> {
  if (uploaded.length === 0) return;
  await d.uow.run((tx) =>
    tx.deletions.enqueue(
      uploaded.map((u) => ({ driver: d.storage.driver, key: u.key })),
      d.clock.now(),
    ),
  );
  await d.deleter.sweep();
}
