import type { Payment } from '../../domain/customer/payment.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { WebhookEvent } from '../../ports/payments.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';

/** Why a callback does not match our payment (external id, currency, amount), or null when it does. */
export function mismatchOf(p: Payment, e: WebhookEvent): string | null {
  if (e.externalId !== p.id) return `external_id ${e.externalId} is not the payment id`;
  if (e.currency !== p.currency) return `currency ${e.currency} instead of ${p.currency}`;
  if (e.amount !== p.amountIdr) return `amount ${e.amount} instead of ${p.amountIdr}`;
  return null;
}

/** The request's side of a payment change; returns a note for operators when money needs a human. */
export async function applyToRequest(
  tx: TransactionalPorts,
  payment: Payment,
  before: Payment['status'],
  now: Date,
): Promise<string | null> {
  const requestId = payment.requestId as string;
  const r = await tx.inspectionRequests.findById(requestId);
  if (!r)
    return payment.status === 'PAID'
      ? `Payment ${payment.id} was paid but its request ${requestId} no longer exists: refund it`
      : null;
  if (payment.status === 'PAID') {
    if (r.paymentStatus === 'UNPAID' || r.paymentStatus === 'PENDING') {
      await tx.inspectionRequests.setPaymentStatus(requestId, 'PAID', now);
      return r.status === 'CANCELLED'
        ? `Request ${requestId} was paid after it was cancelled: refund payment ${payment.id}`
        : null;
    }
    return `Request ${requestId} was paid again (payment ${payment.id}, ${before} before; request ${r.paymentStatus}): refund the extra payment`;
  }
  // EXPIRED / FAILED: the request has no open invoice any more, unless a newer one was opened meanwhile.
  const latest = await tx.payments.latestForRequest(requestId);
  if (r.paymentStatus === 'PENDING' && latest?.id === payment.id)
    await tx.inspectionRequests.setPaymentStatus(requestId, 'UNPAID', now);
  return null;
}

/** A paid credit package grants its credits once (audit CREDITS_PURCHASED the first time). */
export async function grantPurchasedCredits(
  tx: TransactionalPorts,
  ids: IdGenerator,
  payment: Payment,
  now: Date,
): Promise<void> {
  const granted = await tx.payments.credits.grantPurchase(
    {
      customerId: payment.customerId,
      paymentId: payment.id,
      credits: payment.credits as number,
      entryId: ids.next(),
    },
    now,
  );
  if (granted)
    await tx.audit.record(
      {
        actorId: payment.customerId,
        action: 'CREDITS_PURCHASED',
        entity: 'payment',
        entityId: payment.id,
        metadata: {
          credits: payment.credits,
          creditPackageId: payment.creditPackageId,
          amountIdr: payment.amountIdr,
        },
      },
      now,
    );
}
