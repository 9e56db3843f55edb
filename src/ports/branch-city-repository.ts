import type { BranchCity } from '../domain/branch/branch-city.js';

export interface BranchCityPatch {
  name?: string;
  code?: string;
  isActive?: boolean;
}

export interface BranchCityRepository {
  /** Stores a branch city; throws BRANCH.CODE_TAKEN (conflict) when the code exists. */
  create(branch: Pick<BranchCity, 'id' | 'name' | 'code'>, now: Date): Promise<BranchCity>;
  /** The branch city, or null when there is none. */
  findById(id: string): Promise<BranchCity | null>;
  /** The branch city with this code (exact match on the stored uppercase code), or null. */
  findByCode(code: string): Promise<BranchCity | null>;
  /** All branch cities ordered by code; only active ones when `activeOnly`. */
  list(activeOnly: boolean): Promise<BranchCity[]>;
  /** Applies the patch; null when missing; BRANCH.CODE_TAKEN on a code clash. */
  update(id: string, patch: BranchCityPatch, now: Date): Promise<BranchCity | null>;
  /** Deletes; false when it did not exist. Throws BRANCH.IN_USE while users or inspections still belong to it. */
  delete(id: string): Promise<boolean>;
}

export const BranchCityRepository = Symbol('BranchCityRepository');
