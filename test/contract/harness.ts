import type { TransactionalPorts, UnitOfWork } from '../../src/ports/unit-of-work.js';

/** What a persistence contract suite needs from an adapter family. */
export interface PersistenceUnderTest {
  name: string;
  /** Fresh, empty ports (called before each test). */
  create(): Promise<TransactionalPorts & { uow: UnitOfWork }>;
  /** Release resources (after all tests). */
  close?(): Promise<void>;
}
