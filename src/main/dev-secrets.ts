import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../adapters/observability/logger.js';
import type { Config } from './config.js';

/**
 * Outside production a missing JWT_SECRET (or STORAGE_URL_SECRET) is generated once into DATA_DIR/secrets (0600) so
 * `make run` needs no set-up and tokens survive restarts. Production refuses to start without one
 * (config validation).
 */
export function withDevSecrets(config: Config, logger: Logger): Config {
  if (config.production) return config;
  const jwt = config.jwt.secret ?? devSecret(config.dataDir, 'jwt-secret', 'JWT_SECRET', logger);
  const urlSecret =
    config.storage.urlSecret ?? devSecret(config.dataDir, 'storage-url-secret', 'STORAGE_URL_SECRET', logger);
  const plateHashSecret =
    config.mint.plateHashSecret ?? devSecret(config.dataDir, 'plate-hash-secret', 'PLATE_HASH_SECRET', logger);
  // The emulator's wallet: a fresh ed25519 seed; the emulator funds its address at genesis.
  const signingKey =
    config.mint.signingKey ??
    (config.chain.driver === 'emulator'
      ? devSecret(config.dataDir, 'mint-signing-key', 'MINT_SIGNING_KEY', logger, () => randomBytes(32).toString('hex'))
      : undefined);
  const webhookToken =
    config.payments.webhookToken ?? devSecret(config.dataDir, 'payment-webhook-token', 'PAYMENT_WEBHOOK_TOKEN', logger);
  return {
    ...config,
    jwt: { ...config.jwt, secret: jwt },
    storage: { ...config.storage, urlSecret },
    mint: { ...config.mint, plateHashSecret, signingKey },
    payments: { ...config.payments, webhookToken },
  };
}

function devSecret(
  dataDir: string,
  name: string,
  variable: string,
  logger: Logger,
  make = () => randomBytes(48).toString('base64url'),
): string {
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, name);
  if (!existsSync(file)) {
    // DATA_DIR itself stays traversable: the embedded cluster runs as another user when we are root.
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, make(), { mode: 0o600 });
    logger.warn(`${variable} not set: generated a development secret`, { file });
  }
  return readFileSync(file, 'utf8').trim();
}
