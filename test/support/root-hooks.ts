/**
 * Mocha global fixtures: one PostgreSQL database for the whole run. DATABASE_URL given: a fresh database
 * is created on that server and dropped at the end. Not given: an embedded PostgreSQL is started in a
 * temporary directory on a free port. Either way the schema is migrated once; tests truncate what they use.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dropDatabase, ensureDatabase, withDatabase } from '../../src/adapters/postgres/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/adapters/postgres/embedded-postgres.js';
import { freePort } from './net.js';

let embedded: EmbeddedPostgresHandle | undefined;
let tempDir: string | undefined;
let createdDb: { adminUrl: string; name: string } | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  const name = `cardano_test_${process.pid}_${Date.now().toString(36)}`;
  if (process.env.DATABASE_URL) {
    const adminUrl = process.env.DATABASE_URL;
    await ensureDatabase(adminUrl, name);
    createdDb = { adminUrl, name };
    process.env.TEST_DATABASE_URL = withDatabase(adminUrl, name);
    process.env.TEST_DATABASE_KIND = 'external';
  } else {
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'cardano-test-pg-'));
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(tempDir, 'pg'),
      port: await freePort(),
      database: name,
      log: () => undefined,
    });
    process.env.TEST_DATABASE_URL = embedded.url;
    process.env.TEST_DATABASE_KIND = 'embedded';
  }
  const { createKnex } = await import('../../src/adapters/postgres/database.js');
  const { migrateLatest } = await import('../../src/adapters/postgres/migrator.js');
  const knex = createKnex({ url: process.env.TEST_DATABASE_URL as string, poolMax: 2, statementTimeoutMs: 30000 });
  await migrateLatest(knex);
  await knex.destroy();
  console.log(`test database: ${process.env.TEST_DATABASE_KIND} (${name})`);
}

export async function mochaGlobalTeardown(): Promise<void> {
  if (createdDb)
    await dropDatabase(createdDb.adminUrl, createdDb.name).catch((e) =>
      console.error('could not drop test database', e),
    );
  if (embedded) await embedded.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
}
