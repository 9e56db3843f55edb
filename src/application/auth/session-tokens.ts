import { toPublicUser, type PublicUser, type User } from '../../domain/identity/user.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { SecretGenerator } from '../../ports/secrets.js';
import type { TokenIssuer } from '../../ports/token-issuer.js';
import type { SessionRepository } from '../../ports/session-repository.js';
import type { RefreshTokenRecord } from '../../domain/identity/session.js';
import type { ClientInfo } from '../actor.js';

export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  sessionId: string;
}

export interface SessionPolicy {
  refreshTtlDays: number;
}

/** Starts sessions and mints token pairs; shared by the login and refresh use cases. */
export class SessionTokens {
  constructor(
    private readonly tokens: TokenIssuer,
    private readonly secrets: SecretGenerator,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly policy: SessionPolicy,
  ) {}

  /** A fresh refresh token (plain text for the client) and the record to store (hash only). */
  newRefreshToken(sessionId: string, expiresAt: Date): { plain: string; record: RefreshTokenRecord } {
    const plain = this.secrets.refreshToken();
    const record = {
      id: this.ids.next(),
      sessionId,
      tokenHash: this.secrets.digest(plain),
      createdAt: this.clock.now(),
      expiresAt,
      usedAt: null,
    };
    return { plain, record };
  }

  async start(sessions: SessionRepository, user: User, client: ClientInfo): Promise<TokenPair> {
    const now = this.clock.now();
    const sessionId = this.ids.next();
    const expiresAt = new Date(now.getTime() + this.policy.refreshTtlDays * 86_400_000);
    const refresh = this.newRefreshToken(sessionId, expiresAt);
    await sessions.createSession(
      {
        id: sessionId,
        userId: user.id,
        createdAt: now,
        expiresAt,
        lastUsedAt: now,
        userAgent: client.userAgent,
        ip: client.ip,
      },
      refresh.record,
    );
    return this.pair(user, sessionId, refresh.plain, expiresAt);
  }

  /**
   * The successful end of any login, in one transaction: start the session (this device) and audit it.
   * (CredentialCheck cleared the failure count, refusing the login if a concurrent failure locked it.)
   */
  completeLogin(
    uow: UnitOfWork,
    user: User,
    method: 'password' | 'pin',
    client: ClientInfo,
  ): Promise<TokenPair & { user: PublicUser }> {
    return uow.run(async (tx) => {
      const now = this.clock.now();
      const pair = await this.start(tx.sessions, user, client);
      await tx.audit.record(
        {
          actorId: user.id,
          action: 'LOGIN_SUCCEEDED',
          entity: 'session',
          entityId: pair.sessionId,
          metadata: { method },
        },
        now,
      );
      return { ...pair, user: toPublicUser(user) };
    });
  }

  async pair(
    user: Pick<User, 'id' | 'role'>,
    sessionId: string,
    refreshPlain: string,
    refreshExpiresAt: Date,
  ): Promise<TokenPair> {
    const access = await this.tokens.issueAccess({ userId: user.id, role: user.role, sessionId }, this.clock.now());
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refreshPlain,
      refreshTokenExpiresAt: refreshExpiresAt,
      sessionId,
    };
  }
}
