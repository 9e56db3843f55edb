import type { NextFunction, Request, Response } from 'express';
import type { OperationSpec } from './openapi.js';
import { toErrorDetails } from './openapi.js';
import { sendProblem } from './problem.js';

export interface Validated {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

/** Validates path, query and JSON body against the operation's schemas from openapi.yaml. */
export function validateRequest(op: OperationSpec) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const params = { ...req.params };
    const query = { ...(req.query as Record<string, unknown>) };
    const errors = [];
    if (!op.validateParams(params)) errors.push(...toErrorDetails(op.validateParams.errors, '/params'));
    if (!op.validateQuery(query)) errors.push(...toErrorDetails(op.validateQuery.errors, '/query'));
    let body: unknown = undefined;
    if (op.validateBody) {
      const hasBody = Number(req.get('content-length') ?? '0') > 0 || req.get('transfer-encoding') !== undefined;
      if (hasBody && !req.is('application/json')) {
        return sendProblem(res, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
      }
      if (!hasBody && op.bodyRequired) {
        errors.push({ path: '/body', message: 'a JSON body is required' });
      } else if (hasBody) {
        body = req.body;
        if (!op.validateBody(body)) errors.push(...toErrorDetails(op.validateBody.errors, '/body'));
      }
    }
    if (errors.length > 0) return sendProblem(res, 400, 'VALIDATION.FAILED', 'The request is not valid.', errors);
    res.locals.valid = { params, query, body } satisfies Validated;
    next();
  };
}

export const validOf = (res: Response): Validated => res.locals.valid as Validated;
