import { assertCanGrant, type Role } from '../../domain/identity/role.js';
import { newAccountFields, toPublicUser, type PublicUser } from '../../domain/identity/user.js';
import { UserErrors } from '../../domain/identity/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

export interface CreateStaffUserInput {
  email: string;
  username?: string;
  name: string;
  password: string;
  role: Extract<Role, 'SUPERADMIN' | 'ADMIN' | 'REVIEWER'>;
}

/**
 * Creates an account that logs in with a password (ADMIN, SUPERADMIN, REVIEWER). `actor` null means the
 * operator CLI, which is trusted (it bootstraps the first SUPERADMIN).
 */
export class CreateStaffUser {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor | null, input: CreateStaffUserInput): Promise<PublicUser> {
    if (!['SUPERADMIN', 'ADMIN', 'REVIEWER'].includes(input.role)) {
      throw UserErrors.roleNotAllowed();
    }
    if (actor) assertCanGrant(actor.role, input.role);
    const { email, username, name } = newAccountFields(input);
    const passwordHash = await this.hasher.hash(input.password);
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const user = await tx.users.create(
        {
          id: this.ids.next(),
          email,
          username,
          name,
          role: input.role,
          branchCityId: null,
          passwordHash,
          pinHash: null,
        },
        now,
      );
      await tx.audit.record(
        {
          actorId: actor?.userId ?? null,
          action: 'USER_CREATED',
          entity: 'user',
          entityId: user.id,
          metadata: { role: input.role, via: actor ? 'api' : 'cli' },
        },
        now,
      );
      return toPublicUser(user);
    });
  }
}
