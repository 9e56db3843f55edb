import type { NextFunction, Request, Response } from 'express';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { ErrorDetail } from '../../domain/shared/domain-error.js';
import { toErrorDetails, type OperationSpec } from './openapi.js';
import { sendProblem } from './problem.js';
import { findUnsafeInput, unsafeInputError, type UnsafeKey } from '../../domain/shared/safe-keys.js';

export interface Validated {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

/**
 * Validates path and query parameters against the operation in openapi.yaml. Runs before any body is
 * received (a multipart upload to a malformed id is refused before its files are read).
 */
export function validateParameters(op: OperationSpec) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const params = { ...req.params };
    const query = { ...(req.query as Record<string, unknown>) };
    const unsafe = findUnsafeInput(params, '/params') ?? findUnsafeInput(query, '/query');
    if (unsafe) return sendUnsafe(res, unsafe);
    const errors = [];
    if (!op.validateParams(params)) errors.push(...toErrorDetails(op.validateParams.errors, '/params'));
    if (!op.validateQuery(query)) errors.push(...toErrorDetails(op.validateQuery.errors, '/query'));
    if (errors.length > 0) return sendProblem(res, 400, 'VALIDATION.FAILED', 'The request is not valid.', errors);
    res.locals.valid = { params, query, body: undefined } satisfies Validated;
    next();
  };
}

function sendUnsafe(res: Response, unsafe: UnsafeKey): void {
  const e = unsafeInputError(unsafe);
  sendProblem(res, 400, e.code, e.message, e.details);
}

/**
 * Refuses any JSON body holding a key that could reach a prototype (`__proto__`, `constructor`,
 * `prototype`) at any depth (400 VALIDATION.FORBIDDEN_KEY), or a NUL character in any string or key (400
 * VALIDATION.FAILED), before a handler or validator sees it. Mounted right after the JSON parser, for every
 * route; path and query parameters get the same check in validateParameters.
 */
export function refuseReservedKeys(req: Request, res: Response, next: NextFunction): void {
  const unsafe = typeof req.body === 'object' && req.body !== null ? findUnsafeInput(req.body, '/body') : null;
  if (unsafe) return sendUnsafe(res, unsafe);
  next();
}

type BodyCheck = { body: unknown; errors: ErrorDetail[] };

/** The JSON body and its problems; 'unsupported' when a body comes in another media type. */
function checkJsonBody(op: OperationSpec, validate: ValidateFunction, req: Request): BodyCheck | 'unsupported' {
  const hasBody = Number(req.get('content-length') ?? '0') > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json')) return 'unsupported';
  if (!hasBody && op.bodyRequired)
    return { body: undefined, errors: [{ path: '/body', message: 'a JSON body is required' }] };
  if (!hasBody) return { body: undefined, errors: [] };
  const body: unknown = req.body;
  return { body, errors: validate(body) ? [] : toErrorDetails(validate.errors, '/body') };
}

/** The multipart text fields and their problems, with the required files that are missing. */
function checkMultipartBody(
  multipart: NonNullable<OperationSpec['multipart']>,
  req: Request,
  res: Response,
): BodyCheck | { unsafe: UnsafeKey } {
  const unsafe = findUnsafeInput(req.body, '/body');
  if (unsafe) return { unsafe };
  const body = { ...(req.body as Record<string, unknown> | undefined) };
  const errors: ErrorDetail[] = [];
  if (!multipart.validateFields(body)) errors.push(...toErrorDetails(multipart.validateFields.errors, '/body'));
  const files = (res.locals.files ?? {}) as Record<string, unknown[]>;
  for (const f of multipart.files)
    if (f.required && !files[f.name]?.length) errors.push({ path: `/body/${f.name}`, message: 'a file is required' });
  return { body, errors };
}

/**
 * Validates the JSON body (or the multipart text fields and required files) against openapi.yaml. An
 * operation documenting both takes the one the request's Content-Type names.
 */
export function validateRequest(op: OperationSpec) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const { params, query } = res.locals.valid as Validated;
    const asMultipart = !!op.multipart && (!op.validateBody || !!req.is('multipart/form-data'));
    let checked: BodyCheck = { body: undefined, errors: [] };
    if (op.multipart && asMultipart) {
      const c = checkMultipartBody(op.multipart, req, res);
      if ('unsafe' in c) return sendUnsafe(res, c.unsafe);
      checked = c;
    } else if (op.validateBody) {
      const c = checkJsonBody(op, op.validateBody, req);
      if (c === 'unsupported')
        return sendProblem(
          res,
          415,
          'REQUEST.UNSUPPORTED_MEDIA_TYPE',
          op.multipart
            ? 'Send the body as application/json or multipart/form-data.'
            : 'Send the body as application/json.',
        );
      checked = c;
    }
    if (checked.errors.length > 0)
      return sendProblem(res, 400, 'VALIDATION.FAILED', 'The request is not valid.', checked.errors);
    res.locals.valid = { params, query, body: checked.body } satisfies Validated;
    next();
  };
}

export const validOf = (res: Response): Validated => res.locals.valid as Validated;
