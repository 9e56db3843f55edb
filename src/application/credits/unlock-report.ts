import { PaymentErrors } from '../../domain/customer/payment.js';
import type { Inspection } from '../../domain/inspection/inspection.js';
import { isPublishedStatus } from '../../domain/inspection/status.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

export interface UnlockResult {
  inspectionId: string;
  prettyId: string;
  /** True only the first time a credit was spent on this report. */
  charged: boolean;
  /** owned: the customer's own inspection (free); already-unlocked: opened before (free); unlocked: one credit spent now. */
  access: 'owned' | 'already-unlocked' | 'unlocked';
  balance: number;
}

/** The customer's own inspections: the owner field, one of their vehicles, or one of their requests. */
async function owns(tx: TransactionalPorts, customerId: string, i: Inspection): Promise<boolean> {
  if (i.customerUserId === customerId) return true;
  if (i.customerVehicleId && (await tx.customerVehicles.findById(i.customerVehicleId))?.customerId === customerId)
    return true;
  return (await tx.inspectionRequests.inspectionIdsOf(customerId)).includes(i.id);
}

/**
 * Opens the report of an inspection the customer does not own, for one credit, once. Only finished,
 * published reports (ARCHIVED, or at least one stored report; never a DEACTIVATED one nor one reverted to
 * review, whose report is withdrawn) can be opened. Own inspections are free;
 * a second open is free; without credits: 402 CREDITS.INSUFFICIENT. The charge is one atomic conditional
 * decrement (see CreditLedger.consumeForUnlock): concurrent opens never take the balance below zero.
 */
export class UnlockReport {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  execute(actor: Actor, prettyId: string): Promise<UnlockResult> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const i = await tx.inspections.findByPrettyId(prettyId.trim().toUpperCase());
      if (!i || !isPublishedStatus(i.status)) throw PaymentErrors.reportNotFound();
      if (i.status !== 'ARCHIVED' && (await tx.reports.listForInspection(i.id)).length === 0)
        throw PaymentErrors.reportNotFound();
      const base = { inspectionId: i.id, prettyId: i.prettyId };
      if (await owns(tx, actor.userId, i))
        return { ...base, charged: false, access: 'owned', balance: await tx.payments.credits.balanceOf(actor.userId) };
      const r = await tx.payments.credits.consumeForUnlock(
        { customerId: actor.userId, inspectionId: i.id, entryId: this.ids.next() },
        now,
      );
      if (r.outcome === 'insufficient') throw PaymentErrors.insufficientCredits();
      if (r.outcome === 'already') return { ...base, charged: false, access: 'already-unlocked', balance: r.balance };
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'REPORT_UNLOCKED',
          entity: 'inspection',
          entityId: i.id,
          metadata: { prettyId: i.prettyId, credits: 1, balance: r.balance },
        },
        now,
      );
      return { ...base, charged: true, access: 'unlocked', balance: r.balance };
    });
  }
}
