/** One login on one device: the family of its rotating refresh tokens. */
export interface AuthSession {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date;
  revokedAt: Date | null;
  revokeReason: SessionRevokeReason | null;
  userAgent: string | null;
  ip: string | null;
}

export type SessionRevokeReason =
  'LOGOUT' | 'LOGOUT_ALL' | 'REUSE_DETECTED' | 'PASSWORD_CHANGED' | 'DEACTIVATED' | 'PIN_REGENERATED' | 'ROLE_CHANGED';

/** One refresh token of a session. A token is spent once: rotation marks it used and issues the next. */
export interface RefreshTokenRecord {
  id: string;
  sessionId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export const isSessionUsable = (s: AuthSession, now: Date): boolean =>
  s.revokedAt === null && s.expiresAt.getTime() > now.getTime();
