import type { Knex } from 'knex';
import type { AuthSession, RefreshTokenRecord, SessionRevokeReason } from '../../domain/identity/session.js';
import type { SessionRepository } from '../../ports/session-repository.js';

interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date;
  revoked_at: Date | null;
  revoke_reason: SessionRevokeReason | null;
  user_agent: string | null;
  ip: string | null;
}

interface TokenRow {
  id: string;
  session_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

const toSession = (r: SessionRow): AuthSession => ({
  id: r.id,
  userId: r.user_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
  revokeReason: r.revoke_reason,
  userAgent: r.user_agent,
  ip: r.ip,
});

const toToken = (r: TokenRow): RefreshTokenRecord => ({
  id: r.id,
  sessionId: r.session_id,
  tokenHash: r.token_hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
});

const tokenRow = (t: RefreshTokenRecord): TokenRow => ({
  id: t.id,
  session_id: t.sessionId,
  token_hash: t.tokenHash,
  created_at: t.createdAt,
  expires_at: t.expiresAt,
  used_at: t.usedAt,
});

export class KnexSessionRepository implements SessionRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async createSession(
    s: Omit<AuthSession, 'revokedAt' | 'revokeReason'>,
    firstToken: RefreshTokenRecord,
  ): Promise<void> {
    await this.db<SessionRow>('auth_sessions').insert({
      id: s.id,
      user_id: s.userId,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
      last_used_at: s.lastUsedAt,
      user_agent: s.userAgent?.slice(0, 512) ?? null,
      ip: s.ip,
    });
    await this.db<TokenRow>('refresh_tokens').insert(tokenRow(firstToken));
  }

  async findSession(id: string): Promise<AuthSession | null> {
    const row = await this.db<SessionRow>('auth_sessions').where({ id }).first();
    return row ? toSession(row) : null;
  }

  async findTokenForUpdate(tokenHash: string): Promise<RefreshTokenRecord | null> {
    // FOR UPDATE only means something inside a transaction; the unit of work provides one.
    const row = await this.db<TokenRow>('refresh_tokens').where({ token_hash: tokenHash }).forUpdate().first();
    if (!row) return null;
    await this.db('auth_sessions').where({ id: row.session_id }).forUpdate().first();
    return toToken(row);
  }

  async rotate(usedTokenId: string, next: RefreshTokenRecord, now: Date): Promise<void> {
    await this.db<TokenRow>('refresh_tokens').where({ id: usedTokenId }).update({ used_at: now });
    await this.db<TokenRow>('refresh_tokens').insert(tokenRow(next));
    await this.db<SessionRow>('auth_sessions').where({ id: next.sessionId }).update({ last_used_at: now });
  }

  async revokeSession(id: string, reason: SessionRevokeReason, now: Date): Promise<void> {
    await this.db<SessionRow>('auth_sessions')
      .where({ id })
      .whereNull('revoked_at')
      .update({ revoked_at: now, revoke_reason: reason });
  }

  async revokeAllForUser(
    userId: string,
    reason: SessionRevokeReason,
    now: Date,
    exceptSessionId?: string,
  ): Promise<number> {
    return this.db<SessionRow>('auth_sessions')
      .where({ user_id: userId })
      .whereNull('revoked_at')
      .modify((b) => {
        if (exceptSessionId) b.whereNot('id', exceptSessionId);
      })
      .update({ revoked_at: now, revoke_reason: reason });
  }

  async listActiveForUser(userId: string, now: Date): Promise<AuthSession[]> {
    const rows = await this.db<SessionRow>('auth_sessions')
      .where({ user_id: userId })
      .whereNull('revoked_at')
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc');
    return rows.map(toSession);
  }
}
