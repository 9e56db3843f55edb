/**
 * Configuration section of report jobs: where the renderer loads report pages from, the PDF size control,
 * retries, and the render tokens that let Chromium read a report page.
 */
import { parseTargetRange } from '../../domain/report/compression.js';
import type { EnvSection } from './env.js';
import type { EnvValues } from './schema.js';

/** The report page origin, the PDF size control and job retries. */
export const REPORTS_ENV = {
  REPORT_BASE_URL: {
    type: 'string',
    pattern: '^https?://',
    description:
      'Origin the renderer loads report pages from; default http://HOST:PORT (127.0.0.1 when HOST is 0.0.0.0).',
  },
  PDF_MIN_RECOMPRESS_MB: {
    type: 'number',
    minimum: 0,
    default: 50,
    description: 'Below this a report PDF is left as rendered.',
  },
  PDF_AGGRESSIVE_MB: {
    type: 'number',
    minimum: 0,
    default: 120,
    description: 'Above this the size control starts further down the re-render ladder.',
  },
  PDF_TARGET_RANGE_MB: {
    type: 'string',
    pattern: '^\\s*\\d+(\\.\\d+)?\\s*-\\s*\\d+(\\.\\d+)?\\s*$',
    default: '50-100',
    description: 'Size range re-rendering aims for, "min-max" in MB.',
  },
  PDF_MAX_SIZE_MB: {
    type: 'number',
    minimum: 1,
    default: 100,
    description: 'Still above this after re-rendering: Ghostscript /ebook, then /printer.',
  },
  REPORT_JOB_RETRY_LIMIT: {
    type: 'integer',
    minimum: 0,
    maximum: 20,
    default: 3,
    description: 'Retries of a failed report job (exponential backoff).',
  },
  REPORT_JOB_RETRY_DELAY_SECONDS: {
    type: 'integer',
    minimum: 1,
    default: 10,
    description: 'First retry delay of a report job (exponential backoff with jitter: 10-20 s, then 20-40 s, ...).',
  },
} as const satisfies EnvSection;

/** The render tokens (documented last, after the payment variables). */
export const REPORT_TOKEN_ENV = {
  REPORT_TOKEN_TTL_SECONDS: {
    type: 'integer',
    minimum: 30,
    maximum: 3600,
    default: 600,
    description: 'Lifetime of the render tokens with which Chromium (or a previewing person) reads a report page.',
  },
} as const satisfies EnvSection;

/** The report part of Config. */
export interface ReportsConfig {
  reports: {
    tokenTtlSeconds: number;
    baseUrl: string;
    workerEnabled: boolean;
    jobRetryLimit: number;
    uploadTimeoutMs: number;
    jobRetryDelaySeconds: number;
    size: { minRecompressMB: number; aggressiveMB: number; targetMinMB: number; targetMaxMB: number; maxMB: number };
  };
}

/**
 * Maps the validated environment into Config.reports. Besides this section's variables it reads HOST and
 * PORT (server.ts), WORKER_ENABLED (jobs.ts) and REPORT_UPLOAD_TIMEOUT_MS (ipfs.ts), documented there.
 */
export function reportsConfig(env: EnvValues): ReportsConfig {
  const target = parseTargetRange(String(env.PDF_TARGET_RANGE_MB ?? '50-100')) ?? { min: 50, max: 100 };
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  return {
    reports: {
      tokenTtlSeconds: env.REPORT_TOKEN_TTL_SECONDS,
      baseUrl: (env.REPORT_BASE_URL ?? `http://${host}:${env.PORT}`).replace(/\/+$/, ''),
      workerEnabled: env.WORKER_ENABLED === 'true',
      jobRetryLimit: env.REPORT_JOB_RETRY_LIMIT,
      uploadTimeoutMs: env.REPORT_UPLOAD_TIMEOUT_MS,
      jobRetryDelaySeconds: env.REPORT_JOB_RETRY_DELAY_SECONDS,
      size: {
        minRecompressMB: env.PDF_MIN_RECOMPRESS_MB,
        aggressiveMB: env.PDF_AGGRESSIVE_MB,
        targetMinMB: target.min,
        targetMaxMB: target.max,
        maxMB: env.PDF_MAX_SIZE_MB,
      },
    },
  };
}

/** The PDF target range must be an increasing "min-max". */
export function reportsRules(env: EnvValues): string[] {
  if (env.PDF_TARGET_RANGE_MB && !parseTargetRange(env.PDF_TARGET_RANGE_MB))
    return [`PDF_TARGET_RANGE_MB: "${env.PDF_TARGET_RANGE_MB}" must be "min-max" with min < max`];
  return [];
}
