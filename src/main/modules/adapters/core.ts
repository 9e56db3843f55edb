import { lastSuccessSeconds, readBackupState } from '../../../adapters/backup/backup-files.js';
import { registerBackupMetrics } from '../../../adapters/observability/backup-metrics.js';
import { registerBreakerMetrics } from '../../../adapters/observability/breaker-metrics.js';
import { createHttpMetrics } from '../../../adapters/http/metrics.js';
import { SharpImageProcessor } from '../../../adapters/images/sharp-image-processor.js';
import type { Logger } from '../../../adapters/observability/logger.js';
import type { DependencyHealth } from '../../../adapters/resilience/dependency-health.js';
import { Argon2PasswordHasher } from '../../../adapters/security/argon2-password-hasher.js';
import { CryptoSecretGenerator } from '../../../adapters/security/crypto-secret-generator.js';
import { HmacRenderTokens } from '../../../adapters/security/hmac-render-tokens.js';
import { JoseTokenIssuer } from '../../../adapters/security/jose-token-issuer.js';
import { FsObjectStorage } from '../../../adapters/storage/fs-object-storage.js';
import { RandomUuidGenerator, SystemClock } from '../../../adapters/system/system-clock.js';
import { Clock } from '../../../ports/clock.js';
import { IdGenerator } from '../../../ports/id-generator.js';
import { ImageProcessor } from '../../../ports/image-processor.js';
import { Notifier } from '../../../ports/notifier.js';
import { PasswordHasher } from '../../../ports/password-hasher.js';
import { RenderTokens } from '../../../ports/render-tokens.js';
import { SecretGenerator } from '../../../ports/secrets.js';
import { TokenIssuer } from '../../../ports/token-issuer.js';
import { backupDirOf } from '../../backup-settings.js';
import type { Config } from '../../config.js';
import { Tokens } from '../../tokens.js';
import { ContainerModule } from 'inversify';
import path from 'node:path';

/** Configuration, logging and the security/system adapters. */
export function coreModule(
  config: Config,
  logger: Logger,
  notifier: Notifier,
  health: DependencyHealth,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Tokens.Config).toConstantValue(config);
    bind(Tokens.DependencyHealth).toConstantValue(health);
    bind<Notifier>(Notifier).toConstantValue(notifier);
    const metrics = createHttpMetrics();
    registerBreakerMetrics(metrics.registry, health);
    const backupDir = backupDirOf(config).dir;
    registerBackupMetrics(metrics.registry, async () => lastSuccessSeconds(await readBackupState(backupDir)));
    bind(Tokens.Metrics).toConstantValue(metrics);
    bind(Tokens.Logger).toConstantValue(logger);
    bind<Clock>(Clock).toConstantValue(new SystemClock());
    bind<IdGenerator>(IdGenerator).toConstantValue(new RandomUuidGenerator());
    bind<SecretGenerator>(SecretGenerator).toConstantValue(new CryptoSecretGenerator());
    bind<PasswordHasher>(PasswordHasher).toConstantValue(new Argon2PasswordHasher(config.argon2));
    bind<ImageProcessor>(ImageProcessor).toConstantValue(new SharpImageProcessor());
    bind<TokenIssuer>(TokenIssuer)
      .toDynamicValue(() => {
        if (!config.jwt.secret)
          throw new Error('JWT secret missing: set JWT_SECRET (the server generates one in development)');
        return new JoseTokenIssuer({
          secret: config.jwt.secret,
          issuer: config.jwt.issuer,
          audience: config.jwt.audience,
          accessTtlSeconds: config.jwt.accessTtlSeconds,
        });
      })
      .inSingletonScope();
    bind(Tokens.ScratchStorage)
      .toDynamicValue(
        (ctx) =>
          new FsObjectStorage({
            root: path.join(config.dataDir, 'work'),
            baseUrl: 'http://scratch.invalid',
            signer: ctx.get(Tokens.UrlSigner),
          }),
      )
      .inSingletonScope();
    bind<RenderTokens>(RenderTokens)
      .toDynamicValue(() => {
        if (!config.jwt.secret) throw new Error('JWT secret missing: render tokens derive their key from it');
        return new HmacRenderTokens(config.jwt.secret);
      })
      .inSingletonScope();
  });
}
