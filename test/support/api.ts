import { expect } from 'chai';
import type { Express } from 'express';
import type { Container, ContainerModule } from 'inversify';
import type { Knex } from 'knex';
import supertest from 'supertest';
import type { Test } from 'supertest';
import type { HttpOptions } from '../../src/adapters/http/app.js';
import type { JobBus } from '../../src/adapters/queue/pg-boss-bus.js';
import { buildHttpApp } from '../../src/main/http-app.js';
import type { ApiSpec, OperationSpec } from '../../src/adapters/http/openapi.js';
import type { HealthCheck } from '../../src/ports/health-check.js';
import type { Config } from '../../src/main/config.js';
import { buildContainer } from '../../src/main/container.js';
import { Tokens } from '../../src/main/tokens.js';
import { testConfig } from './config.js';
import { memoryLogger } from './logs.js';
import { freePort } from './net.js';
import { once } from 'node:events';

export interface TestApp {
  app: Express;
  container: Container;
  spec: ApiSpec;
  config: Config;
  logs: ReturnType<typeof memoryLogger>;
  api: CheckedAgent;
}

export interface TestAppOptions {
  knex?: Knex;
  env?: Record<string, string>;
  http?: Partial<HttpOptions>;
  healthChecks?: HealthCheck[];
  /** Container modules applied last (rebind ports to fakes or fault injectors). */
  overrides?: ContainerModule[];
  bus?: JobBus;
}

/** The production container and app (real adapters; PostgreSQL when `knex` is given) on test config. */
export function buildTestApp(o: TestAppOptions = {}): TestApp {
  const config = testConfig(o.env);
  const logs = memoryLogger();
  const container = buildContainer({ config, logger: logs.logger, knex: o.knex, overrides: o.overrides, bus: o.bus });
  const spec = container.get(Tokens.ApiSpec);
  const app = buildHttpApp(container, config, logs.logger, { healthChecks: o.healthChecks, options: o.http });
  return { app, container, spec, config, logs, api: checkedAgent(app, spec) };
}

/** A test app that really listens on 127.0.0.1 (for callbacks over HTTP); `make(base)` builds it knowing its own URL. */
export async function servedTestApp(
  make: (base: string) => TestAppOptions,
): Promise<TestApp & { base: string; close(): Promise<void> }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = buildTestApp(make(base));
  const server = t.app.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { ...t, base, close };
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type CheckedAgent = Record<Method, (url: string) => Test>;

/** The operation of the spec a request hits, if any. */
export function findOperation(spec: ApiSpec, method: string, url: string): OperationSpec | undefined {
  const path = new URL(url, 'http://x').pathname;
  if (!path.startsWith(`${spec.basePath}/`)) return undefined;
  const rel = path.slice(spec.basePath.length).replace(/\/$/, '');
  return spec.operations.find((o) => {
    if (o.method !== method.toLowerCase()) return false;
    const t = o.path.split('/');
    const p = rel.split('/');
    return t.length === p.length && t.every((seg, i) => (seg.startsWith('{') ? !!p[i] : seg === p[i]));
  });
}

/**
 * Asserts that a response matches openapi.yaml: its status is documented for the operation and its body
 * validates against the documented schema. Responses outside any operation must be problem+json on error.
 */
export function assertConforms(spec: ApiSpec, method: string, url: string, res: supertest.Response): void {
  const op = findOperation(spec, method, url);
  const where = `${method.toUpperCase()} ${url} -> ${res.status}`;
  const isProblem = String(res.headers['content-type'] ?? '').startsWith('application/problem+json');
  const documented = op?.responses[String(res.status)] as { content?: Record<string, unknown> } | undefined;
  const documentedPlainJson = !!documented?.content?.['application/json'];
  if (res.status >= 400 && !documentedPlainJson) expect(isProblem, `${where}: errors are problem+json`).to.equal(true);
  if (!op) return;
  const v = spec.responseValidator(op, res.status);
  if (v === 'undocumented') expect.fail(`${where}: status not documented for ${op.operationId}`);
  if (v === 'no-body') return;
  const body = isProblem ? JSON.parse(res.text) : res.body;
  if (!v(body))
    expect.fail(`${where}: body does not match openapi.yaml: ${JSON.stringify(v.errors)}\n${res.text.slice(0, 500)}`);
}

/** supertest, but every awaited response is checked against openapi.yaml. */
export function checkedAgent(app: Express, spec: ApiSpec): CheckedAgent {
  const agent = supertest(app);
  const wrap = (method: Method) => (url: string) => {
    const test = agent[method](url);
    const then = test.then.bind(test);
    (test as { then: unknown }).then = (
      onFulfilled?: (r: supertest.Response) => unknown,
      onRejected?: (e: unknown) => unknown,
    ) =>
      then((res: supertest.Response) => {
        assertConforms(spec, method, url, res);
        return res;
      }).then(onFulfilled, onRejected);
    return test;
  };
  return { get: wrap('get'), post: wrap('post'), put: wrap('put'), patch: wrap('patch'), delete: wrap('delete') };
}
