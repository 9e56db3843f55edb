import { UserErrors } from '../../domain/identity/errors.js';
import { assertCanGrant } from '../../domain/identity/role.js';
import { newAccountFields, toPublicUser, type PublicUser } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import type { SecretGenerator } from '../../ports/secrets.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

export interface CreateInspectorInput {
  email: string;
  username?: string;
  name: string;
  branchCityId: string;
}

/** Creates an inspector in a branch city. Returns the PIN in plain text exactly once; only its hash is kept. */
export class CreateInspector {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly secrets: SecretGenerator,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, input: CreateInspectorInput): Promise<{ user: PublicUser; pin: string }> {
    assertCanGrant(actor.role, 'INSPECTOR');
    const { email, username, name } = newAccountFields(input);
    const pin = this.secrets.pin();
    const pinHash = await this.hasher.hash(pin);
    const user = await this.uow.run(async (tx) => {
      const now = this.clock.now();
      const branch = await tx.branches.findById(input.branchCityId);
      if (!branch || !branch.isActive) throw UserErrors.branchRequired();
      const created = await tx.users.create(
        {
          id: this.ids.next(),
          email,
          username,
          name,
          role: 'INSPECTOR',
          branchCityId: branch.id,
          passwordHash: null,
          pinHash,
        },
        now,
      );
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'USER_CREATED',
          entity: 'user',
          entityId: created.id,
          metadata: { role: 'INSPECTOR', branchCityId: branch.id },
        },
        now,
      );
      return created;
    });
    return { user: toPublicUser(user), pin };
  }
}
