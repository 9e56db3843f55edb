import { createMemoryPersistence } from '../../../adapters/memory/index.js';
import { MemoryCustomerInspectionHistory } from '../../../adapters/memory/memory-customer-history.js';
import { MemoryInspectionStats } from '../../../adapters/memory/memory-inspection-stats.js';
import { currentJobOrigin } from '../../../adapters/observability/job-context.js';
import { currentRequestMeta } from '../../../adapters/observability/request-context.js';
import { DatabaseHealthCheck } from '../../../adapters/postgres/database.js';
import { knexPorts, KnexUnitOfWork } from '../../../adapters/postgres/index.js';
import { KnexCustomerInspectionHistory } from '../../../adapters/postgres/knex-customer-history.js';
import { KnexInspectionStats } from '../../../adapters/postgres/knex-inspection-stats.js';
import type { JobBus } from '../../../adapters/queue/pg-boss-bus.js';
import { AuditLog } from '../../../ports/audit-log.js';
import { BranchCityRepository } from '../../../ports/branch-city-repository.js';
import { ChangeLogRepository } from '../../../ports/change-log-repository.js';
import { CustomerInspectionHistory } from '../../../ports/customer-history.js';
import { CustomerVehicleRepository } from '../../../ports/customer-vehicles.js';
import { InspectionRepository } from '../../../ports/inspection-repository.js';
import { InspectionStats } from '../../../ports/inspection-stats.js';
import { MintJobStore, UtxoLeases } from '../../../ports/mint-jobs.js';
import { PaymentRepository, ReportUnlocks } from '../../../ports/payments.js';
import { PendingDeletions } from '../../../ports/pending-deletions.js';
import { PhotoRepository } from '../../../ports/photo-repository.js';
import { InspectionReports, ReportJobStore } from '../../../ports/report-jobs.js';
import { SessionRepository } from '../../../ports/session-repository.js';
import { UnitOfWork, type TransactionalPorts } from '../../../ports/unit-of-work.js';
import { UserRepository } from '../../../ports/user-repository.js';
import { Tokens } from '../../tokens.js';
import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import type { Knex } from 'knex';

/** Binds every persistence port of one adapter family (knex or memory) to its token. */
function bindPersistence(
  bind: ContainerModuleLoadOptions['bind'],
  ports: TransactionalPorts,
  uow: UnitOfWork,
  stats: InspectionStats,
): void {
  bind<UserRepository>(UserRepository).toConstantValue(ports.users);
  bind<SessionRepository>(SessionRepository).toConstantValue(ports.sessions);
  bind<BranchCityRepository>(BranchCityRepository).toConstantValue(ports.branches);
  bind<AuditLog>(AuditLog).toConstantValue(ports.audit);
  bind<InspectionRepository>(InspectionRepository).toConstantValue(ports.inspections);
  bind<ChangeLogRepository>(ChangeLogRepository).toConstantValue(ports.changeLogs);
  bind<PhotoRepository>(PhotoRepository).toConstantValue(ports.photos);
  bind<PendingDeletions>(PendingDeletions).toConstantValue(ports.deletions);
  bind<ReportJobStore>(ReportJobStore).toConstantValue(ports.reportJobStore);
  bind<InspectionReports>(InspectionReports).toConstantValue(ports.reports);
  bind<MintJobStore>(MintJobStore).toConstantValue(ports.mintJobStore);
  bind<UtxoLeases>(UtxoLeases).toConstantValue(ports.utxoLeases);
  bind<UnitOfWork>(UnitOfWork).toConstantValue(uow);
  bind<InspectionStats>(InspectionStats).toConstantValue(stats);
  bind<PaymentRepository>(PaymentRepository).toConstantValue(ports.payments);
  bind<ReportUnlocks>(ReportUnlocks).toConstantValue(ports.reportUnlocks);
  bind<CustomerVehicleRepository>(CustomerVehicleRepository).toConstantValue(ports.customerVehicles);
}

/** PostgreSQL persistence through knex (jobs sent through `bus`, in the caller's transaction). */
export function postgresModule(knex: Knex, bus?: JobBus): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Tokens.Knex).toConstantValue(knex);
    const uow = new KnexUnitOfWork(knex, (db) => knexPorts(db, currentRequestMeta, bus, currentJobOrigin));
    bindPersistence(
      bind,
      knexPorts(knex, currentRequestMeta, bus, currentJobOrigin),
      uow,
      new KnexInspectionStats(knex),
    );
    bind<CustomerInspectionHistory>(CustomerInspectionHistory).toConstantValue(new KnexCustomerInspectionHistory(knex));
    bind(Tokens.HealthChecks).toConstantValue([new DatabaseHealthCheck(knex)]);
  });
}

/** In-memory persistence (unit-level API tests, experiments); same contract as postgresModule. */
export function memoryModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    const m = createMemoryPersistence(currentRequestMeta, currentJobOrigin);
    bindPersistence(bind, m, m.uow, new MemoryInspectionStats(m.store));
    bind<CustomerInspectionHistory>(CustomerInspectionHistory).toConstantValue(
      new MemoryCustomerInspectionHistory(m.store),
    );
    bind(Tokens.HealthChecks).toConstantValue([]);
  });
}
