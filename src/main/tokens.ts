import type { ServiceIdentifier } from 'inversify';
import type { Knex } from 'knex';
import type { ApiSpec } from '../adapters/http/openapi.js';
import type { OperationHandlers } from '../adapters/http/handlers/types.js';
import type { Logger } from '../adapters/observability/logger.js';
import type { HttpMetrics } from '../adapters/http/metrics.js';
import type { DependencyHealth } from '../adapters/resilience/dependency-health.js';
import type { HealthCheck } from '../ports/health-check.js';
import type { Chain } from '../ports/chain.js';
import type { ObjectStorage } from '../ports/object-storage.js';
import type { UrlSigner } from '../adapters/storage/url-signer.js';
import type { Config } from './config.js';

/** Identifiers for what the composition root provides besides ports (which carry their own symbols). */
export const Tokens = {
  Config: Symbol('Config') as ServiceIdentifier<Config>,
  Logger: Symbol('Logger') as ServiceIdentifier<Logger>,
  Knex: Symbol('Knex') as ServiceIdentifier<Knex>,
  ApiSpec: Symbol('ApiSpec') as ServiceIdentifier<ApiSpec>,
  /** Bound once per feature module: that feature's HTTP handlers (resolve them all with getAll). */
  OperationHandlers: Symbol('OperationHandlers') as ServiceIdentifier<OperationHandlers>,
  HealthChecks: Symbol('HealthChecks') as ServiceIdentifier<HealthCheck[]>,
  UrlSigner: Symbol('UrlSigner') as ServiceIdentifier<UrlSigner>,
  /** One metrics registry per container: HTTP and job metrics on the same /metrics. */
  Metrics: Symbol('Metrics') as ServiceIdentifier<HttpMetrics>,
  /** Open circuit breakers of external dependencies (queues pause while theirs are open). */
  DependencyHealth: Symbol('DependencyHealth') as ServiceIdentifier<DependencyHealth>,
  /** The chain provider itself (emulator or Blockfrost), shared by the two breakers below it. */
  ChainProvider: Symbol('ChainProvider') as ServiceIdentifier<Chain>,
  /** The chain as public verification sees it: its own breaker ("chain-verify"), so anonymous verification traffic cannot open the breaker minting depends on. */
  VerifyChain: Symbol('VerifyChain') as ServiceIdentifier<Chain>,
  /** The worker's durable scratch store (report artifacts between stages). */
  ScratchStorage: Symbol('ScratchStorage') as ServiceIdentifier<ObjectStorage>,
};
