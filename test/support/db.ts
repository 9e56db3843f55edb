import type { Knex } from 'knex';
import { createKnex } from '../../src/adapters/postgres/database.js';

/** A pool on the run's test database (see root-hooks.ts). Destroy it in `after`. */
export function testKnex(poolMax = 5): Knex {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error('TEST_DATABASE_URL is not set: run the tests through mocha (root hooks start the database)');
  return createKnex({ url, poolMax, statementTimeoutMs: 30000 });
}

/** Empties every application table. */
export async function truncateAll(knex: Knex): Promise<void> {
  await knex.raw(
    'TRUNCATE report_unlocks, credit_ledger, credit_accounts, payment_events, payments, credit_packages, customer_request_photos, customer_request_status_history, customer_inspection_requests, vehicle_class_prices, customer_vehicle_photos, customer_vehicles, utxo_locks, mint_jobs, inspection_reports, pdf_jobs, object_deletions, inspection_photos, inspection_change_logs, inspection_status_history, inspections, inspection_sequences, refresh_tokens, auth_sessions, users, branch_cities, audit_logs RESTART IDENTITY CASCADE',
  );
}

/**
 * Per-suite database fixture: a pool opened before the suite and closed after it, every table emptied
 * before each test (registered first, so it runs before the suite's own beforeEach).
 */
export function useTestDatabase(set: (knex: Knex) => void, poolMax = 5): void {
  let knex: Knex;
  before(() => {
    knex = testKnex(poolMax);
    set(knex);
  });
  after(() => knex.destroy());
  beforeEach(() => truncateAll(knex));
}
