import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';
import type { MemoryStore } from './memory-store.js';

/**
 * Runs one unit of work at a time (a promise-chain mutex) and restores a snapshot when the work throws,
 * which gives the atomicity and serialisation the knex adapter gets from PostgreSQL.
 */
export class MemoryUnitOfWork implements UnitOfWork {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: MemoryStore,
    private readonly ports: TransactionalPorts,
  ) {}

  run<T>(work: (tx: TransactionalPorts) => Promise<T>): Promise<T> {
    const result = this.tail.then(async () => {
      const before = this.store.snapshot();
      try {
        return await work(this.ports);
      } catch (e) {
        this.store.restore(before);
        throw e;
      }
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
