import type { Knex } from 'knex';
import { pageOf } from './knex-paging.js';
import type { MintJob, MintJobState, MintTrigger } from '../../domain/archive/mint-job.js';
import type { Page, PageRequest } from '../../domain/shared/pagination.js';
import type { WorkOrigin } from '../../domain/shared/work-origin.js';
import type { MintJobFilter, MintJobStats, MintJobStore } from '../../ports/mint-jobs.js';

type Row = Record<string, unknown>;

/** A mint_jobs row as a MintJob. */
export const toMintJob = (r: Row): MintJob => ({
  id: r.id as string,
  inspectionId: r.inspection_id as string,
  state: r.state as MintJobState,
  trigger: r.trigger as MintTrigger,
  attempts: Number(r.attempts),
  policyId: r.policy_id as string,
  assetName: r.asset_name as string,
  pendingTxHash: (r.pending_tx_hash as string | null) ?? null,
  pendingTxCbor: (r.pending_tx_cbor as string | null) ?? null,
  pendingInputs: [...((r.pending_inputs as string[] | null) ?? [])],
  txHash: (r.tx_hash as string | null) ?? null,
  assetId: (r.asset_id as string | null) ?? null,
  metadata: (r.metadata as Record<string, unknown> | null) ?? null,
  confirmations: Number(r.confirmations),
  lastError: (r.last_error as string | null) ?? null,
  lastErrorCode: (r.last_error_code as string | null) ?? null,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
  submittedAt: (r.submitted_at as Date | null) ?? null,
  confirmedAt: (r.confirmed_at as Date | null) ?? null,
  finishedAt: (r.finished_at as Date | null) ?? null,
  ...originOf(r),
});

/** The job's origin, only when one was recorded (a field is left out when its column is null). */
function originOf(r: Row): { origin?: WorkOrigin } {
  const origin: WorkOrigin = {};
  if (typeof r.origin_traceparent === 'string') origin.traceparent = r.origin_traceparent;
  if (typeof r.origin_tracestate === 'string') origin.tracestate = r.origin_tracestate;
  if (typeof r.origin_request_id === 'string') origin.requestId = r.origin_request_id;
  return Object.keys(origin).length > 0 ? { origin } : {};
}

const ageSeconds = (now: Date, t: Date | null | undefined): number | null =>
  t ? Math.max(0, Math.round((now.getTime() - t.getTime()) / 1000)) : null;

const errorText = (message: string) => message.slice(0, 2000);

/** mint_jobs: every state change is one UPDATE guarded by the state it leaves. */
export class KnexMintJobStore implements MintJobStore {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async find(id: string): Promise<MintJob | null> {
    const r = await this.db('mint_jobs').where({ id }).first();
    return r ? toMintJob(r) : null;
  }

  async latestForInspection(inspectionId: string): Promise<MintJob | null> {
    const r = await this.db('mint_jobs')
      .where({ inspection_id: inspectionId })
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
      .first();
    return r ? toMintJob(r) : null;
  }

  async confirmedFor(inspectionIds: string[]): Promise<MintJob[]> {
    if (inspectionIds.length === 0) return [];
    const rows = await this.db('mint_jobs')
      .whereIn('inspection_id', inspectionIds)
      .where({ state: 'CONFIRMED' })
      .orderBy([{ column: 'confirmed_at' }, { column: 'id' }]);
    return rows.map(toMintJob);
  }

