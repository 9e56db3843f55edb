/**
 * Configuration section of observability: the log level, who may read /metrics, tracing, the optional direct
 * push of the logs to Loki, and where alerts go.
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

/**
 * Tracing (OpenTelemetry), off by default. The standard OTEL_* variables are read by the OpenTelemetry SDK
 * itself (src/main/tracing.ts); they are declared here so they are validated and documented.
 */
export const TRACING_ENV = {
  TRACING_ENABLED: {
    type: 'string',
    enum: ['true', 'false'],
    default: 'false',
    description:
      'Start OpenTelemetry tracing (spans from the approval request through the report and mint jobs, trace_id/span_id on log lines). Also on when OTEL_TRACES_EXPORTER is otlp or console.',
  },
  OTEL_TRACES_EXPORTER: {
    type: 'string',
    enum: ['otlp', 'console', 'none'],
    description:
      'Where spans go once tracing is on: otlp (OTLP/HTTP, the default), console, or none (trace ids on log lines only). otlp or console alone turns tracing on.',
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    type: 'string',
    pattern: '^https?://',
    description:
      'OTLP/HTTP collector base URL (spans go to <endpoint>/v1/traces); the SDK default is http://localhost:4318.',
  },
  OTEL_SERVICE_NAME: {
    type: 'string',
    minLength: 1,
    description: 'service.name of the spans; car-dano-api (server) or car-dano-worker (npm run worker) when unset.',
  },
  OTEL_TRACES_SAMPLER: {
    type: 'string',
    enum: [
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ],
    description: 'Sampler; the SDK default is parentbased_always_on (every trace).',
  },
  OTEL_TRACES_SAMPLER_ARG: {
    type: 'number',
    minimum: 0,
    maximum: 1,
    description: 'Ratio of traces kept with the traceidratio samplers (0 to 1).',
  },
} as const satisfies EnvSection;

/**
 * Optional direct push of the log lines to Loki (off unless LOKI_URL is set); the agent of ops/loki/ remains
 * the recommended path. The credentials come only from a file.
 */
export const LOKI_ENV = {
  LOKI_URL: {
    type: 'string',
    pattern: '^https?://',
    description:
      'Push the log lines directly to this Loki (or its auth proxy), at <url>/loki/api/v1/push, besides stdout. Off when unset; for a single machine without the agent of ops/loki/, which remains the recommended path.',
  },
  LOKI_ENV: {
    type: 'string',
    minLength: 1,
    description: 'The env label of the pushed lines (e.g. production, staging); APP_ENV when unset.',
  },
  LOKI_TENANT: {
    type: 'string',
    minLength: 1,
    description: 'X-Scope-OrgID header of the pushes (the Loki tenant), when Loki is multi-tenant.',
  },
  LOKI_BASIC_AUTH_FILE: {
    type: 'string',
    minLength: 1,
    description: 'Path of a file holding user:password for basic auth of the pushes (the content is never logged).',
  },
  LOKI_BATCH_MS: {
    type: 'integer',
    minimum: 50,
    maximum: 60000,
    default: 1000,
    description: 'Lines are pushed in batches, at most this many milliseconds after they are logged.',
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
  /** Spans are made (the Tracer port is bound to OpenTelemetry) when tracing is on. */
  tracing: { enabled: boolean };
  /** Direct push of the log lines to Loki (LOKI_URL), when set; the service label is the process's. */
  loki: LokiConfig | undefined;
}

/** Where the log lines are pushed (src/adapters/observability/loki-transport.ts takes these and a service). */
export interface LokiConfig {
  url: string;
  env: string;
  tenant?: string;
  basicAuthFile?: string;
  batchMs: number;
}

/** The Loki push settings, or undefined without LOKI_URL. */
export function lokiConfig(env: EnvValues): LokiConfig | undefined {
  if (!env.LOKI_URL) return undefined;
  return {
    url: env.LOKI_URL,
    env: env.LOKI_ENV ?? env.APP_ENV,
    tenant: env.LOKI_TENANT,
    basicAuthFile: env.LOKI_BASIC_AUTH_FILE,
    batchMs: env.LOKI_BATCH_MS,
  };
}

/** Tracing is on with TRACING_ENABLED=true or an exporter other than none in OTEL_TRACES_EXPORTER. */
export function tracingWanted(env: { TRACING_ENABLED?: string; OTEL_TRACES_EXPORTER?: string }): boolean {
  const exporter = env.OTEL_TRACES_EXPORTER;
  return env.TRACING_ENABLED === 'true' || (exporter !== undefined && exporter !== '' && exporter !== 'none');
}

/** Maps the validated environment into Config.logLevel, metricsToken, workerMetrics, alerts, tracing and loki. */
export function observabilityConfig(env: EnvValues): ObservabilityConfig {
  return {
    logLevel: env.LOG_LEVEL,
    metricsToken: env.METRICS_TOKEN,
    workerMetrics: { host: env.WORKER_METRICS_HOST, port: env.WORKER_METRICS_PORT },
    alerts: { webhookUrl: env.ALERT_WEBHOOK_URL, quietMs: env.ALERT_QUIET_MINUTES * 60_000 },
    tracing: { enabled: tracingWanted(env) },
    loki: lokiConfig(env),
  };
}

/** /metrics is never public in production. */
export function observabilityRules(env: EnvValues, profile: Profile): string[] {
  if (profile.production && !env.METRICS_TOKEN)
    return [`METRICS_TOKEN: required when ${profile.name}, so /metrics is not public (or METRICS_TOKEN_FILE)`];
  return [];
}
