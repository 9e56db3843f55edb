import { toPublicUser, type PublicUser, type User } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { assertNotLastSuperadmin, loadManageable } from './manageable.js';

/** Deactivates (revoking every session) or re-activates a user. */
export class SetUserActive {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, userId: string, active: boolean): Promise<PublicUser> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const user = await loadManageable(tx, actor, userId);
      if (!active) await assertNotLastSuperadmin(tx, user);
      const updated = await tx.users.update(user.id, { isActive: active, failedLoginCount: 0, lockedUntil: null }, now);
      if (!active) await tx.sessions.revokeAllForUser(user.id, 'DEACTIVATED', now);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: active ? 'USER_ACTIVATED' : 'USER_DEACTIVATED',
          entity: 'user',
          entityId: user.id,
        },
        now,
      );
      return toPublicUser(updated as User);
    });
  }
}
