import { AuthErrors } from '../../domain/identity/errors.js';
import { isSessionUsable } from '../../domain/identity/session.js';
import { toPublicUser, type PublicUser } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { SessionRepository } from '../../ports/session-repository.js';
import type { TokenIssuer } from '../../ports/token-issuer.js';
import type { UserRepository } from '../../ports/user-repository.js';

export interface Authenticated {
  user: PublicUser;
  sessionId: string;
}

/**
 * Resolves an access token to the current user on every request. The user and session are read from the
 * store each time, so deactivation, role changes and logout take effect immediately, not at token expiry.
 */
export class Authenticate {
  constructor(
    private readonly tokens: TokenIssuer,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  async execute(accessToken: string): Promise<Authenticated> {
    const claims = await this.tokens.verifyAccess(accessToken);
    if (!claims) throw AuthErrors.invalidToken();
    const [user, session] = await Promise.all([
      this.users.findById(claims.userId),
      this.sessions.findSession(claims.sessionId),
    ]);
    if (!user || !session || session.userId !== user.id) throw AuthErrors.invalidToken();
    if (!user.isActive) throw AuthErrors.accountInactive();
    if (!isSessionUsable(session, this.clock.now())) throw AuthErrors.sessionRevoked();
    return { user: toPublicUser(user), sessionId: session.id };
  }
}
