/**
 * Requests Node's HTTP parser refuses before the app sees them (found by the contract fuzzer): each is
 * answered as problem+json with a stable code, the connection closed, and the server keeps serving.
 */
import { expect } from 'chai';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../../src/adapters/http/http-server.js';
import { buildTestApp } from '../support/api.js';

/** Sends raw bytes and reads until the server closes the connection (bounded to 5 s). */
function raw(port: number, bytes: string | Buffer): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body });
    });
  });
}

describe('API: malformed HTTP is answered as problem+json (Node parser errors, missing Host)', () => {
  let server: Server;
  let port: number;

  before(async () => {
    const t = buildTestApp();
    server = createHttpServer(t.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const cases: Array<[string, string | Buffer, number, string]> = [
    [
      'a 20 KB query string',
      `GET /api/v1/branch-cities?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      431,
      'REQUEST.HEADERS_TOO_LARGE',
    ],
    [
      'a 20 KB header',
      `GET /api/v1/health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
      431,
      'REQUEST.HEADERS_TOO_LARGE',
    ],
    [
      'a header line without a colon',
      'GET /api/v1/health/live HTTP/1.1\r\nHost: x\r\nno-colon-here\r\n\r\n',
      400,
      'REQUEST.MALFORMED',
    ],
    [
      'a NUL byte in a header value',
      'GET /api/v1/health/live HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n',
      400,
      'REQUEST.MALFORMED',
    ],
    ['an unknown method', 'FOO /api/v1/health/live HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'REQUEST.MALFORMED'],
    [
      'two Content-Length headers',
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
      400,
      'REQUEST.MALFORMED',
    ],
    [
      'a malformed chunk size',
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      400,
      'REQUEST.MALFORMED',
    ],
    [
      'raw UTF-8 bytes in the path',
      Buffer.concat([
        Buffer.from('GET /api/v1/'),
        Buffer.from('é', 'utf8'),
        Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n'),
      ]),
      400,
      'REQUEST.MALFORMED',
    ],
    [
      'an HTTP/1.1 request without Host',
      'GET /api/v1/health/live HTTP/1.1\r\nConnection: close\r\n\r\n',
      400,
      'REQUEST.MISSING_HOST',
    ],
  ];

  for (const [name, bytes, status, code] of cases) {
    it(`${name}: ${status} ${code}`, async () => {
      const r = await raw(port, bytes);
      expect(r.status, r.headers).to.equal(status);
      expect(r.headers.toLowerCase()).to.contain('content-type: application/problem+json');
      const body = JSON.parse(r.body) as Record<string, unknown>;
      expect(body).to.include({ status, code });
      expect(body.detail).to.be.a('string').that.is.not.empty;
    });
  }

  it('keeps serving ordinary requests afterwards', async () => {
    const r = await raw(port, 'GET /api/v1/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(r.status).to.equal(200);
  });
});
