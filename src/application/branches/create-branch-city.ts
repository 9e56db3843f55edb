import {
  normaliseBranchCode,
  validateBranchCode,
  validateBranchName,
  type BranchCity,
} from '../../domain/branch/branch-city.js';
import { throwIfInvalid } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

/** A new branch city: its name and 3-letter code. */
export interface CreateBranchCityInput {
  name: string;
  code: string;
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

  async execute(actor: Actor | null, input: CreateBranchCityInput): Promise<BranchCity> {
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
