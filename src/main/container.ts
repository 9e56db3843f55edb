import { Container, type ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import type { Logger } from '../adapters/observability/logger.js';
import type { JobBus } from '../adapters/queue/pg-boss-bus.js';
import { DependencyHealth } from '../adapters/resilience/dependency-health.js';
import type { Config } from './config.js';
import { adapterModules, createNotifier, memoryModule, postgresModule } from './modules/adapters/index.js';
import { featureModules } from './modules/features/index.js';
import { httpModule } from './modules/http.js';

export { OPENAPI_FILE, PROJECT_ROOT } from './modules/paths.js';

/** What the composition root is built from. */
export interface ContainerParts {
  config: Config;
  logger: Logger;
  /** The job queue (pg-boss); without it, report requests are only recorded as rows. */
  bus?: JobBus;
  /** A knex instance selects PostgreSQL; omitted selects the in-memory adapters. */
  knex?: Knex;
  /** Applied last: modules that `rebind` ports (test doubles, fault injection). */
  overrides?: ContainerModule[];
}

/**
 * The production container, assembled from modules: the adapters chosen by configuration, persistence
 * (PostgreSQL or memory), every feature (its use cases and HTTP handlers) and the HTTP contract. A test
 * container is the same plus `overrides`.
 */
export function buildContainer(p: ContainerParts): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  const notifier = createNotifier(p.config, p.logger);
  const health = new DependencyHealth();
  container.load(
    ...adapterModules(p.config, p.logger, notifier, health),
    p.knex ? postgresModule(p.knex, p.bus) : memoryModule(),
    ...featureModules(),
    httpModule(),
    ...(p.overrides ?? []),
  );
  return container;
}
