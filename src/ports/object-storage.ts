import type { Readable } from 'node:stream';

export interface StoredObjectInfo {
  key: string;
  size: number;
  contentType: string;
  lastModified: Date;
  /** Store-specific version tag (S3 ETag, or a content hash for the filesystem store). */
  etag: string;
}

export interface PutObjectOptions {
  contentType: string;
  /** Byte length when known in advance (required for streams above the multipart threshold). */
  size?: number;
}

export interface ObjectStorage {
  /** Short name of the backend ("fs", "s3") as recorded next to stored keys. */
  readonly driver: string;
  /**
   * Stores bytes under `key` (replacing any object there), from a Buffer or a stream. Large objects go
   * up in parts where the backend supports it; a failed upload leaves nothing behind.
   * Errors: STORAGE.INVALID_KEY, STORAGE.UNAVAILABLE.
   */
  put(key: string, body: Buffer | Readable, options: PutObjectOptions): Promise<StoredObjectInfo>;
  /** The object's bytes as a stream. Errors: STORAGE.NOT_FOUND, STORAGE.INVALID_KEY, STORAGE.UNAVAILABLE. */
  get(key: string): Promise<Readable>;
  /** Metadata, or null when there is no object. Errors: STORAGE.INVALID_KEY, STORAGE.UNAVAILABLE. */
  head(key: string): Promise<StoredObjectInfo | null>;
  /** Removes the object; removing a missing object succeeds. Errors: STORAGE.INVALID_KEY, STORAGE.UNAVAILABLE. */
  delete(key: string): Promise<void>;
  /**
   * A full URL from which anyone holding it can GET the object until it expires (then 403/404).
   * Errors: STORAGE.INVALID_KEY, STORAGE.UNAVAILABLE.
   */
  signedGetUrl(key: string, expiresInSeconds: number, options?: { downloadName?: string }): Promise<string>;
  /** Every object whose key starts with `prefix`, in key order. Errors: STORAGE.UNAVAILABLE. */
  list(prefix: string): Promise<StoredObjectInfo[]>;
}

export const ObjectStorage = Symbol('ObjectStorage');

/** Bytes as use cases pass them around without naming Node's stream module. */
export type ByteSource = Buffer | Readable;
