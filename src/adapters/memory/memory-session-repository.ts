import type { AuthSession, RefreshTokenRecord, SessionRevokeReason } from '../../domain/identity/session.js';
import type { SessionRepository } from '../../ports/session-repository.js';
import type { MemoryStore } from './memory-store.js';

export class MemorySessionRepository implements SessionRepository {
  constructor(private readonly store: MemoryStore) {}

  async createSession(
    session: Omit<AuthSession, 'revokedAt' | 'revokeReason'>,
    firstToken: RefreshTokenRecord,
  ): Promise<void> {
    this.store.state.sessions.set(session.id, { ...session, revokedAt: null, revokeReason: null });
    this.store.state.refreshTokens.set(firstToken.id, { ...firstToken });
  }

  async findSession(id: string): Promise<AuthSession | null> {
    const s = this.store.state.sessions.get(id);
    return s ? structuredClone(s) : null;
  }

  // The memory unit of work runs one transaction at a time, which gives the same serialisation as a row lock.
  async findTokenForUpdate(tokenHash: string): Promise<RefreshTokenRecord | null> {
    const t = [...this.store.state.refreshTokens.values()].find((x) => x.tokenHash === tokenHash);
    return t ? structuredClone(t) : null;
  }

  async rotate(usedTokenId: string, next: RefreshTokenRecord, now: Date): Promise<void> {
    const used = this.store.state.refreshTokens.get(usedTokenId);
    if (used) used.usedAt = now;
    this.store.state.refreshTokens.set(next.id, { ...next });
    const s = this.store.state.sessions.get(next.sessionId);
    if (s) s.lastUsedAt = now;
  }

  async revokeSession(id: string, reason: SessionRevokeReason, now: Date): Promise<void> {
    const s = this.store.state.sessions.get(id);
    if (s && !s.revokedAt) {
      s.revokedAt = now;
      s.revokeReason = reason;
    }
  }

  async revokeAllForUser(
    userId: string,
    reason: SessionRevokeReason,
    now: Date,
    exceptSessionId?: string,
  ): Promise<number> {
    let n = 0;
    for (const s of this.store.state.sessions.values()) {
      if (s.userId === userId && !s.revokedAt && s.id !== exceptSessionId) {
        s.revokedAt = now;
        s.revokeReason = reason;
        n++;
      }
    }
    return n;
  }

  async listActiveForUser(userId: string, now: Date): Promise<AuthSession[]> {
    return [...this.store.state.sessions.values()]
      .filter((s) => s.userId === userId && !s.revokedAt && s.expiresAt > now)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((s) => structuredClone(s));
  }
}
