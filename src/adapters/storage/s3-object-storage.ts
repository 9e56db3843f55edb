import { Client } from 'minio';
import type { Readable } from 'node:stream';
import { isValidObjectKey, StorageErrors } from '../../domain/storage/storage-errors.js';
import type { ObjectStorage, PutObjectOptions, StoredObjectInfo } from '../../ports/object-storage.js';
import { MIB, MIN_PART_SIZE_MB, partsOf, retry, shouldUseMultipart } from './multipart.js';
import { codeOf, isMissingObject, isRetryable, summarise, translateS3Error } from './s3-errors.js';
import { S3MultipartUpload, type StorageLogger } from './s3-multipart-upload.js';
import { attachmentDisposition } from './signed-file-handler.js';

export type { StorageLogger } from './s3-multipart-upload.js';

export interface S3ObjectStorageOptions {
  endPoint: string;
  port?: number;
  useSSL: boolean;
  region: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  /** Origin (and path) presigned URLs are rewritten to, e.g. a proxy or CDN that forwards to the endpoint. */
  publicBaseUrl?: string;
  /** Objects of at least this size go up in parts (default 100). */
  multipartThresholdMB?: number;
  /** Part size, at least 5 (default 50). */
  partSizeMB?: number;
  /** Parts uploading at once (default 3); memory use is about (concurrency + 1) x part size. */
  partConcurrency?: number;
  /** Tries per part and per single PUT, including the first (default 3). */
  partAttempts?: number;
  /** First retry delay in ms, doubling per try (default 250). */
  retryBaseMs?: number;
  logger?: StorageLogger;
  /** A ready client instead of one built from the options (tests wrap one to inject failures). */
  client?: Client;
}

const silent: StorageLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * ObjectStorage on any S3-compatible service (driver "s3"; Backblaze B2 in production) through the minio
 * client. Large objects use minio's low-level multipart calls (its automatic multipart in 8.0.7 numbers
 * parts from 2 and sends a Buffer as one part): parts 1..N read sequentially, uploaded a few at a time,
 * each retried with backoff; a failed upload is aborted so no object and no pending upload remain. Smaller
 * objects go up in one PUT from memory (a stream is read first, at most the threshold), retried the same way.
 */
export class S3ObjectStorage implements ObjectStorage {
  readonly driver = 's3';
  private readonly client: Client;
  private readonly bucket: string;
  private readonly thresholdMB: number;
  private readonly partSizeMB: number;
  private readonly uploads: S3MultipartUpload;
  private readonly retrying: { attempts: number; retryBaseMs: number; log: StorageLogger };

  constructor(private readonly options: S3ObjectStorageOptions) {
    this.bucket = options.bucket;
    this.thresholdMB = options.multipartThresholdMB ?? 100;
    this.partSizeMB = options.partSizeMB ?? 50;
    const concurrency = options.partConcurrency ?? 3;
    const attempts = options.partAttempts ?? 3;
    if (!(this.thresholdMB > 0)) throw new RangeError('multipartThresholdMB must be positive');
    if (!(this.partSizeMB >= MIN_PART_SIZE_MB)) throw new RangeError(`partSizeMB must be at least ${MIN_PART_SIZE_MB}`);
    if (!(concurrency >= 1) || !(attempts >= 1))
      throw new RangeError('partConcurrency and partAttempts must be at least 1');
    // minio switches to its own (buggy) multipart above its partSize; raising partSize to our threshold keeps
    // every below-threshold put a single PUT.
    const minioPartSize = Math.min(Math.max(Math.ceil(this.thresholdMB * MIB), MIN_PART_SIZE_MB * MIB), 5 * 1024 * MIB);
    const { endPoint, port, useSSL, region, accessKey, secretKey } = options;
    this.client =
      options.client ?? new Client({ endPoint, port, useSSL, region, accessKey, secretKey, partSize: minioPartSize });
    this.retrying = { attempts, retryBaseMs: options.retryBaseMs ?? 250, log: options.logger ?? silent };
    this.uploads = new S3MultipartUpload(this.client, this.bucket, {
      partSizeMB: this.partSizeMB,
      concurrency,
      ...this.retrying,
    });
  }

  /** Creates the bucket when it does not exist yet. */
  async ensureBucket(): Promise<void> {
    try {
      if (!(await this.client.bucketExists(this.bucket)))
        await this.client.makeBucket(this.bucket, this.options.region);
    } catch (e) {
      if (codeOf(e) !== 'BucketAlreadyOwnedByYou') throw translateS3Error(e, `create bucket ${this.bucket}`);
    }
  }

