import cors from 'cors';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { timingSafeEqual } from 'node:crypto';
import swaggerUi from 'swagger-ui-express';
import { isDomainError } from '../../domain/shared/domain-error.js';
import type { HealthCheck } from '../../ports/health-check.js';
import type { Logger } from '../observability/logger.js';
import { accessLog } from './access-log.js';
import { requireAuth } from './auth.js';
import { adminHandlers } from './handlers/admin-handlers.js';
import { archiveHandlers } from './handlers/archive-handlers.js';
import { historyHandlers } from './handlers/history-handlers.js';
import { verifyHandlers } from './handlers/verify-handlers.js';
import { vehicleHandlers } from './handlers/vehicle-handlers.js';
import { requestHandlers } from './handlers/request-handlers.js';
import { paymentHandlers } from './handlers/payment-handlers.js';
import { authHandlers } from './handlers/auth-handlers.js';
import { healthHandlers } from './handlers/health-handlers.js';
import { inspectionHandlers } from './handlers/inspection-handlers.js';
import { reportHandlers } from './handlers/report-handlers.js';
import { multipartUpload } from './multipart.js';
import type { OperationHandlers } from './handlers/types.js';
import { createHttpMetrics, metricsMiddleware, type HttpMetrics } from './metrics.js';
import type { ApiSpec } from './openapi.js';
import { sendProblem, STATUS_OF_KIND } from './problem.js';
import { createRateLimiters, type RateLimitOptions } from './rate-limit.js';
import { requestIdMiddleware } from './request-id.js';
import type { HttpUseCases } from './use-cases.js';
import { requireHost } from './http-server.js';
import { refuseReservedKeys, validateParameters, validateRequest } from './validation.js';

export interface HttpOptions {
  /** Largest accepted uploaded file (multipart operations). */
  maxUploadBytes: number;
  /** Where multipart uploads are received (removed when each response ends); default: <os tmpdir>/cardano-uploads. */
  uploadTmpDir?: string;
  corsOrigins: string[];
  bodyLimitKb: number;
  trustProxy: boolean | number | string;
  rateLimit: RateLimitOptions;
  metricsToken: string | undefined;
}

