import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../observability/logger.js';

/** One line per request: method, route template, status, duration (never the query string). */
export function accessLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      logger.http('request', {
        method: req.method,
        path: req.path,
        route: res.locals.route ?? 'unmatched',
        status: res.statusCode,
        durationMs: Math.round(ms * 10) / 10,
        userId: res.locals.auth?.user?.id,
      });
    });
    next();
  };
}
