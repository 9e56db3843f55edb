import type { AuthSession, RefreshTokenRecord, SessionRevokeReason } from '../domain/identity/session.js';

export interface SessionRepository {
  /** Creates a session (one device login) with its first refresh token. */
  createSession(
    session: Omit<AuthSession, 'revokedAt' | 'revokeReason'>,
    firstToken: RefreshTokenRecord,
  ): Promise<void>;
  /** The session or null. */
  findSession(id: string): Promise<AuthSession | null>;
  /**
   * Finds a refresh token by its hash and locks it (and its session) for the rest of the current unit of
   * work, so two concurrent refreshes of one token serialise: the second sees it used.
   */
  findTokenForUpdate(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /** Marks the token spent and stores its successor; bumps the session's lastUsedAt. */
  rotate(usedTokenId: string, next: RefreshTokenRecord, now: Date): Promise<void>;
  /** Revokes one session; a no-op when already revoked. */
  revokeSession(id: string, reason: SessionRevokeReason, now: Date): Promise<void>;
  /** Revokes every active session of the user except `exceptSessionId`; returns how many it revoked. */
  revokeAllForUser(userId: string, reason: SessionRevokeReason, now: Date, exceptSessionId?: string): Promise<number>;
  /** Active (not revoked, not expired) sessions of a user, newest first. */
  listActiveForUser(userId: string, now: Date): Promise<AuthSession[]>;
}

export const SessionRepository = Symbol('SessionRepository');
