/**
 * A report and mint worker without the HTTP API (npm run worker): for machines that only render and mint,
 * next to API instances started with WORKER_ENABLED=false. It needs DATABASE_URL (the same database as the
 * API), REPORT_BASE_URL pointing at a running API, from which Chromium loads the report pages, and a chain
 * shared by all processes (CHAIN_DRIVER=blockfrost): the emulator lives inside one process, so with it this
 * worker only renders and the API process (WORKER_ENABLED=true) mints. It serves /metrics and /health/* on
 * WORKER_METRICS_HOST:WORKER_METRICS_PORT (127.0.0.1:9465) for Prometheus and the process supervisor.
 */
import type { Container } from 'inversify';
import { startOpsServer, type OpsServer } from '../adapters/http/ops-server.js';
import { createLogger, flushLogs, type Logger } from '../adapters/observability/logger.js';
import { PgBossBus } from '../adapters/queue/pg-boss-bus.js';
import { loadConfigOrExit, type Config } from './config.js';
import { Tokens } from './tokens.js';
import { buildContainer } from './container.js';
import { openDatabase } from './database-bootstrap.js';
import { withDevSecrets } from './dev-secrets.js';
import { reportQueues, startReportWorker } from './worker.js';
import { mintQueues, startMintWorker } from './mint-worker.js';
import { stopTracing } from './tracing.js';

/** The worker's operations port (metrics, liveness, readiness), unless WORKER_METRICS_PORT=0. */
async function startWorkerOps(
  container: Container,
  config: Config,
  logger: Logger,
  isDraining: () => boolean,
): Promise<OpsServer | null> {
  const { host, port } = config.workerMetrics;
  if (port === 0) return null;
  const ops = await startOpsServer({
    host,
    port,
    metrics: container.get(Tokens.Metrics),
    healthChecks: container.get(Tokens.HealthChecks),
    metricsToken: config.metricsToken,
    isDraining,
    logger,
  });
  logger.info('worker metrics and health listening', { url: ops.url });
  return ops;
}

async function main(): Promise<void> {
  let config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, undefined, {
    loki: config.loki && { ...config.loki, service: 'worker' },
  });
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
  const ops = await startWorkerOps(container, config, logger, () => stopping);
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('worker shutting down', { signal });
    await ops?.close().catch((e: unknown) => logger.warn('metrics port did not close cleanly', { err: e }));
    await bus.stop().catch((e: unknown) => logger.warn('job queue did not stop cleanly', { err: e }));
    await worker.stop();
    await minter?.stop();
    await db.close();
    logger.info('worker stopped');
    await stopTracing();
    await flushLogs(logger);
    process.exit(0);
  };
  process.on('SIGTERM', (s) => void stop(s));
  process.on('SIGINT', (s) => void stop(s));
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
