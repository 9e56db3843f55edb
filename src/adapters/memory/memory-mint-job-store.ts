import type { MintJob } from '../../domain/archive/mint-job.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { MintJobFilter, MintJobStats, MintJobStore } from '../../ports/mint-jobs.js';
import type { MemoryStore } from './memory-store.js';

const clone = <T>(v: T): T => structuredClone(v);

const newestFirst = (a: MintJob, b: MintJob) =>
  b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id);

const ageSeconds = (now: Date, times: number[]): number | null =>
  times.length ? Math.max(0, Math.round((now.getTime() - Math.min(...times)) / 1000)) : null;

const errorText = (message: string) => message.slice(0, 2000);

/** The same guarded transitions as the knex store: a job only moves from the state a method expects. */
export class MemoryMintJobStore implements MintJobStore {
  constructor(private readonly store: MemoryStore) {}

  private job(id: string): MintJob | undefined {
    return this.store.state.mintJobs.find((j) => j.id === id);
  }

  /** The job when it is in one of `states`. */
  private inState(id: string, ...states: MintJob['state'][]): MintJob | undefined {
    const j = this.job(id);
    return j && states.includes(j.state) ? j : undefined;
  }

  async find(id: string): Promise<MintJob | null> {
    const j = this.job(id);
    return j ? clone(j) : null;
  }

  async latestForInspection(inspectionId: string): Promise<MintJob | null> {
    const [j] = this.store.state.mintJobs.filter((x) => x.inspectionId === inspectionId).sort(newestFirst);
    return j ? clone(j) : null;
  }

  async confirmedFor(inspectionIds: string[]): Promise<MintJob[]> {
    return this.store.state.mintJobs
      .filter((j) => j.state === 'CONFIRMED' && inspectionIds.includes(j.inspectionId))
      .sort((a, b) => (a.confirmedAt?.getTime() ?? 0) - (b.confirmedAt?.getTime() ?? 0) || a.id.localeCompare(b.id))
      .map(clone);
  }

  async list(f: MintJobFilter, page: PageRequest): Promise<Page<MintJob>> {
    const all = this.store.state.mintJobs
      .filter(
        (j) =>
          (!f.state?.length || f.state.includes(j.state)) && (!f.inspectionId || j.inspectionId === f.inspectionId),
      )
      .sort(newestFirst);
    const start = offsetOf(page);
    return {
      items: all.slice(start, start + page.pageSize).map(clone),
      page: page.page,
      pageSize: page.pageSize,
      total: all.length,
    };
  }

  async listSubmitted(limit: number): Promise<MintJob[]> {
    return this.store.state.mintJobs
      .filter((j) => j.state === 'SUBMITTED')
      .sort((a, b) => (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0) || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map(clone);
  }

  async startAttempt(id: string, now: Date): Promise<MintJob | null> {
    const j = this.inState(id, 'QUEUED');
    if (!j) return null;
    Object.assign(j, { attempts: j.attempts + 1, updatedAt: now });
    return clone(j);
  }

  async saveMetadata(id: string, metadata: Record<string, unknown>, now: Date): Promise<void> {
    const j = this.inState(id, 'QUEUED');
    if (j) Object.assign(j, { metadata: clone(metadata), updatedAt: now });
  }

  async markSubmitted(
    id: string,
    tx: { hash: string; cbor: string | null; inputs: string[] },
    now: Date,
  ): Promise<boolean> {
    const j = this.inState(id, 'QUEUED');
    if (!j) return false;
    Object.assign(j, {
      state: 'SUBMITTED',
      pendingTxHash: tx.hash,
      pendingTxCbor: tx.cbor,
      pendingInputs: [...tx.inputs],
      confirmations: 0,
      submittedAt: now,
      updatedAt: now,
    });
    return true;
  }

  async saveConfirmations(id: string, confirmations: number, now: Date): Promise<void> {
    const j = this.inState(id, 'SUBMITTED');
    if (j) Object.assign(j, { confirmations, updatedAt: now });
  }

  async confirm(
    id: string,
    result: { txHash: string; assetId: string; confirmations: number },
    now: Date,
  ): Promise<boolean> {
    const j = this.inState(id, 'SUBMITTED');
    if (!j) return false;
    // mint_jobs_one_confirmed_asset: never two confirmed tokens for one asset.
    if (this.store.state.mintJobs.some((x) => x.state === 'CONFIRMED' && x.assetId === result.assetId))
      throw new Error(`asset ${result.assetId} already has a confirmed mint job`);
    Object.assign(j, {
      state: 'CONFIRMED',
      txHash: result.txHash,
      assetId: result.assetId,
      confirmations: result.confirmations,
      confirmedAt: now,
      finishedAt: now,
      updatedAt: now,
    });
    return true;
  }

  async requeue(id: string, error: { code: string; message: string } | null, now: Date): Promise<boolean> {
    const j = this.inState(id, 'SUBMITTED');
    if (!j) return false;
    Object.assign(j, {
      state: 'QUEUED',
      confirmations: 0,
      updatedAt: now,
      ...(error ? { lastError: errorText(error.message), lastErrorCode: error.code } : {}),
    });
    return true;
  }

  async fail(id: string, error: { code: string; message: string }, final: boolean, now: Date): Promise<boolean> {
    const j = this.inState(id, 'QUEUED', 'SUBMITTED');
    if (!j) return false;
    Object.assign(j, {
      lastError: errorText(error.message),
      lastErrorCode: error.code,
      updatedAt: now,
      ...(final ? { state: 'FAILED', finishedAt: now } : {}),
    });
    return true;
  }

  async stats(now: Date): Promise<MintJobStats> {
    const jobs = this.store.state.mintJobs;
    const count = (acc: Record<string, number>, key: string) => ({ ...acc, [key]: (acc[key] ?? 0) + 1 });
    return {
      byState: jobs.reduce<Record<string, number>>((acc, j) => count(acc, j.state), {}),
      oldestQueuedAgeSeconds: ageSeconds(
        now,
        jobs.filter((j) => j.state === 'QUEUED').map((j) => j.createdAt.getTime()),
      ),
      oldestSubmittedAgeSeconds: ageSeconds(
        now,
        jobs.filter((j) => j.state === 'SUBMITTED' && j.submittedAt).map((j) => (j.submittedAt as Date).getTime()),
      ),
      failedByCode: jobs
        .filter((j) => j.state === 'FAILED')
        .reduce<Record<string, number>>((acc, j) => count(acc, j.lastErrorCode ?? 'UNKNOWN'), {}),
      // No block height is stored with a job (same as the knex store).
      maxMintsPerBlock: null,
    };
  }
}
