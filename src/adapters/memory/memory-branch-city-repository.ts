import { BranchErrors, type BranchCity } from '../../domain/branch/branch-city.js';
import type { BranchCityPatch, BranchCityRepository } from '../../ports/branch-city-repository.js';
import type { MemoryStore } from './memory-store.js';

export class MemoryBranchCityRepository implements BranchCityRepository {
  constructor(private readonly store: MemoryStore) {}

  private get map(): Map<string, BranchCity> {
    return this.store.state.branches;
  }

  private assertCodeFree(code: string | undefined, id: string): void {
    if (code && [...this.map.values()].some((b) => b.code === code && b.id !== id)) throw BranchErrors.codeTaken();
  }

  async create(branch: Pick<BranchCity, 'id' | 'name' | 'code'>, now: Date): Promise<BranchCity> {
    this.assertCodeFree(branch.code, branch.id);
    const b: BranchCity = { ...branch, isActive: true, createdAt: now, updatedAt: now };
    this.map.set(b.id, b);
    return { ...b };
  }

  async findById(id: string): Promise<BranchCity | null> {
    const b = this.map.get(id);
    return b ? { ...b } : null;
  }

  async findByCode(code: string): Promise<BranchCity | null> {
    const b = [...this.map.values()].find((x) => x.code === code);
    return b ? { ...b } : null;
  }

  async list(activeOnly: boolean): Promise<BranchCity[]> {
    return [...this.map.values()]
      .filter((b) => !activeOnly || b.isActive)
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((b) => ({ ...b }));
  }

  async update(id: string, patch: BranchCityPatch, now: Date): Promise<BranchCity | null> {
    const b = this.map.get(id);
    if (!b) return null;
    this.assertCodeFree(patch.code, id);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next = { ...b, ...defined, updatedAt: now };
    this.map.set(id, next);
    return { ...next };
  }

  async delete(id: string): Promise<boolean> {
    // As the foreign keys on PostgreSQL (ON DELETE RESTRICT): users and inspections keep their branch.
    if ([...this.store.state.users.values()].some((u) => u.branchCityId === id)) throw BranchErrors.inUse();
    if ([...this.store.state.inspections.values()].some((i) => i.branchCityId === id)) throw BranchErrors.inUse();
    return this.map.delete(id);
  }
}
