import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import { MemoryAuditLog, type RequestMetaSource } from './memory-audit-log.js';
import { MemoryBranchCityRepository } from './memory-branch-city-repository.js';
import { MemorySessionRepository } from './memory-session-repository.js';
import { MemoryStore } from './memory-store.js';
import { MemoryUnitOfWork } from './memory-unit-of-work.js';
import { MemoryUserRepository } from './memory-user-repository.js';
import { MemoryChangeLogRepository } from './memory-change-log-repository.js';
import { MemoryInspectionRepository } from './memory-inspection-repository.js';
import { MemoryPendingDeletions } from './memory-pending-deletions.js';
import { MemoryPhotoRepository } from './memory-photo-repository.js';
import { MemoryInspectionReports } from './memory-inspection-reports.js';
import { MemoryReportJobQueue } from './memory-report-job-queue.js';
import { MemoryReportJobStore } from './memory-report-job-store.js';
import { MemoryMintQueue } from './memory-mint-queue.js';
import { MemoryMintJobStore } from './memory-mint-job-store.js';
import { MemoryUtxoLeases } from './memory-utxo-leases.js';
import { MemoryClassPriceRepository } from './memory-class-price-repository.js';
import { MemoryCustomerVehicleRepository } from './memory-customer-vehicle-repository.js';
import { MemoryInspectionRequestRepository } from './memory-inspection-requests.js';
import { MemoryPaymentRepository } from './memory-payment-repository.js';
import { MemoryReportUnlocks } from './memory-report-unlocks.js';
import type { WorkOriginSource } from '../../domain/shared/work-origin.js';

export {
  MemoryStore,
  MemoryAuditLog,
  MemoryBranchCityRepository,
  MemorySessionRepository,
  MemoryUnitOfWork,
  MemoryUserRepository,
};

/** A complete set of in-memory persistence adapters sharing one store (`origin` as for knexPorts). */
export function createMemoryPersistence(
  meta?: RequestMetaSource,
  origin?: WorkOriginSource,
): TransactionalPorts & { uow: MemoryUnitOfWork; store: MemoryStore } {
  const store = new MemoryStore();
  const ports: TransactionalPorts = {
    users: new MemoryUserRepository(store),
    sessions: new MemorySessionRepository(store),
    branches: new MemoryBranchCityRepository(store),
    audit: new MemoryAuditLog(store, meta),
    inspections: new MemoryInspectionRepository(store),
    changeLogs: new MemoryChangeLogRepository(store),
    photos: new MemoryPhotoRepository(store),
    deletions: new MemoryPendingDeletions(store),
    reportJobs: new MemoryReportJobQueue(store),
    reportJobStore: new MemoryReportJobStore(store),
    reports: new MemoryInspectionReports(store),
    mintJobs: new MemoryMintQueue(store, origin),
    mintJobStore: new MemoryMintJobStore(store),
    utxoLeases: new MemoryUtxoLeases(store),
    customerVehicles: new MemoryCustomerVehicleRepository(store),
    classPrices: new MemoryClassPriceRepository(store),
    inspectionRequests: new MemoryInspectionRequestRepository(store),
    payments: new MemoryPaymentRepository(store),
    reportUnlocks: new MemoryReportUnlocks(store),
  };
  return { ...ports, uow: new MemoryUnitOfWork(store, ports), store };
}
