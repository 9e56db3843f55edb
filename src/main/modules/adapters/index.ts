import type { ContainerModule } from 'inversify';
import type { Logger } from '../../../adapters/observability/logger.js';
import type { DependencyHealth } from '../../../adapters/resilience/dependency-health.js';
import type { Notifier } from '../../../ports/notifier.js';
import type { Config } from '../../config.js';
import { chainModule } from './chain.js';
import { coreModule } from './core.js';
import { paymentsModule } from './payments.js';
import { renderingModule } from './rendering.js';
import { storageModule } from './storage.js';

export { createNotifier } from './alerts.js';
export { memoryModule, postgresModule } from './persistence.js';
export { chainModule, coreModule, paymentsModule, renderingModule, storageModule };

/**
 * Every adapter module except persistence, chosen by configuration: core (config, logging, security), object
 * storage, rendering (Chromium, PDF tools, IPFS), chain and payments. External ones sit behind breakers whose
 * state changes go to `health` and, when one opens, to `notifier`.
 */
export function adapterModules(
  config: Config,
  logger: Logger,
  notifier: Notifier,
  health: DependencyHealth,
): ContainerModule[] {
  return [
    coreModule(config, logger, notifier, health),
    storageModule(config, logger, notifier, health),
    renderingModule(config, logger, notifier, health),
    chainModule(config, logger, notifier, health),
    paymentsModule(config, logger, notifier, health),
  ];
}
