import type { Payment } from '../../domain/customer/payment.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { PaymentRepository } from '../../ports/payments.js';
import type { Actor } from '../actor.js';

/** GET /me/payments: the caller's payments (requests and credit packages), newest first. */
export class ListMyPayments {
  constructor(private readonly payments: PaymentRepository) {}

  execute(actor: Actor, page: Partial<PageRequest>): Promise<Page<Payment>> {
    return this.payments.listForCustomer(actor.userId, normalisePage(page));
  }
}
