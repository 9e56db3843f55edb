import type { Knex } from 'knex';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import { KnexAuditLog, type RequestMetaSource } from './knex-audit-log.js';
import { KnexBranchCityRepository } from './knex-branch-city-repository.js';
import { KnexSessionRepository } from './knex-session-repository.js';
import { KnexUnitOfWork } from './knex-unit-of-work.js';
import { KnexUserRepository } from './knex-user-repository.js';
import { KnexInspectionRepository } from './knex-inspection-repository.js';
import { KnexChangeLogRepository } from './knex-change-log-repository.js';
import { KnexPendingDeletions } from './knex-pending-deletions.js';
import { KnexPhotoRepository } from './knex-photo-repository.js';
import { KnexInspectionReports } from './knex-inspection-reports.js';
import { KnexReportJobQueue } from './knex-report-job-queue.js';
import { KnexReportJobStore } from './knex-report-job-store.js';
import { KnexMintQueue } from './knex-mint-queue.js';
import { KnexMintJobStore } from './knex-mint-job-store.js';
import { KnexUtxoLeases } from './knex-utxo-leases.js';
import { KnexClassPriceRepository } from './knex-class-price-repository.js';
import { KnexCustomerVehicleRepository } from './knex-customer-vehicle-repository.js';
import { KnexInspectionRequestRepository } from './knex-inspection-requests.js';
import { KnexPaymentRepository } from './knex-payment-repository.js';
import { KnexReportUnlocks } from './knex-report-unlocks.js';
import { KnexStoredObjects } from './knex-stored-objects.js';
import type { JobBus } from '../queue/pg-boss-bus.js';
import type { WorkOriginSource } from '../../domain/shared/work-origin.js';

export {
  KnexAuditLog,
  KnexBranchCityRepository,
  KnexSessionRepository,
  KnexUnitOfWork,
  KnexUserRepository,
  KnexInspectionRepository,
  KnexChangeLogRepository,
  KnexPhotoRepository,
  KnexPendingDeletions,
  KnexReportJobQueue,
  KnexMintQueue,
  KnexMintJobStore,
  KnexUtxoLeases,
  KnexStoredObjects,
};

/**
 * The knex-backed persistence ports for a connection or a transaction. `origin` is read when a mint job is
 * created (none by default).
 */
export function knexPorts(
  db: Knex | Knex.Transaction,
  meta: RequestMetaSource,
  bus?: JobBus,
  origin?: WorkOriginSource,
): TransactionalPorts {
  return {
    users: new KnexUserRepository(db),
    sessions: new KnexSessionRepository(db),
    branches: new KnexBranchCityRepository(db),
    audit: new KnexAuditLog(db, meta),
    inspections: new KnexInspectionRepository(db),
    changeLogs: new KnexChangeLogRepository(db),
    photos: new KnexPhotoRepository(db),
    deletions: new KnexPendingDeletions(db),
    reportJobs: new KnexReportJobQueue(db, bus),
    reportJobStore: new KnexReportJobStore(db),
    reports: new KnexInspectionReports(db),
    mintJobs: new KnexMintQueue(db, bus, origin),
    mintJobStore: new KnexMintJobStore(db),
    utxoLeases: new KnexUtxoLeases(db),
    customerVehicles: new KnexCustomerVehicleRepository(db),
    classPrices: new KnexClassPriceRepository(db),
    inspectionRequests: new KnexInspectionRequestRepository(db),
    payments: new KnexPaymentRepository(db),
    reportUnlocks: new KnexReportUnlocks(db),
  };
}

export function createKnexPersistence(
  knex: Knex,
  meta: RequestMetaSource,
  bus?: JobBus,
  origin?: WorkOriginSource,
): TransactionalPorts & { uow: KnexUnitOfWork } {
  return {
    ...knexPorts(knex, meta, bus, origin),
    uow: new KnexUnitOfWork(knex, (db) => knexPorts(db, meta, bus, origin)),
  };
}
