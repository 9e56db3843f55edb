import type { MintJob } from '../../domain/archive/mint-job.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { MintJobFilter, MintJobStore } from '../../ports/mint-jobs.js';

/** Operators list mint jobs by state or inspection, newest first, with their last error. */
export class ListMintJobs {
  constructor(private readonly jobs: MintJobStore) {}

  execute(filter: MintJobFilter, page: Partial<PageRequest>): Promise<Page<MintJob>> {
    return this.jobs.list(filter, normalisePage(page));
  }
}
