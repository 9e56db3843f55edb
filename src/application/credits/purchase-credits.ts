import { PaymentErrors } from '../../domain/customer/payment.js';
import type { Actor } from '../actor.js';
import type { InvoiceResult, PaymentDeps } from '../payments/deps.js';
import { openInvoice, recordInvoicedPayment } from '../payments/invoices.js';

/** A customer buys an active credit package through the gateway; the credits arrive with the PAID callback. */
export class PurchaseCredits {
  constructor(private readonly d: PaymentDeps) {}

  async execute(actor: Actor, packageId: string): Promise<InvoiceResult> {
    const now = this.d.clock.now();
    const pkg = await this.d.uow.run((tx) => tx.payments.packages.findById(packageId));
    if (!pkg || !pkg.active) throw PaymentErrors.packageNotFound();
    const paymentId = this.d.ids.next();
    const invoice = await openInvoice(
      this.d,
      actor,
      {
        paymentId,
        amountIdr: pkg.priceIdr,
        description: `CAR-dano credits: ${pkg.name} (${pkg.credits} report credits)`,
        purpose: 'CREDIT_PACKAGE',
      },
      now,
    );
    return this.d.uow.run(async (tx) => {
      const payment = await recordInvoicedPayment(
        tx,
        this.d,
        actor,
        paymentId,
        {
          purpose: 'CREDIT_PACKAGE',
          requestId: null,
          creditPackageId: pkg.id,
          credits: pkg.credits,
          amountIdr: pkg.priceIdr,
        },
        invoice,
        now,
      );
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'PAYMENT_CREATED',
          entity: 'payment',
          entityId: payment.id,
          metadata: {
            purpose: payment.purpose,
            creditPackageId: pkg.id,
            credits: pkg.credits,
            amountIdr: payment.amountIdr,
            gateway: payment.gateway,
            invoiceId: payment.invoiceId,
          },
        },
        now,
      );
      return { payment, created: true };
    });
  }
}
