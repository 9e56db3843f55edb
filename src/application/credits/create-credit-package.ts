import type { CreditPackage } from '../../domain/customer/payment.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

export interface CreditPackageInput {
  name: string;
  credits: number;
  priceIdr: number;
  active?: boolean;
}

/** An admin adds a credit package, active unless `active` is false (audit CREDIT_PACKAGE_SAVED). */
export class CreateCreditPackage {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  execute(actor: Actor, input: CreditPackageInput): Promise<CreditPackage> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const p = await tx.payments.packages.create(
        {
          id: this.ids.next(),
          name: input.name.trim(),
          credits: input.credits,
          priceIdr: input.priceIdr,
          active: input.active ?? true,
        },
        now,
      );
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'CREDIT_PACKAGE_SAVED',
          entity: 'credit_package',
          entityId: p.id,
          metadata: { created: true, name: p.name, credits: p.credits, priceIdr: p.priceIdr, active: p.active },
        },
        now,
      );
      return p;
    });
  }
}
