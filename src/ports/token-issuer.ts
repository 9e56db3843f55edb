import type { Role } from '../domain/identity/role.js';

export interface AccessClaims {
  userId: string;
  role: Role;
  sessionId: string;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

export interface TokenIssuer {
  /** Signs a short-lived access token for the claims. */
  issueAccess(claims: AccessClaims, now: Date): Promise<IssuedAccessToken>;
  /** Verifies signature, issuer and expiry; null for anything not valid (never throws). */
  verifyAccess(token: string): Promise<AccessClaims | null>;
}

export const TokenIssuer = Symbol('TokenIssuer');
