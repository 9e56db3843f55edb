import { randomUUID } from 'node:crypto';
import type { PendingDeletion, PendingDeletions } from '../../ports/pending-deletions.js';
import type { MemoryStore } from './memory-store.js';

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryPendingDeletions implements PendingDeletions {
  constructor(private readonly store: MemoryStore) {}

  async enqueue(items: Array<{ driver: string; key: string }>, now: Date): Promise<void> {
    for (const i of items) {
      const id = randomUUID();
      this.store.state.deletions.set(id, {
        id,
        driver: i.driver,
        key: i.key,
        attempts: 0,
        lastError: null,
        nextAttemptAt: now,
      });
    }
  }

  async due(now: Date, limit: number, driver?: string): Promise<PendingDeletion[]> {
    return [...this.store.state.deletions.values()]
      .filter((d) => d.nextAttemptAt <= now && (driver === undefined || d.driver === driver))
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
      .slice(0, limit)
      .map(clone);
  }

  async done(id: string): Promise<void> {
    this.store.state.deletions.delete(id);
  }

  async failed(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    const d = this.store.state.deletions.get(id);
    if (d)
      this.store.state.deletions.set(id, {
        ...d,
        attempts: d.attempts + 1,
        lastError: error.slice(0, 1000),
        nextAttemptAt,
      });
  }

  async count(): Promise<number> {
    return this.store.state.deletions.size;
  }
}
