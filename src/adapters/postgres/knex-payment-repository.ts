import type { Knex } from 'knex';
import { PaymentErrors, type Payment, type PaymentStatus } from '../../domain/customer/payment.js';
import type { Page, PageRequest } from '../../domain/shared/pagination.js';
import type { CreditLedger, CreditPackages, PaymentEvent, PaymentRepository } from '../../ports/payments.js';
import { KnexCreditLedger } from './knex-credit-ledger.js';
import { KnexCreditPackages } from './knex-credit-packages.js';
import { pageOf } from './knex-paging.js';
import { isUniqueViolation } from './pg-errors.js';

type Db = Knex | Knex.Transaction;

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

interface EventRow {
  gateway: string;
  invoice_id: string;
  status: string;
  payment_id: string | null;
  payload: unknown;
  outcome: PaymentEvent['outcome'];
  received_at: Date;
}

/** Tables payments and payment_events; its packages and credits are the credit adapters on the same connection. */
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
