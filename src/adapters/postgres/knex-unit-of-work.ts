import type { Knex } from 'knex';
import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';

/** Gives a use case repositories bound to one PostgreSQL transaction. */
export class KnexUnitOfWork implements UnitOfWork {
  constructor(
    private readonly knex: Knex,
    private readonly portsFor: (db: Knex | Knex.Transaction) => TransactionalPorts,
  ) {}

  run<T>(work: (tx: TransactionalPorts) => Promise<T>): Promise<T> {
    return this.knex.transaction((trx) => work(this.portsFor(trx)));
  }
}
