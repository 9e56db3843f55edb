import type { CreditEntry } from '../../domain/customer/payment.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { PaymentRepository } from '../../ports/payments.js';
import type { Actor } from '../actor.js';

export interface MyCredits {
  balance: number;
  ledger: Page<CreditEntry>;
}

/** GET /me/credits: the caller's balance and a page of their ledger, newest first. */
export class GetMyCredits {
  constructor(private readonly payments: PaymentRepository) {}

  async execute(actor: Actor, page: Partial<PageRequest>): Promise<MyCredits> {
    const [balance, ledger] = await Promise.all([
      this.payments.credits.balanceOf(actor.userId),
      this.payments.credits.entries(actor.userId, normalisePage(page)),
    ]);
    return { balance, ledger };
  }
}
