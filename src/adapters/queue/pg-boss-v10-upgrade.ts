import pg from 'pg';
import type { Db, JobInsert, PgBoss } from 'pg-boss';

/**
 * Carries the jobs of a pg-boss 10 installation over to pg-boss 12.
 *
 * pg-boss 11 rewrote its schema and ships no migration from pg-boss 10's (schema version 24): pg-boss 12
 * refuses to start on it, and its release notes tell users to move waiting jobs themselves. So, once, under
 * an advisory lock:
 * 1. `detach()` (before pg-boss 12 starts) renames the old schema to `<schema>_v10`, leaving the name free
 *    for pg-boss 12 to install itself;
 * 2. `carryOver()` (after pg-boss 12 started and created the queues) re-inserts every job that was still
 *    waiting (created, retry, or active when the old processes stopped) through pg-boss 12's own insert, with
 *    its id, data, priority, retry policy and singleton key, restores its retry count and start (a job that was
 *    running is handed out again as its next attempt, as pg-boss 10's expiry would have), and renames the old schema to
 *    `<schema>_v10_done`: the copy and the rename commit together, so a crash in between repeats the copy
 *    from the start and a second process finds nothing left to do.
 * Finished jobs stay readable in `<schema>_v10_done` (drop it when no longer wanted); the application's own
 * pdf_jobs/mint_jobs rows keep the history that matters.
 */
export interface V10UpgradeLog {
  info(message: string, meta?: Record<string, unknown>): void;
}

/** pg-boss 10's schema version; pg-boss 12 migrates only from 25 on. */
export const PG_BOSS_V10_SCHEMA_VERSION = 24;
const LOCK_KEY = 'car-dano:pg-boss-v10-upgrade';

interface OldJob {
  id: string;
  name: string;
  priority: number;
  data: object | null;
  state: 'created' | 'retry' | 'active';
  retry_limit: number;
  retry_count: number;
  retry_delay: number;
  retry_backoff: boolean;
  start_after: Date;
  started_on: Date | null;
  singleton_key: string | null;
  expire_in_seconds: number;
}

async function withLockedClient<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, application_name: 'car-dano-jobs-upgrade' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK_KEY]);
    return await fn(client);
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

async function schemaExists(client: pg.Client, schema: string): Promise<boolean> {
  return (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1;
}

/** Step 1: moves a pg-boss 10 schema out of the way. Returns whether old jobs wait to be carried over. */
export async function detachV10Schema(connectionString: string, schema: string, log: V10UpgradeLog): Promise<boolean> {
  const old = `${schema}_v10`;
  return withLockedClient(connectionString, async (client) => {
    const table = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`${schema}.version`]);
    if (table.rows[0]?.t) {
      const version = Number(
        (await client.query<{ version: number }>(`SELECT version FROM ${client.escapeIdentifier(schema)}.version`))
          .rows[0]?.version,
      );
      if (version <= PG_BOSS_V10_SCHEMA_VERSION) {
        if (await schemaExists(client, old))
          throw new Error(
            `job queue upgrade: both ${schema} (pg-boss schema ${version}) and ${old} exist; resolve by hand (docs/dependencies.md)`,
          );
        await client.query(`ALTER SCHEMA ${client.escapeIdentifier(schema)} RENAME TO ${client.escapeIdentifier(old)}`);
        log.info('job queue: pg-boss 10 schema set aside for the upgrade to pg-boss 12', {
          from: schema,
          to: old,
          schemaVersion: version,
        });
      }
    }
    return schemaExists(client, old);
  });
}

/** Step 2: re-inserts the waiting jobs of the set-aside schema through pg-boss 12 and retires that schema. */
export async function carryOverV10Jobs(
  connectionString: string,
  schema: string,
  boss: PgBoss,
  log: V10UpgradeLog,
): Promise<number> {
  const old = `${schema}_v10`;
  return withLockedClient(connectionString, async (client) => {
    if (!(await schemaExists(client, old))) return 0;
    const src = client.escapeIdentifier(old);
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<OldJob>(
        `SELECT id, name, priority, data, state, retry_limit, retry_count, retry_delay, retry_backoff, start_after, started_on, singleton_key,
                extract(epoch FROM expire_in)::int AS expire_in_seconds
           FROM ${src}.job WHERE state IN ('created', 'retry', 'active') ORDER BY created_on`,
      );
      const db: Db = {
        executeSql: async (text, values) => ({ rows: (await client.query(text, values as unknown[])).rows }),
      };
      const byQueue = new Map<string, OldJob[]>();
      for (const job of rows) byQueue.set(job.name, [...(byQueue.get(job.name) ?? []), job]);
      for (const [name, jobs] of byQueue) {
        if (!(await boss.getQueue(name))) await boss.createQueue(name);
        const inserts: JobInsert[] = jobs.map((j) => ({
          id: j.id,
          data: j.data ?? {},
          priority: j.priority,
          retryLimit: j.retry_limit,
          retryDelay: j.retry_delay,
          retryBackoff: j.retry_backoff,
          startAfter: j.start_after,
          expireInSeconds: Math.max(1, j.expire_in_seconds),
          ...(j.singleton_key ? { singletonKey: j.singleton_key } : {}),
        }));
        await boss.insert(name, inserts, { db });
      }
      // pg-boss (10 and 12 alike) counts an attempt when it hands out a job that was started before: a job
      // that failed or was running keeps its count and its start, so the next hand-out is its next attempt.
      const tgt = client.escapeIdentifier(schema);
      for (const j of rows) {
        if (j.state === 'created') continue;
        await client.query(
          `UPDATE ${tgt}.job SET state = 'retry', retry_count = $2, started_on = $3 WHERE name = $4 AND id = $1`,
          [j.id, j.retry_count, j.started_on ?? new Date(), j.name],
        );
      }
      await client.query(`ALTER SCHEMA ${src} RENAME TO ${client.escapeIdentifier(`${old}_done`)}`);
      await client.query('COMMIT');
      const counts = Object.fromEntries([...byQueue].map(([name, jobs]) => [name, jobs.length]));
      log.info('job queue: waiting pg-boss 10 jobs carried over to pg-boss 12', {
        jobs: rows.length,
        byQueue: counts,
        retired: `${old}_done`,
      });
      return rows.length;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  });
}
