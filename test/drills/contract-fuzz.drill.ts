/**
 * Contract fuzz (issue 11, item 10): for every operation of openapi.yaml and every caller (each role,
 * anonymous, and forged/dead credentials) fast-check generates valid requests from the schemas and hostile
 * ones (prototype keys at any object level, huge numbers, NaN-like strings, unicode with NUL and lone
 * surrogates, long strings, deep nesting, wrong types, missing and extra fields, ids of other users'
 * resources, malformed path and query parameters, wrong content types and encodings, malformed multipart,
 * junk files) and sends them over HTTP to the API running as its own process on 127.0.0.1. Every answer:
 * no 5xx, no dropped connection or hang, every 4xx application/problem+json with a stable code and its
 * HTTP status. Afterwards the process is still up, ready, serves a normal request and stops cleanly.
 *
 * Why a spawned process: "the process stays up" is only meaningful for a process of its own (an unhandled
 * rejection or a crash in the test process would take mocha down with it, not show up as a failure), and
 * the server's own log gives the stack of a 5xx. It costs a few seconds of start-up.
 *
 * Order: first a catalogue, every kind of request (each body mutation, each multipart defect, malformed
 * path and query parameters, other methods, noisy paths) for every operation from a caller it lets through;
 * then rounds over every (operation, caller) pair in a seeded order, callers the operation lets through
 * getting four times the count of the others (which are refused at the door); then a few routes outside
 * openapi.yaml and raw HTTP-level requests no client library sends (answered by Node's parser).
 *
 * Sizes: DRILL_SIZE=small (make test): catalogue x3, 20 per pair, ~11,000 requests in ~30 s (~45 s with
 * start-up); DRILL_SIZE=full (make drill): catalogue x10, 200 per pair, ~90,000 requests in ~4 min; the storm
 * stops at 150 s / 14 min whatever the count. FUZZ_SEED reproduces a run (the seed is printed);
 * FUZZ_OPS=opA,opB limits it to some operations (the same requests for them as in the whole run);
 * FUZZ_PER_PAIR overrides the count per pair; FUZZ_CONCURRENCY (default 6) requests in flight; FUZZ_TABLE=1
 * prints the per-operation table at small size; FUZZ_DUMP=n prints every n-th request with its answer.
 *
 * Excluded or redirected, so that the run does not wreck itself:
 * - logout, logoutAll, changePassword end the caller's sessions (or change its password): each such request
 *   by a role is sent as a fresh user of that role, made for it.
 * - changeUserRole, deactivateUser, activateUser, regenerateInspectorPin only get victims (and other users)
 *   as targets, never one of the callers (a demoted or deactivated caller ends its part of the run).
 * - deleteInspection, deletePhoto, deleteMyVehicle get victim resources made for them (plus random and
 *   malformed ids), not the shared fixtures.
 * - refreshToken gets refresh tokens of a victim's sessions (a reused one revokes that session), login and
 *   loginInspector victims' credentials (lock-outs hit them, not the callers).
 * The rest (approve, revert, cancel, waive, webhooks, ...) may change the fixtures' state; that is part of it.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import type { Knex } from 'knex';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ROLES, type Role } from '../../src/domain/identity/role.js';
import type { TestActor } from '../support/actors.js';
import { buildTestApp, type TestApp } from '../support/api.js';
import { testKnex, truncateAll } from '../support/db.js';
import { makeFixtures, type Fixtures } from '../support/fuzz/fixtures.js';
import { RequestFactory, type FuzzRequest, type Principal } from '../support/fuzz/requests.js';
import { curl, judge, send, sendRaw, Tally } from '../support/fuzz/runner.js';
import { startFuzzServer, type FuzzServer } from '../support/fuzz/server.js';
import { drillSummary, DRILL_SIZE, seconds, sized } from './support/size.js';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 1_011_010;
if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`);
const PER_PAIR = Number(process.env.FUZZ_PER_PAIR ?? sized(20, 200));
const PER_ROUND = sized(3, 5);
/** Requests per operation and kind of request in the catalogue. */
const CATALOGUE = sized(3, 10);
const STORM_LIMIT_MS = sized(150_000, 14 * 60_000);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 6);
const REQUEST_TIMEOUT_MS = 30_000;
const PHOTO_MAX_MB = 1;
const ONLY = process.env.FUZZ_OPS ? new Set(process.env.FUZZ_OPS.split(',').map((s) => s.trim())) : undefined;
/** Operations that end the caller's sessions or change its password: sent as a fresh user of the role. */
const SELF_ENDING = new Set(['logout', 'logoutAll', 'changePassword']);
/** FUZZ_DUMP=n prints every n-th request with its answer. */
const DUMP = Number(process.env.FUZZ_DUMP ?? 0);
const WEBHOOK_TOKEN = 'fuzz-webhook-token-0123456789';

