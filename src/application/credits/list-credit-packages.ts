import type { CreditPackage } from '../../domain/customer/payment.js';
import type { PaymentRepository } from '../../ports/payments.js';

/** Active packages (public), or every package (administrators). Cheapest first. */
export class ListCreditPackages {
  constructor(private readonly payments: PaymentRepository) {}

  execute(activeOnly: boolean): Promise<CreditPackage[]> {
    return this.payments.packages.list(activeOnly);
  }
}
