import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/main/config.js';

/** A valid test configuration: cheap argon2, generous rate limits, a fixed JWT secret. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    RATE_LIMIT_MAX: '100000',
    AUTH_RATE_LIMIT_MAX: '100000',
    LOG_LEVEL: 'error',
    STORAGE_URL_SECRET: 'test-url-secret-test-url-secret-0123456789',
    STORAGE_FS_ROOT: path.join(os.tmpdir(), `cardano-test-objects-${process.pid}`),
    DATA_DIR: path.join(os.tmpdir(), `cardano-test-data-${process.pid}`),
    ...env,
  });
}
