/** The kinds of database rows that reference stored objects. */
export const STORED_RECORD_KINDS = ['inspection-photo', 'vehicle-photo', 'request-photo', 'report-pdf'] as const;
export type StoredRecordKind = (typeof STORED_RECORD_KINDS)[number];

/** What an object is to its row: the uploaded photo, its print rendition, or a report PDF. */
export type StoredObjectRole = 'original' | 'rendition' | 'pdf';

/** One object a row references. `sha256`/`size` are null where the database does not record them. */
export interface StoredObjectRef {
  role: StoredObjectRole;
  key: string;
  size: number | null;
  sha256: string | null;
  contentType: string;
}

/**
 * One row that references stored objects, with every object it references. All objects of a row live on
 * the row's `driver` (an inspection photo's rendition sits beside its original), so a row moves between
 * stores as a whole.
 */
export interface StoredRecord {
  kind: StoredRecordKind;
  /** The row's id (a report PDF: `<inspectionId>/<variant>`). */
  id: string;
  driver: string;
  objects: StoredObjectRef[];
}

/**
 * Every object the database references, for backups' object manifests, `storage:verify` and the storage
 * switch (`storage:migrate-objects`). Operator tooling: rows are read in pages, in a stable order.
 */
export interface StoredObjects {
  /** Rows of `kind` (on `driver` when given) with id > `after`, in id order, at most `limit`. */
  list(kind: StoredRecordKind, after: string | null, limit: number, driver?: string): Promise<StoredRecord[]>;
  /** How many rows of each kind sit on each driver: `{ 'inspection-photo': { fs: 3, s3: 1 }, ... }`. */
  counts(): Promise<Record<StoredRecordKind, Record<string, number>>>;
  /** One row as it is now, or null when there is none (deleted, or an id that cannot name a row of `kind`). */
  find(kind: StoredRecordKind, id: string): Promise<StoredRecord | null>;
  /**
   * Points a row at another store, only while it is still exactly `record`: on `record.driver` and
   * referencing the same object keys (false when it was moved, deleted or replaced meanwhile, or got a
   * rendition since it was read: its new objects were never copied).
   */
  repoint(record: StoredRecord, to: string, now: Date): Promise<boolean>;
  /** Records the SHA-256 of an inspection photo's rendition (computed once, for rows made before it was kept). */
  recordRenditionHash(photoId: string, renditionKey: string, sha256: string): Promise<void>;
}

export const StoredObjects = Symbol('StoredObjects');
