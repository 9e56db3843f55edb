import type { AddressInfo } from 'node:net';
import { createLogger, flushLogs, type Logger } from '../adapters/observability/logger.js';
import { loadConfigOrExit, type Config } from './config.js';
import { ObjectDeleter } from '../application/photos/object-deleter.js';
import { PublicArchive } from '../application/archive/public-archive.js';
import { buildContainer } from './container.js';
import { buildHttpApp } from './http-app.js';
import { createHttpServer } from '../adapters/http/http-server.js';
import { PgBossBus } from '../adapters/queue/pg-boss-bus.js';
import { reportQueues, startReportWorker } from './worker.js';
import { mintQueues, startMintWorker } from './mint-worker.js';
import { openDatabase, type Database } from './database-bootstrap.js';
import { withDevSecrets } from './dev-secrets.js';
import { seedDemo } from './seed-demo.js';
import { stopTracing } from './tracing.js';

export interface RunningServer {
  url: string;
  stop(reason?: string): Promise<void>;
}

/** Starts database, container and HTTP server; resolves once listening. */
export async function startServer(baseConfig: Config, logger: Logger): Promise<RunningServer> {
  const config = withDevSecrets(baseConfig, logger);
  const db = await openDatabase(config, logger);
  const bus = new PgBossBus(db.url, logger.child({ component: 'jobs' }), {
    monitorSeconds: config.jobs.monitorSeconds,
  });
  try {
    await bus.start([...reportQueues(config), ...mintQueues(config)]);
    return await serve(config, logger, db, bus);
  } catch (e) {
    // A failed start must not leave the queue or the embedded cluster running.
    await bus.stop().catch(() => undefined);
    await db.close();
    throw e;
  }
}

async function serve(config: Config, logger: Logger, db: Database, bus: PgBossBus): Promise<RunningServer> {
  const container = buildContainer({ config, logger, knex: db.knex, bus });
  let draining = false;
  const app = buildHttpApp(container, config, logger, { isDraining: () => draining });
  // Failed object deletions are retried in the background (the worker process takes this over later).
  // So are IPFS pin checks (unpin what was withdrawn, pin again what was re-activated).
  const deleter = container.get(ObjectDeleter);
  const pins = container.get(PublicArchive);
  const sweep = setInterval(() => {
    deleter.sweep().catch((e: unknown) => logger.warn('deletion sweep failed', { err: e }));
    pins.sweep().catch((e: unknown) => logger.warn('ipfs pin sweep failed', { err: e }));
  }, config.storage.deletionSweepSeconds * 1000);
  sweep.unref();
  // Seed before listening, so a server that answers "ready" has its demo accounts.
  if (config.seedDemo === 'true' || (config.seedDemo === 'auto' && db.embedded)) {
    logger.info(`demo credentials: ${await seedDemo(container, config.dataDir, logger)}`);
  }
  const server = createHttpServer(app).listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info(`listening on ${url} (docs: ${url}/docs)`, { url });
  const worker = config.reports.workerEnabled ? await startReportWorker(container, bus, config, logger) : null;
  const minter = config.reports.workerEnabled ? await startMintWorker(container, bus, config, logger) : null;

  let stopping: Promise<void> | undefined;
  const stop = (reason = 'stop'): Promise<void> => {
    stopping ??= (async () => {
      logger.info('shutting down', { reason });
      draining = true;
      clearInterval(sweep);
      // Jobs in flight finish first: their renderer still needs this HTTP server for the report pages.
      await bus.stop().catch((e: unknown) => logger.warn('job queue did not stop cleanly', { err: e }));
      await worker?.stop();
      await minter?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => {
        logger.warn('shutdown timeout: closing remaining connections', { timeoutMs: config.shutdownTimeoutMs });
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      await closed;
      clearTimeout(timer);
      await db.close();
      logger.info('stopped');
    })();
    return stopping;
  };
  return { url, stop };
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, undefined, { loki: config.loki && { ...config.loki, service: 'api' } });
  // Signals are handled from the first moment: one that arrives during start-up stops the server as
  // soon as it is up, instead of killing the process half-way (which would orphan the embedded cluster).
  let running: RunningServer | undefined;
  let requested: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    (running as RunningServer).stop(signal).then(
      // The spans of the last requests (nothing when tracing is off) and the log lines still waiting for Loki
      // (nothing without LOKI_URL) are flushed before the process ends.
      () => Promise.all([stopTracing(), flushLogs(logger)]).finally(() => process.exit(0)),
      (e: unknown) => {
        logger.error('shutdown failed', { err: e });
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (running) return stop(signal);
    if (requested) process.exit(130);
    requested = signal;
    logger.warn('stop requested during start-up: stopping once started (send again to abort now)', { signal });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    running = await startServer(config, logger);
  } catch (e) {
    logger.error('failed to start', { err: e });
    await flushLogs(logger);
    process.exit(1);
  }
  if (requested) stop(requested);
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  void main();
}
