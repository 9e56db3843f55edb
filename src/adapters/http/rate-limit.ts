import type { Request, Response } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import { sendProblem } from './problem.js';

export interface RateLimitOptions {
  windowSeconds: number;
  max: number;
  authWindowSeconds: number;
  authMax: number;
  /** Creations per windowSeconds on `x-rate-limit: create` operations (default: max). */
  createMax?: number;
  /** Public verifications per window (their own bucket). */
  verifyMax?: number;
  /** Requests per windowSeconds on `x-rate-limit: render` operations (default: 100 x max). */
  renderMax?: number;
}

/** Authenticated callers are counted per user (several customers may share an address), others per address. */
const callerKey = (req: Request, res: Response): string => {
  const userId = (res.locals.auth as { user?: { id?: string } } | undefined)?.user?.id;
  return userId ? `user:${userId}` : ipKeyGenerator(req.ip ?? '');
};

const handler = (_req: Request, res: Response): void =>
  sendProblem(
    res,
    429,
    'RATE_LIMITED',
    'Too many requests; slow down and retry after the time in the Retry-After header.',
  );

/**
 * Per-client limits in process memory: a general one for the API, a strict one for the credential
 * endpoints (login, register, refresh) and one for creating things (`x-rate-limit: create`: inspection
 * requests). Several API instances need a shared store (Redis) instead.
 */
export function createRateLimiters(
  o: RateLimitOptions,
  skipGeneral: (req: Request) => boolean = () => false,
): {
  general: RateLimitRequestHandler;
  auth: RateLimitRequestHandler;
  create: RateLimitRequestHandler;
  render: RateLimitRequestHandler;
  edge: RateLimitRequestHandler;
  verify: RateLimitRequestHandler;
} {
  // The app logs a forwarded header behind an untrusted proxy itself (once, structured); the library's own
  // check would print a stack to stderr.
  const common = {
    standardHeaders: 'draft-7' as const,
    legacyHeaders: false,
    handler,
    validate: { xForwardedForHeader: false },
  };
  return {
    general: rateLimit({ ...common, windowMs: o.windowSeconds * 1000, limit: o.max, skip: skipGeneral }),
    // Report pages and their photos, fetched by the renderer with a render token: one report is ~60 requests.
    render: rateLimit({ ...common, windowMs: o.windowSeconds * 1000, limit: o.renderMax ?? o.max * 100 }),
    auth: rateLimit({ ...common, windowMs: o.authWindowSeconds * 1000, limit: o.authMax }),
    // The routes outside the API (/metrics, /openapi.yaml, /files, /ipfs, /sandbox, /docs): a bucket of their own
    // per address, so downloads and scrapes neither escape limits nor use up a client's API budget.
    edge: rateLimit({ ...common, windowMs: o.windowSeconds * 1000, limit: o.max }),
    // Public verification: an upload of up to 50 MB and a chain lookup each, for anyone.
    verify: rateLimit({ ...common, windowMs: o.windowSeconds * 1000, limit: o.verifyMax ?? o.max }),
    // Runs after authentication (see app.ts), so that it can count per user.
    create: rateLimit({
      ...common,
      windowMs: o.windowSeconds * 1000,
      limit: o.createMax ?? o.max,
      keyGenerator: callerKey,
    }),
  };
}
