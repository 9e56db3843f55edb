/**
 * Configuration section of the process itself: the deployment profile, where the HTTP server listens,
 * where embedded adapters keep their state, and what happens at start and stop (demo seeding, shutdown).
 */
import type { EnvSection, Profile } from './env.js';
import type { EnvValues } from './schema.js';

/** The deployment profile, the listening address and the state directory. */
export const SERVER_ENV = {
  APP_ENV: {
    type: 'string',
    enum: ['local', 'production'],
    default: 'production',
    description:
      'Deployment profile. production (the default anywhere but `make run`, `make worker`, `make cli` and the tests, which set local) refuses to start with the sandbox payment gateway, demo seeding, generated development secrets, /metrics without METRICS_TOKEN, a wildcard CORS origin, or the emulator chain without CHAIN_EMULATOR_IN_PRODUCTION=true.',
  },
  NODE_ENV: {
    type: 'string',
    enum: ['development', 'test', 'production'],
    default: 'development',
    description: 'Runtime mode of libraries; NODE_ENV=production also applies the production profile.',
  },
  HOST: { type: 'string', minLength: 1, default: '127.0.0.1', description: 'Interface the HTTP server binds to.' },
  PORT: {
    type: 'integer',
    minimum: 0,
    maximum: 65535,
    default: 3000,
    description: 'HTTP port (0 picks a free one).',
  },
  PUBLIC_BASE_URL: {
    type: 'string',
    pattern: '^https?://',
    description: 'Public origin of the API used in links; default http://HOST:PORT.',
  },
  DATA_DIR: {
    type: 'string',
    minLength: 1,
    default: '.data',
    description: 'Where embedded adapters keep their state (database, secrets, demo credentials).',
  },
} as const satisfies EnvSection;

/** Start and stop of the process, and the time zone of inspection dates. */
export const RUNTIME_ENV = {
  SEED_DEMO: {
    type: 'string',
    enum: ['auto', 'true', 'false'],
    default: 'auto',
    description: 'Seed demo accounts at start; auto = only on the embedded database.',
  },
  SHUTDOWN_TIMEOUT_MS: {
    type: 'integer',
    minimum: 100,
    default: 10000,
    description: 'How long SIGTERM waits for in-flight requests.',
  },
  INSPECTION_TIME_ZONE: {
    type: 'string',
    minLength: 1,
    default: 'Asia/Jakarta',
    description: 'Time zone of inspection dates (default inspection date, dashboard buckets).',
  },
} as const satisfies EnvSection;

/** The process-wide part of Config. */
export interface ServerConfig {
  /** APP_ENV: the deployment profile. */
  appEnv: 'local' | 'production';
  /** The production profile applies (APP_ENV=production, or NODE_ENV=production): no development shortcuts. */
  production: boolean;
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicBaseUrl: string | undefined;
  dataDir: string;
  seedDemo: 'auto' | 'true' | 'false';
  shutdownTimeoutMs: number;
  inspectionTimeZone: string;
}

/**
 * The deployment profile. The production profile fails closed: the sections' rules refuse every
 * development shortcut under it, one problem each, naming the setting that turned it on.
 */
export function profileOf(env: EnvValues): Profile {
  return {
    production: env.APP_ENV === 'production' || env.NODE_ENV === 'production',
    name: env.NODE_ENV === 'production' && env.APP_ENV !== 'production' ? 'NODE_ENV=production' : 'APP_ENV=production',
  };
}

/** Maps the validated environment into the process-wide part of Config. */
export function serverConfig(env: EnvValues, profile: Profile): ServerConfig {
  return {
    appEnv: env.APP_ENV,
    production: profile.production,
    nodeEnv: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicBaseUrl: env.PUBLIC_BASE_URL,
    dataDir: env.DATA_DIR,
    // Never in production: `auto` means only on a local embedded database.
    seedDemo: profile.production ? 'false' : env.SEED_DEMO,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    inspectionTimeZone: env.INSPECTION_TIME_ZONE,
  };
}

/** Demo accounts are never seeded in production; the inspection time zone must be an IANA one. */
export function serverRules(env: EnvValues, profile: Profile): string[] {
  const problems: string[] = [];
  if (profile.production && env.SEED_DEMO === 'true')
    problems.push(`SEED_DEMO: demo accounts are never seeded when ${profile.name}`);
  if (env.INSPECTION_TIME_ZONE) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: env.INSPECTION_TIME_ZONE });
    } catch {
      problems.push(`INSPECTION_TIME_ZONE: "${env.INSPECTION_TIME_ZONE}" is not an IANA time zone`);
    }
  }
  return problems;
}
