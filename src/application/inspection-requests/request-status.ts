import {
  assertRequestTransition,
  type CustomerInspectionRequest,
  type CustomerInspectionStatus,
} from '../../domain/customer/inspection-request.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { REQUEST_ENTITY } from './deps.js';
import { recordChange } from './request-helpers.js';

/** Cancelling a PAID request marks its payment for refund (audit REFUND_MARKED). */
async function markRefund(tx: TransactionalPorts, actor: Actor, r: CustomerInspectionRequest, now: Date) {
  const payment = await tx.payments.markRefundPending(r.id, now);
  await tx.audit.record(
    {
      actorId: actor.userId,
      action: 'REFUND_MARKED',
      entity: 'payment',
      entityId: payment?.id ?? null,
      metadata: { requestId: r.id, amountIdr: payment?.amountIdr ?? r.priceIdr },
    },
    now,
  );
}

/**
 * Moves a locked request to `to` after the transition table allows it. Cancelling a PAID request marks its
 * payment for refund (request REFUND_PENDING, the payment's refund marker) in the same transaction.
 */
export async function changeRequestStatus(
  tx: TransactionalPorts,
  d: { ids: IdGenerator; clock: Clock },
  actor: Actor,
  r: CustomerInspectionRequest,
  to: CustomerInspectionStatus,
  reason: string | null,
): Promise<CustomerInspectionRequest> {
  const now = d.clock.now();
  const why = reason?.trim() || null;
  assertRequestTransition(r.status, to, actor.role, {
    paymentStatus: r.paymentStatus,
    waiverReason: r.paymentWaiverReason,
    inspectionId: r.inspectionId,
    reason: why,
  });
  const refund = to === 'CANCELLED' && r.paymentStatus === 'PAID';
  const updated = (await tx.inspectionRequests.update(
    r.id,
    { status: to, ...(refund ? { paymentStatus: 'REFUND_PENDING' as const } : {}) },
    now,
  )) as CustomerInspectionRequest;
  await recordChange(tx, d.ids, r.id, r.status, to, actor, why, now);
  await tx.audit.record(
    {
      actorId: actor.userId,
      action: 'STATUS_CHANGE',
      entity: REQUEST_ENTITY,
      entityId: r.id,
      metadata: {
        from: r.status,
        to,
        reason: why,
        actorRole: actor.role,
        ...(refund ? { paymentStatus: { from: 'PAID', to: 'REFUND_PENDING' } } : {}),
      },
    },
    now,
  );
  if (refund) await markRefund(tx, actor, r, now);
  return updated;
}
