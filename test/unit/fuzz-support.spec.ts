/**
 * The contract fuzzer's own parts (test/support/fuzz): its verdict on an answer really refuses what the
 * contract forbids, and its JSON writer sends reserved keys and deep nesting as written.
 */
import { expect } from 'chai';
import { deep, mutateBody } from '../support/fuzz/hostile.js';
import { obj, raw, stringify } from '../support/fuzz/json.js';
import { judge, type Outcome } from '../support/fuzz/runner.js';

const answer = (status: number, body: unknown, contentType = 'application/problem+json'): Outcome => ({
  status,
  contentType,
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  ms: 1,
});
const problem = (status: number, code: unknown) =>
  answer(status, { type: `urn:car-dano:problem:${String(code)}`, title: 'x', status, detail: 'x', code });

describe('contract fuzz support', () => {
  it('accepts 2xx and well-formed problems, 429 RATE_LIMITED included', () => {
    expect(judge(answer(200, { ok: true }, 'application/json'))).to.equal(null);
    expect(judge(answer(204, ''))).to.equal(null);
    expect(judge(problem(400, 'VALIDATION.FAILED'))).to.equal(null);
    expect(judge(problem(404, 'ROUTE.NOT_FOUND'))).to.equal(null);
    expect(judge(problem(429, 'RATE_LIMITED'))).to.equal(null);
    expect(
      judge(answer(400, { code: 'VALIDATION.FAILED', status: 400 }, 'application/problem+json; charset=utf-8')),
    ).to.equal(null);
  });

  it('refuses 5xx, missing answers and every 4xx that is not a problem with a stable code and its status', () => {
    expect(judge(problem(500, 'INTERNAL'))?.reason).to.equal('500');
    expect(judge(problem(503, 'STORAGE.UNAVAILABLE'))?.reason).to.equal('503');
    expect(judge({ status: 0, contentType: '', body: Buffer.alloc(0), ms: 1, error: 'ECONNRESET' })?.reason).to.match(
      /no answer/,
    );
    expect(judge(answer(400, 'Bad Request', 'text/html'))?.reason).to.match(/not problem\+json/);
    expect(judge(answer(431, '', ''))?.reason).to.match(/not problem\+json/);
    expect(judge(answer(400, { code: 'VALIDATION.FAILED', status: 400 }, 'application/json'))?.reason).to.match(
      /not problem\+json/,
    );
    expect(judge(answer(400, 'not json'))?.reason).to.match(/not JSON/);
    expect(judge(answer(400, { status: 400 }))?.reason).to.match(/without a string code/);
    for (const code of [
      'validation.failed',
      'FAILED',
      'RATE_LIMITED',
      'AUTH.',
      '.AUTH',
      'AUTH..X',
      'AUTH.invalid',
      'A B.C',
      42,
    ]) {
      expect(judge(problem(400, code)), String(code)).to.not.equal(null);
    }
    expect(judge(answer(404, { code: 'ROUTE.NOT_FOUND', status: 400 }))?.reason).to.match(/differs from HTTP 404/);
  });

  it('writes reserved keys as plain keys, raw tokens verbatim and deep nesting without recursion', () => {
    expect(
      stringify(
        obj([
          ['__proto__', obj([['polluted', true]])],
          ['n', raw('1e400')],
          ['s', '\ud800'],
        ]),
      ),
    ).to.equal('{"__proto__":{"polluted":true},"n":1e400,"s":"\\ud800"}');
    expect(JSON.parse(stringify(obj([['__proto__', 1]])))).to.have.own.property('__proto__');
    const nested = stringify(obj([['a', deep(50_000, 0)]]));
    expect(nested.length).to.be.greaterThan(100_000);
    const m = mutateBody(obj([['a', obj([['b', 1]])]]), 'proto-key-all-levels', [0], [], []);
    expect(stringify(m.body)).to.equal('{"a":{"b":1,"__proto__":{"polluted":true}},"__proto__":{"polluted":true}}');
  });
});
