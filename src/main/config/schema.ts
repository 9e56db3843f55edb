/**
 * The environment schema, assembled from the sections' declarations in documentation order (the order of
 * the README table and `.env.example`), and the type of the validated values derived from it.
 */
import { BACKUP_ENV } from './backup.js';
import { BREAKERS_ENV } from './breakers.js';
import { CHAIN_ENV } from './chain.js';
import { CUSTOMER_ENV } from './customer.js';
import { DATABASE_ENV } from './database.js';
import { mergeSections, type EnvSection, type EnvValuesOf } from './env.js';
import { HTTP_ENV, RATE_LIMIT_ENV } from './http.js';
import { IPFS_ENV } from './ipfs.js';
import { JOBS_ENV } from './jobs.js';
import { MINT_ENV } from './mint.js';
import { ALERTS_ENV, LOGGING_ENV, LOKI_ENV, METRICS_ENV, TRACING_ENV } from './observability.js';
import { PAYMENTS_ENV } from './payments.js';
import { RENDER_ENV } from './render.js';
import { REPORT_TOKEN_ENV, REPORTS_ENV } from './reports.js';
import { SECURITY_ENV } from './security.js';
import { RUNTIME_ENV, SERVER_ENV } from './server.js';
import { PHOTOS_ENV, STORAGE_ENV } from './storage.js';

/**
 * Every environment variable the service reads. This schema is the single source for validation, defaults
 * and the documentation: `npx tsx scripts/env-docs.ts` regenerates the README's configuration table and
 * `.env.example` from it (test/unit/main/config.spec.ts checks they are in step).
 */
export const ENV_SCHEMA = {
  type: 'object',
  additionalProperties: true,
  properties: mergeSections(
    SERVER_ENV,
    DATABASE_ENV,
    BACKUP_ENV,
    LOGGING_ENV,
    LOKI_ENV,
    SECURITY_ENV,
    HTTP_ENV,
    RATE_LIMIT_ENV,
    METRICS_ENV,
    TRACING_ENV,
    RUNTIME_ENV,
    STORAGE_ENV,
    PHOTOS_ENV,
    RENDER_ENV,
    REPORTS_ENV,
    JOBS_ENV,
    IPFS_ENV,
    ALERTS_ENV,
    BREAKERS_ENV,
    CHAIN_ENV,
    MINT_ENV,
    CUSTOMER_ENV,
    PAYMENTS_ENV,
    REPORT_TOKEN_ENV,
  ),
} as const;

/** The validated environment: coerced by ajv, with every default applied. */
export type EnvValues = EnvValuesOf<typeof ENV_SCHEMA.properties>;

/** Variables that may instead be given as a path in NAME_FILE (Docker/Kubernetes secrets), in schema order. */
export const SECRET_FILE_VARIABLES: readonly string[] = Object.entries(ENV_SCHEMA.properties as EnvSection)
  .filter(([, variable]) => variable.secretFile)
  .map(([name]) => name);
