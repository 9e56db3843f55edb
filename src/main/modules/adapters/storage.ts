import type { Logger } from '../../../adapters/observability/logger.js';
import { instrumentStorage } from '../../../adapters/observability/dependency-metrics.js';
import { withBreaker } from '../../../adapters/resilience/breaker.js';
import type { DependencyHealth } from '../../../adapters/resilience/dependency-health.js';
import type { Notifier } from '../../../ports/notifier.js';
import { ObjectStorage } from '../../../ports/object-storage.js';
import type { Config } from '../../config.js';
import { createFsStorage, createS3Storage, createUrlSigner } from '../../storage-factory.js';
import { Tokens } from '../../tokens.js';
import { breakerEvents } from './alerts.js';
import { ContainerModule } from 'inversify';

/** Object storage chosen by STORAGE_DRIVER: the filesystem (default) or an S3-compatible bucket. */
export function storageModule(
  config: Config,
  logger: Logger,
  notifier: Notifier,
  health: DependencyHealth,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Tokens.UrlSigner)
      .toDynamicValue(() => createUrlSigner(config))
      .inSingletonScope();
    bind<ObjectStorage>(ObjectStorage)
      .toDynamicValue((ctx) =>
        withBreaker(
          instrumentStorage(
            config.storage.driver === 's3'
              ? createS3Storage(config, logger)
              : createFsStorage(config, ctx.get(Tokens.UrlSigner)),
            ctx.get(Tokens.Metrics).registry,
          ),
          { name: 'storage', timeoutMs: 0, bypass: ['signedGetUrl'], ...config.breakers },
          breakerEvents(logger, notifier, health),
        ),
      )
      .inSingletonScope();
  });
}
