/**
 * Configuration section of observability: the log level, who may read /metrics, and where alerts go.
 */
import type { EnvSection, Profile } from './env.js';
import type { EnvValues } from './schema.js';

/** The winston log level. */
export const LOGGING_ENV = {
  LOG_LEVEL: {
    type: 'string',
    enum: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'],
    default: 'http',
    description: 'winston log level; http includes one access line per request.',
  },
} as const satisfies EnvSection;

/** Access to /metrics. */
export const METRICS_ENV = {
  METRICS_TOKEN: {
    type: 'string',
    minLength: 16,
    description:
      'When set, /metrics requires "Authorization: Bearer <token>". Secret: METRICS_TOKEN_FILE also accepted.',
    secretFile: true,
  },
  WORKER_METRICS_PORT: {
    type: 'integer',
    minimum: 0,
    maximum: 65535,
    default: 9465,
    description:
      'Port of the standalone worker (make worker, npm run worker) for /metrics, /health/live and /health/ready; 0 turns it off. The API serves its own on PORT.',
  },
  WORKER_METRICS_HOST: {
    type: 'string',
    minLength: 1,
    default: '127.0.0.1',
    description:
      "Address the worker's metrics port listens on; keep 127.0.0.1 unless Prometheus scrapes from another machine (then also set METRICS_TOKEN).",
  },
} as const satisfies EnvSection;

/** The alert webhook and its de-duplication. */
export const ALERTS_ENV = {
  ALERT_WEBHOOK_URL: {
    type: 'string',
    pattern: '^https?://',
    description:
      'Slack-compatible incoming webhook for alerts (besides the log line every alert gets). Secret: ALERT_WEBHOOK_URL_FILE also accepted.',
    secretFile: true,
  },
  ALERT_QUIET_MINUTES: {
    type: 'integer',
    minimum: 0,
    default: 15,
    description: 'The same alert (kind and subject) is not repeated within this many minutes.',
  },
} as const satisfies EnvSection;

/** The observability part of Config. */
export interface ObservabilityConfig {
  logLevel: string;
  metricsToken: string | undefined;
  /** The standalone worker's operations port (0: none). */
  workerMetrics: { host: string; port: number };
  alerts: { webhookUrl?: string; quietMs: number };
}

/** Maps the validated environment into Config.logLevel, Config.metricsToken, Config.workerMetrics and Config.alerts. */
export function observabilityConfig(env: EnvValues): ObservabilityConfig {
  return {
    logLevel: env.LOG_LEVEL,
    metricsToken: env.METRICS_TOKEN,
    workerMetrics: { host: env.WORKER_METRICS_HOST, port: env.WORKER_METRICS_PORT },
    alerts: { webhookUrl: env.ALERT_WEBHOOK_URL, quietMs: env.ALERT_QUIET_MINUTES * 60_000 },
  };
}

/** /metrics is never public in production. */
export function observabilityRules(env: EnvValues, profile: Profile): string[] {
  if (profile.production && !env.METRICS_TOKEN)
    return [`METRICS_TOKEN: required when ${profile.name}, so /metrics is not public (or METRICS_TOKEN_FILE)`];
  return [];
}
