import { PaymentErrors, type Payment, type PaymentStatus } from '../../domain/customer/payment.js';
import type { Page, PageRequest } from '../../domain/shared/pagination.js';
import type { CreditLedger, CreditPackages, PaymentEvent, PaymentRepository } from '../../ports/payments.js';
import { MemoryCreditLedger } from './memory-credit-ledger.js';
import { MemoryCreditPackages } from './memory-credit-packages.js';
import { newestFirst, pageOf } from './memory-paging.js';
import type { MemoryStore } from './memory-store.js';

const eventKey = (gateway: string, invoiceId: string, status: string) => `${gateway}|${invoiceId}|${status}`;

export class MemoryPaymentRepository implements PaymentRepository {
  readonly packages: CreditPackages;
  readonly credits: CreditLedger;

  constructor(private readonly store: MemoryStore) {
    this.packages = new MemoryCreditPackages(store);
    this.credits = new MemoryCreditLedger(store);
  }

  private get map(): Map<string, Payment> {
    return this.store.state.payments;
  }

  async create(p: Omit<Payment, 'createdAt' | 'updatedAt'>, now: Date): Promise<Payment> {
    if (
      p.requestId &&
      p.status === 'PENDING' &&
      [...this.map.values()].some((x) => x.requestId === p.requestId && x.status === 'PENDING')
    )
      throw PaymentErrors.invoiceOpen();
    if (p.invoiceId && [...this.map.values()].some((x) => x.gateway === p.gateway && x.invoiceId === p.invoiceId))
      throw new Error(`duplicate invoice ${p.gateway}/${p.invoiceId}`);
    const row: Payment = { ...p, createdAt: now, updatedAt: now };
    this.map.set(row.id, row);
    return { ...row };
  }

  async findById(id: string): Promise<Payment | null> {
    const p = this.map.get(id);
    return p ? { ...p } : null;
  }

  async findByInvoice(gateway: string, invoiceId: string): Promise<Payment | null> {
    const p = [...this.map.values()].find((x) => x.gateway === gateway && x.invoiceId === invoiceId);
    return p ? { ...p } : null;
  }

  findByInvoiceForUpdate(gateway: string, invoiceId: string): Promise<Payment | null> {
    return this.findByInvoice(gateway, invoiceId);
  }

  async latestForRequest(requestId: string): Promise<Payment | null> {
    const p = [...this.map.values()].filter((x) => x.requestId === requestId).sort(newestFirst)[0];
    return p ? { ...p } : null;
  }

  async setStatus(id: string, status: PaymentStatus, paidAt: Date | null, now: Date): Promise<Payment | null> {
    const p = this.map.get(id);
    if (!p) return null;
    const next: Payment = { ...p, status, paidAt: paidAt ?? p.paidAt, updatedAt: now };
    this.map.set(id, next);
    return { ...next };
  }

  async markRefundPending(requestId: string, now: Date): Promise<Payment | null> {
    const paid = [...this.map.values()]
      .filter((x) => x.requestId === requestId && x.status === 'PAID')
      .sort(newestFirst)[0];
    return paid ? this.setStatus(paid.id, 'REFUND_PENDING', null, now) : null;
  }

  async listForCustomer(customerId: string, page: PageRequest): Promise<Page<Payment>> {
    return pageOf(
      [...this.map.values()]
        .filter((x) => x.customerId === customerId)
        .sort(newestFirst)
        .map((x) => ({ ...x })),
      page,
    );
  }

  async recordEvent(e: Omit<PaymentEvent, 'receivedAt'> & { id: string }, now: Date): Promise<boolean> {
    const key = eventKey(e.gateway, e.invoiceId, e.status);
    const events = this.store.state.paymentEvents;
    if (events.has(key)) return false;
    events.set(key, {
      paymentId: e.paymentId,
      payload: structuredClone(e.payload),
      outcome: e.outcome,
      receivedAt: now,
    });
    return true;
  }

  async eventsOf(gateway: string, invoiceId: string): Promise<PaymentEvent[]> {
    const out: PaymentEvent[] = [];
    for (const [key, v] of this.store.state.paymentEvents) {
      const [g, i, status] = key.split('|') as [string, string, string];
      if (g === gateway && i === invoiceId)
        out.push({
          gateway: g,
          invoiceId: i,
          status,
          paymentId: v.paymentId,
          payload: v.payload,
          outcome: v.outcome as PaymentEvent['outcome'],
          receivedAt: v.receivedAt,
        });
    }
    return out.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  }
}
