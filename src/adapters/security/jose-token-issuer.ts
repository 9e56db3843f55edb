import { jwtVerify, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { isRole } from '../../domain/identity/role.js';
import type { AccessClaims, IssuedAccessToken, TokenIssuer } from '../../ports/token-issuer.js';

export interface JwtOptions {
  secret: string;
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
}

/** HS256 access tokens. The secret comes from configuration (env or *_FILE), never from code. */
export class JoseTokenIssuer implements TokenIssuer {
  private readonly key: Uint8Array;

  constructor(private readonly o: JwtOptions) {
    this.key = new TextEncoder().encode(o.secret);
  }

  async issueAccess(claims: AccessClaims, now: Date): Promise<IssuedAccessToken> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.o.accessTtlSeconds;
    const token = await new SignJWT({ role: claims.role, sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(this.o.issuer)
      .setAudience(this.o.audience)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async verifyAccess(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: this.o.issuer,
        audience: this.o.audience,
        algorithms: ['HS256'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || !isRole(payload.role)) return null;
      return { userId: payload.sub, sessionId: payload.sid, role: payload.role };
    } catch {
      return null;
    }
  }
}
