import type { UtxoLeases } from '../../ports/mint-jobs.js';
import type { MemoryStore } from './memory-store.js';

export class MemoryUtxoLeases implements UtxoLeases {
  constructor(private readonly store: MemoryStore) {}

  async lease(refs: string[], jobId: string, until: Date, now: Date, max: number): Promise<string[]> {
    const locks = this.store.state.utxoLocks;
    const got: string[] = [];
    for (const ref of refs) {
      if (got.length >= max) break;
      if (got.includes(ref)) continue;
      const held = locks.get(ref);
      if (held && held.until.getTime() > now.getTime() && held.jobId !== jobId) continue;
      locks.set(ref, { jobId, until: new Date(until.getTime()) });
      got.push(ref);
    }
    return got;
  }

  async release(jobId: string, refs?: string[]): Promise<void> {
    const locks = this.store.state.utxoLocks;
    for (const [ref, held] of locks) if (held.jobId === jobId && (!refs || refs.includes(ref))) locks.delete(ref);
  }

  async leased(now: Date): Promise<Set<string>> {
    return new Set(
      [...this.store.state.utxoLocks].filter(([, held]) => held.until.getTime() > now.getTime()).map(([ref]) => ref),
    );
  }
}
