import express from 'express';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthCheck } from '../../ports/health-check.js';
import type { Logger } from '../observability/logger.js';
import { healthHandlers } from './handlers/health-handlers.js';
import type { HttpMetrics } from './metrics.js';
import { sendProblem } from './problem.js';
import { metricsAuthorized } from './metrics-auth.js';

/** What the operations port of a process without the API (the standalone worker) serves. */
export interface OpsServerOptions {
  host: string;
  port: number;
  metrics: HttpMetrics;
  healthChecks: HealthCheck[];
  /** When set, /metrics requires "Authorization: Bearer <token>" (as on the API). */
  metricsToken?: string;
  isDraining: () => boolean;
  logger: Logger;
}

/** A running operations server; `url` is where it listens. */
export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The standalone worker's operations port: GET /metrics (its registry: job stages, queues, storage, IPFS,
 * chain), GET /health/live and GET /health/ready (its database). Nothing else: 404 problem+json.
 */
export async function startOpsServer(o: OpsServerOptions): Promise<OpsServer> {
  const app = express();
  app.disable('x-powered-by');
  const health = healthHandlers(o.healthChecks, o.isDraining, (name, err) =>
    o.logger.warn('readiness check failed', { check: name, err }),
  );
  app.get('/metrics', async (req, res) => {
    if (!metricsAuthorized(req.get('authorization'), o.metricsToken))
      return sendProblem(res, 401, 'AUTH.INVALID_TOKEN', 'The metrics token is missing or wrong.');
    res.type(o.metrics.registry.contentType).send(await o.metrics.registry.metrics());
  });
  app.get('/health/live', (req, res) => void health.healthLive?.(req, res));
  app.get('/health/ready', (req, res) => void health.healthReady?.(req, res));
  app.use((req, res) => sendProblem(res, 404, 'ROUTE.NOT_FOUND', `No route ${req.method} ${req.path}.`));
  const server: Server = app.listen(o.port, o.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}
