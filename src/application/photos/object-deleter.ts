import type { Clock } from '../../ports/clock.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { PendingDeletion, PendingDeletions } from '../../ports/pending-deletions.js';

export interface DeletionLogger {
  warn(message: string, meta: Record<string, unknown>): void;
}

/** Backoff of a failed deletion: 1 min, 2, 4 ... capped at 6 hours. */
export const retryDelayMs = (attempts: number): number => Math.min(6 * 3600_000, 60_000 * 2 ** Math.min(attempts, 12));

/**
 * Deletes stored objects recorded as pending. A failure is logged and postponed, never thrown: the user's
 * request already succeeded, and the sweeper tries again later.
 */
export class ObjectDeleter {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly pending: PendingDeletions,
    private readonly clock: Clock,
    private readonly log: DeletionLogger,
  ) {}

  /** Tries every due deletion of this store once; returns how many succeeded and failed. */
  async sweep(limit = 100): Promise<{ deleted: number; failed: number }> {
    const due = await this.pending.due(this.clock.now(), limit, this.storage.driver);
    let deleted = 0;
    for (const d of due) if (await this.attempt(d)) deleted++;
    return { deleted, failed: due.length - deleted };
  }

  private async attempt(d: PendingDeletion): Promise<boolean> {
    try {
      await this.storage.delete(d.key);
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
