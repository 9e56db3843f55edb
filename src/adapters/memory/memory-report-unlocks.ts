import type { ReportUnlocks } from '../../ports/payments.js';
import type { MemoryStore } from './memory-store.js';

export class MemoryReportUnlocks implements ReportUnlocks {
  constructor(private readonly store: MemoryStore) {}

  async inspectionIdsOf(customerId: string): Promise<string[]> {
    return this.store.state.reportUnlocks.filter((u) => u.customerId === customerId).map((u) => u.inspectionId);
  }

  async isUnlocked(customerId: string, inspectionId: string): Promise<boolean> {
    return this.store.state.reportUnlocks.some((u) => u.customerId === customerId && u.inspectionId === inspectionId);
  }
}
