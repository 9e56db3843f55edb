import type { Knex } from 'knex';
import PgBoss from 'pg-boss';

export const REPORT_QUEUE = 'report-render';
/** Mint jobs (archiving): data { mintJobId, inspectionId }. */
export const MINT_QUEUE = 'mint';

/** Priorities: a single approval is rendered before bulk ones. */
export const PRIORITY = { single: 10, bulk: 0 } as const;

export interface JobBus {
  /** Sends a job; with `trx`, inside that transaction (a rollback drops the job). */
  send(queue: string, data: object, options: { priority: number; singletonKey?: string }, trx?: Knex.Transaction): Promise<string | null>;
}

export interface BusLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/**
 * pg-boss's db option for a knex transaction: pg-boss writes $1-style SQL; knex binds with `?`. Values are
 * re-ordered per placeholder, and undefined becomes null (pg-boss 10 passes undefined for absent options).
 */
export function knexExecutor(trx: Knex.Transaction): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      const bindings: unknown[] = [];
      const sql = text.replace(/\$(\d+)/g, (_m, n: string) => {
        bindings.push(values[Number(n) - 1] ?? null);
        return '?';
      });
      const result = (await trx.raw(sql, bindings as Knex.RawBinding[])) as { rows: unknown[] };
      return { rows: result.rows };
    },
  };
}

/** pg-boss on the application's PostgreSQL (its own schema "pgboss"). */
export class PgBossBus implements JobBus {
  readonly boss: PgBoss;

  constructor(connectionString: string, private readonly log: BusLogger) {
    this.boss = new PgBoss({ connectionString, schema: 'pgboss', max: 4, application_name: 'car-dano-jobs' });
    this.boss.on('error', (e) => this.log.error('job queue error', { err: e }));
  }

  /** Creates/updates the schema and the queues with their retry policy. */
  async start(queues: Array<{ name: string; retryLimit: number; retryDelaySeconds: number; expireInSeconds: number }>): Promise<void> {
    await this.boss.start();
    for (const q of queues) {
      const options = { name: q.name, retryLimit: q.retryLimit, retryDelay: q.retryDelaySeconds, retryBackoff: true, expireInSeconds: q.expireInSeconds };
      if (await this.boss.getQueue(q.name)) await this.boss.updateQueue(q.name, options);
      else await this.boss.createQueue(q.name, options);
    }
  }

  send(queue: string, data: object, options: { priority: number; singletonKey?: string }, trx?: Knex.Transaction): Promise<string | null> {
    return this.boss.send(queue, data, { ...options, ...(trx ? { db: knexExecutor(trx) } : {}) });
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
