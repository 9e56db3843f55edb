/**
 * Configuration section of the PostgreSQL adapter: an external server (DATABASE_URL) or the embedded
 * cluster started in DATA_DIR, and the connection pool.
 */
import type { EnvSection } from './env.js';
import type { EnvValues } from './schema.js';

/** The database connection, the pool and the embedded cluster. */
export const DATABASE_ENV = {
  DATABASE_URL: {
    type: 'string',
    pattern: '^postgres(ql)?://',
    description:
      'PostgreSQL connection string. Unset: an embedded PostgreSQL is started in DATA_DIR/postgres. Secret: DATABASE_URL_FILE also accepted.',
    secretFile: true,
  },
  DATABASE_POOL_MAX: {
    type: 'integer',
    minimum: 1,
    maximum: 100,
    default: 10,
    description: 'Maximum connections in the pool.',
  },
  DATABASE_STATEMENT_TIMEOUT_MS: {
    type: 'integer',
    minimum: 100,
    default: 30000,
    description: 'statement_timeout for every connection.',
  },
  EMBEDDED_PG_PORT: {
    type: 'integer',
    minimum: 1024,
    maximum: 65535,
    default: 54329,
    description: 'Port (127.0.0.1 only) of the embedded PostgreSQL.',
  },
  EMBEDDED_PG_SHARED_DIR: {
    type: 'string',
    minLength: 1,
    default: '/var/lib/car-dano/embedded-postgres',
    description:
      'As root, when the postgres user cannot reach the project (a clone in a 0700 home): where the embedded cluster runs from (a 0755 copy of its binaries, keyed by version) and keeps its data (linked from DATA_DIR/postgres).',
  },
  EMBEDDED_PG_RELOCATE: {
    type: 'string',
    enum: ['auto', 'always'],
    default: 'auto',
    description:
      'As root: always copies the PostgreSQL binaries to EMBEDDED_PG_SHARED_DIR even when the project is reachable.',
  },
  EMBEDDED_PG_DATABASE: {
    type: 'string',
    pattern: '^[a-z_][a-z0-9_]*$',
    default: 'cardano',
    description: 'Database name inside the embedded cluster.',
  },
} as const satisfies EnvSection;

/** The database part of Config. */
export interface DatabaseConfig {
  database: {
    url: string | undefined;
    poolMax: number;
    statementTimeoutMs: number;
    embeddedPort: number;
    embeddedDatabase: string;
    embeddedSharedDir: string;
    embeddedRelocate: 'auto' | 'always';
  };
}

/** Maps the validated environment into Config.database. */
export function databaseConfig(env: EnvValues): DatabaseConfig {
  return {
    database: {
      url: env.DATABASE_URL,
      poolMax: env.DATABASE_POOL_MAX,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      embeddedPort: env.EMBEDDED_PG_PORT,
      embeddedDatabase: env.EMBEDDED_PG_DATABASE,
      embeddedSharedDir: env.EMBEDDED_PG_SHARED_DIR,
      embeddedRelocate: env.EMBEDDED_PG_RELOCATE,
    },
  };
}
