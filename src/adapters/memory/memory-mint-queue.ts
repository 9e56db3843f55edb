import { randomUUID } from 'node:crypto';
import { ACTIVE_MINT_STATES, MintErrors, type MintJob, type MintTrigger } from '../../domain/archive/mint-job.js';
import type { MintQueue } from '../../ports/mint-jobs.js';
import type { MemoryStore } from './memory-store.js';

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryMintQueue implements MintQueue {
  constructor(private readonly store: MemoryStore) {}

  async enqueue(
    job: { inspectionId: string; trigger: MintTrigger; policyId: string; assetName: string },
    now: Date,
  ): Promise<MintJob> {
    const s = this.store.state;
    if (s.mintJobs.some((j) => j.inspectionId === job.inspectionId && ACTIVE_MINT_STATES.includes(j.state)))
      throw MintErrors.alreadyActive();
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
    };
    s.mintJobs.push(created);
    s.sentMintJobs.push({ mintJobId: created.id });
    return clone(created);
  }

  async resend(jobId: string): Promise<void> {
    this.store.state.sentMintJobs.push({ mintJobId: jobId });
  }
}
