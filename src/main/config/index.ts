/**
 * The configuration: read from the environment (and NAME_FILE secrets), validated against the sections'
 * schema, checked by the sections' cross-field rules, and mapped into one `Config`. Every section file
 * (server, database, backup, security, http, storage, render, reports, jobs, ipfs, observability, breakers, chain,
 * mint, customer, payments) declares its variables once, with their documentation, next to its part of
 * `Config`, the mapping into it and its rules.
 */
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { backupConfig, backupRules, type BackupConfig } from './backup.js';
import { breakersConfig, type BreakersConfig } from './breakers.js';
import { chainConfig, chainRules, type ChainConfig } from './chain.js';
import { customerConfig, type CustomerConfig } from './customer.js';
import { databaseConfig, type DatabaseConfig } from './database.js';
import type { Profile } from './env.js';
import { httpConfig, httpRules, type HttpConfig } from './http.js';
import { ipfsConfig, ipfsRules, type IpfsConfig } from './ipfs.js';
import { jobsConfig, type JobsConfig } from './jobs.js';
import { mintConfig, mintRules, type MintConfig } from './mint.js';
import { observabilityConfig, observabilityRules, type ObservabilityConfig } from './observability.js';
import { paymentsConfig, paymentsRules, type PaymentsConfig } from './payments.js';
import { renderConfig, type RenderConfig } from './render.js';
import { reportsConfig, reportsRules, type ReportsConfig } from './reports.js';
import { ENV_SCHEMA, SECRET_FILE_VARIABLES, type EnvValues } from './schema.js';
import { securityConfig, securityRules, type SecurityConfig } from './security.js';
import { profileOf, serverConfig, serverRules, type ServerConfig } from './server.js';
import { storageConfig, storageRules, type StorageConfig } from './storage.js';

export { ENV_SCHEMA };

/** The service's configuration: every section's part. */
export interface Config
  extends
    ServerConfig,
    DatabaseConfig,
    BackupConfig,
    ObservabilityConfig,
    SecurityConfig,
    HttpConfig,
    StorageConfig,
    RenderConfig,
    ReportsConfig,
    JobsConfig,
    IpfsConfig,
    BreakersConfig,
    ChainConfig,
    MintConfig,
    CustomerConfig,
    PaymentsConfig {}

/** Every problem of the configuration at once, one line each, so an operator fixes them in one go. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/**
 * A section's cross-field rules: the problems of the environment after coercion and defaults. They run even
 * when the schema found problems (all are reported together), so they must not trust a value's type.
 */
type ConfigRule = (env: EnvValues, profile: Profile) => string[];

/**
 * The sections' rules, in the order their problems are listed (section by section). The order puts what an
 * empty production environment lacks in the order operators know: JWT, metrics, chain, storage, payments,
 * plate hash.
 */
const RULES: readonly ConfigRule[] = [
  securityRules,
  httpRules,
  observabilityRules,
  serverRules,
  chainRules,
  storageRules,
  backupRules,
  ipfsRules,
  paymentsRules,
  mintRules,
  reportsRules,
];

const ajv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false });
ajv.addKeyword({ keyword: 'secretFile', schemaType: 'boolean' });
const validate = ajv.compile(ENV_SCHEMA);

/** The schema's variables that are set (empty counts as unset), then the NAME_FILE secrets read in. */
function readEnvironment(
  env: NodeJS.ProcessEnv,
  readFile: (p: string) => string,
  problems: string[],
): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(env)) if (k in ENV_SCHEMA.properties && v !== undefined && v !== '') raw[k] = v;
  for (const name of SECRET_FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (raw[name] !== undefined) {
      problems.push(`${name} and ${name}_FILE are both set; set only one`);
      continue;
    }
    try {
      raw[name] = readFile(file).replace(/\r?\n$/, '');
    } catch (e) {
      problems.push(`${name}_FILE: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return raw;
}

/** Validates (and coerces, and fills in defaults of) `raw` in place; one problem per schema error. */
function schemaProblems(raw: Record<string, unknown>): string[] {
  if (validate(raw)) return [];
  return (validate.errors ?? []).map((err) => {
    const name = err.instancePath.replace(/^\//, '') || String(err.params.missingProperty ?? '');
    // Never echo a secret's value (every *_FILE variable is one, as is anything named like a key or token).
    const secret =
      SECRET_FILE_VARIABLES.includes(name) || /SECRET|TOKEN|KEY|DATABASE_URL|WEBHOOK|PROJECT_ID/.test(name);
    const shown = secret ? '' : ` (got ${JSON.stringify(raw[name])})`;
    return `${name}: ${err.message ?? 'is invalid'}${shown}`;
  });
}

/** Every section's part of Config. */
function assemble(env: EnvValues, profile: Profile): Config {
  return {
    ...serverConfig(env, profile),
    ...databaseConfig(env),
    ...backupConfig(env),
    ...observabilityConfig(env),
    ...securityConfig(env),
    ...httpConfig(env),
    ...storageConfig(env),
    ...renderConfig(env),
    ...reportsConfig(env),
    ...jobsConfig(env),
    ...ipfsConfig(env),
    ...breakersConfig(env),
    ...chainConfig(env),
    ...mintConfig(env),
    ...customerConfig(env),
    ...paymentsConfig(env),
  };
}

/**
 * Reads and validates the configuration. Every bad or missing variable is reported at once in one
 * ConfigError, so an operator fixes them in one go.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  readFile: (p: string) => string = (p) => readFileSync(p, 'utf8'),
): Config {
  const problems: string[] = [];
  const raw = readEnvironment(env, readFile, problems);
  problems.push(...schemaProblems(raw));
  const values = raw as unknown as EnvValues;
  const profile = profileOf(values);
  for (const rule of RULES) problems.push(...rule(values, profile));
  if (problems.length > 0) throw new ConfigError(problems);
  return assemble(values, profile);
}

/** Loads the configuration or exits with EX_CONFIG (78) after printing every problem (entry points). */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    throw e;
  }
}
