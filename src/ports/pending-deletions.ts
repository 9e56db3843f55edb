export interface PendingDeletion {
  id: string;
  driver: string;
  key: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date;
}

/**
 * Objects whose deletion failed (or must wait for a commit). A sweeper retries them with backoff, so a
 * storage hiccup never fails a user's request and never leaks an object forever.
 */
export interface PendingDeletions {
  enqueue(items: Array<{ driver: string; key: string }>, now: Date): Promise<void>;
  /** Due items (nextAttemptAt <= now), oldest first. */
  due(now: Date, limit: number): Promise<PendingDeletion[]>;
  done(id: string): Promise<void>;
  failed(id: string, error: string, nextAttemptAt: Date): Promise<void>;
  count(): Promise<number>;
}

export const PendingDeletions = Symbol('PendingDeletions');
