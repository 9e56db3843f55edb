/** Pure helpers for multipart uploads: when to use them, how to cut an object, how to retry a part. */

export const MIB = 1024 * 1024;
/** S3's minimum size for every part but the last. */
export const MIN_PART_SIZE_MB = 5;
/** S3's maximum number of parts in one upload. */
export const MAX_PARTS = 10_000;

export interface PlannedPart {
  /** 1-based, as S3 numbers parts. */
  partNumber: number;
  offset: number;
  size: number;
}

/** True when an object of `sizeBytes` should go up in parts (at or above the threshold). */
export function shouldUseMultipart(sizeBytes: number, thresholdMB: number): boolean {
  if (!(thresholdMB > 0)) throw new RangeError(`multipart threshold must be positive, got ${thresholdMB} MB`);
  return sizeBytes >= thresholdMB * MIB;
}

/** Cuts `sizeBytes` into parts of `partSizeMB` MiB numbered 1..N; only the last part may be smaller. */
export function planParts(sizeBytes: number, partSizeMB: number): PlannedPart[] {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0)
    throw new RangeError(`size must be a positive integer, got ${sizeBytes}`);
  if (!(partSizeMB >= MIN_PART_SIZE_MB))
    throw new RangeError(`part size must be at least ${MIN_PART_SIZE_MB} MiB, got ${partSizeMB}`);
  const partBytes = Math.floor(partSizeMB * MIB);
  const count = Math.ceil(sizeBytes / partBytes);
  if (count > MAX_PARTS)
    throw new RangeError(`${sizeBytes} bytes need ${count} parts of ${partSizeMB} MiB; S3 allows ${MAX_PARTS}`);
  return Array.from({ length: count }, (_, i) => ({
    partNumber: i + 1,
    offset: i * partBytes,
    size: Math.min(partBytes, sizeBytes - i * partBytes),
  }));
}

/**
 * Regroups a byte stream into chunks of exactly `partBytes` (the last one may be shorter), holding at most
 * one part in memory. Reading is driven by the consumer, so a slow upload applies back-pressure.
 */
export async function* partsOf(
  source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array>,
  partBytes: number,
): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of source) {
    let buf =
      typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (pendingBytes + buf.length >= partBytes) {
      const take = partBytes - pendingBytes;
      pending.push(buf.subarray(0, take));
      yield Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      buf = buf.subarray(take);
    }
    if (buf.length > 0) {
      pending.push(buf);
      pendingBytes += buf.length;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

export interface RetryOptions {
  /** Total tries, including the first. */
  attempts: number;
  /** Delay before the second try; doubles each time. */
  baseMs: number;
  /** Errors for which another try is pointless (default: retry everything). */
  shouldRetry?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Injected for tests; default Math.random. */
  random?: () => number;
  /** Injected for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Calls `fn` until it resolves or `attempts` tries failed, then rethrows the last error. Delays grow
 * exponentially with "equal jitter" (half fixed, half random) so parallel parts failing together do not
 * retry in lock-step against a struggling server.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { attempts, baseMs, shouldRetry = () => true, onRetry, random = Math.random } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new RangeError(`attempts must be a positive integer, got ${attempts}`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !shouldRetry(error)) throw error;
      const ceiling = baseMs * 2 ** (attempt - 1);
      const delayMs = Math.round(ceiling / 2 + random() * (ceiling / 2));
      onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
