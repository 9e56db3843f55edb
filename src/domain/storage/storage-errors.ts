import { DomainError } from '../shared/domain-error.js';

/** Errors every ObjectStorage adapter translates its driver's failures into. */
export const StorageErrors = {
  notFound: (key: string) => new DomainError('STORAGE.NOT_FOUND', 'not_found', `No stored object ${key}.`),
  invalidKey: (key: string) =>
    new DomainError('STORAGE.INVALID_KEY', 'validation', `Not a valid object key: ${JSON.stringify(key)}.`),
  /** The store did not answer or failed; retrying later may succeed. */
  unavailable: (detail: string) =>
    new DomainError('STORAGE.UNAVAILABLE', 'unavailable', `Object storage is unavailable: ${detail}`),
};

/**
 * Keys are relative, slash-separated paths of safe characters, never "..", never absolute. Every adapter
 * refuses anything else with STORAGE.INVALID_KEY (the filesystem adapter must never escape its root).
 */
export function isValidObjectKey(key: string): boolean {
  return (
    key.length > 0 &&
    key.length <= 512 &&
    /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(key) &&
    !key.split('/').some((s) => s === '.' || s === '..')
  );
}
