import type { ContentDigest } from '../../ports/content-digest.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import {
  STORED_RECORD_KINDS,
  type StoredObjectRef,
  type StoredObjects,
  type StoredRecord,
} from '../../ports/stored-objects.js';
import type { ManifestEntry } from './manifest-format.js';

/** The store of a driver, or null when it is not available here (its objects are then unverifiable). */
export type StoreResolver = (driver: string) => ObjectStorage | null;

const PAGE = 500;

const entryOf = (r: StoredRecord, o: StoredObjectRef): ManifestEntry => ({
  kind: o.role === 'rendition' ? 'rendition' : r.kind,
  id: r.id,
  driver: r.driver,
  key: o.key,
  size: o.size,
  sha256: o.sha256,
  contentType: o.contentType,
});

/**
 * Every object the database references as recorded there, kind by kind in id order, read in pages. What
 * `storage:verify` checks when it is given no manifest.
 */
export async function* databaseEntries(catalog: StoredObjects, pageSize = PAGE): AsyncGenerator<ManifestEntry> {
  for (const kind of STORED_RECORD_KINDS) {
    let after: string | null = null;
    for (;;) {
      const page: StoredRecord[] = await catalog.list(kind, after, pageSize);
      for (const r of page) for (const o of r.objects) yield entryOf(r, o);
      if (page.length < pageSize) break;
      after = page[page.length - 1]?.id ?? null;
    }
  }
}

/** What writing a manifest did besides listing: renditions hashed now, entries no store could check. */
export interface ManifestStats {
  /** Renditions without a recorded hash that were read, hashed and recorded. */
  hashedNow: number;
  /** Renditions without a recorded hash that could not be hashed (missing, wrong size, store failing). */
  unhashed: number;
  /** Entries on a driver with no store here: listed with the database's values. */
  unverifiable: number;
}

/**
 * The object manifest of a backup: every object the database references with its key, size and SHA-256.
 * Renditions made before their hash was kept are read and hashed once, and the hash recorded, so the
 * next manifest and `storage:verify` check them like everything else; a rendition is only hashed when
 * its size is the recorded one (a hash of a damaged object would bless it).
 */
export class ObjectManifest {
  readonly stats: ManifestStats = { hashedNow: 0, unhashed: 0, unverifiable: 0 };

  constructor(
    private readonly catalog: StoredObjects,
    private readonly storeFor: StoreResolver,
    private readonly digest: ContentDigest,
  ) {}

  /** The entries, in the order of `databaseEntries`; `stats` is complete once they are consumed. */
  async *entries(): AsyncGenerator<ManifestEntry> {
    for await (const e of databaseEntries(this.catalog)) yield await this.complete(e);
  }

  private async complete(e: ManifestEntry): Promise<ManifestEntry> {
    const store = this.storeFor(e.driver);
    if (!store) {
      this.stats.unverifiable++;
      return e;
    }
    if (e.kind !== 'rendition' || e.sha256 !== null) return e;
    // Missing or unreadable: listed without a hash; storage:verify reports what is wrong with it.
    const read = await store
      .get(e.key)
      .then((body) => this.digest.sha256(body))
      .catch(() => null);
    if (!read || (e.size !== null && read.size !== e.size)) {
      this.stats.unhashed++;
      return e;
    }
    await this.catalog.recordRenditionHash(e.id, e.key, read.sha256);
    this.stats.hashedNow++;
    return { ...e, size: read.size, sha256: read.sha256 };
  }
}
