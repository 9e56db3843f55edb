import type { CreditPackage } from '../../domain/customer/payment.js';
import type { CreditPackagePatch, CreditPackages } from '../../ports/payments.js';
import type { MemoryStore } from './memory-store.js';

export class MemoryCreditPackages implements CreditPackages {
  constructor(private readonly store: MemoryStore) {}

  private get map(): Map<string, CreditPackage> {
    return this.store.state.creditPackages;
  }

  async list(activeOnly: boolean): Promise<CreditPackage[]> {
    return [...this.map.values()]
      .filter((p) => !activeOnly || p.active)
      .sort((a, b) => a.priceIdr - b.priceIdr || a.name.localeCompare(b.name))
      .map((p) => ({ ...p }));
  }

  async findById(id: string): Promise<CreditPackage | null> {
    const p = this.map.get(id);
    return p ? { ...p } : null;
  }

  async create(
    p: Pick<CreditPackage, 'id' | 'name' | 'credits' | 'priceIdr' | 'active'>,
    now: Date,
  ): Promise<CreditPackage> {
    const row: CreditPackage = { ...p, createdAt: now, updatedAt: now };
    this.map.set(row.id, row);
    return { ...row };
  }

  async update(id: string, patch: CreditPackagePatch, now: Date): Promise<CreditPackage | null> {
    const p = this.map.get(id);
    if (!p) return null;
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next = { ...p, ...defined, updatedAt: now };
    this.map.set(id, next);
    return { ...next };
  }
}
