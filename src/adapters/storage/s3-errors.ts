import { StorageErrors } from '../../domain/storage/storage-errors.js';

// Errors where another try cannot help; anything else with a code (network, 5xx, SlowDown) is retried.
const PERMANENT = new Set([
  'NoSuchUpload',
  'NoSuchBucket',
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidArgument',
  'EntityTooLarge',
  'InvalidDigest',
]);

/** The S3 error code (or Node network error code) of a failure; undefined for programming errors. */
export const codeOf = (e: unknown): string | undefined =>
  typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : undefined;

/** Whether the failure says the object is not there. */
export const isMissingObject = (e: unknown): boolean => ['NoSuchKey', 'NotFound'].includes(codeOf(e) ?? '');

/** Whether another try may succeed: a failure with a code that is not a permanent one. */
export const isRetryable = (e: unknown): boolean => codeOf(e) !== undefined && !PERMANENT.has(codeOf(e) as string);

/** A failure as log fields. */
export const summarise = (e: unknown): { code: string | undefined; message: string } => ({
  code: codeOf(e),
  message: e instanceof Error ? e.message : String(e),
});

/** Driver failures (S3 error codes, network errors) become STORAGE.UNAVAILABLE; programming errors pass through. */
export function translateS3Error(e: unknown, what: string): unknown {
  const code = codeOf(e);
  return code === undefined ? e : StorageErrors.unavailable(`${what}: ${code}`);
}