  async put(key: string, body: Buffer | Readable, options: PutObjectOptions): Promise<StoredObjectInfo> {
    this.check(key);
    const partBytes = Math.floor(this.partSizeMB * MIB);
    if (Buffer.isBuffer(body)) {
      if (!shouldUseMultipart(body.length, this.thresholdMB)) return this.single(key, body, options.contentType);
      return this.multipart(key, partsOf([body], partBytes), options.contentType, body.length);
    }
    const declared = options.size;
    if (declared !== undefined && shouldUseMultipart(declared, this.thresholdMB))
      return this.multipart(key, partsOf(body, partBytes), options.contentType, declared);
    // Below the threshold (or of unknown size): read up to the threshold into memory, so a retried single PUT
    // sends the same bytes again; a stream that reaches the threshold goes up in parts after all.
    const parts = partsOf(body, partBytes);
    const head: Buffer[] = [];
    let read = 0;
    while (!shouldUseMultipart(read, this.thresholdMB)) {
      const next = await parts.next();
      if (next.done) {
        if (declared !== undefined && read !== declared)
          throw new Error(`stream for ${key} had ${read} bytes, ${declared} declared`);
        return this.single(key, Buffer.concat(head), options.contentType);
      }
      head.push(next.value);
      read += next.value.length;
    }
    if (declared !== undefined) {
      await parts.return(undefined);
      throw new Error(`stream for ${key} had more than ${declared} bytes declared`);
    }
    return this.multipart(
      key,
      (async function* () {
        yield* head;
        yield* parts;
      })(),
      options.contentType,
      undefined,
    );
  }

  async get(key: string): Promise<Readable> {
    this.check(key);
    try {
      return await this.client.getObject(this.bucket, key);
    } catch (e) {
      if (isMissingObject(e)) throw StorageErrors.notFound(key);
      throw translateS3Error(e, `get ${key}`);
    }
  }

  async head(key: string): Promise<StoredObjectInfo | null> {
    this.check(key);
    try {
      const stat = await this.client.statObject(this.bucket, key);
      const contentType = String(stat.metaData['content-type'] ?? 'application/octet-stream');
      return { key, size: stat.size, contentType, lastModified: stat.lastModified, etag: stat.etag };
    } catch (e) {
      if (isMissingObject(e)) return null;
      throw translateS3Error(e, `head ${key}`);
    }
  }

  async delete(key: string): Promise<void> {
    this.check(key);
    try {
      await this.client.removeObject(this.bucket, key);
    } catch (e) {
      if (!isMissingObject(e)) throw translateS3Error(e, `delete ${key}`);
    }
  }

  async signedGetUrl(key: string, expiresInSeconds: number, options?: { downloadName?: string }): Promise<string> {
    this.check(key);
    // SigV4 presigned URLs live at most 7 days.
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds <= 0 || expiresInSeconds > 604_800)
      throw new RangeError(`expiresInSeconds must be 1..604800, got ${expiresInSeconds}`);
    const headers: Record<string, string> =
      options?.downloadName !== undefined
        ? { 'response-content-disposition': attachmentDisposition(options.downloadName) }
        : {};
    let url: string;
    try {
      url = await this.client.presignedGetObject(this.bucket, key, expiresInSeconds, headers);
    } catch (e) {
      throw translateS3Error(e, `sign ${key}`);
    }
    if (!this.options.publicBaseUrl) return url;
    // The signature covers the endpoint's Host: the public origin must forward with that Host preserved.
    const signed = new URL(url);
    return `${this.options.publicBaseUrl.replace(/\/+$/, '')}${signed.pathname}${signed.search}`;
  }

  async list(prefix: string): Promise<StoredObjectInfo[]> {
    const names: string[] = [];
    try {
      for await (const item of this.client.listObjectsV2(this.bucket, prefix, true))
        if (item.name) names.push(item.name);
    } catch (e) {
      throw translateS3Error(e, `list ${prefix}`);
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    // Listings carry no content type, so each object is stat'ed (a few at a time); one deleted meanwhile drops out.
    const infos: (StoredObjectInfo | null)[] = [];
    for (let i = 0; i < names.length; i += 8)
      infos.push(
        ...(await Promise.all(
          names
            .slice(i, i + 8)
            .filter(isValidObjectKey)
            .map((n) => this.head(n)),
        )),
      );
    return infos.filter((i): i is StoredObjectInfo => i !== null);
  }

  /** One PUT of an in-memory body, retried with backoff on retryable failures (network, 5xx, SlowDown). */
  private async single(key: string, body: Buffer, contentType: string): Promise<StoredObjectInfo> {
    const { attempts, retryBaseMs, log } = this.retrying;
    try {
      await retry(() => this.client.putObject(this.bucket, key, body, body.length, { 'Content-Type': contentType }), {
        attempts,
        baseMs: retryBaseMs,
        shouldRetry: isRetryable,
        onRetry: (e, attempt, delayMs) =>
          log.warn('storage.s3.put_retry', { key, size: body.length, attempt, delayMs, error: summarise(e) }),
      });
    } catch (e) {
      throw translateS3Error(e, `put ${key}`);
    }
    return this.afterWrite(key);
  }

  private async multipart(
    key: string,
    parts: AsyncIterator<Buffer>,
    contentType: string,
    size: number | undefined,
  ): Promise<StoredObjectInfo> {
    await this.uploads.upload(key, parts, contentType, size);
    return this.afterWrite(key);
  }

  private async afterWrite(key: string): Promise<StoredObjectInfo> {
    const info = await this.head(key);
    if (!info) throw StorageErrors.unavailable(`${key} missing right after it was written`);
    return info;
  }

  private check(key: string): void {
    if (!isValidObjectKey(key)) throw StorageErrors.invalidKey(key);
  }
}