const PRINCIPALS: Principal[] = ['anonymous', ...ROLES, 'forged'];

/** A per-(operation, caller, round) seed: the same requests for an operation whatever else runs. */
const mix = (...xs: number[]): number => xs.reduce((h, x) => (Math.imul(h ^ x, 0x9e3779b1) + 0x7f4a7c15) | 0, SEED);

/** Routes outside openapi.yaml that the same server answers (the same rules apply to their errors). */
const NON_API: Array<[string, string]> = [
  ['GET', '/nope'],
  ['GET', '/api/v1/nope'],
  ['GET', '/api/v2/health/live'],
  ['POST', '/api/v1'],
  ['GET', '/files/..%2f..%2fetc%2fpasswd'],
  ['GET', '/files/x?expires=1&sig=abc'],
  ['GET', '/files/%00'],
  ['GET', '/ipfs/notacid'],
  ['GET', '/ipfs/%00'],
  ['GET', '/ipfs/bafy' + 'a'.repeat(300)],
  ['GET', '/sandbox/checkout/nope'],
  ['POST', '/sandbox/checkout/nope/pay'],
  ['POST', '/sandbox/checkout/nope/__proto__'],
  ['GET', '/docs/%2e%2e/openapi.yaml'],
  ['DELETE', '/openapi.yaml'],
];

/**
 * Requests at the HTTP level that no client library sends: they are answered by Node's HTTP parser (or its
 * Host check) before Express sees them, and still must be problem+json. A long query string is the one an
 * ordinary client can produce.
 */
