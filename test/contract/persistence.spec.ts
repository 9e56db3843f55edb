import type { Knex } from 'knex';
import { createMemoryPersistence } from '../../src/adapters/memory/index.js';
import { createKnexPersistence } from '../../src/adapters/postgres/index.js';
import { testKnex, truncateAll } from '../support/db.js';
import type { PersistenceUnderTest } from './harness.js';
import { inspectionPortsContract } from './inspection-ports.contract.js';
import { inspectionStatsContract } from './inspection-stats.contract.js';
import { MemoryInspectionStats } from '../../src/adapters/memory/memory-inspection-stats.js';
import { KnexInspectionStats } from '../../src/adapters/postgres/knex-inspection-stats.js';
import { miscPortsContract } from './misc-ports.contract.js';
import { mintJobsContract } from './mint-jobs.contract.js';
import { inspectionRequestsContract } from './inspection-requests.contract.js';
import { paymentsContract } from './payments.contract.js';
import { reportJobsContract } from './report-jobs.contract.js';
import { sessionRepositoryContract } from './session-repository.contract.js';
import { userRepositoryContract } from './user-repository.contract.js';
import { customerVehiclesContract } from './customer-vehicles.contract.js';

const memory: PersistenceUnderTest = {
  name: 'memory',
  create: async () => createMemoryPersistence(),
};

let knex: Knex | undefined;
const postgres: PersistenceUnderTest = {
  name: 'knex + PostgreSQL',
  create: async () => {
    knex ??= testKnex();
    await truncateAll(knex);
    return createKnexPersistence(knex, () => ({ requestId: 'contract', ip: '127.0.0.1' }));
  },
};

after(async () => {
  await knex?.destroy();
});

for (const subject of [memory, postgres]) {
  userRepositoryContract(subject);
  sessionRepositoryContract(subject);
  miscPortsContract(subject);
  inspectionPortsContract(subject);
  reportJobsContract(subject);
  mintJobsContract(subject);
  inspectionRequestsContract(subject);
  paymentsContract(subject);
  customerVehiclesContract(subject);
}

inspectionStatsContract('memory', async () => {
  const m = createMemoryPersistence();
  return { ports: m, stats: new MemoryInspectionStats(m.store) };
});

inspectionStatsContract('knex + PostgreSQL', async () => {
  knex ??= testKnex();
  await truncateAll(knex);
  return {
    ports: createKnexPersistence(knex, () => ({ requestId: null, ip: null })),
    stats: new KnexInspectionStats(knex),
  };
});
