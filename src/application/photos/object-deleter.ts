import type { Clock } from '../../ports/clock.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { PendingDeletion, PendingDeletions } from '../../ports/pending-deletions.js';

export interface DeletionLogger {
  warn(message: string, meta: Record<string, unknown>): void;
}

/** Backoff of a failed deletion: 1 min, 2, 4 ... capped at 6 hours. */
export const retryDelayMs = (attempts: number): number => Math.min(6 * 3600_000, 60_000 * 2 ** Math.min(attempts, 12));

/** What one sweep did: deleted, and failed (retried later). Items of unconfigured drivers are logged. */
export interface SweepResult {
  deleted: number;
  failed: number;
}

/**
 * Deletes stored objects recorded as pending. A failure is logged and postponed, never thrown: the user's
 * request already succeeded, and the sweeper tries again later. Each item is deleted from the store of the
 * driver it was recorded with; during a storage switch that is the old store too (STORAGE_FALLBACK_DRIVER),
 * so photos deleted or replaced after the switch do not leave their old objects behind. Items of a driver
 * with no configured store stay queued untouched (their attempts do not grow) and are reported.
 */
export class ObjectDeleter {
  private readonly stores: ReadonlyMap<string, ObjectStorage>;
  /** The backlog last reported per unconfigured driver: a warning when it changes, not on every sweep. */
  private readonly reported = new Map<string, number>();

  constructor(
    stores: ObjectStorage | Readonly<Record<string, ObjectStorage>>,
    private readonly pending: PendingDeletions,
    private readonly clock: Clock,
    private readonly log: DeletionLogger,
    /** Queue drivers another sweeper owns (IPFS pin checks): never reported as unconfigured. */
    private readonly othersOwn: readonly string[] = [],
  ) {
    this.stores = new Map(
      'driver' in stores && typeof stores.driver === 'string'
        ? [[stores.driver, stores as ObjectStorage]]
        : Object.entries(stores as Record<string, ObjectStorage>),
    );
  }

  /** Tries every due deletion of the configured stores once; returns how many succeeded and failed. */
  async sweep(limit = 100): Promise<SweepResult> {
    const now = this.clock.now();
    let deleted = 0;
    let failed = 0;
    for (const [driver, store] of this.stores) {
      const due = await this.pending.due(now, limit, driver);
      for (const d of due) {
        if (await this.attempt(store, d)) deleted++;
        else failed++;
      }
    }
    await this.reportUnconfigured(now, limit);
    return { deleted, failed };
  }

  /** Due items of drivers no store is configured for (e.g. "fs" rows after the switch with the fallback off). */
  private async reportUnconfigured(now: Date, limit: number): Promise<number> {
    const stranded = (await this.pending.due(now, limit)).filter(
      (d) => !this.othersOwn.includes(d.driver) && !this.stores.has(d.driver),
    );
    const byDriver = new Map<string, PendingDeletion[]>();
    for (const d of stranded) byDriver.set(d.driver, [...(byDriver.get(d.driver) ?? []), d]);
    for (const driver of this.reported.keys()) if (!byDriver.has(driver)) this.reported.delete(driver);
    for (const [driver, items] of byDriver) {
      if (this.reported.get(driver) === items.length) continue;
      this.reported.set(driver, items.length);
      this.log.warn('object deletions wait for a store that is not configured', {
        driver,
        due: items.length,
        keys: items.slice(0, 5).map((d) => d.key),
        hint: `set STORAGE_FALLBACK_DRIVER=${driver} (or STORAGE_DRIVER) for the sweeper to delete them`,
      });
    }
    return stranded.length;
  }

  private async attempt(store: ObjectStorage, d: PendingDeletion): Promise<boolean> {
    try {
      await store.delete(d.key);
      await this.pending.done(d.id);
      return true;
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const next = new Date(this.clock.now().getTime() + retryDelayMs(d.attempts));
      this.log.warn('object deletion failed; will retry', {
        key: d.key,
        driver: d.driver,
        attempts: d.attempts + 1,
        error,
        nextAttemptAt: next.toISOString(),
      });
      await this.pending.failed(d.id, error, next);
      return false;
    }
  }
}
