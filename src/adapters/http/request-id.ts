import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { requestContext } from '../observability/request-context.js';

const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a caller's x-request-id (when well-formed) or makes one, echoes it, and scopes the request. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const given = req.get('x-request-id');
  const requestId = given && VALID_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', requestId);
  requestContext.run({ requestId, ip: req.ip ?? null }, () => next());
}
