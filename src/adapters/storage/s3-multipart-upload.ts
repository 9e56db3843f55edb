import type { Client } from 'minio';
import { createHash } from 'node:crypto';
import { StorageErrors } from '../../domain/storage/storage-errors.js';
import { MAX_PARTS, planParts, retry } from './multipart.js';
import { isRetryable, summarise, translateS3Error } from './s3-errors.js';

/** The little logging the S3 adapter needs; winston's logger fits it. */
export interface StorageLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** How parts go up: their size, how many at once, and how each is retried. */
export interface MultipartSettings {
  partSizeMB: number;
  concurrency: number;
  /** Tries per part, including the first. */
  attempts: number;
  /** First retry delay in ms, doubling per try. */
  retryBaseMs: number;
  log: StorageLogger;
}

/** What sending the parts came to: the parts' etags, or the first failure of the source or of an upload. */
interface SentParts {
  etags: { part: number; etag: string }[];
  parts: number;
  bytes: number;
  sourceError: unknown;
  uploadError: unknown;
}

/**
 * Multipart uploads with minio's low-level calls (its automatic multipart in 8.0.7 numbers parts from 2 and
 * sends a Buffer as one part): parts 1..N read sequentially, uploaded a few at a time, each retried with
 * backoff; a failed upload is aborted so no object and no pending upload remain.
 */
export class S3MultipartUpload {
  constructor(
    private readonly client: Client,
    private readonly bucket: string,
    private readonly settings: MultipartSettings,
  ) {}

  /** Uploads `parts` as the object `key`; a declared `size` must match the bytes the parts hold. */
  async upload(
    key: string,
    parts: AsyncIterator<Buffer>,
    contentType: string,
    size: number | undefined,
  ): Promise<void> {
    const { partSizeMB, log } = this.settings;
    const planned = size === undefined ? undefined : planParts(size, partSizeMB).length;
    let uploadId: string;
    try {
      uploadId = await this.client.initiateNewMultipartUpload(this.bucket, key, { 'Content-Type': contentType });
    } catch (e) {
      throw translateS3Error(e, `start multipart ${key}`);
    }
    log.info('storage.s3.multipart_started', { key, uploadId, size, plannedParts: planned, partSizeMB });
    const sent = await this.sendParts(key, uploadId, parts);
    // A source that ends short of its declared size would otherwise become a silently truncated object.
    if (sent.sourceError === undefined && sent.uploadError === undefined && size !== undefined && sent.bytes !== size)
      sent.sourceError = new Error(`stream for ${key} had ${sent.bytes} bytes, ${size} declared`);
    if (sent.sourceError !== undefined || sent.uploadError !== undefined) {
      await this.abort(key, uploadId);
      if (sent.sourceError !== undefined) throw sent.sourceError;
      throw StorageErrors.unavailable(
        `upload parts of ${key}: ${summarise(sent.uploadError).code ?? summarise(sent.uploadError).message}`,
      );
    }
    try {
      sent.etags.sort((a, b) => a.part - b.part);
      await this.client.completeMultipartUpload(this.bucket, key, uploadId, sent.etags);
    } catch (e) {
      await this.abort(key, uploadId);
      throw StorageErrors.unavailable(`complete multipart ${key}: ${summarise(e).code ?? summarise(e).message}`);
    }
    log.info('storage.s3.multipart_completed', { key, uploadId, size: sent.bytes, parts: sent.parts });
  }

  /** Reads and uploads the parts until the source ends or something fails; waits for the parts in the air. */
  private async sendParts(key: string, uploadId: string, parts: AsyncIterator<Buffer>): Promise<SentParts> {
    const sent: SentParts = { etags: [], parts: 0, bytes: 0, sourceError: undefined, uploadError: undefined };
    const inFlight = new Set<Promise<void>>();
    try {
      // Parts are read one at a time and at most `concurrency` are in the air: memory stays bounded.
      while (sent.uploadError === undefined) {
        const next = await parts.next();
        if (next.done) break;
        sent.parts += 1;
        sent.bytes += next.value.length;
        if (sent.parts > MAX_PARTS) throw new RangeError(`more than ${MAX_PARTS} parts`);
        const n = sent.parts;
        const task: Promise<void> = this.uploadPart(key, uploadId, n, next.value)
          .then(
            (etag) => void sent.etags.push({ part: n, etag }),
            (e: unknown) => void (sent.uploadError ??= e),
          )
          .finally(() => inFlight.delete(task));
        inFlight.add(task);
        if (inFlight.size >= this.settings.concurrency) await Promise.race(inFlight);
      }
    } catch (e) {
      sent.sourceError = e;
    } finally {
      await parts.return?.(undefined);
    }
    await Promise.all(inFlight);
    return sent;
  }

  private async uploadPart(key: string, uploadId: string, partNumber: number, part: Buffer): Promise<string> {
    const { attempts, retryBaseMs, log } = this.settings;
    const sha1 = createHash('sha1').update(part).digest('hex');
    // Content-MD5 lets the server reject a part corrupted in transit (SigV4 over TLS signs no payload hash).
    const md5 = createHash('md5').update(part).digest('base64');
    const meta = { key, uploadId, partNumber, size: part.length, sha1 };
    try {
      const { etag } = await retry(
        () =>
          this.client.uploadPart(
            {
              bucketName: this.bucket,
              objectName: key,
              uploadID: uploadId,
              partNumber,
              headers: { 'Content-MD5': md5 },
            },
            part,
          ),
        {
          attempts,
          baseMs: retryBaseMs,
          shouldRetry: isRetryable,
          onRetry: (e, attempt, delayMs) =>
            log.warn('storage.s3.part_retry', { ...meta, attempt, delayMs, error: summarise(e) }),
        },
      );
      log.info('storage.s3.part_uploaded', { ...meta, etag });
      return etag;
    } catch (e) {
      log.error('storage.s3.part_failed', { ...meta, error: summarise(e) });
      throw e;
    }
  }

  private async abort(key: string, uploadId: string): Promise<void> {
    try {
      await this.client.abortMultipartUpload(this.bucket, key, uploadId);
      this.settings.log.warn('storage.s3.multipart_aborted', { key, uploadId });
    } catch (e) {
      // Nothing more can be done here; a lifecycle rule expiring incomplete uploads is the backstop.
      this.settings.log.error('storage.s3.abort_failed', { key, uploadId, error: summarise(e) });
    }
  }
}
