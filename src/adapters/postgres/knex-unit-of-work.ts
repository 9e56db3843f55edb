import type { Knex } from 'knex';
import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';
import { translateUnexpected } from './pg-errors.js';

/** Gives a use case repositories bound to one PostgreSQL transaction. */
export class KnexUnitOfWork implements UnitOfWork {
  constructor(
    private readonly knex: Knex,
    private readonly portsFor: (db: Knex | Knex.Transaction) => TransactionalPorts,
  ) {}

  /** A foreign-key violation or NUL character nobody translated becomes a 4xx-kind DomainError (see pg-errors). */
  async run<T>(work: (tx: TransactionalPorts) => Promise<T>): Promise<T> {
    try {
      return await this.knex.transaction((trx) => work(this.portsFor(trx)));
    } catch (e) {
      throw translateUnexpected(e);
    }
  }
}
