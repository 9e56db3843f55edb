import type { Knex } from 'knex';
import {
  PaymentErrors,
  type CreditEntry,
  type CreditPackage,
  type Payment,
  type PaymentStatus,
  type UnlockOutcome,
} from '../../domain/customer/payment.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type {
  CreditLedger,
  CreditPackagePatch,
  CreditPackages,
  PaymentEvent,
  PaymentRepository,
  ReportUnlocks,
} from '../../ports/payments.js';
import { isUniqueViolation } from './pg-errors.js';

type Db = Knex | Knex.Transaction;

/** Runs `work` in the caller's transaction, or in a new one when `db` is the pool. */
const inTransaction = <T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> =>
  (db as Knex.Transaction).isTransaction ? work(db as Knex.Transaction) : (db as Knex).transaction(work);

interface PaymentRow {
  id: string;
  customer_id: string;
  purpose: Payment['purpose'];
  request_id: string | null;
  credit_package_id: string | null;
  credits: number | null;
  amount_idr: number;
  currency: 'IDR';
  gateway: string;
  invoice_id: string | null;
  invoice_url: string | null;
  status: PaymentStatus;
  expires_at: Date | null;
  paid_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const toPayment = (r: PaymentRow): Payment => ({
  id: r.id,
  customerId: r.customer_id,
  purpose: r.purpose,
  requestId: r.request_id,
  creditPackageId: r.credit_package_id,
  credits: r.credits,
  amountIdr: Number(r.amount_idr),
  currency: r.currency,
  gateway: r.gateway,
  invoiceId: r.invoice_id,
  invoiceUrl: r.invoice_url,
  status: r.status,
  expiresAt: r.expires_at,
  paidAt: r.paid_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

interface PackageRow {
  id: string;
  name: string;
  credits: number;
  price_idr: number;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const toPackage = (r: PackageRow): CreditPackage => ({
  id: r.id,
  name: r.name,
  credits: r.credits,
  priceIdr: Number(r.price_idr),
  active: r.active,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

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

async function pageOf<R, T>(
  q: Knex.QueryBuilder,
  page: PageRequest,
  map: (r: R) => T,
  order: (q: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<Page<T>> {
  const [{ count }] = (await q.clone().count({ count: '*' })) as [{ count: number }];
  const rows = (await order(q.clone()).offset(offsetOf(page)).limit(page.pageSize)) as R[];
  return { items: rows.map(map), page: page.page, pageSize: page.pageSize, total: Number(count) };
}

export class KnexCreditPackages implements CreditPackages {
  constructor(private readonly db: Db) {}

  async list(activeOnly: boolean): Promise<CreditPackage[]> {
    const rows = await this.db<PackageRow>('credit_packages')
      .modify((b) => {
        if (activeOnly) b.where({ active: true });
      })
      .orderBy([{ column: 'price_idr' }, { column: 'name' }]);
    return rows.map(toPackage);
  }

  async findById(id: string): Promise<CreditPackage | null> {
    const row = await this.db<PackageRow>('credit_packages').where({ id }).first();
    return row ? toPackage(row) : null;
  }

  async create(
    p: Pick<CreditPackage, 'id' | 'name' | 'credits' | 'priceIdr' | 'active'>,
    now: Date,
  ): Promise<CreditPackage> {
    const [row] = await this.db<PackageRow>('credit_packages')
      .insert({
        id: p.id,
        name: p.name,
        credits: p.credits,
        price_idr: p.priceIdr,
        active: p.active,
        created_at: now,
        updated_at: now,
      })
      .returning('*');
    return toPackage(row as PackageRow);
  }

  async update(id: string, patch: CreditPackagePatch, now: Date): Promise<CreditPackage | null> {
    const values: Partial<PackageRow> = { updated_at: now };
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.credits !== undefined) values.credits = patch.credits;
    if (patch.priceIdr !== undefined) values.price_idr = patch.priceIdr;
    if (patch.active !== undefined) values.active = patch.active;
    const [row] = await this.db<PackageRow>('credit_packages').where({ id }).update(values).returning('*');
    return row ? toPackage(row as PackageRow) : null;
  }
}

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

interface EventRow {
  gateway: string;
  invoice_id: string;
  status: string;
  payment_id: string | null;
  payload: unknown;
  outcome: PaymentEvent['outcome'];
  received_at: Date;
}

export class KnexPaymentRepository implements PaymentRepository {
  readonly packages: CreditPackages;
  readonly credits: CreditLedger;

  constructor(private readonly db: Db) {
    this.packages = new KnexCreditPackages(db);
    this.credits = new KnexCreditLedger(db);
  }

  async create(p: Omit<Payment, 'createdAt' | 'updatedAt'>, now: Date): Promise<Payment> {
    try {
      const [row] = await this.db<PaymentRow>('payments')
        .insert({
          id: p.id,
          customer_id: p.customerId,
          purpose: p.purpose,
          request_id: p.requestId,
          credit_package_id: p.creditPackageId,
          credits: p.credits,
          amount_idr: p.amountIdr,
          currency: p.currency,
          gateway: p.gateway,
          invoice_id: p.invoiceId,
          invoice_url: p.invoiceUrl,
          status: p.status,
          expires_at: p.expiresAt,
          paid_at: p.paidAt,
          created_at: now,
          updated_at: now,
        })
        .returning('*');
      return toPayment(row as PaymentRow);
    } catch (e) {
      if (isUniqueViolation(e, 'payments_one_pending_per_request')) throw PaymentErrors.invoiceOpen();
      throw e;
    }
  }

  async findById(id: string): Promise<Payment | null> {
    const row = await this.db<PaymentRow>('payments').where({ id }).first();
    return row ? toPayment(row) : null;
  }

  async findByInvoice(gateway: string, invoiceId: string): Promise<Payment | null> {
    const row = await this.db<PaymentRow>('payments').where({ gateway, invoice_id: invoiceId }).first();
    return row ? toPayment(row) : null;
  }

  async findByInvoiceForUpdate(gateway: string, invoiceId: string): Promise<Payment | null> {
    const row = await this.db<PaymentRow>('payments').where({ gateway, invoice_id: invoiceId }).forUpdate().first();
    return row ? toPayment(row) : null;
  }

  async latestForRequest(requestId: string): Promise<Payment | null> {
    const row = await this.db<PaymentRow>('payments')
      .where({ request_id: requestId })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    return row ? toPayment(row) : null;
  }

  async setStatus(id: string, status: PaymentStatus, paidAt: Date | null, now: Date): Promise<Payment | null> {
    const values: Partial<PaymentRow> = { status, updated_at: now };
    if (paidAt) values.paid_at = paidAt;
    const [row] = await this.db<PaymentRow>('payments').where({ id }).update(values).returning('*');
    return row ? toPayment(row as PaymentRow) : null;
  }

  async markRefundPending(requestId: string, now: Date): Promise<Payment | null> {
    const paid = await this.db<PaymentRow>('payments')
      .where({ request_id: requestId, status: 'PAID' })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .forUpdate()
      .first();
    return paid ? this.setStatus(paid.id, 'REFUND_PENDING', null, now) : null;
  }

  listForCustomer(customerId: string, page: PageRequest): Promise<Page<Payment>> {
    return pageOf<PaymentRow, Payment>(this.db('payments').where({ customer_id: customerId }), page, toPayment, (q) =>
      q.orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]),
    );
  }

  async recordEvent(e: Omit<PaymentEvent, 'receivedAt'> & { id: string }, now: Date): Promise<boolean> {
    const rows = await this.db('payment_events')
      .insert({
        id: e.id,
        gateway: e.gateway,
        invoice_id: e.invoiceId,
        status: e.status,
        payment_id: e.paymentId,
        payload: JSON.stringify(e.payload ?? null),
        outcome: e.outcome,
        received_at: now,
      })
      .onConflict(['gateway', 'invoice_id', 'status'])
      .ignore()
      .returning('id');
    return rows.length > 0;
  }

  async eventsOf(gateway: string, invoiceId: string): Promise<PaymentEvent[]> {
    const rows = await this.db<EventRow>('payment_events')
      .where({ gateway, invoice_id: invoiceId })
      .orderBy([{ column: 'received_at' }, { column: 'id' }]);
    return rows.map((r) => ({
      gateway: r.gateway,
      invoiceId: r.invoice_id,
      status: r.status,
      paymentId: r.payment_id,
      payload: r.payload,
      outcome: r.outcome,
      receivedAt: r.received_at,
    }));
  }
}

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
