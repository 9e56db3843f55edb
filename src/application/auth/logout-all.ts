import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

/** Ends every session of the caller on every device. */
export class LogoutAll {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** Returns how many sessions were revoked. */
  async execute(actor: Actor): Promise<number> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const revoked = await tx.sessions.revokeAllForUser(actor.userId, 'LOGOUT_ALL', now);
      await tx.audit.record(
        { actorId: actor.userId, action: 'LOGOUT_ALL', entity: 'user', entityId: actor.userId, metadata: { revoked } },
        now,
      );
      return revoked;
    });
  }
}
