import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

/** Ends the caller's current session (this device). */
export class Logout {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, sessionId: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const now = this.clock.now();
      await tx.sessions.revokeSession(sessionId, 'LOGOUT', now);
      await tx.audit.record({ actorId: actor.userId, action: 'LOGOUT', entity: 'session', entityId: sessionId }, now);
    });
  }
}
