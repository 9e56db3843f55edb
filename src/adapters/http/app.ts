import cors from 'cors';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { HealthCheck } from '../../ports/health-check.js';
import type { Logger } from '../observability/logger.js';
import { accessLog } from './access-log.js';
import { requireAuth } from './auth.js';
import { healthHandlers } from './handlers/health-handlers.js';
import { multipartUpload } from './multipart.js';
import { mergeHandlers, type OperationHandler, type OperationHandlers } from './handlers/types.js';
import { errorHandler, warnUntrustedForwarding } from './errors.js';
import type { Authenticate } from '../../application/auth/authenticate.js';
import { createHttpMetrics, metricsMiddleware, type HttpMetrics } from './metrics.js';
import type { ApiSpec, OperationSpec } from './openapi.js';
import { sendProblem } from './problem.js';
import { metricsAuthorized } from './metrics-auth.js';
import { createRateLimiters, type RateLimitOptions } from './rate-limit.js';
import { requestIdMiddleware } from './request-id.js';
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
  /** Each feature's handlers (operationId → handler); every operation of the spec must be handled exactly once. */
  handlers: readonly OperationHandlers[];
  /** Resolves a bearer token to the caller (operations that declare roles). */
  authenticate: Authenticate;
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
  mountPlatformRoutes(app, d, metrics, limiters.edge);
  app.use(d.spec.basePath, apiRouter(d, limiters));
  app.use((req, res) => sendProblem(res, 404, 'ROUTE.NOT_FOUND', `No route ${req.method} ${req.path}.`));
  app.use(errorHandler(d.logger));
  return app;
}

/** Names the route for metrics and logs (a template, never the raw path). */
const routeName =
  (route: string) =>
  (_req: Request, res: Response, next: NextFunction): void => {
    res.locals.route = route;
    next();
  };

/** Outside the API: /metrics, /openapi.yaml, /docs, and the optional file, IPFS and sandbox checkout routes. */
function mountPlatformRoutes(app: express.Express, d: AppDependencies, metrics: HttpMetrics, edge: RequestHandler) {
  for (const prefix of ['/metrics', '/openapi.yaml', '/files', '/ipfs', '/sandbox', '/docs']) app.use(prefix, edge);
  app.get('/metrics', routeName('/metrics'), async (req, res) => {
    if (!metricsAuthorized(req.get('authorization'), d.options.metricsToken)) {
      return sendProblem(res, 401, 'AUTH.INVALID_TOKEN', 'The metrics token is missing or wrong.');
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/openapi.yaml', routeName('/openapi.yaml'), (_req, res) => {
    res.type('application/yaml').send(d.specYaml);
  });
  if (d.fileHandler) app.get('/files/*key', routeName('/files/*key'), d.fileHandler);
  if (d.ipfsHandler) app.get('/ipfs/:cid', routeName('/ipfs/:cid'), d.ipfsHandler);
  if (d.sandboxCheckout) app.use('/sandbox/checkout', d.sandboxCheckout);
  app.use(
    '/docs',
    routeName('/docs'),
    swaggerUi.serve,
    swaggerUi.setup(undefined, {
      swaggerOptions: { url: '/openapi.yaml', persistAuthorization: true },
      customSiteTitle: 'CAR-dano API',
    }),
  );
}

/** Every operation's handler, each exactly once; the spec and the features must agree or the app does not start. */
function operationHandlers(d: AppDependencies): OperationHandlers {
  const handlers: OperationHandlers = mergeHandlers([
    healthHandlers(d.healthChecks, d.isDraining ?? (() => false), (name, err) =>
      d.logger.warn('readiness check failed', { check: name, err }),
    ),
    ...d.handlers,
  ]);
  const specIds = new Set(d.spec.operations.map((o) => o.operationId));
  const unbound = d.spec.operations.filter((o) => !handlers[o.operationId]).map((o) => o.operationId);
  const undocumented = Object.keys(handlers).filter((id) => !specIds.has(id));
  if (unbound.length || undocumented.length) {
    throw new Error(
      `openapi.yaml and handlers disagree: no handler for [${unbound.join(', ')}]; not in openapi.yaml: [${undocumented.join(', ')}]`,
    );
  }
  return handlers;
}

type Limiters = ReturnType<typeof createRateLimiters>;

/** One operation's middleware: route name, rate limits, auth, parameters, multipart, body, then its handler. */
function operationChain(d: AppDependencies, op: OperationSpec, handler: OperationHandler, limiters: Limiters) {
  return [
    routeName(`${d.spec.basePath}${op.path}`),
    ...(op.rateLimit === 'auth' ? [limiters.auth] : []),
    ...(op.rateLimit === 'render' ? [limiters.render] : []),
    ...(op.rateLimit === 'verify' ? [limiters.verify] : []),
    ...(op.roles ? [requireAuth(d.authenticate, op.roles)] : []),
    ...(op.rateLimit === 'create' ? [limiters.create] : []),
    validateParameters(op),
    ...(op.multipart
      ? [multipartUpload(op, { maxFileBytes: d.options.maxUploadBytes, tmpDir: d.options.uploadTmpDir })]
      : []),
    validateRequest(op),
    handler as (req: Request, res: Response) => Promise<void>,
  ];
}

/** The /api/v1 router: JSON bodies, every operation of the spec, and 405/404 problems for the rest. */
function apiRouter(d: AppDependencies, limiters: Limiters): express.Router {
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
  const handlers = operationHandlers(d);
  for (const op of d.spec.operations) {
    api[op.method](op.expressPath, ...operationChain(d, op, handlers[op.operationId] as OperationHandler, limiters));
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
  return api;
}

function matchesTemplate(template: string, path: string): boolean {
  const t = template.split('/');
  const p = path.replace(/\/$/, '').split('/');
  return t.length === p.length && t.every((seg, i) => (seg.startsWith('{') ? (p[i] ?? '') !== '' : seg === p[i]));
}