const crlf = (lines: string[], body = ''): Buffer => Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
const PROTOCOL: Array<[string, Buffer]> = [
  [
    'long query string (20 KB)',
    crlf([`GET /api/v1/branch-cities?q=${'a'.repeat(20_000)} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close']),
  ],
  [
    'large header (20 KB)',
    crlf(['GET /api/v1/health/live HTTP/1.1', 'Host: 127.0.0.1', `X-Big: ${'a'.repeat(20_000)}`, 'Connection: close']),
  ],
  [
    'raw UTF-8 in the path',
    Buffer.concat([
      Buffer.from('GET /api/v1/branch-cities/'),
      Buffer.from('é😀', 'utf8'),
      crlf([' HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close']),
    ]),
  ],
  [
    'header line without a colon',
    crlf(['GET /api/v1/health/live HTTP/1.1', 'Host: 127.0.0.1', 'Bad Header', 'Connection: close']),
  ],
  [
    'NUL in a header value',
    crlf(['GET /api/v1/health/live HTTP/1.1', 'Host: 127.0.0.1', 'X-A: a\u0000b', 'Connection: close']),
  ],
  ['unknown method', crlf(['FOO /api/v1/health/live HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close'])],
  [
    'two Content-Length headers',
    crlf(
      [
        'POST /api/v1/auth/login HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        'Content-Length: 2',
        'Content-Length: 3',
        'Connection: close',
      ],
      '{}',
    ),
  ],
  [
    'malformed chunk size',
    crlf(
      [
        'POST /api/v1/auth/login HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        'Transfer-Encoding: chunked',
        'Connection: close',
      ],
      'zz\r\n{}\r\n0\r\n\r\n',
    ),
  ],
  ['HTTP/1.1 without Host', crlf(['GET /api/v1/health/live HTTP/1.1', 'Connection: close'])],
];

describe(`drill: contract fuzz of every operation x every caller (${PER_PAIR} per pair, seed ${SEED})`, function () {
  this.timeout(sized(300_000, 1_500_000));
  let knex: Knex;
  let t: TestApp;
  let dir: string;
  let server: FuzzServer | undefined;
  let fx: Fixtures;

  before(async () => {
    knex = testKnex(4);
    await truncateAll(knex);
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-fuzz-'));
    // The callers' tokens are made in this process and must outlive the longest run.
    t = buildTestApp({
      knex,
      env: { ACCESS_TOKEN_TTL_SECONDS: '86400', DATA_DIR: dir, STORAGE_FS_ROOT: path.join(dir, 'objects') },
    });
    const c = t.config;
    const big = '100000000';
    server = await startFuzzServer({
      NODE_ENV: 'test',
      DATABASE_URL: process.env.TEST_DATABASE_URL as string,
      DATABASE_POOL_MAX: '8',
      DATA_DIR: path.join(dir, 'server'),
      STORAGE_FS_ROOT: path.join(dir, 'objects'),
      JWT_SECRET: c.jwt.secret as string,
      STORAGE_URL_SECRET: c.storage.urlSecret as string,
      PLATE_HASH_SECRET: c.mint.plateHashSecret as string,
      MINT_SIGNING_KEY: c.mint.signingKey as string,
      PAYMENT_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_TIME_COST: '1',
      // The fuzzer must reach the handlers: limits far above its count (a 429 still counts as a right answer).
      RATE_LIMIT_MAX: big,
      AUTH_RATE_LIMIT_MAX: big,
      VERIFY_RATE_LIMIT_MAX: big,
      REQUEST_CREATE_RATE_LIMIT_MAX: big,
      PHOTO_MAX_MB: String(PHOTO_MAX_MB),
      // No report worker (no Chromium) and no automatic minting: approvals only queue jobs.
      WORKER_ENABLED: 'false',
      ARCHIVE_AUTO: 'false',
      SEED_DEMO: 'false',
      // info: start-up and shutdown (with the signal) are logged; no access lines (those are level http).
      LOG_LEVEL: 'info',
    });
    fx = await makeFixtures(t, server.base, WEBHOOK_TOKEN);
  });

  after(async () => {
    await server?.stop(5_000);
    if (knex) {
      await truncateAll(knex).catch(() => undefined);
      await knex.destroy();
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('never answers 5xx, never drops a request, and every 4xx is problem+json with a stable code', async () => {
    const srv = server as FuzzServer;
    const factory = new RequestFactory(t.spec.document, t.spec.basePath, fx.pools, PHOTO_MAX_MB * 1024 * 1024);
    const ops = t.spec.operations;
    const arbs = new Map<string, fc.Arbitrary<FuzzRequest>>();
    // Callers the operation lets through get the full count, the others (refused at the door) a quarter.
    const through = (op: (typeof ops)[number], p: Principal) =>
      !op.roles ||
      ((ROLES as readonly string[]).includes(p) && (op.roles.length === 0 || op.roles.includes(p as Role)));
    const pairs = ops.flatMap((op, i) =>
      ONLY && !ONLY.has(op.operationId)
        ? []
        : PRINCIPALS.map((p, j) => ({ op, p, i, j, count: through(op, p) ? PER_PAIR : Math.ceil(PER_PAIR / 4) })),
    );
    expect(pairs.length, 'operations to fuzz').to.be.greaterThan(0);

    // Rounds of PER_ROUND requests per pair, pairs in a seeded order: state changes interleave across operations.
    function* schedule(): Generator<FuzzRequest> {
      // The catalogue first: every kind of request (each body mutation, each multipart defect, ...) for every
      // operation, from a caller it lets through, while the fixtures are still fresh.
      for (const [i, op] of ops.entries()) {
        if (ONLY && !ONLY.has(op.operationId)) continue;
        const p = PRINCIPALS.find((x) => x !== 'anonymous' && x !== 'forged' && through(op, x)) ?? 'anonymous';
        for (const [k, kind] of factory.kindList(op).entries())
          yield* fc.sample(factory.arbitrary(op, p, kind), { seed: mix(i, 1000 + k), numRuns: CATALOGUE });
      }
      const rounds = Math.ceil(PER_PAIR / PER_ROUND);
      for (let round = 0; round < rounds; round++) {
        const order =
          fc.sample(fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length }), {
            seed: mix(round, 7),
            numRuns: 1,
          })[0] ?? pairs;
        for (const { op, p, i, j, count } of order) {
          const n = Math.min(PER_ROUND, count - round * PER_ROUND);
          if (n <= 0) continue;
          const key = `${op.operationId}:${p}`;
          let arb = arbs.get(key);
          if (!arb) arbs.set(key, (arb = factory.arbitrary(op, p)));
          yield* fc.sample(arb, { seed: mix(i, j, round), numRuns: n });
        }
      }
      if (!ONLY)
        for (const [method, url] of NON_API)
          yield {
            op: 'non-api',
            principal: 'anonymous',
            kind: 'valid',
            note: '',
            method,
            url,
            headers: {},
            auth: 'none',
          };
      if (!ONLY)
        for (const [note, raw] of PROTOCOL)
          yield {
            op: 'http-protocol',
            principal: 'anonymous',
            kind: 'raw',
            note,
            method: '',
            url: '',
            headers: {},
            auth: 'none',
            raw,
          };
    }

    const tally = new Tally();
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const started = Date.now();
    let seq = 0;
    let died = false;
    let cutShort = false;
    const setupErrors: string[] = [];
    const requests = schedule();
    const worker = async () => {
      for (;;) {
        if (died) return;
        if (Date.now() - started > STORM_LIMIT_MS) return void (cutShort = true);
        const next = requests.next();
        if (next.done) return;
        const req = next.value;
        const id = `fuzz-${SEED}-${++seq}`;
        let caller: TestActor | undefined;
        if (req.auth === 'principal' && (ROLES as readonly string[]).includes(req.principal)) {
          if (!SELF_ENDING.has(req.op)) caller = fx.callers[req.principal as Role];
          else {
            try {
              caller = await fx.disposable(req.principal as Role);
            } catch (e) {
              // Not the server's answer: counted and shown, the request is not sent.
              setupErrors.push(`${req.op} as a fresh ${req.principal}: ${(e as Error).message}`);
              continue;
            }
          }
        }
        const authorization =
          req.auth === 'principal'
            ? caller
              ? `Bearer ${caller.token}`
              : undefined
            : req.auth === 'none'
              ? undefined
              : req.auth;
        const o = req.raw
          ? await sendRaw(srv.base, req.raw, 10_000)
          : await send(srv.base, agent, req, authorization, id, REQUEST_TIMEOUT_MS);
        if (DUMP && seq % DUMP === 0)
          console.log(
            `  [${id}] ${req.principal}/${req.kind} ${req.note} -> ${o.status || o.error || o.unsendable}\n    ${curl(srv.base, req, authorization ? 'Bearer ...' : '')}`,
          );
        tally.record(req, o);
        const bad = o.unsendable ? null : judge(o);
        if (bad) {
          const authLabel =
            req.auth === 'principal'
              ? caller
                ? `Bearer <${req.principal}${SELF_ENDING.has(req.op) ? ' (fresh)' : ''}>`
                : ''
              : req.auth === 'none'
                ? ''
                : req.auth.slice(0, 60);
          tally.fail({
            key: `${req.op}${req.raw ? ` (${req.note})` : ''} -> ${o.error ? 'no answer' : o.status}: ${bad.reason}${bad.code && !bad.reason.includes(bad.code) ? ` ${bad.code}` : ''}`,
            op: req.op,
            principal: req.principal,
            kind: req.kind,
            note: req.note,
            status: o.status,
            reason: bad.reason,
            request: curl(srv.base, req, authLabel),
            excerpt: o.body.toString('utf8').slice(0, 400),
            requestId: id,
          });
        }
        // Refused connections: the server closed its listener (it is exiting); no point sending more.
        if (o.error === 'ECONNREFUSED' || (seq % 200 === 0 && !srv.alive())) died = true;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    const elapsed = Date.now() - started;
    if (!srv.alive()) died = true;

    const classes = tally.classes();
    drillSummary('contract-fuzz', {
      seed: SEED,
      requests: tally.tried,
      seconds: seconds(elapsed),
      perSecond: Math.round(tally.tried / (elapsed / 1000)),
      ...classes,
      unsendable: tally.unsendable,
      failures: tally.failureCount(),
      causes: tally.failures.size,
      cutShort,
      setupErrors: setupErrors.length,
      serverLogKB: Math.round(srv.proc.output().length / 1024),
    });
    if (setupErrors.length > 0)
      console.log(`  requests not sent (no fresh caller): ${setupErrors.slice(0, 3).join('; ')}`);
    console.log(
      `  statuses: ${[...tally.byStatus.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([s, n]) => `${s}=${n}`)
        .join(' ')}`,
    );
    const never2xx = ops
      .filter((op) => !ONLY || ONLY.has(op.operationId))
      .filter((op) => ![...(tally.byOp.get(op.operationId)?.keys() ?? [])].some((s) => s.startsWith('2')))
      .map((o) => o.operationId);
    console.log(`  operations without any 2xx answer (${never2xx.length}): ${never2xx.join(', ') || '-'}`);
    if (DRILL_SIZE === 'full' || process.env.FUZZ_TABLE)
      console.log(`  requests per operation and status:\n${tally.table()}`);

    const problems: string[] = [];
    if (died) {
      await new Promise((r) => setTimeout(r, 1000));
      const how = srv.alive()
        ? 'still running but no longer listening'
        : `exit code ${srv.proc.child.exitCode}, signal ${srv.proc.child.signalCode}`;
      problems.push(
        `the API process stopped serving after request ${seq} (${how}); its last output:\n${srv.proc.output().slice(-3000)}`,
      );
    }
    for (const [key, g] of [...tally.failures.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const lines = [`[${g.count}x] ${key}`];
      for (const f of g.examples) {
        const log = srv
          .logFor(f.requestId)
          .slice(0, 2)
          .map((l) => `      server log: ${l.slice(0, 1500)}`);
        lines.push(
          `    - ${f.principal} / ${f.kind}${f.note ? ` (${f.note})` : ''} [${f.requestId}]`,
          `      ${f.request}`,
          `      answer: ${JSON.stringify(f.excerpt)}`,
          ...log,
        );
      }
      problems.push(lines.join('\n'));
    }
    if (problems.length > 0) {
      const rerun = `FUZZ_SEED=${SEED} DRILL_SIZE=${DRILL_SIZE}${ONLY ? ` FUZZ_OPS=${[...ONLY].join(',')}` : ' [FUZZ_OPS=<operationId>,...]'}`;
      expect.fail(
        `contract fuzz (seed ${SEED}; rerun with ${rerun}): ${tally.failureCount()} bad answers, ${tally.failures.size} causes\n\n${problems.join('\n\n')}`,
      );
    }
    expect(tally.tried, 'requests sent').to.be.greaterThan(pairs.length);
  });

  it('the process stays up: ready, serves a normal request, stops cleanly on SIGTERM', async () => {
    const srv = server as FuzzServer;
    expect(srv.alive(), srv.proc.output().slice(-3000)).to.equal(true);
    expect((await fetch(new URL('/api/v1/health/ready', srv.base))).status).to.equal(200);
    const me = await fetch(new URL('/api/v1/auth/me', srv.base), {
      headers: { authorization: `Bearer ${fx.callers.REVIEWER.token}` },
    });
    expect(me.status).to.equal(200);
    expect(((await me.json()) as { id: string }).id).to.equal(fx.callers.REVIEWER.user.id);
    const list = await fetch(new URL('/api/v1/inspections?page=1&pageSize=5', srv.base), {
      headers: { authorization: `Bearer ${fx.callers.ADMIN.token}` },
    });
    expect(list.status).to.equal(200);
    const code = await srv.stop(30_000);
    expect(code, `exit code after SIGTERM\n${srv.proc.output().slice(-2000)}`).to.equal(0);
  });
});
