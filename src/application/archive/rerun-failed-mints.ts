import type { MintJob } from '../../domain/archive/mint-job.js';
import type { MintJobStore } from '../../ports/mint-jobs.js';
import type { Actor } from '../actor.js';
import type { ArchiveInspection } from './archive-inspection.js';

/** What a retry of failed archives did: the new mint jobs, and the inspections that could not be archived again. */
export interface RerunFailedMintsResult {
  requeued: MintJob[];
  skipped: Array<{ inspectionId: string; code: string }>;
}

/**
 * Retries every failed archive: each inspection whose latest mint job FAILED (and that is FAIL_ARCHIVE) is
 * archived again; the new job first looks for what the failed one may have put on chain. `limit` counts
 * inspections that are still failed: an old FAILED job of an inspection archived again since takes no place.
 */
export class RerunFailedMints {
  constructor(
    private readonly jobs: MintJobStore,
    private readonly archive: ArchiveInspection,
  ) {}

  async execute(actor: Actor, limit = 500): Promise<RerunFailedMintsResult> {
    const inspections = await this.stillFailed(limit);
    const requeued: MintJob[] = [];
    const skipped: Array<{ inspectionId: string; code: string }> = [];
    for (const inspectionId of inspections) {
      try {
        requeued.push(await this.archive.execute(actor, inspectionId));
      } catch (e) {
        skipped.push({ inspectionId, code: (e as { code?: string }).code ?? 'ARCHIVE.UNEXPECTED' });
      }
    }
    return { requeued, skipped };
  }

  /** The candidates are chosen before anything is archived again (which adds QUEUED jobs, not FAILED ones). */
  private async stillFailed(limit: number): Promise<string[]> {
    const seen = new Set<string>();
    const inspections: string[] = [];
    for (let page = 1; inspections.length < limit; page++) {
      const batch = await this.jobs.list({ state: ['FAILED'] }, { page, pageSize: 100 });
      for (const job of batch.items) {
        if (inspections.length >= limit || seen.has(job.inspectionId)) continue;
        seen.add(job.inspectionId);
        if ((await this.jobs.latestForInspection(job.inspectionId))?.state === 'FAILED')
          inspections.push(job.inspectionId);
      }
      if (batch.items.length === 0 || page * 100 >= batch.total) break;
    }
    return inspections;
  }
}
