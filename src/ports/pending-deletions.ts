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
 * storage hiccup never fails a user's request and never leaks an object forever. The same queue carries
 * IPFS pin checks (driver "ipfs-pin", key a CID; see PublicArchive).
 */
export interface PendingDeletions {
  /** Queues objects for deletion, due at once (an empty list is a no-op). */
  enqueue(items: Array<{ driver: string; key: string }>, now: Date): Promise<void>;
  /** Due items (nextAttemptAt <= now), oldest first; only those of `driver` when given (each sweeper takes its own). */
  due(now: Date, limit: number, driver?: string): Promise<PendingDeletion[]>;
  /** Forgets an item once its object is gone. */
  done(id: string): Promise<void>;
  /** Counts a failed attempt, keeps its error and schedules the next try. */
  failed(id: string, error: string, nextAttemptAt: Date): Promise<void>;
  /** Items still waiting, due or not (a backlog gauge). */
  count(): Promise<number>;
}

export const PendingDeletions = Symbol('PendingDeletions');
