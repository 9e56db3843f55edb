import { UserErrors } from '../../domain/identity/errors.js';
import {
  normaliseUsername,
  throwIfInvalid,
  toPublicUser,
  validateName,
  validateUsername,
  type PublicUser,
} from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { UserPatch } from '../../ports/user-repository.js';
import type { Actor } from '../actor.js';

export interface UpdateProfileInput {
  name?: string;
  username?: string | null;
}

/** Changes the caller's display name or username (email and role are managed elsewhere). */
export class UpdateProfile {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, input: UpdateProfileInput): Promise<PublicUser> {
    const patch: UserPatch = {};
    if (input.name !== undefined) patch.name = input.name.trim();
    if (input.username !== undefined)
      patch.username = input.username === null ? null : normaliseUsername(input.username);
    throwIfInvalid([
      patch.name === undefined ? null : validateName(patch.name),
      patch.username ? validateUsername(patch.username) : null,
    ]);
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const user = await tx.users.update(actor.userId, patch, now);
      if (!user) throw UserErrors.notFound();
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'PROFILE_UPDATED',
          entity: 'user',
          entityId: actor.userId,
          metadata: { fields: Object.keys(patch) },
        },
        now,
      );
      return toPublicUser(user);
    });
  }
}
