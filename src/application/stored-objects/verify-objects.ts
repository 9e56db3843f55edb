import { isDomainError } from '../../domain/shared/domain-error.js';
import type { ContentDigest } from '../../ports/content-digest.js';
import type { ManifestEntry } from './manifest-format.js';
import type { StoreResolver } from './object-manifest.js';

/**
 * `ok`: there with the recorded size (and SHA-256 unless quick); `missing`: no object under the key;
 * `size-mismatch`/`corrupt`: other size / other bytes; `unverifiable`: no store for its driver here;
 * `error`: the store failed to answer (retry later).
 */
export type VerifyStatus = 'ok' | 'missing' | 'size-mismatch' | 'corrupt' | 'unverifiable' | 'error';

export interface VerifyResult {
  entry: ManifestEntry;
  status: VerifyStatus;
  /** What the store holds, when it was looked at. */
  actual?: { size: number; sha256?: string };
  /** The store's error (status `error`). */
  detail?: string;
}

export interface VerifySummary {
  total: number;
  ok: number;
  missing: number;
  sizeMismatch: number;
  corrupt: number;
  unverifiable: number;
  errors: number;
  /** Objects found right by size only: quick mode, or no SHA-256 known for them. */
  sizeOnly: number;
  /** Bytes downloaded and hashed. */
  bytesRead: number;
}

export interface VerifyOptions {
  /** Objects checked at once (at least 1). */
  concurrency: number;
  /** Size only (HEAD), nothing downloaded: finds missing and truncated objects, not same-size damage. */
  quick: boolean;
  /** Called once per object in completion order, with the tally so far. */
  onResult?(result: VerifyResult, soFar: VerifySummary): void | Promise<void>;
}

const TALLY: Record<VerifyStatus, keyof VerifySummary> = {
  ok: 'ok',
  missing: 'missing',
  'size-mismatch': 'sizeMismatch',
  corrupt: 'corrupt',
  unverifiable: 'unverifiable',
  error: 'errors',
};

/** True when the summary found an object missing or damaged, or could not read one. */
export const foundProblems = (s: VerifySummary): boolean => s.missing + s.sizeMismatch + s.corrupt + s.errors > 0;

/**
 * `storage:verify`: compares objects (from a manifest, or as the database records them) with their stores.
 * Read-only: nothing is repaired or recorded.
 */
export class VerifyObjects {
  constructor(
    private readonly storeFor: StoreResolver,
    private readonly digest: ContentDigest,
  ) {}

  async run(entries: AsyncIterable<ManifestEntry>, o: VerifyOptions): Promise<VerifySummary> {
    const s: VerifySummary = {
      total: 0,
      ok: 0,
      missing: 0,
      sizeMismatch: 0,
      corrupt: 0,
      unverifiable: 0,
      errors: 0,
      sizeOnly: 0,
      bytesRead: 0,
    };
    const it = entries[Symbol.asyncIterator]();
    // Workers share one iterator: each pulls the next entry when it is free.
    const worker = async () => {
      for (let n = await it.next(); !n.done; n = await it.next()) {
        const r = await this.check(n.value, o.quick);
        s.total++;
        s[TALLY[r.status]]++;
        if (r.status === 'ok' && r.actual?.sha256 === undefined) s.sizeOnly++;
        if (r.actual?.sha256 !== undefined) s.bytesRead += r.actual.size;
        await o.onResult?.(r, { ...s });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
    return s;
  }

  /** One object against its store. */
  async check(entry: ManifestEntry, quick: boolean): Promise<VerifyResult> {
    const store = this.storeFor(entry.driver);
    if (!store) return { entry, status: 'unverifiable' };
    try {
      const head = await store.head(entry.key);
      if (!head) return { entry, status: 'missing' };
      if (entry.size !== null && head.size !== entry.size)
        return { entry, status: 'size-mismatch', actual: { size: head.size } };
      if (quick || entry.sha256 === null) return { entry, status: 'ok', actual: { size: head.size } };
      const read = await this.digest.sha256(await store.get(entry.key));
      if (entry.size !== null && read.size !== entry.size) return { entry, status: 'size-mismatch', actual: read };
      return { entry, status: read.sha256 === entry.sha256 ? 'ok' : 'corrupt', actual: read };
    } catch (e) {
      // Deleted between HEAD and GET.
      if (isDomainError(e) && e.code === 'STORAGE.NOT_FOUND') return { entry, status: 'missing' };
      return { entry, status: 'error', detail: e instanceof Error ? e.message : String(e) };
    }
  }
}
