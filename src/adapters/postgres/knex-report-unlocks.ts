import type { Knex } from 'knex';
import type { ReportUnlocks } from '../../ports/payments.js';

type Db = Knex | Knex.Transaction;

/** Table report_unlocks (written by the credit ledger's consumeForUnlock). */
export class KnexReportUnlocks implements ReportUnlocks {
  constructor(private readonly db: Db) {}

  async inspectionIdsOf(customerId: string): Promise<string[]> {
    const rows = await this.db('report_unlocks')
      .where({ customer_id: customerId })
      .orderBy('created_at')
      .select('inspection_id');
    return rows.map((r: { inspection_id: string }) => r.inspection_id);
  }

  async isUnlocked(customerId: string, inspectionId: string): Promise<boolean> {
    return !!(await this.db('report_unlocks')
      .where({ customer_id: customerId, inspection_id: inspectionId })
      .first('inspection_id'));
  }
}
