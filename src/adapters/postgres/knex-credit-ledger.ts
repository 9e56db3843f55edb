import type { Knex } from 'knex';
import type { CreditEntry, UnlockOutcome } from '../../domain/customer/payment.js';
import type { Page, PageRequest } from '../../domain/shared/pagination.js';
import type { CreditLedger } from '../../ports/payments.js';
import { pageOf } from './knex-paging.js';

type Db = Knex | Knex.Transaction;

/** Runs `work` in the caller's transaction, or in a new one when `db` is the pool. */
const inTransaction = <T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> =>
  (db as Knex.Transaction).isTransaction ? work(db as Knex.Transaction) : (db as Knex).transaction(work);

interface LedgerRow {
  id: string;
  customer_id: string;
  delta: number;
  reason: CreditEntry['reason'];
  payment_id: string | null;
  inspection_id: string | null;
  created_at: Date;
}

const toEntry = (r: LedgerRow): CreditEntry => ({
  id: r.id,
  customerId: r.customer_id,
  delta: r.delta,
  reason: r.reason,
  paymentId: r.payment_id,
  inspectionId: r.inspection_id,
  createdAt: r.created_at,
});

/** Tables credit_accounts, credit_ledger and (for unlocks) report_unlocks. */
export class KnexCreditLedger implements CreditLedger {
  constructor(private readonly db: Db) {}

  async balanceOf(customerId: string): Promise<number> {
    const row = await this.db('credit_accounts').where({ customer_id: customerId }).first('balance');
    return row ? Number(row.balance) : 0;
  }

  entries(customerId: string, page: PageRequest): Promise<Page<CreditEntry>> {
    return pageOf<LedgerRow, CreditEntry>(
      this.db('credit_ledger').where({ customer_id: customerId }),
      page,
      toEntry,
      (q) =>
        q.orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ]),
    );
  }

  grantPurchase(
    p: { customerId: string; paymentId: string; credits: number; entryId: string },
    now: Date,
  ): Promise<boolean> {
    return inTransaction(this.db, async (trx) => {
      // The partial unique index credit_ledger_payment_once makes the credit happen once per payment.
      const inserted = await trx.raw(
        `INSERT INTO credit_ledger (id, customer_id, delta, reason, payment_id, inspection_id, created_at)
         VALUES (?, ?, ?, 'PURCHASE', ?, NULL, ?)
         ON CONFLICT (payment_id) WHERE payment_id IS NOT NULL AND delta > 0 DO NOTHING
         RETURNING id`,
        [p.entryId, p.customerId, p.credits, p.paymentId, now],
      );
      if (inserted.rows.length === 0) return false;
      await trx.raw(
        `INSERT INTO credit_accounts (customer_id, balance, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (customer_id) DO UPDATE SET balance = credit_accounts.balance + EXCLUDED.balance, updated_at = EXCLUDED.updated_at`,
        [p.customerId, p.credits, now],
      );
      return true;
    });
  }

  consumeForUnlock(
    p: { customerId: string; inspectionId: string; entryId: string },
    now: Date,
  ): Promise<{ outcome: UnlockOutcome; balance: number }> {
    return inTransaction(this.db, async (trx) => {
      // A concurrent unlock of the same report waits here on the primary key until the other commits.
      const unlocked = await trx.raw(
        'INSERT INTO report_unlocks (customer_id, inspection_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING inspection_id',
        [p.customerId, p.inspectionId, now],
      );
      if (unlocked.rows.length === 0) return { outcome: 'already', balance: await this.balanceIn(trx, p.customerId) };
      // The row lock serialises concurrent decrements; the condition is re-checked on the locked row.
      const charged = await trx.raw(
        'UPDATE credit_accounts SET balance = balance - 1, updated_at = ? WHERE customer_id = ? AND balance >= 1 RETURNING balance',
        [now, p.customerId],
      );
      if (charged.rows.length === 0) {
        await trx('report_unlocks').where({ customer_id: p.customerId, inspection_id: p.inspectionId }).delete();
        return { outcome: 'insufficient', balance: await this.balanceIn(trx, p.customerId) };
      }
      await trx('credit_ledger').insert({
        id: p.entryId,
        customer_id: p.customerId,
        delta: -1,
        reason: 'REPORT_UNLOCK',
        payment_id: null,
        inspection_id: p.inspectionId,
        created_at: now,
      });
      return { outcome: 'unlocked', balance: Number(charged.rows[0].balance) };
    });
  }

  private async balanceIn(trx: Knex.Transaction, customerId: string): Promise<number> {
    const row = await trx('credit_accounts').where({ customer_id: customerId }).first('balance');
    return row ? Number(row.balance) : 0;
  }
}
