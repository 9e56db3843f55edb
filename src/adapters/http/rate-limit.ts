import type { Request, Response } from 'express';
import { rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import { sendProblem } from './problem.js';

export interface RateLimitOptions {
  windowSeconds: number;
  max: number;
  authWindowSeconds: number;
  authMax: number;
}

const handler = (_req: Request, res: Response): void =>
  sendProblem(res, 429, 'RATE_LIMITED', 'Too many requests; slow down and retry after the time in the Retry-After header.');

/**
 * Per-client limits in process memory: a general one for the API and a strict one for the credential
 * endpoints (login, register, refresh). Several API instances need a shared store (Redis) instead.
 */
export function createRateLimiters(o: RateLimitOptions): { general: RateLimitRequestHandler; auth: RateLimitRequestHandler } {
  const common = { standardHeaders: 'draft-7' as const, legacyHeaders: false, handler };
  return {
    general: rateLimit({ ...common, windowMs: o.windowSeconds * 1000, limit: o.max }),
    auth: rateLimit({ ...common, windowMs: o.authWindowSeconds * 1000, limit: o.authMax }),
  };
}
