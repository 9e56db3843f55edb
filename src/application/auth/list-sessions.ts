import type { AuthSession } from '../../domain/identity/session.js';
import type { Clock } from '../../ports/clock.js';
import type { SessionRepository } from '../../ports/session-repository.js';
import type { Actor } from '../actor.js';

/** The caller's active logins (one per device), newest first. */
export class ListMySessions {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  execute(actor: Actor): Promise<AuthSession[]> {
    return this.sessions.listActiveForUser(actor.userId, this.clock.now());
  }
}
