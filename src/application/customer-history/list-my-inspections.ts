import { HistoryErrors } from '../../domain/customer/customer-errors.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { HistoryFilter } from '../../ports/customer-history.js';
import type { HistoryDeps, HistoryItem } from './deps.js';
import { audit, summary } from './history-helpers.js';

/** GET /me/inspections: the customer's inspection history. */
export class ListMyInspections {
  constructor(private readonly d: HistoryDeps) {}

  async execute(customerId: string, filter: HistoryFilter, page: Partial<PageRequest>): Promise<Page<HistoryItem>> {
    if (filter.dateFrom && filter.dateTo && filter.dateFrom > filter.dateTo) {
      throw HistoryErrors.invalidRange();
    }
    const entries = await this.d.history.list(customerId, filter, normalisePage(page));
    const items: HistoryItem[] = [];
    for (const e of entries.items) {
      const i = await this.d.inspections.findById(e.inspectionId);
      if (i) items.push(await summary(this.d, customerId, i, e.access, await this.d.reports.listForInspection(i.id)));
    }
    await audit(this.d, customerId, 'VIEW_LIST', null, { filter, page: entries.page, total: entries.total });
    return { ...entries, items };
  }
}
