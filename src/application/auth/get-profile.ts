import { UserErrors } from '../../domain/identity/errors.js';
import { toPublicUser, type PublicUser } from '../../domain/identity/user.js';
import type { UserRepository } from '../../ports/user-repository.js';
import type { Actor } from '../actor.js';

/** The caller's own profile. */
export class GetProfile {
  constructor(private readonly users: UserRepository) {}

  async execute(actor: Actor): Promise<PublicUser> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw UserErrors.notFound();
    return toPublicUser(user);
  }
}
