import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import supertest from 'supertest';
import type { Knex } from 'knex';
import { buildTestApp } from '../support/api.js';
import { Actors } from '../support/actors.js';
import { testKnex, truncateAll } from '../support/db.js';

describe('API: health, metrics, docs, request ids, security headers, CORS, rate limits', () => {
  let knex: Knex;
  before(async () => {
    knex = testKnex();
    await truncateAll(knex);
  });
  after(() => knex.destroy());

  it('liveness is always ok; readiness checks the database and reports a failing one as 503', async () => {
    const t = buildTestApp({ knex });
    expect((await t.api.get('/api/v1/health/live')).body).to.deep.equal({ status: 'ok' });
    const ready = await t.api.get('/api/v1/health/ready');
    expect(ready.status).to.equal(200);
    expect(ready.body).to.deep.equal({ status: 'ok', checks: { database: 'ok' } });
    const down = buildTestApp({
      knex,
      healthChecks: [{ name: 'database', check: async () => Promise.reject(new Error('connection refused')) }],
    });
    const r = await down.api.get('/api/v1/health/ready');
    expect(r.status).to.equal(503);
    expect(r.body, 'no driver text for anonymous callers').to.deep.equal({
      status: 'unavailable',
      checks: { database: 'error' },
    });
  });

  it('/metrics has process metrics and request durations labelled by route template, not raw path', async () => {
    const t = buildTestApp({ knex });
    const id = '11111111-1111-4111-8111-111111111111';
    await t.api.get(`/api/v1/branch-cities/${id}`);
    await t.api.get('/api/v1/nothing-here');
    const m = await supertest(t.app).get('/metrics');
    expect(m.status).to.equal(200);
    expect(m.text).to.contain('process_cpu_user_seconds_total');
    expect(m.text).to.match(
      /car_dano_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/branch-cities\/\{id\}",status_code="404"\} 1/,
    );
    expect(m.text).to.match(
      /car_dano_http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1/,
    );
    expect(m.text).to.not.contain(id);
  });

  it('/metrics requires the bearer token when METRICS_TOKEN is set', async () => {
    const t = buildTestApp({ knex, env: { METRICS_TOKEN: 'metrics-token-0123456789' } });
    const denied = await supertest(t.app).get('/metrics');
    expect(denied.status).to.equal(401);
    expect(denied.headers['content-type']).to.match(/problem\+json/);
    expect(
      (await supertest(t.app).get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789')).status,
    ).to.equal(401);
    expect(
      (await supertest(t.app).get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789')).status,
    ).to.equal(200);
  });

  it('serves the docs UI and the contract', async () => {
    const t = buildTestApp({ knex });
    const docs = await supertest(t.app).get('/docs/');
    expect(docs.status).to.equal(200);
    expect(docs.text).to.contain('swagger-ui');
    const init = await supertest(t.app).get('/docs/swagger-ui-init.js');
    expect(init.text).to.contain('/openapi.yaml');
    const spec = await supertest(t.app).get('/openapi.yaml');
    expect(spec.status).to.equal(200);
    expect(spec.text).to.match(/^openapi: 3\.1\.0/);
  });

  it('echoes a well-formed x-request-id, replaces a malformed one, and sets security headers', async () => {
    const t = buildTestApp({ knex });
    const mine = await t.api.get('/api/v1/health/live').set('x-request-id', 'abc-123');
    expect(mine.headers['x-request-id']).to.equal('abc-123');
    const evil = await t.api.get('/api/v1/health/live').set('x-request-id', 'bad id\twith spaces');
    expect(evil.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    expect(mine.headers['x-content-type-options']).to.equal('nosniff');
    expect(mine.headers['content-security-policy']).to.be.a('string');
    expect(mine.headers).to.not.have.property('x-powered-by');
    const problem = await t.api
      .get('/api/v1/branch-cities/11111111-1111-4111-8111-111111111111')
      .set('x-request-id', 'trace-me');
    expect(problem.body.requestId).to.equal('trace-me');
  });

  it('CORS: allows configured origins only', async () => {
    const t = buildTestApp({ knex, env: { CORS_ORIGINS: 'https://app.example.com' } });
    const ok = await t.api.get('/api/v1/health/live').set('Origin', 'https://app.example.com');
    expect(ok.headers['access-control-allow-origin']).to.equal('https://app.example.com');
    const other = await t.api.get('/api/v1/health/live').set('Origin', 'https://evil.example.com');
    expect(other.headers).to.not.have.property('access-control-allow-origin');
    const closed = buildTestApp({ knex });
    expect(
      (await closed.api.get('/api/v1/health/live').set('Origin', 'https://app.example.com')).headers,
    ).to.not.have.property('access-control-allow-origin');
  });

  it('rate-limits the credential endpoints strictly (429 problem with Retry-After) and leaves the rest alone', async () => {
    const t = buildTestApp({ knex, env: { AUTH_RATE_LIMIT_MAX: '3', AUTH_RATE_LIMIT_WINDOW_SECONDS: '600' } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await t.api.post('/api/v1/auth/login').send({ identifier: 'x@y.co', password: 'nope-nope' })).status,
      );
    expect(statuses).to.deep.equal([401, 401, 401, 429]);
    const limited = await t.api
      .post('/api/v1/auth/register')
      .send({ email: 'x@y.co', name: 'X', password: 'long-enough-password' });
    expect(limited.status).to.equal(429);
    expect(limited.body.code).to.equal('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).to.be.greaterThan(0);
    expect((await t.api.get('/api/v1/health/live')).status).to.equal(200);
  });

  it('the general limit covers every API route', async () => {
    const t = buildTestApp({ knex, env: { RATE_LIMIT_MAX: '2' } });
    const s = [];
    for (let i = 0; i < 3; i++) s.push((await t.api.get('/api/v1/health/live')).status);
    expect(s).to.deep.equal([200, 200, 429]);
  });

  it("the renderer's report pages and photos have their own bucket: a bulk render is not throttled by the general limit", async () => {
    const t = buildTestApp({ knex, env: { RATE_LIMIT_MAX: '2' } });
    const page = `/api/v1/reports/${randomUUID()}/full?token=not-a-token`;
    const photo = `/api/v1/reports/${randomUUID()}/no-docs/photos/${randomUUID()}?token=not-a-token`;
    const s = [];
    // Answered by the token check (401), never 429, although far above the general limit of 2.
    for (let i = 0; i < 6; i++) s.push((await t.api.get(i % 2 ? photo : page)).status);
    expect(s).to.not.include(429);
    expect(new Set(s).size).to.equal(1);
    // The general bucket is untouched by them; everything else is still limited.
    expect([
      (await t.api.get('/api/v1/health/live')).status,
      (await t.api.get('/api/v1/health/live')).status,
      (await t.api.get('/api/v1/health/live')).status,
    ]).to.deep.equal([200, 200, 429]);
    // The render bucket is 100 x the general limit: it still ends.
    const limited = buildTestApp({ knex, env: { RATE_LIMIT_MAX: '1' } });
    const burst = [];
    for (let i = 0; i < 101; i++) burst.push((await limited.api.get(page)).status);
    expect(burst.slice(0, 100)).to.not.include(429);
    expect(burst[100]).to.equal(429);
  });

  it('the routes outside the API (/metrics, /openapi.yaml, /files, /ipfs, /docs) are limited too, in a bucket of their own', async () => {
    const t = buildTestApp({ knex, env: { RATE_LIMIT_MAX: '3' } });
    const s = [];
    for (const p of [
      '/metrics',
      '/openapi.yaml',
      '/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy',
      '/files/nothing?exp=1&sig=x',
    ])
      s.push((await t.api.get(p)).status);
    expect(s.slice(0, 3)).to.not.include(429);
    expect(s[3]).to.equal(429);
    const limited = await t.api.get('/docs/');
    expect(limited.status).to.equal(429);
    expect(limited.body.code).to.equal('RATE_LIMITED');
    expect((await t.api.get('/api/v1/health/live')).status, 'the API bucket is separate').to.equal(200);
  });

  it('TRUST_PROXY: clients cannot choose their bucket with X-Forwarded-For; behind a proxy the right hop count separates them', async () => {
    // No proxy trusted: a forged X-Forwarded-For neither changes the address nor escapes the limit.
    const direct = buildTestApp({ knex, env: { RATE_LIMIT_MAX: '2' } });
    const s = [];
    for (let i = 0; i < 3; i++)
      s.push((await direct.api.get('/api/v1/health/live').set('X-Forwarded-For', `203.0.113.${i}`)).status);
    expect(s).to.deep.equal([200, 200, 429]);
    expect(
      direct.logs
        .lines()
        .filter((l) => String(l.message).startsWith('requests carry X-Forwarded-For but TRUST_PROXY=false')),
      'said once',
    ).to.have.length(1);
    // One trusted hop: the proxy's X-Forwarded-For names the client, each client has its own bucket.
    const proxied = buildTestApp({ knex, env: { RATE_LIMIT_MAX: '2', TRUST_PROXY: '1' } });
    const byClient = [];
    for (let i = 0; i < 3; i++)
      byClient.push((await proxied.api.get('/api/v1/health/live').set('X-Forwarded-For', `203.0.113.${i}`)).status);
    expect(byClient).to.deep.equal([200, 200, 200]);
    expect(proxied.logs.lines().some((l) => String(l.message).startsWith('requests carry X-Forwarded-For'))).to.equal(
      false,
    );
  });

  it('audit rows record the client address and request id of the HTTP request', async () => {
    const t = buildTestApp({ knex });
    const a = await new Actors(t.container).create('SUPERADMIN');
    await t.api
      .post('/api/v1/branch-cities')
      .set(a.auth)
      .set('x-request-id', 'audit-trace-1')
      .send({ name: 'Medan', code: 'MDN' })
      .expect(201);
    const row = await knex('audit_logs').where({ action: 'BRANCH_CREATED', request_id: 'audit-trace-1' }).first();
    expect(row).to.include({ actor_id: a.user.id, entity: 'branch_city' });
    expect(row.ip).to.match(/127\.0\.0\.1/);
  });
});
