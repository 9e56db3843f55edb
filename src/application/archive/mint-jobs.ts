import type { MintJob } from '../../domain/archive/mint-job.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { Clock } from '../../ports/clock.js';
import type { MintJobFilter, MintJobStats, MintJobStore } from '../../ports/mint-jobs.js';
import type { Actor } from '../actor.js';
import type { ArchiveInspection } from './archive-inspection.js';

/** Operators list mint jobs by state or inspection, newest first, with their last error. */
export class ListMintJobs {
  constructor(private readonly jobs: MintJobStore) {}

  execute(filter: MintJobFilter, page: Partial<PageRequest>): Promise<Page<MintJob>> {
    return this.jobs.list(filter, normalisePage(page));
  }
}

/** Mint queue figures for administrators (also on /metrics). */
export class GetMintJobStats {
  constructor(private readonly jobs: MintJobStore, private readonly clock: Clock) {}

  execute(): Promise<MintJobStats> {
    return this.jobs.stats(this.clock.now());
  }
}

/**
 * Retries every failed archive: each inspection whose latest mint job FAILED (and that is FAIL_ARCHIVE) is
 * archived again; the new job first looks for what the failed one may have put on chain.
 */
export class RerunFailedMints {
  constructor(private readonly jobs: MintJobStore, private readonly archive: ArchiveInspection) {}

  async execute(actor: Actor, limit = 500): Promise<{ requeued: MintJob[]; skipped: Array<{ inspectionId: string; code: string }> }> {
    const failed: MintJob[] = [];
    for (let page = 1; failed.length < limit; page++) {
      const batch = await this.jobs.list({ state: ['FAILED'] }, { page, pageSize: 100 });
      failed.push(...batch.items);
      if (page * 100 >= batch.total) break;
    }
    const inspections = [...new Set(failed.map((j) => j.inspectionId))].slice(0, limit);
    const requeued: MintJob[] = [];
    const skipped: Array<{ inspectionId: string; code: string }> = [];
    for (const inspectionId of inspections) {
      const latest = await this.jobs.latestForInspection(inspectionId);
      if (latest?.state !== 'FAILED') continue;
      try {
        requeued.push(await this.archive.execute(actor, inspectionId));
      } catch (e) {
        skipped.push({ inspectionId, code: (e as { code?: string }).code ?? 'ARCHIVE.UNEXPECTED' });
      }
    }
    return { requeued, skipped };
  }
}
