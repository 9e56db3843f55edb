import type { CreditEntry, UnlockOutcome } from '../../domain/customer/payment.js';
import type { Page, PageRequest } from '../../domain/shared/pagination.js';
import type { CreditLedger } from '../../ports/payments.js';
import { newestFirst, pageOf } from './memory-paging.js';
import type { MemoryStore } from './memory-store.js';

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
