import { BranchErrors } from '../../domain/branch/branch-city.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

/** Deletes an unused branch city; one still referenced by users must be deactivated instead. */
export class DeleteBranchCity {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, id: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const now = this.clock.now();
      const branch = await tx.branches.findById(id);
      if (!branch) throw BranchErrors.notFound();
      if ((await tx.users.countByBranch(id)) > 0) throw BranchErrors.inUse();
      await tx.branches.delete(id);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'BRANCH_DELETED',
          entity: 'branch_city',
          entityId: id,
          metadata: { code: branch.code },
        },
        now,
      );
    });
  }
}
