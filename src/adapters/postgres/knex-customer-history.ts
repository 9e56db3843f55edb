import type { Knex } from 'knex';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type {
  CustomerInspectionHistory,
  HistoryAccess,
  HistoryEntry,
  HistoryFilter,
} from '../../ports/customer-history.js';

/** One query: ownership by owner field, vehicle link or resulting request; unlocks by report_unlocks. */
export class KnexCustomerInspectionHistory implements CustomerInspectionHistory {
  constructor(private readonly db: Knex) {}

  private visible(customerId: string) {
    const db = this.db;
    const owner = db.raw(
      `(i.customer_user_id = ? OR i.customer_vehicle_id IN (SELECT id FROM customer_vehicles WHERE customer_id = ?) OR i.id IN (SELECT inspection_id FROM customer_inspection_requests WHERE customer_id = ? AND inspection_id IS NOT NULL))`,
      [customerId, customerId, customerId],
    );
    const unlocked = db.raw(`i.id IN (SELECT inspection_id FROM report_unlocks WHERE customer_id = ?)`, [customerId]);
    return { owner, unlocked };
  }

  async list(customerId: string, f: HistoryFilter, page: PageRequest): Promise<Page<HistoryEntry>> {
    const { owner, unlocked } = this.visible(customerId);
    const q = this.db('inspections as i')
      .where((b) => b.whereRaw(owner).orWhereRaw(unlocked))
      .modify((b) => {
        if (f.status?.length) b.whereIn('i.status', f.status);
        if (f.dateFrom) b.where('i.inspection_date', '>=', f.dateFrom);
        if (f.dateTo) b.where('i.inspection_date', '<=', f.dateTo);
      });
    const [{ n }] = (await q.clone().count({ n: '*' })) as [{ n: number }];
    const rows = (await q
      .clone()
      .select('i.id', this.db.raw(`CASE WHEN ${owner.toQuery()} THEN 'OWNER' ELSE 'UNLOCKED' END AS access`))
      .orderBy([
        { column: 'i.inspection_date', order: 'desc' },
        { column: 'i.created_at', order: 'desc' },
        { column: 'i.id' },
      ])
      .limit(page.pageSize)
      .offset(offsetOf(page))) as Array<{ id: string; access: HistoryAccess }>;
    return {
      items: rows.map((r) => ({ inspectionId: r.id, access: r.access })),
      page: page.page,
      pageSize: page.pageSize,
      total: Number(n),
    };
  }

  async accessTo(customerId: string, inspectionId: string): Promise<HistoryAccess | null> {
    const { owner, unlocked } = this.visible(customerId);
    const row = (await this.db('inspections as i')
      .where('i.id', inspectionId)
      .select(this.db.raw(`${owner.toQuery()} AS owner`), this.db.raw(`${unlocked.toQuery()} AS unlocked`))
      .first()) as { owner: boolean; unlocked: boolean } | undefined;
    if (!row) return null;
    return row.owner ? 'OWNER' : row.unlocked ? 'UNLOCKED' : null;
  }
}
