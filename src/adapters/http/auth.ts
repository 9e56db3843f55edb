import type { NextFunction, Request, Response } from 'express';
import type { Authenticate, Authenticated } from '../../application/auth/authenticate.js';
import type { Actor } from '../../application/actor.js';
import type { Role } from '../../domain/identity/role.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import { requestContext } from '../observability/request-context.js';
import { sendProblem } from './problem.js';

// RFC 9110 section 11.1: the scheme is case-insensitive ("bearer", "BEARER"); one or more spaces before the token.
const BEARER = /^Bearer +([A-Za-z0-9\-_.]+)$/i;

/**
 * Resolves the bearer token through the Authenticate use case (store-backed: deactivation and logout
 * apply at once) and enforces the operation's roles.
 */
export function requireAuth(authenticate: Authenticate, roles: Role[]) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match) return sendProblem(res, 401, 'AUTH.INVALID_TOKEN', 'A bearer access token is required.');
    let auth: Authenticated;
    try {
      auth = await authenticate.execute(match[1] as string);
    } catch (e) {
      if (isDomainError(e)) return sendProblem(res, 401, e.code, e.message);
      throw e;
    }
    if (roles.length > 0 && !roles.includes(auth.user.role)) {
      return sendProblem(res, 403, 'AUTH.FORBIDDEN', `This operation needs one of the roles: ${roles.join(', ')}.`);
    }
    res.locals.auth = auth;
    const ctx = requestContext.getStore();
    if (ctx) ctx.userId = auth.user.id;
    next();
  };
}

export const actorOf = (res: Response): Actor => {
  const auth = res.locals.auth as Authenticated | undefined;
  if (!auth) throw new Error('actorOf called on an unauthenticated route');
  return { userId: auth.user.id, role: auth.user.role };
};

export const sessionOf = (res: Response): string => (res.locals.auth as Authenticated).sessionId;
