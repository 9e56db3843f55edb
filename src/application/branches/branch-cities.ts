import {
  BranchErrors,
  normaliseBranchCode,
  validateBranchCode,
  validateBranchName,
  type BranchCity,
} from '../../domain/branch/branch-city.js';
import { throwIfInvalid } from '../../domain/identity/user.js';
import type { BranchCityPatch, BranchCityRepository } from '../../ports/branch-city-repository.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

/** GET /branch-cities: the branch cities ordered by code, only the active ones unless asked for all. */
export class ListBranchCities {
  constructor(private readonly branches: BranchCityRepository) {}

  execute(activeOnly: boolean): Promise<BranchCity[]> {
    return this.branches.list(activeOnly);
  }
}

/** One branch city. Errors: BRANCH.NOT_FOUND. */
export class GetBranchCity {
  constructor(private readonly branches: BranchCityRepository) {}

  async execute(id: string): Promise<BranchCity> {
    const branch = await this.branches.findById(id);
    if (!branch) throw BranchErrors.notFound();
    return branch;
  }
}

/**
 * Creates a branch city with a unique 3-letter code (stored uppercase) and audits BRANCH_CREATED; `actor` is null
 * for the demo seed. Errors: VALIDATION.FAILED, BRANCH.CODE_TAKEN.
 */
export class CreateBranchCity {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor | null, input: { name: string; code: string }): Promise<BranchCity> {
    const code = normaliseBranchCode(input.code);
    throwIfInvalid([validateBranchName(input.name), validateBranchCode(code)]);
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const branch = await tx.branches.create({ id: this.ids.next(), name: input.name.trim(), code }, now);
      await tx.audit.record(
        {
          actorId: actor?.userId ?? null,
          action: 'BRANCH_CREATED',
          entity: 'branch_city',
          entityId: branch.id,
          metadata: { code },
        },
        now,
      );
      return branch;
    });
  }
}

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
