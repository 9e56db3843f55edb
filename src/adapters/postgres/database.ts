import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { HealthCheck } from '../../ports/health-check.js';

// int8 (count(*), bigserial ids) arrives as a string; counts here stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
// DATE stays the calendar date it is ("2025-05-01"); a JS Date would shift it with the process time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

export interface DatabaseOptions {
  url: string;
  poolMax: number;
  statementTimeoutMs: number;
}

export function createKnex(o: DatabaseOptions): Knex {
  return knexFactory({
    client: 'pg',
    connection: {
      connectionString: o.url,
      statement_timeout: o.statementTimeoutMs,
      application_name: 'car-dano',
    } as Knex.PgConnectionConfig,
    pool: { min: 0, max: o.poolMax },
    acquireConnectionTimeout: 10_000,
  });
}

/** Readiness probe of the database: one round trip with a short timeout. */
export class DatabaseHealthCheck implements HealthCheck {
  readonly name = 'database';

  constructor(
    private readonly knex: Knex,
    private readonly timeoutMs = 2000,
  ) {}

  async check(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([this.knex.raw('select 1'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Creates `database` on the server behind `adminUrl` when it does not exist yet. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
