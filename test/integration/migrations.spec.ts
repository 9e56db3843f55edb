import { expect } from 'chai';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { createKnex, dropDatabase, ensureDatabase, withDatabase } from '../../src/adapters/postgres/database.js';
import { migrateLatest, migrateRollbackAll, migrationStatus } from '../../src/adapters/postgres/migrator.js';
import { migrations } from '../../migrations/index.js';

describe('migrations (real PostgreSQL)', () => {
  const adminUrl = () => process.env.TEST_DATABASE_URL as string;
  const name = `cardano_mig_${process.pid}`;
  let knex: Knex;

  before(async () => {
    await ensureDatabase(adminUrl(), name);
    knex = createKnex({ url: withDatabase(adminUrl(), name), poolMax: 2, statementTimeoutMs: 10000 });
  });

  after(async () => {
    await knex.destroy();
    await dropDatabase(adminUrl(), name);
  });

  it('applies every migration, rolls all back, and applies them again', async () => {
    expect(await migrateLatest(knex)).to.deep.equal(migrations.map(([n]) => n));
    expect(await migrationStatus(knex)).to.deep.equal({ applied: migrations.map(([n]) => n), pending: [] });
    const tables = async () =>
      (
        await knex.raw(
          `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex_%' ORDER BY 1`,
        )
      ).rows.map((r: { tablename: string }) => r.tablename);
    expect(await tables()).to.deep.equal([
      'audit_logs',
      'auth_sessions',
      'branch_cities',
      'credit_accounts',
      'credit_ledger',
      'credit_packages',
      'customer_inspection_requests',
      'customer_request_photos',
      'customer_request_status_history',
      'customer_vehicle_photos',
      'customer_vehicles',
      'inspection_change_logs',
      'inspection_photos',
      'inspection_reports',
      'inspection_sequences',
      'inspection_status_history',
      'inspections',
      'mint_jobs',
      'object_deletions',
      'payment_events',
      'payments',
      'pdf_jobs',
      'refresh_tokens',
      'report_unlocks',
      'users',
      'utxo_locks',
      'vehicle_class_prices',
    ]);
    await migrateRollbackAll(knex);
    expect(await tables()).to.deep.equal([]);
    expect(await migrateLatest(knex)).to.have.length(migrations.length);
    expect(await migrateLatest(knex), 'a second run has nothing to do').to.deep.equal([]);
  });

  describe('constraints the database enforces by itself', () => {
    const user = (over: Record<string, unknown> = {}) => ({
      id: randomUUID(),
      email: `${randomUUID().slice(0, 6)}@x.co`,
      name: 'N',
      role: 'CUSTOMER',
      ...over,
    });
    const violates = async (p: Promise<unknown>, code: string) => {
      try {
        await p;
        expect.fail('should be refused');
      } catch (e) {
        expect((e as { code?: string }).code, String(e)).to.equal(code);
      }
    };

    it('refuses mixed-case emails, unknown roles, inspectors without a branch and accounts without a login', async () => {
      await violates(knex('users').insert(user({ email: 'Mixed@X.co' })), '23514');
      await violates(knex('users').insert(user({ role: 'ROOT' })), '23514');
      await violates(knex('users').insert(user({ role: 'INSPECTOR' })), '23514');
      await violates(knex('users').insert(user({ email: null, username: null })), '23514');
      await violates(knex('branch_cities').insert({ id: randomUUID(), name: 'x', code: 'yo1' }), '23514');
    });

    it('keeps the audit trail append-only', async () => {
      await knex('audit_logs').insert({ action: 'LOGOUT', entity: 'session', metadata: '{}' });
      await violates(knex('audit_logs').update({ action: 'LOGIN_SUCCEEDED' }), 'P0001');
      await violates(knex('audit_logs').delete(), 'P0001');
      expect((await knex('audit_logs').count({ n: '*' }))[0]).to.deep.equal({ n: 1 });
    });
  });
});
