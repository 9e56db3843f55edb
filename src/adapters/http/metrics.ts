import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  duration: Histogram<'method' | 'route' | 'status_code'>;
}

/** One registry per app instance (tests build many apps in one process). */
export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, duration };
}

/**
 * Times every request. The route label is the template the request matched (set by the router in
 * res.locals.route), never the raw path, so ids do not explode the label's cardinality.
 */
export function metricsMiddleware(m: HttpMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = m.duration.startTimer();
    res.on('finish', () => {
      const route = typeof res.locals.route === 'string' ? res.locals.route : 'unmatched';
      end({ method: req.method, route, status_code: String(res.statusCode) });
    });
    next();
  };
}
