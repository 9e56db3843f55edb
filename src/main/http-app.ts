import type { Express } from 'express';
import type { Container } from 'inversify';
import { readFileSync } from 'node:fs';
import { createApp, type HttpOptions } from '../adapters/http/app.js';
import type { Logger } from '../adapters/observability/logger.js';
import { signedFileHandler } from '../adapters/storage/signed-file-handler.js';
import { ipfsGatewayHandler } from '../adapters/ipfs/ipfs-gateway-handler.js';
import { sandboxCheckout } from '../adapters/http/sandbox-checkout.js';
import { SandboxGateway } from '../adapters/payments/sandbox-gateway.js';
import { PaymentGateway } from '../ports/payments.js';
import { Ipfs } from '../ports/ipfs.js';
import { JobTelemetry } from '../ports/job-telemetry.js';
import { PublicArchive } from '../application/archive/public-archive.js';
import type { HealthCheck } from '../ports/health-check.js';
import { ObjectStorage } from '../ports/object-storage.js';
import type { Config } from './config.js';
import { OPENAPI_FILE } from './modules/paths.js';
import { Authenticate } from '../application/auth/authenticate.js';
import { FsFileStore } from './modules/adapters/storage.js';
import { Tokens } from './tokens.js';

export const httpOptionsOf = (config: Config): HttpOptions => ({
  maxUploadBytes: config.photos.maxBytes,
  corsOrigins: config.http.corsOrigins,
  bodyLimitKb: config.http.bodyLimitKb,
  trustProxy: config.http.trustProxy,
  rateLimit: { ...config.rateLimit, createMax: config.customer.createRateLimitMax },
  metricsToken: config.metricsToken,
});

export interface HttpAppExtras {
  isDraining?: () => boolean;
  healthChecks?: HealthCheck[];
  options?: Partial<HttpOptions>;
}

/** The express app of a container: the same wiring for the server and the API tests. */
export function buildHttpApp(
  container: Container,
  config: Config,
  logger: Logger,
  extras: HttpAppExtras = {},
): Express {
  // Built up front, as before: the storage collectors are on /metrics from the first scrape.
  container.get<ObjectStorage>(ObjectStorage);
  // The job collectors (queue depth and age among them) exist once telemetry is built: an API without a
  // worker (WORKER_ENABLED=false) still answers for the queues on its /metrics.
  container.get<JobTelemetry>(JobTelemetry);
  const gateway = container.get<PaymentGateway>(PaymentGateway);
  return createApp({
    spec: container.get(Tokens.ApiSpec),
    specYaml: readFileSync(OPENAPI_FILE, 'utf8'),
    handlers: container.getAll(Tokens.OperationHandlers),
    authenticate: container.get(Authenticate),
    healthChecks: extras.healthChecks ?? container.get(Tokens.HealthChecks),
    logger,
    options: { ...httpOptionsOf(config), ...extras.options },
    isDraining: extras.isDraining,
    metrics: container.get(Tokens.Metrics),
    // The filesystem store's URLs are served whenever fs is the store or the fallback of a storage switch.
    fileHandler: container.isBound(FsFileStore)
      ? signedFileHandler(container.get(FsFileStore), container.get(Tokens.UrlSigner))
      : undefined,
    ipfsHandler:
      config.ipfs.driver === 'embedded'
        ? ipfsGatewayHandler(container.get<Ipfs>(Ipfs), (cid) => container.get(PublicArchive).isPublished(cid))
        : undefined,
    sandboxCheckout: gateway instanceof SandboxGateway ? sandboxCheckout(gateway) : undefined,
  });
}
