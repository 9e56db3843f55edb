import type { NextFunction, Request, Response } from 'express';
import { readFileSync } from 'node:fs';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The registry of one process (API or worker) and the HTTP figures recorded on it. */
export interface HttpMetrics {
  registry: Registry;
  duration: Histogram<'method' | 'route' | 'status_code'>;
  photoUploads: Counter<'kind' | 'outcome'>;
}

/** The operations that upload photos (route templates), by kind of photo. */
const PHOTO_UPLOADS: Record<string, 'inspection' | 'vehicle' | 'request'> = {
  'POST /api/v1/inspections/{id}/photos': 'inspection',
  'PUT /api/v1/inspections/{id}/photos/{photoId}': 'inspection',
  'POST /api/v1/me/vehicles': 'vehicle',
  'PUT /api/v1/me/vehicles/{id}/photos': 'vehicle',
  'POST /api/v1/me/inspection-requests/{id}/photos': 'request',
};

/** The package's version, for car_dano_build_info: package.json from sources or from a build (dist/). */
function packageVersion(): string {
  for (const up of ['../../../package.json', '../../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.version) return pkg.version;
    } catch {
      // not there: a build one level deeper
    }
  }
  return 'unknown';
}

/**
 * One registry per app instance (tests build many apps in one process): Node's default process metrics,
 * `car_dano_build_info{version}`, `car_dano_http_request_duration_seconds{method,route,status_code}` and
 * `car_dano_photo_uploads_total{kind,outcome}`. `service`, `env` and `instance` come from the scrape config.
 */
export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'car_dano_build_info',
    help: 'Always 1; the version of the running code as a label.',
    labelNames: ['version'] as const,
    registers: [registry],
  }).set({ version: packageVersion() }, 1);
  const duration = new Histogram({
    name: 'car_dano_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template (or "unmatched") and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const photoUploads = new Counter({
    name: 'car_dano_photo_uploads_total',
    help: 'Photo uploads by kind (inspection, vehicle, request) and outcome (success; rejected: 4xx; error: 5xx).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  // Every known series from the start (at 0), so rates and ratios see a 0 rather than nothing.
  for (const kind of ['inspection', 'vehicle', 'request'])
    for (const outcome of ['success', 'rejected', 'error']) photoUploads.inc({ kind, outcome }, 0);
  return { registry, duration, photoUploads };
}

/**
 * Times every request. The route label is the template the request matched (set by the router in
 * res.locals.route), never the raw path, so ids do not explode the label's cardinality. Photo uploads are
 * also counted by outcome, the figure of the photo-upload SLO.
 */
export function metricsMiddleware(m: HttpMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = m.duration.startTimer();
    res.on('finish', () => {
      const route = typeof res.locals.route === 'string' ? res.locals.route : 'unmatched';
      end({ method: req.method, route, status_code: String(res.statusCode) });
      const kind = PHOTO_UPLOADS[`${req.method} ${route}`];
      if (kind) {
        const outcome = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'rejected' : 'success';
        m.photoUploads.inc({ kind, outcome });
      }
    });
    next();
  };
}
