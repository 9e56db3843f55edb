import { randomUUID } from 'node:crypto';
import { ACTIVE_MINT_STATES, MintErrors, type MintJob, type MintTrigger } from '../../domain/archive/mint-job.js';
import type { WorkOrigin, WorkOriginSource } from '../../domain/shared/work-origin.js';
import type { MintQueue } from '../../ports/mint-jobs.js';
import type { MemoryStore } from './memory-store.js';

const clone = <T>(v: T): T => structuredClone(v);

/** The fields of an origin that are set (as the knex adapter reads them back), or undefined when none is. */
function recorded(o: WorkOrigin): WorkOrigin | undefined {
  const out: WorkOrigin = {};
  if (o.traceparent) out.traceparent = o.traceparent;
  if (o.tracestate) out.tracestate = o.tracestate;
  if (o.requestId) out.requestId = o.requestId;
  return Object.keys(out).length > 0 ? out : undefined;
}

export class MemoryMintQueue implements MintQueue {
  constructor(
    private readonly store: MemoryStore,
    private readonly originOf: WorkOriginSource = () => ({}),
  ) {}

  async enqueue(
    job: { inspectionId: string; trigger: MintTrigger; policyId: string; assetName: string; origin?: WorkOrigin },
    now: Date,
  ): Promise<MintJob> {
    const s = this.store.state;
    if (s.mintJobs.some((j) => j.inspectionId === job.inspectionId && ACTIVE_MINT_STATES.includes(j.state)))
      throw MintErrors.alreadyActive();
    const origin = recorded(job.origin ?? this.originOf());
    const created: MintJob = {
      id: randomUUID(),
      inspectionId: job.inspectionId,
      state: 'QUEUED',
      trigger: job.trigger,
      attempts: 0,
      policyId: job.policyId,
      assetName: job.assetName,
      pendingTxHash: null,
      pendingTxCbor: null,
      pendingInputs: [],
      txHash: null,
      assetId: null,
      metadata: null,
      confirmations: 0,
      lastError: null,
      lastErrorCode: null,
      createdAt: now,
      updatedAt: now,
      submittedAt: null,
      confirmedAt: null,
      finishedAt: null,
      ...(origin ? { origin } : {}),
    };
    s.mintJobs.push(created);
    s.sentMintJobs.push({ mintJobId: created.id });
    return clone(created);
  }

  async resend(jobId: string): Promise<void> {
    this.store.state.sentMintJobs.push({ mintJobId: jobId });
  }
}
