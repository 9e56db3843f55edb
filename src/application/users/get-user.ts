import { UserErrors } from '../../domain/identity/errors.js';
import { toPublicUser, type PublicUser } from '../../domain/identity/user.js';
import type { UserRepository } from '../../ports/user-repository.js';

/** One user as others may see it (no hashes). Errors: USER.NOT_FOUND. */
export class GetUser {
  constructor(private readonly users: UserRepository) {}

  async execute(id: string): Promise<PublicUser> {
    const user = await this.users.findById(id);
    if (!user) throw UserErrors.notFound();
    return toPublicUser(user);
  }
}
