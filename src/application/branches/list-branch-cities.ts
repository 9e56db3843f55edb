import type { BranchCity } from '../../domain/branch/branch-city.js';
import type { BranchCityRepository } from '../../ports/branch-city-repository.js';

/** GET /branch-cities: the branch cities ordered by code, only the active ones unless asked for all. */
export class ListBranchCities {
  constructor(private readonly branches: BranchCityRepository) {}

  execute(activeOnly: boolean): Promise<BranchCity[]> {
    return this.branches.list(activeOnly);
  }
}
