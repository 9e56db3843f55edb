import type { Express, NextFunction, Request, Response } from 'express';
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { sendProblem } from './problem.js';

/** What Node's HTTP parser refused, as this API names it: status, stable code, and a sentence. */
function verdictOf(err: NodeJS.ErrnoException): { status: number; reason: string; code: string; detail: string } {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        code: 'REQUEST.HEADERS_TOO_LARGE',
        detail: 'The request line and headers are too large (16 KB at most; send long filters in a body).',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        reason: 'Request Timeout',
        code: 'REQUEST.TIMEOUT',
        detail: 'The request was not received in time.',
      };
    default:
      return {
        status: 400,
        reason: 'Bad Request',
        code: 'REQUEST.MALFORMED',
        detail: 'The request is not valid HTTP/1.1 (request line, a header, its encoding or the body framing).',
      };
  }
}

/**
 * Answers requests Node's HTTP parser refuses before the app sees them (an oversized header block, an
 * unknown method, a header without a colon or with a NUL, two Content-Lengths, a broken chunk) with a
 * problem+json like every other error, instead of Node's empty 400/431. The connection is closed after it:
 * the parser cannot find where the next request would start.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const v = verdictOf(err);
    const body = JSON.stringify({
      type: `urn:car-dano:problem:${v.code}`,
      title: v.reason,
      status: v.status,
      detail: v.detail,
      code: v.code,
    });
    socket.end(
      `HTTP/1.1 ${v.status} ${v.reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/**
 * HTTP/1.1 requires a Host header. Node would answer its absence itself with an empty 400; the server is
 * created with `requireHostHeader: false` so that this middleware answers it as a problem instead.
 */
export function requireHost(req: Request, res: Response, next: NextFunction): void {
  if (req.httpVersion === '1.1' && !req.headers.host)
    return sendProblem(res, 400, 'REQUEST.MISSING_HOST', 'An HTTP/1.1 request needs a Host header.');
  next();
}

/** The API's HTTP server: the app, refused requests answered as problems (see `answerClientErrors`). */
export function createHttpServer(app: Express): Server {
  const server = createServer({ requireHostHeader: false }, app);
  answerClientErrors(server);
  return server;
}
