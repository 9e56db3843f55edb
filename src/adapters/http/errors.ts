import type { NextFunction, Request, Response } from 'express';
import { isDomainError } from '../../domain/shared/domain-error.js';
import type { Logger } from '../observability/logger.js';
import { sendProblem, STATUS_OF_KIND } from './problem.js';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/**
 * Behind a proxy with TRUST_PROXY=false every client has the proxy's address, so all of them share one
 * rate-limit bucket (and the audit trail records the proxy). Said once in the log, at the first request
 * that carries X-Forwarded-For, so the operator sets TRUST_PROXY.
 */
export function warnUntrustedForwarding(logger: Logger) {
  let warned = false;
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!warned && req.headers['x-forwarded-for'] !== undefined) {
      warned = true;
      logger.warn(
        'requests carry X-Forwarded-For but TRUST_PROXY=false: behind a proxy every client shares its address and rate-limit bucket; set TRUST_PROXY to the hop count or the proxy addresses',
        { peer: req.socket.remoteAddress },
      );
    }
    next();
  };
}

/** The last middleware: domain errors and body-parser failures as problem+json, anything else a logged 500. */
export function errorHandler(logger: Logger) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) {
      logger.error('error after response started', { err });
      return;
    }
    if (isDomainError(err)) return sendProblem(res, STATUS_OF_KIND[err.kind], err.code, err.message, err.details);
    const e = err as BodyParserError;
    switch (e?.type) {
      case 'entity.parse.failed':
        return sendProblem(res, 400, 'REQUEST.MALFORMED_JSON', 'The body is not valid JSON.');
      case 'entity.too.large':
        return sendProblem(res, 413, 'REQUEST.TOO_LARGE', 'The body is larger than this endpoint accepts.');
      case 'charset.unsupported':
      case 'encoding.unsupported':
        return sendProblem(res, 415, 'REQUEST.UNSUPPORTED_ENCODING', 'Unsupported body charset or encoding.');
      case 'request.aborted':
        return sendProblem(res, 400, 'REQUEST.ABORTED', 'The request was aborted.');
    }
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
      return sendProblem(res, e.status, 'REQUEST.INVALID', 'The request could not be processed.');
    }
    logger.error('unhandled error', { err });
    sendProblem(res, 500, 'INTERNAL', 'Something went wrong on our side; quote the request id if you report it.');
  };
}
