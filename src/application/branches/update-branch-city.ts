import {
  BranchErrors,
  normaliseBranchCode,
  validateBranchCode,
  validateBranchName,
  type BranchCity,
} from '../../domain/branch/branch-city.js';
import { throwIfInvalid } from '../../domain/identity/user.js';
import type { BranchCityPatch } from '../../ports/branch-city-repository.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

/**
 * Renames, re-codes, activates or deactivates a branch city (audit BRANCH_UPDATED). Errors: VALIDATION.FAILED,
 * BRANCH.NOT_FOUND, BRANCH.CODE_TAKEN.
 */
export class UpdateBranchCity {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, id: string, input: BranchCityPatch): Promise<BranchCity> {
    const patch: BranchCityPatch = { ...input };
    if (patch.code !== undefined) patch.code = normaliseBranchCode(patch.code);
    if (patch.name !== undefined) patch.name = patch.name.trim();
    throwIfInvalid([
      patch.name === undefined ? null : validateBranchName(patch.name),
      patch.code === undefined ? null : validateBranchCode(patch.code),
    ]);
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const branch = await tx.branches.update(id, patch, now);
      if (!branch) throw BranchErrors.notFound();
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'BRANCH_UPDATED',
          entity: 'branch_city',
          entityId: id,
          metadata: { ...patch },
        },
        now,
      );
      return branch;
    });
  }
}