export interface AppDependencies {
  spec: ApiSpec;
  specYaml: string;
  useCases: HttpUseCases;
  healthChecks: HealthCheck[];
  logger: Logger;
  options: HttpOptions;
  isDraining?: () => boolean;
  metrics?: HttpMetrics;
  /** Serves GET /files/*key (signed URLs of the filesystem store) when that store is in use. */
  fileHandler?: RequestHandler;
  /** Serves GET /ipfs/:cid (pinned content of the embedded IPFS node, for local verification). */
  ipfsHandler?: RequestHandler;
  /** The sandbox payment gateway's checkout pages, mounted at /sandbox/checkout (PAYMENT_DRIVER=sandbox only). */
  sandboxCheckout?: RequestHandler;
}

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Builds the express application: every /api/v1 route comes from an operation in openapi.yaml. */
export function createApp(d: AppDependencies): express.Express {
  const app = express();
  const metrics = d.metrics ?? createHttpMetrics();
  // The renderer's own requests (report pages and photos under a render token) have their own, larger bucket:
  // a bulk approval must not be throttled by the general per-address limit (Chromium calls from 127.0.0.1).
  const renderPaths = d.spec.operations
    .filter((o) => o.rateLimit === 'render')
    .map((o) => new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`));
  const limiters = createRateLimiters(d.options.rateLimit, (req) => renderPaths.some((r) => r.test(req.path)));
  app.set('trust proxy', d.options.trustProxy);
  app.set('query parser', 'simple');
  app.disable('x-powered-by');
  app.locals.metrics = metrics;

  app.use(requestIdMiddleware);
  app.use(requireHost);
  if (d.options.trustProxy === false || d.options.trustProxy === 0) app.use(warnUntrustedForwarding(d.logger));
  app.use(metricsMiddleware(metrics));
  app.use(accessLog(d.logger));
  app.use(helmet());
  if (d.options.corsOrigins.length > 0) {
    const origins = d.options.corsOrigins;
    app.use(
      cors({
        origin: origins.includes('*') ? '*' : origins,
        exposedHeaders: ['x-request-id', 'retry-after', 'location'],
        maxAge: 600,
      }),
    );
  }

  for (const prefix of ['/metrics', '/openapi.yaml', '/files', '/ipfs', '/sandbox', '/docs'])
    app.use(prefix, limiters.edge);
  app.get('/metrics', async (req, res) => {
    res.locals.route = '/metrics';
    if (d.options.metricsToken && !safeEqual(req.get('authorization') ?? '', `Bearer ${d.options.metricsToken}`)) {
      return sendProblem(res, 401, 'AUTH.INVALID_TOKEN', 'The metrics token is missing or wrong.');
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/openapi.yaml', (_req, res) => {
    res.locals.route = '/openapi.yaml';
    res.type('application/yaml').send(d.specYaml);
  });
  if (d.fileHandler) {
    app.get(
      '/files/*key',
      (_req: Request, res: Response, next: NextFunction) => {
        res.locals.route = '/files/*key';
        next();
      },
      d.fileHandler,
    );
  }
  if (d.ipfsHandler) {
    app.get(
      '/ipfs/:cid',
      (_req: Request, res: Response, next: NextFunction) => {
        res.locals.route = '/ipfs/:cid';
        next();
      },
      d.ipfsHandler,
    );
  }
  if (d.sandboxCheckout) app.use('/sandbox/checkout', d.sandboxCheckout);
  app.use(
    '/docs',
    (_req: Request, res: Response, next: NextFunction) => {
      res.locals.route = '/docs';
      next();
    },
    swaggerUi.serve,
    swaggerUi.setup(undefined, {
      swaggerOptions: { url: '/openapi.yaml', persistAuthorization: true },
      customSiteTitle: 'CAR-dano API',
    }),
  );

  const api = express.Router();
  api.use(limiters.general);
  api.use(
    express.json({
      limit: `${d.options.bodyLimitKb}kb`,
      strict: true,
      type: ['application/json', 'application/*+json'],
    }),
  );
  api.use(refuseReservedKeys);

  const handlers: OperationHandlers = {
    ...healthHandlers(d.healthChecks, d.isDraining ?? (() => false), (name, err) =>
      d.logger.warn('readiness check failed', { check: name, err }),
    ),
    ...authHandlers(d.useCases),
    ...adminHandlers(d.useCases),
    ...inspectionHandlers(d.useCases),
    ...reportHandlers(d.useCases),
    ...archiveHandlers(d.useCases),
    ...historyHandlers(d.useCases),
    ...verifyHandlers(d.useCases),
    ...vehicleHandlers(d.useCases, d.spec),
    ...requestHandlers(d.useCases),
    ...paymentHandlers(d.useCases),
  };
  const specIds = new Set(d.spec.operations.map((o) => o.operationId));
  const unbound = d.spec.operations.filter((o) => !handlers[o.operationId]).map((o) => o.operationId);
  const undocumented = Object.keys(handlers).filter((id) => !specIds.has(id));
  if (unbound.length || undocumented.length) {
    throw new Error(
      `openapi.yaml and handlers disagree: no handler for [${unbound.join(', ')}]; not in openapi.yaml: [${undocumented.join(', ')}]`,
    );
  }
  for (const op of d.spec.operations) {
    const route = `${d.spec.basePath}${op.path}`;
    const chain = [
      (_req: Request, res: Response, next: NextFunction) => {
        res.locals.route = route;
        next();
      },
      ...(op.rateLimit === 'auth' ? [limiters.auth] : []),
      ...(op.rateLimit === 'render' ? [limiters.render] : []),
      ...(op.rateLimit === 'verify' ? [limiters.verify] : []),
      ...(op.roles ? [requireAuth(d.useCases.authenticate, op.roles)] : []),
      ...(op.rateLimit === 'create' ? [limiters.create] : []),
      validateParameters(op),
      ...(op.multipart
        ? [multipartUpload(op, { maxFileBytes: d.options.maxUploadBytes, tmpDir: d.options.uploadTmpDir })]
        : []),
      validateRequest(op),
      handlers[op.operationId] as (req: Request, res: Response) => Promise<void>,
    ];
    api[op.method](op.expressPath, ...chain);
  }
  api.use((req, res) => {
    const allowed = d.spec.operations
      .filter((o) => matchesTemplate(o.path, req.path))
      .map((o) => o.method.toUpperCase());
    if (allowed.length > 0) {
      res.setHeader('Allow', allowed.join(', '));
      return sendProblem(
        res,
        405,
        'ROUTE.METHOD_NOT_ALLOWED',
        `${req.method} is not supported here; use ${allowed.join(', ')}.`,
      );
    }
    sendProblem(res, 404, 'ROUTE.NOT_FOUND', `No route ${req.method} ${req.baseUrl}${req.path}.`);
  });
  app.use(d.spec.basePath, api);
  app.use((req, res) => sendProblem(res, 404, 'ROUTE.NOT_FOUND', `No route ${req.method} ${req.path}.`));
  app.use(errorHandler(d.logger));
  return app;
}

function matchesTemplate(template: string, path: string): boolean {
  const t = template.split('/');
  const p = path.replace(/\/$/, '').split('/');
  return t.length === p.length && t.every((seg, i) => (seg.startsWith('{') ? (p[i] ?? '') !== '' : seg === p[i]));
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/**
 * Behind a proxy with TRUST_PROXY=false every client has the proxy's address, so all of them share one
 * rate-limit bucket (and the audit trail records the proxy). Said once in the log, at the first request
 * that carries X-Forwarded-For, so the operator sets TRUST_PROXY.
 */
function warnUntrustedForwarding(logger: Logger) {
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

function errorHandler(logger: Logger) {
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
