import { AuthErrors } from '../../domain/identity/errors.js';
import { isSessionUsable } from '../../domain/identity/session.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Clock } from '../../ports/clock.js';
import type { SecretGenerator } from '../../ports/secrets.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { SessionTokens, TokenPair } from './session-tokens.js';

/**
 * Exchanges a refresh token for a new pair (rotation). Presenting a token that was already rotated is
 * treated as theft: the whole session (token family) is revoked.
 */
export class RefreshSession {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly secrets: SecretGenerator,
    private readonly sessionTokens: SessionTokens,
    private readonly clock: Clock,
  ) {}

  async execute(refreshToken: string): Promise<TokenPair> {
    const outcome = await this.uow.run(async (tx) => {
      const now = this.clock.now();
      const token = await tx.sessions.findTokenForUpdate(this.secrets.digest(refreshToken));
      if (!token) return AuthErrors.invalidToken();
      const session = await tx.sessions.findSession(token.sessionId);
      if (!session || !isSessionUsable(session, now) || token.expiresAt <= now) return AuthErrors.sessionRevoked();
      if (token.usedAt) {
        await tx.sessions.revokeSession(session.id, 'REUSE_DETECTED', now);
        await tx.audit.record(
          { actorId: session.userId, action: 'REFRESH_TOKEN_REUSED', entity: 'session', entityId: session.id },
          now,
        );
        return AuthErrors.refreshReused();
      }
      const user = await tx.users.findById(session.userId);
      if (!user || !user.isActive) return AuthErrors.accountInactive();
      const next = this.sessionTokens.newRefreshToken(session.id, session.expiresAt);
      await tx.sessions.rotate(token.id, next.record, now);
      return this.sessionTokens.pair(user, session.id, next.plain, session.expiresAt);
    });
    // Errors are returned, not thrown, so that the revocation above commits before the caller sees them.
    if (outcome instanceof DomainError) throw outcome;
    return outcome;
  }
}
