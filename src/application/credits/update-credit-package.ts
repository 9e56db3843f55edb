import { PaymentErrors, type CreditPackage } from '../../domain/customer/payment.js';
import type { Clock } from '../../ports/clock.js';
import type { CreditPackagePatch } from '../../ports/payments.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

/** Changes a package; payments already opened keep the credits and price they were created with. */
export class UpdateCreditPackage {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  execute(actor: Actor, id: string, patch: CreditPackagePatch): Promise<CreditPackage> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const p = await tx.payments.packages.update(id, { ...patch, name: patch.name?.trim() }, now);
      if (!p) throw PaymentErrors.packageNotFound();
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'CREDIT_PACKAGE_SAVED',
          entity: 'credit_package',
          entityId: id,
          metadata: { created: false, ...patch },
        },
        now,
      );
      return p;
    });
  }
}
