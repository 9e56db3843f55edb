import type { Payment } from '../../domain/customer/payment.js';
import type { CreatedInvoice } from '../../ports/payments.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { PaymentDeps, PaymentSubject } from './deps.js';

/** Opens an invoice at the gateway for a payment id chosen beforehand (outside any transaction). */
export async function openInvoice(
  d: PaymentDeps,
  actor: Actor,
  p: { paymentId: string; amountIdr: number; description: string; purpose: Payment['purpose'] },
  now: Date,
) {
  const payer = await d.users.findById(actor.userId);
  const opened = d.gateway.createInvoice({
    externalId: p.paymentId,
    amountIdr: p.amountIdr,
    currency: 'IDR',
    payerEmail: payer?.email ?? null,
    description: p.description,
    successRedirectUrl: d.settings.successUrl,
    failureRedirectUrl: d.settings.failureUrl,
    expiresAt: new Date(now.getTime() + d.settings.invoiceTtlMinutes * 60_000),
  });
  opened.then(
    () => d.telemetry.invoiceOpened(p.purpose, 'created'),
    () => d.telemetry.invoiceOpened(p.purpose, 'error'),
  );
  return opened;
}

/** Records the PENDING payment `paymentId` of an invoice that openInvoice opened for it. */
export function recordInvoicedPayment(
  tx: TransactionalPorts,
  d: Pick<PaymentDeps, 'gateway'>,
  actor: Actor,
  paymentId: string,
  subject: PaymentSubject,
  invoice: CreatedInvoice,
  now: Date,
): Promise<Payment> {
  return tx.payments.create(
    {
      id: paymentId,
      customerId: actor.userId,
      purpose: subject.purpose,
      requestId: subject.requestId,
      creditPackageId: subject.creditPackageId,
      credits: subject.credits,
      amountIdr: subject.amountIdr,
      currency: 'IDR',
      gateway: d.gateway.name,
      invoiceId: invoice.invoiceId,
      invoiceUrl: invoice.invoiceUrl,
      status: 'PENDING',
      expiresAt: invoice.expiresAt,
      paidAt: null,
    },
    now,
  );
}
