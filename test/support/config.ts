import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/main/config.js';

/** A valid test configuration: cheap argon2, generous rate limits, fixed secrets (JWT, minting key, plate hash). */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    APP_ENV: 'local',
    NODE_ENV: 'test',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    RATE_LIMIT_MAX: '100000',
    AUTH_RATE_LIMIT_MAX: '100000',
    REQUEST_CREATE_RATE_LIMIT_MAX: '100000',
    VERIFY_RATE_LIMIT_MAX: '100000',
    LOG_LEVEL: 'error',
    STORAGE_URL_SECRET: 'test-url-secret-test-url-secret-0123456789',
    STORAGE_FS_ROOT: path.join(os.tmpdir(), `cardano-test-objects-${process.pid}`),
    DATA_DIR: path.join(os.tmpdir(), `cardano-test-data-${process.pid}`),
    // Archiving is switched on by the tests about it (they give the chain its own DATA_DIR).
    ARCHIVE_AUTO: 'false',
    MINT_SIGNING_KEY: '5d0a6c1b3e2f4a7980b1c2d3e4f5061728394a5b6c7d8e9f0a1b2c3d4e5f6071',
    PLATE_HASH_SECRET: 'test-plate-secret-test-plate-secret-0123456789',
    PAYMENT_WEBHOOK_TOKEN: 'test-webhook-token-0123456789',
    ...env,
  });
}
