import type { Knex } from 'knex';
import path from 'node:path';
import type { Logger } from '../adapters/observability/logger.js';
import { createKnex } from '../adapters/postgres/database.js';
import { startEmbeddedPostgres } from '../adapters/postgres/embedded-postgres.js';
import { migrateLatest } from '../adapters/postgres/migrator.js';
import type { Config } from './config.js';

export interface Database {
  knex: Knex;
  /** Connection string (the job queue opens its own pool on it). */
  url: string;
  embedded: boolean;
  /** Closes the pool, then stops the embedded cluster when this process started it. */
  close(): Promise<void>;
}

/**
 * DATABASE_URL set: use that server. Unset: start the embedded PostgreSQL under DATA_DIR/postgres.
 * Either way, apply pending migrations before anything else touches the schema.
 */
export async function openDatabase(
  config: Config,
  logger: Logger,
  opts: { migrate?: boolean } = {},
): Promise<Database> {
  let url = config.database.url;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const handle = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, 'postgres'),
      port: config.database.embeddedPort,
      database: config.database.embeddedDatabase,
      sharedDir: config.database.embeddedSharedDir,
      relocate: config.database.embeddedRelocate,
      log: (level, message) => logger.log(level, message, { component: 'embedded-postgres' }),
    });
    url = handle.url;
    stopEmbedded = handle.owned ? handle.stop : undefined;
  }
  const knex = createKnex({
    url,
    poolMax: config.database.poolMax,
    statementTimeoutMs: config.database.statementTimeoutMs,
  });
  try {
    if (opts.migrate !== false) {
      const applied = await migrateLatest(knex);
      logger.info('database migrated', { applied });
    }
  } catch (e) {
    await knex.destroy();
    await stopEmbedded?.();
    throw e;
  }
  return {
    knex,
    url,
    embedded: !config.database.url,
    close: async () => {
      await knex.destroy();
      await stopEmbedded?.();
    },
  };
}
