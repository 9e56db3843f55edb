import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../adapters/observability/logger.js';
import type { Config } from './config.js';

/**
 * Outside production a missing JWT_SECRET is generated once into DATA_DIR/secrets/jwt-secret (0600) so
 * `make run` needs no set-up and tokens survive restarts. Production refuses to start without one
 * (config validation).
 */
export function withDevSecrets(config: Config, logger: Logger): Config {
  if (config.jwt.secret || config.nodeEnv === 'production') return config;
  const dir = path.join(config.dataDir, 'secrets');
  const file = path.join(dir, 'jwt-secret');
  if (!existsSync(file)) {
    // DATA_DIR itself stays traversable: the embedded cluster runs as another user when we are root.
    mkdirSync(config.dataDir, { recursive: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
    logger.warn('JWT_SECRET not set: generated a development secret', { file });
  }
  return { ...config, jwt: { ...config.jwt, secret: readFileSync(file, 'utf8').trim() } };
}
