import { newAccountFields, toPublicUser, type PublicUser } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';

export interface RegisterCustomerInput {
  email: string;
  username?: string;
  name: string;
  password: string;
}

/** Self-registration of a CUSTOMER account. */
export class RegisterCustomer {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: RegisterCustomerInput): Promise<PublicUser> {
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
          role: 'CUSTOMER',
          branchCityId: null,
          passwordHash,
          pinHash: null,
        },
        now,
      );
      await tx.audit.record(
        {
          actorId: user.id,
          action: 'USER_REGISTERED',
          entity: 'user',
          entityId: user.id,
          metadata: { role: 'CUSTOMER' },
        },
        now,
      );
      return toPublicUser(user);
    });
  }
}
