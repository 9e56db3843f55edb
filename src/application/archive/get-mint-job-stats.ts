import type { Clock } from '../../ports/clock.js';
import type { MintJobStats, MintJobStore } from '../../ports/mint-jobs.js';

/** Mint queue figures for administrators (also on /metrics). */
export class GetMintJobStats {
  constructor(
    private readonly jobs: MintJobStore,
    private readonly clock: Clock,
  ) {}

  execute(): Promise<MintJobStats> {
    return this.jobs.stats(this.clock.now());
  }
}
