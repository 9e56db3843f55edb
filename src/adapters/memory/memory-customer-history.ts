import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { Inspection } from '../../domain/inspection/inspection.js';
import type {
  CustomerInspectionHistory,
  HistoryAccess,
  HistoryEntry,
  HistoryFilter,
} from '../../ports/customer-history.js';
import type { MemoryStore } from './memory-store.js';

export class MemoryCustomerInspectionHistory implements CustomerInspectionHistory {
  constructor(private readonly store: MemoryStore) {}

  private access(customerId: string, i: Inspection): HistoryAccess | null {
    const s = this.store.state;
    const ownVehicle =
      i.customerVehicleId !== null && s.customerVehicles.get(i.customerVehicleId)?.customerId === customerId;
    const fromRequest = [...s.inspectionRequests.values()].some(
      (r) => r.customerId === customerId && r.inspectionId === i.id,
    );
    if (i.customerUserId === customerId || ownVehicle || fromRequest) return 'OWNER';
    return s.reportUnlocks.some((u) => u.customerId === customerId && u.inspectionId === i.id) ? 'UNLOCKED' : null;
  }

  async list(customerId: string, f: HistoryFilter, page: PageRequest): Promise<Page<HistoryEntry>> {
    const all = [...this.store.state.inspections.values()]
      .map((i) => ({ i, access: this.access(customerId, i) }))
      .filter(
        ({ i, access }) =>
          access &&
          (!f.status?.length || f.status.includes(i.status)) &&
          (!f.dateFrom || i.inspectionDate >= f.dateFrom) &&
          (!f.dateTo || i.inspectionDate <= f.dateTo),
      )
      .sort(
        (a, b) =>
          b.i.inspectionDate.localeCompare(a.i.inspectionDate) ||
          b.i.createdAt.getTime() - a.i.createdAt.getTime() ||
          a.i.id.localeCompare(b.i.id),
      );
    const start = offsetOf(page);
    return {
      items: all
        .slice(start, start + page.pageSize)
        .map(({ i, access }) => ({ inspectionId: i.id, access: access as HistoryAccess })),
      page: page.page,
      pageSize: page.pageSize,
      total: all.length,
    };
  }

  async accessTo(customerId: string, inspectionId: string): Promise<HistoryAccess | null> {
    const i = this.store.state.inspections.get(inspectionId);
    return i ? this.access(customerId, i) : null;
  }
}
