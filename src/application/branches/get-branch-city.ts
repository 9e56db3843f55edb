import { BranchErrors, type BranchCity } from '../../domain/branch/branch-city.js';
import type { BranchCityRepository } from '../../ports/branch-city-repository.js';

/** One branch city. Errors: BRANCH.NOT_FOUND. */
export class GetBranchCity {
  constructor(private readonly branches: BranchCityRepository) {}

  async execute(id: string): Promise<BranchCity> {
    const branch = await this.branches.findById(id);
    if (!branch) throw BranchErrors.notFound();
    return branch;
  }
}