  async list(f: MintJobFilter, page: PageRequest): Promise<Page<MintJob>> {
    const q = this.db('mint_jobs').modify((b) => {
      if (f.state?.length) b.whereIn('state', f.state);
      if (f.inspectionId) b.where('inspection_id', f.inspectionId);
    });
    return pageOf(q, page, toMintJob, (b) => b.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }]));
  }

  async listSubmitted(limit: number): Promise<MintJob[]> {
    const rows = await this.db('mint_jobs')
      .where({ state: 'SUBMITTED' })
      .orderBy([{ column: 'submitted_at' }, { column: 'id' }])
      .limit(limit);
    return rows.map(toMintJob);
  }

  async startAttempt(id: string, now: Date): Promise<MintJob | null> {
    const [r] = await this.db('mint_jobs')
      .where({ id, state: 'QUEUED' })
      .update({ attempts: this.db.raw('attempts + 1'), updated_at: now })
      .returning('*');
    return r ? toMintJob(r as Row) : null;
  }

  async saveMetadata(id: string, metadata: Record<string, unknown>, now: Date): Promise<void> {
    await this.db('mint_jobs')
      .where({ id, state: 'QUEUED' })
      .update({ metadata: JSON.stringify(metadata), updated_at: now });
  }

  async markSubmitted(
    id: string,
    tx: { hash: string; cbor: string | null; inputs: string[] },
    now: Date,
  ): Promise<boolean> {
    // A new submission starts without confirmations (the watcher reads a stale count as a rollback).
    const n = await this.db('mint_jobs')
      .where({ id, state: 'QUEUED' })
      .update({
        state: 'SUBMITTED',
        pending_tx_hash: tx.hash,
        pending_tx_cbor: tx.cbor,
        pending_inputs: [...tx.inputs],
        confirmations: 0,
        submitted_at: now,
        updated_at: now,
      });
    return n > 0;
  }

  async saveConfirmations(id: string, confirmations: number, now: Date): Promise<void> {
    await this.db('mint_jobs').where({ id, state: 'SUBMITTED' }).update({ confirmations, updated_at: now });
  }

  async confirm(
    id: string,
    result: { txHash: string; assetId: string; confirmations: number },
    now: Date,
  ): Promise<boolean> {
    const n = await this.db('mint_jobs').where({ id, state: 'SUBMITTED' }).update({
      state: 'CONFIRMED',
      tx_hash: result.txHash,
      asset_id: result.assetId,
      confirmations: result.confirmations,
      confirmed_at: now,
      finished_at: now,
      updated_at: now,
    });
    return n > 0;
  }

  async requeue(id: string, error: { code: string; message: string } | null, now: Date): Promise<boolean> {
    const n = await this.db('mint_jobs')
      .where({ id, state: 'SUBMITTED' })
      .update({
        state: 'QUEUED',
        confirmations: 0,
        updated_at: now,
        ...(error ? { last_error: errorText(error.message), last_error_code: error.code } : {}),
      });
    return n > 0;
  }

  async fail(id: string, error: { code: string; message: string }, final: boolean, now: Date): Promise<boolean> {
    const n = await this.db('mint_jobs')
      .where({ id })
      .whereIn('state', ['QUEUED', 'SUBMITTED'])
      .update({
        last_error: errorText(error.message),
        last_error_code: error.code,
        updated_at: now,
        ...(final ? { state: 'FAILED', finished_at: now } : {}),
      });
    return n > 0;
  }

  async stats(now: Date): Promise<MintJobStats> {
    const byState = (await this.db('mint_jobs').select('state').count({ n: '*' }).groupBy('state')) as Array<{
      state: string;
      n: number;
    }>;
    const failed = (await this.db('mint_jobs')
      .where({ state: 'FAILED' })
      .select('last_error_code')
      .count({ n: '*' })
      .groupBy('last_error_code')) as Array<{ last_error_code: string | null; n: number }>;
    const queued = (await this.db('mint_jobs').where({ state: 'QUEUED' }).min({ t: 'created_at' }).first()) as
      { t: Date | null } | undefined;
    const submitted = (await this.db('mint_jobs').where({ state: 'SUBMITTED' }).min({ t: 'submitted_at' }).first()) as
      { t: Date | null } | undefined;
    return {
      byState: Object.fromEntries(byState.map((r) => [r.state, Number(r.n)])),
      oldestQueuedAgeSeconds: ageSeconds(now, queued?.t),
      oldestSubmittedAgeSeconds: ageSeconds(now, submitted?.t),
      failedByCode: Object.fromEntries(failed.map((f) => [f.last_error_code ?? 'UNKNOWN', Number(f.n)])),
      // No block height is stored with a job, so mints per block cannot be counted here.
      maxMintsPerBlock: null,
    };
  }
}
