/**
 * Sends fuzz requests over real HTTP (node:http, so that malformed bodies, encodings and paths go out as
 * written) and judges every answer: never a 5xx, never a dropped connection or a hang, and every 4xx is
 * application/problem+json whose `status` is the HTTP status and whose `code` is a stable code.
 */
import http from 'node:http';
import net from 'node:net';
import type { FuzzRequest } from './requests.js';

/**
 * Stable codes are DOMAIN.REASON in capitals (AUTH.INVALID_TOKEN, VALIDATION.FORBIDDEN_KEY, ...), see
 * src/adapters/http/problem.ts and the DomainErrors of src/domain and src/application. The one code without
 * a domain is the rate limiter's RATE_LIMITED, documented for 429 only (openapi.yaml TooManyRequests).
 */
export const CODE_PATTERN = /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)+$/;
export const UNDOTTED_CODES: Record<number, string> = { 429: 'RATE_LIMITED' };

export interface Outcome {
  status: number;
  contentType: string;
  body: Buffer;
  ms: number;
  /** The request could not be sent by the client library (an invalid header or path): not the server's doing. */
  unsendable?: string;
  /** No answer: connection reset, closed or timed out. */
  error?: string;
}

const MAX_KEPT = 1 << 20;

export function send(
  base: URL,
  agent: http.Agent,
  req: FuzzRequest,
  authorization: string | undefined,
  requestId: string,
  timeoutMs: number,
): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...req.headers, 'x-request-id': requestId };
    if (authorization !== undefined) headers.authorization = authorization;
    if (req.body && !req.chunked) headers['content-length'] = String(req.body.length);
    if (req.chunked) headers['transfer-encoding'] = 'chunked';
    let done = false;
    const finish = (o: Omit<Outcome, 'ms'>) => {
      if (done) return;
      done = true;
      resolve({ ...o, ms: Date.now() - started });
    };
    let r: http.ClientRequest;
    try {
      r = http.request({ host: base.hostname, port: base.port, method: req.method, path: req.url, headers, agent });
    } catch (e) {
      return finish({ status: 0, contentType: '', body: Buffer.alloc(0), unsendable: (e as Error).message });
    }
    r.setTimeout(timeoutMs, () => {
      finish({ status: 0, contentType: '', body: Buffer.alloc(0), error: `no answer within ${timeoutMs} ms` });
      r.destroy();
    });
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (c: Buffer) => {
        if (kept < MAX_KEPT) (chunks.push(c), (kept += c.length));
      });
      res.on('end', () =>
        finish({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', (e) =>
        finish({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks),
          error: `response broken: ${e.message}`,
        }),
      );
    });
    r.on('error', (e) =>
      finish({
        status: 0,
        contentType: '',
        body: Buffer.alloc(0),
        error: (e as NodeJS.ErrnoException).code ?? e.message,
      }),
    );
    if (req.body && req.chunked) {
      const half = Math.floor(req.body.length / 2);
      r.write(req.body.subarray(0, half));
      r.end(req.body.subarray(half));
    } else {
      r.end(req.body);
    }
  });
}

/** Writes bytes to a fresh connection and reads one response (until the server closes or `timeoutMs`). */
export function sendRaw(base: URL, bytes: Buffer, timeoutMs: number): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    const s = net.connect(Number(base.port), base.hostname);
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0)
        return resolve({
          status: 0,
          contentType: '',
          body: all,
          ms: Date.now() - started,
          error: error ?? (all.length ? 'malformed response' : 'connection closed without an answer'),
        });
      const head = all.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
      const header = (name: string) =>
        head
          .find((l) => l.toLowerCase().startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim() ?? '';
      let body: Buffer = all.subarray(end + 4);
      if (/chunked/i.test(header('transfer-encoding'))) body = dechunk(body);
      const length = header('content-length');
      if (length) body = body.subarray(0, Number(length));
      resolve({ status, contentType: header('content-type'), body, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(), timeoutMs);
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('end', () => finish());
    s.on('close', () => finish());
    s.on('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
    s.write(bytes);
  });
}

function dechunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < b.length) {
    const eol = b.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(b.subarray(at, eol).toString('latin1'), 16);
    if (!size) break;
    out.push(b.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** null when the answer is acceptable, otherwise what is wrong with it. */
export function judge(o: Outcome): { reason: string; code?: string } | null {
  if (o.error) return { reason: `no answer (${o.error})` };
  if (o.status >= 500) {
    const code = problemCode(o);
    return { reason: `${o.status}`, code };
  }
  if (o.status < 400 || o.status >= 500) return null;
  if (!o.contentType.toLowerCase().startsWith('application/problem+json'))
    return { reason: `4xx not problem+json (content-type "${o.contentType}")` };
  let body: unknown;
  try {
    body = JSON.parse(o.body.toString('utf8'));
  } catch {
    return { reason: '4xx problem body is not JSON' };
  }
  const p = body as { code?: unknown; status?: unknown };
  if (typeof p?.code !== 'string') return { reason: '4xx problem without a string code' };
  if (!CODE_PATTERN.test(p.code) && UNDOTTED_CODES[o.status] !== p.code)
    return { reason: `4xx problem code "${p.code}" is not a stable code`, code: p.code };
  if (p.status !== o.status)
    return { reason: `4xx problem status ${String(p.status)} differs from HTTP ${o.status}`, code: p.code };
  return null;
}

export function problemCode(o: Outcome): string | undefined {
  if (!o.contentType.includes('json')) return undefined;
  try {
    const c = (JSON.parse(o.body.toString('utf8')) as { code?: unknown }).code;
    return typeof c === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

/** A request as a shell command (body shortened), for the failure list. */
export function curl(base: URL, req: FuzzRequest, authLabel: string): string {
  if (req.raw) {
    // bash printf: the bytes as a format string (\r, \n, \xHH; long runs of one character shortened).
    const esc = (b: Buffer) =>
      [...b]
        .map((c) =>
          c === 13
            ? '\\r'
            : c === 10
              ? '\\n'
              : c === 37
                ? '%%'
                : c === 39 || c === 92 || c < 32 || c > 126
                  ? `\\x${c.toString(16).padStart(2, '0')}`
                  : String.fromCharCode(c),
        )
        .join('');
    const shown = esc(req.raw).replace(/(.)\1{99,}/g, (run, ch: string) => `${ch}{${run.length} times}`);
    return `printf '${shown}' | nc ${base.hostname} ${base.port}`;
  }
  const h = Object.entries(req.headers)
    .filter(([k]) => k !== 'accept')
    .map(([k, v]) => ` -H '${k}: ${v.slice(0, 80)}'`)
    .join('');
  const auth = authLabel ? ` -H 'authorization: ${authLabel}'` : '';
  let data = '';
  if (req.body) {
    const text = req.body.toString('utf8');
    const printable = JSON.stringify(
      text.length > 400 ? `${text.slice(0, 300)}...(${req.body.length} bytes)...${text.slice(-60)}` : text,
    );
    data = ` --data-binary ${printable}`;
  }
  const url = req.url.length > 300 ? `${req.url.slice(0, 250)}...(${req.url.length} chars)` : req.url;
  return `curl -X ${req.method} '${base.origin}${url}'${auth}${h}${data}`;
}

export interface Failure {
  key: string;
  op: string;
  principal: string;
  kind: string;
  note: string;
  status: number;
  reason: string;
  request: string;
  excerpt: string;
  requestId: string;
}

/** Counts per operation and status, per status class, and the failures grouped by cause. */
export class Tally {
  readonly byOp = new Map<string, Map<string, number>>();
  readonly byStatus = new Map<string, number>();
  readonly failures = new Map<string, { count: number; examples: Failure[] }>();
  tried = 0;
  unsendable = 0;

  record(req: FuzzRequest, o: Outcome): void {
    if (o.unsendable) {
      this.unsendable++;
      return;
    }
    this.tried++;
    const s = o.error ? 'no-answer' : String(o.status);
    const ops = this.byOp.get(req.op) ?? new Map<string, number>();
    ops.set(s, (ops.get(s) ?? 0) + 1);
    this.byOp.set(req.op, ops);
    this.byStatus.set(s, (this.byStatus.get(s) ?? 0) + 1);
  }

  fail(f: Failure): void {
    const g = this.failures.get(f.key) ?? { count: 0, examples: [] };
    g.count++;
    if (g.examples.length < 3) g.examples.push(f);
    this.failures.set(f.key, g);
  }

  failureCount(): number {
    return [...this.failures.values()].reduce((n, g) => n + g.count, 0);
  }

  classes(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [s, n] of this.byStatus) {
      const c = /^\d{3}$/.test(s) ? `${s[0]}xx` : s;
      out[c] = (out[c] ?? 0) + n;
    }
    return out;
  }

  /** One line per operation: op status x count ... */
  table(): string {
    return [...this.byOp.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([op, m]) =>
          `  ${op.padEnd(32)} ${[...m.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([s, n]) => `${s}x${n}`)
            .join(' ')}`,
      )
      .join('\n');
  }
}
