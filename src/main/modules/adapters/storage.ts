import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../../../adapters/observability/logger.js';
import { instrumentStorage } from '../../../adapters/observability/dependency-metrics.js';
import { withBreaker } from '../../../adapters/resilience/breaker.js';
import type { DependencyHealth } from '../../../adapters/resilience/dependency-health.js';
import { FallbackObjectStorage } from '../../../adapters/storage/fallback-object-storage.js';
import type { FsObjectStorage } from '../../../adapters/storage/fs-object-storage.js';
import type { Notifier } from '../../../ports/notifier.js';
import { ObjectStorage } from '../../../ports/object-storage.js';
import type { Config } from '../../config.js';
import { createFsStorage, createS3Storage, createUrlSigner } from '../../storage-factory.js';
import { Tokens } from '../../tokens.js';
import { breakerEvents } from './alerts.js';
import { ContainerModule, type ServiceIdentifier } from 'inversify';

/**
 * The filesystem store itself (not the breaker, metrics or fallback around it), bound when fs is STORAGE_DRIVER
 * or STORAGE_FALLBACK_DRIVER: the signed-file handler serves its URLs from it.
 */
export const FsFileStore: ServiceIdentifier<FsObjectStorage> = Symbol('FsFileStore');

/** `car_dano_storage_fallback_reads_total{operation}`: reads the old store answered during a storage switch. */
function fallbackReads(registry: Registry): Counter<'operation'> {
  return new Counter({
    name: 'car_dano_storage_fallback_reads_total',
    help: 'Reads of objects the STORAGE_DRIVER store did not have that the STORAGE_FALLBACK_DRIVER store answered.',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
}

/**
 * The store the app uses. Without STORAGE_FALLBACK_DRIVER: the STORAGE_DRIVER store. With it: a
 * FallbackObjectStorage of the new store in front of the old one. Metrics and the breaker wrap the whole
 * composition (one "storage" dependency, as the app sees it: an outage of the primary opens the breaker
 * whether or not an old copy exists, since writes need the primary anyway); the fallback counter is the
 * only per-store figure.
 */
function appStore(config: Config, logger: Logger, registry: Registry, fs: () => FsObjectStorage): ObjectStorage {
  const reads = fallbackReads(registry);
  const store = (driver: 'fs' | 's3'): ObjectStorage => (driver === 's3' ? createS3Storage(config, logger) : fs());
  const primary = store(config.storage.driver);
  const fallback = config.storage.fallbackDriver;
  if (!fallback) return primary;
  logger.info('storage fallback on: reads of objects missing on the primary go to the old store', {
    driver: config.storage.driver,
    fallbackDriver: fallback,
  });
  return new FallbackObjectStorage(primary, store(fallback), (operation) => reads.inc({ operation }));
}

/** Object storage chosen by STORAGE_DRIVER (and STORAGE_FALLBACK_DRIVER during a switch). */
export function storageModule(
  config: Config,
  logger: Logger,
  notifier: Notifier,
  health: DependencyHealth,
): ContainerModule {
  const usesFs = config.storage.driver === 'fs' || config.storage.fallbackDriver === 'fs';
  return new ContainerModule(({ bind }) => {
    bind(Tokens.UrlSigner)
      .toDynamicValue(() => createUrlSigner(config))
      .inSingletonScope();
    if (usesFs)
      bind(FsFileStore)
        .toDynamicValue((ctx) => createFsStorage(config, ctx.get(Tokens.UrlSigner)))
        .inSingletonScope();
    bind<ObjectStorage>(ObjectStorage)
      .toDynamicValue((ctx) =>
        withBreaker(
          instrumentStorage(
            appStore(config, logger, ctx.get(Tokens.Metrics).registry, () => ctx.get(FsFileStore)),
            ctx.get(Tokens.Metrics).registry,
          ),
          { name: 'storage', timeoutMs: 0, bypass: ['signedGetUrl'], ...config.breakers },
          breakerEvents(logger, notifier, health),
        ),
      )
      .inSingletonScope();
  });
}
