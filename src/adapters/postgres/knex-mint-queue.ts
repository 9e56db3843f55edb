import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { MintErrors, type MintJob, type MintTrigger } from '../../domain/archive/mint-job.js';
import type { WorkOrigin, WorkOriginSource } from '../../domain/shared/work-origin.js';
import type { MintQueue } from '../../ports/mint-jobs.js';
import { MINT_QUEUE, type JobBus } from '../queue/pg-boss-bus.js';
import { toMintJob } from './knex-mint-job-store.js';
import { isUniqueViolation } from './pg-errors.js';

type Row = Record<string, unknown>;

const isTransaction = (db: Knex | Knex.Transaction): db is Knex.Transaction =>
  (db as Knex.Transaction).isTransaction === true;

/**
 * Mint requests as mint_jobs rows plus a pg-boss job, both written in the caller's transaction: a rolled
 * back archive leaves neither. Without a bus (CLI, tests of other things) only the row is written.
 */
export class KnexMintQueue implements MintQueue {
  constructor(
    private readonly db: Knex | Knex.Transaction,
    private readonly bus?: JobBus,
    private readonly originOf: WorkOriginSource = () => ({}),
  ) {}

  async enqueue(
    job: { inspectionId: string; trigger: MintTrigger; policyId: string; assetName: string; origin?: WorkOrigin },
    now: Date,
  ): Promise<MintJob> {
    const id = randomUUID();
    const origin = job.origin ?? this.originOf();
    let row: Row | undefined;
    try {
      // ON CONFLICT against the partial unique index instead of catching the violation: a failed INSERT would
      // abort the caller's transaction. A concurrent enqueue for the same inspection waits for ours to end.
      const r = await this.db.raw(
        `INSERT INTO mint_jobs (id, inspection_id, state, trigger, attempts, policy_id, asset_name, created_at, updated_at,
                                origin_traceparent, origin_tracestate, origin_request_id)
         VALUES (?, ?, 'QUEUED', ?, 0, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (inspection_id) WHERE state IN ('QUEUED','SUBMITTED') DO NOTHING
         RETURNING *`,
        [
          id,
          job.inspectionId,
          job.trigger,
          job.policyId,
          job.assetName,
          now,
          now,
          origin.traceparent ?? null,
          origin.tracestate ?? null,
          origin.requestId ?? null,
        ],
      );
      row = (r as { rows: Row[] }).rows[0];
    } catch (e) {
      if (isUniqueViolation(e, 'mint_jobs_one_active')) throw MintErrors.alreadyActive();
      throw e;
    }
    if (!row) throw MintErrors.alreadyActive();
    await this.send(id, job.inspectionId);
    return toMintJob(row);
  }

  async resend(jobId: string, inspectionId: string): Promise<void> {
    await this.send(jobId, inspectionId);
  }

  private async send(mintJobId: string, inspectionId: string): Promise<void> {
    await this.bus?.send(
      MINT_QUEUE,
      { mintJobId, inspectionId },
      { priority: 0 },
      isTransaction(this.db) ? this.db : undefined,
    );
  }
}
