import {
  RequestErrors,
  type CustomerInspectionRequest,
  type RequestPaymentStatus,
} from '../../domain/customer/inspection-request.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { REQUEST_ENTITY } from './deps.js';
import { assertNotFinal, loadForUpdate } from './request-helpers.js';

const WAIVABLE: readonly RequestPaymentStatus[] = ['UNPAID', 'PENDING'];

/** Work may start unpaid when an admin waives the payment with a reason (UNPAID or PENDING -> WAIVED). */
export class WaiveRequestPayment {
  constructor(private readonly d: { uow: UnitOfWork; clock: Clock }) {}

  execute(actor: Actor, id: string, reason: string): Promise<CustomerInspectionRequest> {
    return this.d.uow.run(async (tx) => {
      const now = this.d.clock.now();
      const why = reason.trim();
      if (why.length < 3) throw RequestErrors.reasonRequired();
      const r = await loadForUpdate(tx, id);
      assertNotFinal(r);
      if (!WAIVABLE.includes(r.paymentStatus)) throw RequestErrors.notWaivable(r.paymentStatus);
      const updated = (await tx.inspectionRequests.update(
        id,
        { paymentStatus: 'WAIVED', paymentWaiverReason: why },
        now,
      )) as CustomerInspectionRequest;
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'UPDATE',
          entity: REQUEST_ENTITY,
          entityId: id,
          metadata: { paymentStatus: { from: r.paymentStatus, to: 'WAIVED' }, reason: why },
        },
        now,
      );
      return updated;
    });
  }
}
