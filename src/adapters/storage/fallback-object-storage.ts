import type { Readable } from 'node:stream';
import { isDomainError } from '../../domain/shared/domain-error.js';
import type { ObjectStorage, PutObjectOptions, StoredObjectInfo } from '../../ports/object-storage.js';

/** A read the primary could not answer and the old store did. */
export type FallbackRead = 'get' | 'head' | 'signed_url';

const isNotFound = (e: unknown) => isDomainError(e) && e.code === 'STORAGE.NOT_FOUND';

/**
 * The store during a storage switch (STORAGE_FALLBACK_DRIVER): the new store (`primary`) in front of the old
 * one (`fallback`), so objects not yet migrated stay reachable. Its driver is the primary's.
 * - put writes to the primary only;
 * - get and head ask the primary first and the old store for an object the primary does not have;
 * - signedGetUrl signs with the store that holds the object (the primary when neither does, or when the
 *   primary cannot be asked: a URL is never refused for that);
 * - delete removes the key from both stores (a migrated object has the same key on both; missing is fine);
 * - list merges both listings in key order, the primary's entry winning for a key on both, so a listing
 *   shows every object a read would find.
 * Every read answered by the old store is reported to `onFallbackRead`: once it stays at zero, the migration
 * is complete and the fallback can be switched off.
 */
export class FallbackObjectStorage implements ObjectStorage {
  readonly driver: string;

  constructor(
    readonly primary: ObjectStorage,
    readonly fallback: ObjectStorage,
    private readonly onFallbackRead: (operation: FallbackRead) => void = () => undefined,
  ) {
    if (primary.driver === fallback.driver) throw new RangeError('the fallback store must differ from the primary');
    this.driver = primary.driver;
  }

  put(key: string, body: Buffer | Readable, options: PutObjectOptions): Promise<StoredObjectInfo> {
    return this.primary.put(key, body, options);
  }

  async get(key: string): Promise<Readable> {
    try {
      return await this.primary.get(key);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const body = await this.fallback.get(key);
    this.onFallbackRead('get');
    return body;
  }

  async head(key: string): Promise<StoredObjectInfo | null> {
    const info = await this.primary.head(key);
    if (info) return info;
    const old = await this.fallback.head(key);
    if (old) this.onFallbackRead('head');
    return old;
  }

  async delete(key: string): Promise<void> {
    await Promise.all([this.primary.delete(key), this.fallback.delete(key)]);
  }

  async signedGetUrl(key: string, expiresInSeconds: number, options?: { downloadName?: string }): Promise<string> {
    const onPrimary = await this.primary.head(key).then(
      (info) => info !== null,
      (e: unknown) => {
        if (isDomainError(e) && e.code === 'STORAGE.INVALID_KEY') throw e;
        return true;
      },
    );
    if (!onPrimary && (await this.fallback.head(key).catch(() => null))) {
      this.onFallbackRead('signed_url');
      return this.fallback.signedGetUrl(key, expiresInSeconds, options);
    }
    return this.primary.signedGetUrl(key, expiresInSeconds, options);
  }

  async list(prefix: string): Promise<StoredObjectInfo[]> {
    const [primary, old] = await Promise.all([this.primary.list(prefix), this.fallback.list(prefix)]);
    const byKey = new Map(old.map((o) => [o.key, o]));
    for (const o of primary) byKey.set(o.key, o);
    return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
