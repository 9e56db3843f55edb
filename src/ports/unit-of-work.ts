import type { AuditLog } from './audit-log.js';
import type { BranchCityRepository } from './branch-city-repository.js';
import type { SessionRepository } from './session-repository.js';
import type { UserRepository } from './user-repository.js';
import type { ChangeLogRepository } from './change-log-repository.js';
import type { InspectionRepository } from './inspection-repository.js';
import type { PendingDeletions } from './pending-deletions.js';
import type { PhotoRepository } from './photo-repository.js';
import type { ReportJobQueue } from './report-job-queue.js';
import type { InspectionReports, ReportJobStore } from './report-jobs.js';
import type { MintJobStore, MintQueue, UtxoLeases } from './mint-jobs.js';
import type { ClassPriceRepository, CustomerVehicleRepository } from './customer-vehicles.js';
import type { InspectionRequestRepository } from './inspection-requests.js';
import type { PaymentRepository, ReportUnlocks } from './payments.js';

/** The repositories a use case may touch inside one transaction. */
export interface TransactionalPorts {
  users: UserRepository;
  sessions: SessionRepository;
  branches: BranchCityRepository;
  audit: AuditLog;
  inspections: InspectionRepository;
  changeLogs: ChangeLogRepository;
  photos: PhotoRepository;
  deletions: PendingDeletions;
  reportJobs: ReportJobQueue;
  reportJobStore: ReportJobStore;
  reports: InspectionReports;
  mintJobs: MintQueue;
  mintJobStore: MintJobStore;
  utxoLeases: UtxoLeases;
  customerVehicles: CustomerVehicleRepository;
  classPrices: ClassPriceRepository;
  inspectionRequests: InspectionRequestRepository;
  payments: PaymentRepository;
  reportUnlocks: ReportUnlocks;
}

export interface UnitOfWork {
  /**
   * Runs `work` in one transaction: everything it wrote commits when it resolves and rolls back when it
   * throws (the error is rethrown unchanged). Never call another unit of work from inside `work`.
   */
  run<T>(work: (tx: TransactionalPorts) => Promise<T>): Promise<T>;
}

export const UnitOfWork = Symbol('UnitOfWork');
