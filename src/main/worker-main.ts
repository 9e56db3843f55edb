/**
 * A report and mint worker without the HTTP API (npm run worker): for machines that only render and mint,
 * next to API instances started with WORKER_ENABLED=false. It needs DATABASE_URL (the same database as the
 * API), REPORT_BASE_URL pointing at a running API, from which Chromium loads the report pages, and a chain
 * shared by all processes (CHAIN_DRIVER=blockfrost): the emulator lives inside one process, so with it this
 * worker only renders and the API process (WORKER_ENABLED=true) mints.
 */
import { createLogger } from '../adapters/observability/logger.js';
import { PgBossBus } from '../adapters/queue/pg-boss-bus.js';
import { loadConfigOrExit } from './config.js';
import { buildContainer } from './container.js';
import { openDatabase } from './database-bootstrap.js';
import { withDevSecrets } from './dev-secrets.js';
import { reportQueues, startReportWorker } from './worker.js';
import { mintQueues, startMintWorker } from './mint-worker.js';

async function main(): Promise<void> {
  let config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  config = withDevSecrets(config, logger);
  const db = await openDatabase(config, logger);
  const bus = new PgBossBus(db.url, logger.child({ component: 'jobs' }), {
    monitorSeconds: config.jobs.monitorSeconds,
  });
  await bus.start([...reportQueues(config), ...mintQueues(config)]);
  const container = buildContainer({ config, logger, knex: db.knex, bus });
  const worker = await startReportWorker(container, bus, config, logger);
  const minter = config.chain.driver === 'emulator' ? null : await startMintWorker(container, bus, config, logger);
  if (!minter)
    logger.warn(
      'CHAIN_DRIVER=emulator: this worker renders only; the emulator chain lives in the API process, which mints',
    );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('worker shutting down', { signal });
    await bus.stop().catch((e: unknown) => logger.warn('job queue did not stop cleanly', { err: e }));
    await worker.stop();
    await minter?.stop();
    await db.close();
    logger.info('worker stopped');
    process.exit(0);
  };
  process.on('SIGTERM', (s) => void stop(s));
  process.on('SIGINT', (s) => void stop(s));
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
