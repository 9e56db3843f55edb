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
import type { MemoryStore } from './memory-store.js';

const eventKey = (gateway: string, invoiceId: string, status: string) => `${gateway}|${invoiceId}|${status}`;
const pageOf = <T>(all: T[], page: PageRequest): Page<T> => {
  const start = offsetOf(page);
  return {
    items: all.slice(start, start + page.pageSize),
    page: page.page,
    pageSize: page.pageSize,
    total: all.length,
  };
};
const newestFirst = (a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }) =>
  b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id);

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

export class MemoryCreditLedger implements CreditLedger {
  constructor(private readonly store: MemoryStore) {}

  async balanceOf(customerId: string): Promise<number> {
    return this.store.state.creditAccounts.get(customerId) ?? 0;
  }

  async entries(customerId: string, page: PageRequest): Promise<Page<CreditEntry>> {
    const all = this.store.state.creditLedger.filter((e) => e.customerId === customerId).sort(newestFirst);
    return pageOf(
      all.map((e) => ({ ...e })),
      page,
    );
  }

  async grantPurchase(
    p: { customerId: string; paymentId: string; credits: number; entryId: string },
    now: Date,
  ): Promise<boolean> {
    const s = this.store.state;
    if (s.creditLedger.some((e) => e.paymentId === p.paymentId && e.delta > 0)) return false;
    s.creditLedger.push({
      id: p.entryId,
      customerId: p.customerId,
      delta: p.credits,
      reason: 'PURCHASE',
      paymentId: p.paymentId,
      inspectionId: null,
      createdAt: now,
    });
    s.creditAccounts.set(p.customerId, (s.creditAccounts.get(p.customerId) ?? 0) + p.credits);
    return true;
  }

  /** No await between the checks and the writes: atomic on the event loop, as the SQL version is in its transaction. */
  async consumeForUnlock(
    p: { customerId: string; inspectionId: string; entryId: string },
    now: Date,
  ): Promise<{ outcome: UnlockOutcome; balance: number }> {
    const s = this.store.state;
    const balance = s.creditAccounts.get(p.customerId) ?? 0;
    if (s.reportUnlocks.some((u) => u.customerId === p.customerId && u.inspectionId === p.inspectionId))
      return { outcome: 'already', balance };
    if (balance < 1) return { outcome: 'insufficient', balance };
    s.reportUnlocks.push({ customerId: p.customerId, inspectionId: p.inspectionId, createdAt: now });
    s.creditAccounts.set(p.customerId, balance - 1);
    s.creditLedger.push({
      id: p.entryId,
      customerId: p.customerId,
      delta: -1,
      reason: 'REPORT_UNLOCK',
      paymentId: null,
      inspectionId: p.inspectionId,
      createdAt: now,
    });
    return { outcome: 'unlocked', balance: balance - 1 };
  }
}

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

export class MemoryReportUnlocks implements ReportUnlocks {
  constructor(private readonly store: MemoryStore) {}

  async inspectionIdsOf(customerId: string): Promise<string[]> {
    return this.store.state.reportUnlocks.filter((u) => u.customerId === customerId).map((u) => u.inspectionId);
  }

  async isUnlocked(customerId: string, inspectionId: string): Promise<boolean> {
    return this.store.state.reportUnlocks.some((u) => u.customerId === customerId && u.inspectionId === inspectionId);
  }
}
