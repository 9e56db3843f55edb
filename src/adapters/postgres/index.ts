import type { Knex } from 'knex';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import { KnexAuditLog, type RequestMetaSource } from './knex-audit-log.js';
import { KnexBranchCityRepository } from './knex-branch-city-repository.js';
import { KnexSessionRepository } from './knex-session-repository.js';
import { KnexUnitOfWork } from './knex-unit-of-work.js';
import { KnexUserRepository } from './knex-user-repository.js';

export { KnexAuditLog, KnexBranchCityRepository, KnexSessionRepository, KnexUnitOfWork, KnexUserRepository };

/** The knex-backed persistence ports for a connection or a transaction. */
export function knexPorts(db: Knex | Knex.Transaction, meta: RequestMetaSource): TransactionalPorts {
  return {
    users: new KnexUserRepository(db),
    sessions: new KnexSessionRepository(db),
    branches: new KnexBranchCityRepository(db),
    audit: new KnexAuditLog(db, meta),
  };
}

export function createKnexPersistence(knex: Knex, meta: RequestMetaSource): TransactionalPorts & { uow: KnexUnitOfWork } {
  return { ...knexPorts(knex, meta), uow: new KnexUnitOfWork(knex, (db) => knexPorts(db, meta)) };
}
