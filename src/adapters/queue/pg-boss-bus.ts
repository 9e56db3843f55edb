import type { Knex } from 'knex';
import { fromKnex, PgBoss, type Db } from 'pg-boss';
import { currentJobOrigin } from '../observability/job-context.js';
import { carryOverV10Jobs, detachV10Schema } from './pg-boss-v10-upgrade.js';

export const REPORT_QUEUE = 'report-render';
/** Mint jobs (archiving): data { mintJobId, inspectionId }. */
export const MINT_QUEUE = 'mint';

/** Priorities: a single approval is rendered before bulk ones. */
export const PRIORITY = { single: 10, bulk: 0 } as const;

export interface JobBus {
  /**
   * Sends a job; with `trx`, inside that transaction (a rollback drops the job). The data also carries its
   * origin (the W3C trace context and the request id of the sender, see job-context.ts).
   */
  send(
    queue: string,
    data: object,
    options: { priority: number; singletonKey?: string },
    trx?: Knex.Transaction,
  ): Promise<string | null>;
}

export interface BusLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** pg-boss's db option for a knex transaction (pg-boss's own knex adapter: $n placeholders to knex bindings). */
export function knexExecutor(trx: Knex.Transaction): Db {
  return fromKnex(trx);
}

const SCHEMA = 'pgboss';

/** pg-boss on the application's PostgreSQL (its own schema "pgboss"). */
export class PgBossBus implements JobBus {
  readonly boss: PgBoss;

  /**
   * `monitorSeconds`: how often this process looks for jobs whose heartbeat or time limit ran out (pg-boss's
   * supervise and monitor passes; pg-boss's default is 60 s).
   */
  constructor(
    private readonly connectionString: string,
    private readonly log: BusLogger,
    options: { monitorSeconds?: number } = {},
  ) {
    const every = options.monitorSeconds ?? 5;
    this.boss = new PgBoss({
      connectionString,
      schema: SCHEMA,
      max: 4,
      application_name: 'car-dano-jobs',
      superviseIntervalSeconds: every,
      monitorIntervalSeconds: every,
    });
    this.boss.on('error', (e) => this.log.error('job queue error', { err: e }));
  }

  /**
   * Creates/updates the schema and the queues with their retry policy. With `heartbeatSeconds`, a worker
   * heartbeats each job it runs, and a job whose worker died (no heartbeat for that long) is failed and
   * retried at the next monitor pass instead of waiting for `expireInSeconds`.
   */
  async start(
    queues: Array<{
      name: string;
      retryLimit: number;
      retryDelaySeconds: number;
      expireInSeconds: number;
      heartbeatSeconds?: number;
    }>,
  ): Promise<void> {
    const upgrading = await detachV10Schema(this.connectionString, SCHEMA, this.log);
    await this.boss.start();
    for (const q of queues) {
      const options = {
        name: q.name,
        retryLimit: q.retryLimit,
        retryDelay: q.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: q.expireInSeconds,
        ...(q.heartbeatSeconds ? { heartbeatSeconds: q.heartbeatSeconds } : {}),
      };
      // updateQueue's types omit heartbeatSeconds, but its SQL applies it (checked by the pg-boss bus spec).
      if (await this.boss.getQueue(q.name))
        await this.boss.updateQueue(q.name, options as Parameters<PgBoss['updateQueue']>[1]);
      else await this.boss.createQueue(q.name, options);
    }
    if (upgrading) await carryOverV10Jobs(this.connectionString, SCHEMA, this.boss, this.log);
  }

  send(
    queue: string,
    data: object,
    options: { priority: number; singletonKey?: string },
    trx?: Knex.Transaction,
  ): Promise<string | null> {
    // The origin first: a field of the job's own data is never overwritten.
    const withOrigin = { ...currentJobOrigin(), ...data };
    return this.boss.send(queue, withOrigin, { ...options, ...(trx ? { db: knexExecutor(trx) } : {}) });
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 30_000 });
  }
}
