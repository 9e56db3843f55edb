import type { CustomerInspectionRequest } from '../../domain/customer/inspection-request.js';
import { PaymentErrors, type Payment } from '../../domain/customer/payment.js';
import type { Actor } from '../actor.js';
import type { InvoiceResult, PaymentDeps } from './deps.js';
import { openInvoice, recordInvoicedPayment } from './invoices.js';

/** The invoice that can still be paid, if `latest` is one. */
const stillOpen = (latest: Payment | null, now: Date): Payment | null =>
  latest &&
  latest.status === 'PENDING' &&
  latest.invoiceUrl &&
  (!latest.expiresAt || latest.expiresAt.getTime() > now.getTime())
    ? latest
    : null;

function assertPayable(r: CustomerInspectionRequest | null, actor: Actor): asserts r is CustomerInspectionRequest {
  if (!r || r.customerId !== actor.userId) throw PaymentErrors.requestNotFound();
  if (r.status === 'CANCELLED' || r.status === 'DONE') throw PaymentErrors.requestClosed(r.status);
  if (r.paymentStatus !== 'UNPAID' && r.paymentStatus !== 'PENDING') throw PaymentErrors.alreadyPaid(r.paymentStatus);
  if (r.priceIdr <= 0) throw PaymentErrors.nothingToPay();
}

/**
 * A customer pays an inspection request: the open invoice of the request is returned as it is; otherwise a
 * new invoice is opened for the request's price snapshot (after an EXPIRED or FAILED one: the retry). The
 * gateway is called outside any transaction; the payment is recorded afterwards under the request's row lock,
 * where a concurrent call that recorded first wins (our extra invoice then simply expires unpaid).
 */
export class CreateRequestPayment {
  constructor(private readonly d: PaymentDeps) {}

  async execute(actor: Actor, requestId: string): Promise<InvoiceResult> {
    const now = this.d.clock.now();
    const pre = await this.d.uow.run(async (tx) => {
      const r = await tx.inspectionRequests.findById(requestId);
      assertPayable(r, actor);
      return { request: r, open: stillOpen(await tx.payments.latestForRequest(requestId), now) };
    });
    if (pre.open) return { payment: pre.open, created: false };
    const paymentId = this.d.ids.next();
    const description = `CAR-dano inspection (${pre.request.vehicleClass}), request ${pre.request.id.slice(0, 8)}`;
    const invoice = await openInvoice(
      this.d,
      actor,
      { paymentId, amountIdr: pre.request.priceIdr, description, purpose: 'INSPECTION_REQUEST' },
      now,
    );
    return this.d.uow.run(async (tx) => {
      const r = await tx.inspectionRequests.findByIdForUpdate(requestId);
      assertPayable(r, actor);
      const latest = await tx.payments.latestForRequest(requestId);
      const open = stillOpen(latest, now);
      if (open) return { payment: open, created: false };
      // An overdue invoice whose EXPIRED callback has not come (yet) is closed here: the retry replaces it.
      if (latest?.status === 'PENDING') await tx.payments.setStatus(latest.id, 'EXPIRED', null, now);
      const payment = await recordInvoicedPayment(
        tx,
        this.d,
        actor,
        paymentId,
        { purpose: 'INSPECTION_REQUEST', requestId, creditPackageId: null, credits: null, amountIdr: r.priceIdr },
        invoice,
        now,
      );
      await tx.inspectionRequests.setPaymentStatus(requestId, 'PENDING', now);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'PAYMENT_CREATED',
          entity: 'payment',
          entityId: payment.id,
          metadata: {
            purpose: payment.purpose,
            requestId,
            amountIdr: payment.amountIdr,
            gateway: payment.gateway,
            invoiceId: payment.invoiceId,
            retryOf: latest?.id ?? null,
          },
        },
        now,
      );
      return { payment, created: true };
    });
  }
}
