import type { Knex } from 'knex';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import { KnexAuditLog, type RequestMetaSource } from './knex-audit-log.js';
import { KnexBranchCityRepository } from './knex-branch-city-repository.js';
import { KnexSessionRepository } from './knex-session-repository.js';
import { KnexUnitOfWork } from './knex-unit-of-work.js';
import { KnexUserRepository } from './knex-user-repository.js';
import { KnexInspectionRepository } from './knex-inspection-repository.js';
import { KnexChangeLogRepository, KnexPendingDeletions, KnexPhotoRepository, KnexReportJobQueue } from './knex-inspection-parts.js';

export { KnexAuditLog, KnexBranchCityRepository, KnexSessionRepository, KnexUnitOfWork, KnexUserRepository, KnexInspectionRepository, KnexChangeLogRepository, KnexPhotoRepository, KnexPendingDeletions, KnexReportJobQueue };

/** The knex-backed persistence ports for a connection or a transaction. */
export function knexPorts(db: Knex | Knex.Transaction, meta: RequestMetaSource): TransactionalPorts {
  return {
    users: new KnexUserRepository(db),
    sessions: new KnexSessionRepository(db),
    branches: new KnexBranchCityRepository(db),
    audit: new KnexAuditLog(db, meta),
    inspections: new KnexInspectionRepository(db),
    changeLogs: new KnexChangeLogRepository(db),
    photos: new KnexPhotoRepository(db),
    deletions: new KnexPendingDeletions(db),
    reportJobs: new KnexReportJobQueue(db),
  };
}

export function createKnexPersistence(knex: Knex, meta: RequestMetaSource): TransactionalPorts & { uow: KnexUnitOfWork } {
  return { ...knexPorts(knex, meta), uow: new KnexUnitOfWork(knex, (db) => knexPorts(db, meta)) };
}
