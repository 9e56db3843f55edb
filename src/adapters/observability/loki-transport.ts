/**
 * Optional direct push of the log lines to Loki (LOKI_URL; off by default): a winston transport that
 * batches the JSON lines the console gets and POSTs them to `<LOKI_URL>/loki/api/v1/push`. The agent
 * (ops/loki/) remains the recommended path; this one serves a single machine without an agent.
 *
 * Label policy (the same as ops/loki/alloy/config.alloy): only app, env, service and level. Ids stay in the
 * line. The transport never throws into the application and never blocks a request: lines go to a bounded
 * buffer (the oldest are dropped beyond it, and counted), and a failed push is retried with backoff.
 */
import { readFileSync } from 'node:fs';
import TransportStream from 'winston-transport';

/** Where and how the lines are pushed. */
export interface LokiOptions {
  /** Base URL of Loki (or of the auth proxy in front of it); the lines go to <url>/loki/api/v1/push. */
  url: string;
  /** The `env` label. */
  env: string;
  /** The `service` label. */
  service: 'api' | 'worker' | 'cli';
  /** X-Scope-OrgID (the tenant), when Loki is multi-tenant. */
  tenant?: string;
  /** A file holding `user:password` for basic auth; read once, never logged. */
  basicAuthFile?: string;
  /** Push at most this long after a line is logged (default 1000). */
  batchMs?: number;
  /** Lines per push (default 1000). */
  maxBatchLines?: number;
  /** Bytes of lines per push (default 1 MiB). */
  maxBatchBytes?: number;
  /** Lines kept while Loki is unreachable; beyond it the oldest are dropped (default 10,000). */
  maxBufferLines?: number;
  /** Attempts of one push before its lines are dropped (default 5). */
  maxAttempts?: number;
  /** First backoff delay, doubled per attempt up to 30 s (default 500). */
  retryBaseMs?: number;
  /** How long close() waits for the last push (default 5000). */
  closeTimeoutMs?: number;
  /** Where the transport's own warnings go (default: one JSON line on stderr). */
  onWarning?: (line: string) => void;
}

/** What the transport has done, for tests and diagnostics. */
export interface LokiStats {
  sent: number;
  dropped: number;
  buffered: number;
}

interface Entry {
  level: string;
  ns: string;
  line: string;
  bytes: number;
}

const MESSAGE = Symbol.for('message');
const LEVELS: Record<string, string> = {
  error: 'error',
  warn: 'warn',
  info: 'info',
  http: 'http',
  verbose: 'debug',
  debug: 'debug',
  silly: 'debug',
};
const MAX_BACKOFF_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;

/** The level label: winston's level mapped to error | warn | info | http | debug | unknown. */
export function lokiLevel(level: unknown): string {
  return (typeof level === 'string' && LEVELS[level.trim().toLowerCase()]) || 'unknown';
}

/** The Authorization header of a `user:password` file. */
function basicAuth(file: string): string {
  let credentials: string;
  try {
    credentials = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new Error(`LOKI_BASIC_AUTH_FILE: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: e,
    });
  }
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Pushes the log lines to Loki in batches; see the module comment. */
export class LokiTransport extends TransportStream {
  private readonly pushUrl: string;
  private readonly headers: Record<string, string>;
  private readonly opts: Required<Omit<LokiOptions, 'tenant' | 'basicAuthFile'>>;
  private buffer: Entry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private lastNs = 0n;
  private stopped = false;
  private failing = false;
  private readonly counts = { sent: 0, dropped: 0 };

  constructor(options: LokiOptions) {
    super();
    this.opts = {
      batchMs: 1000,
      maxBatchLines: 1000,
      maxBatchBytes: 1024 * 1024,
      maxBufferLines: 10_000,
      maxAttempts: 5,
      retryBaseMs: 500,
      closeTimeoutMs: 5000,
      onWarning: (line) => process.stderr.write(`${line}\n`),
      ...options,
    };
    this.pushUrl = `${options.url.replace(/\/+$/, '')}/loki/api/v1/push`;
    this.headers = { 'content-type': 'application/json' };
    if (options.tenant) this.headers['x-scope-orgid'] = options.tenant;
    if (options.basicAuthFile) this.headers.authorization = basicAuth(options.basicAuthFile);
  }

  /** Buffers one line; the push happens later, off the caller's path. */
  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    setImmediate(() => this.emit('logged', info));
    if (!this.stopped) this.enqueue(info);
    next();
  }

  /** Lines sent, dropped (buffer overflow or given up) and waiting. */
  stats(): LokiStats {
    return { ...this.counts, buffered: this.buffer.length };
  }

  /** Pushes what is buffered (best effort, at most closeTimeoutMs) and stops accepting lines; idempotent. */
  override close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.closing ??= Promise.race([this.drain(), sleep(this.opts.closeTimeoutMs)]);
    return this.closing;
  }

  private enqueue(info: Record<string | symbol, unknown>): void {
    const line = typeof info[MESSAGE] === 'string' ? info[MESSAGE] : JSON.stringify(info);
    // Nanoseconds, strictly increasing, so lines logged in the same millisecond keep their order.
    let ns = BigInt(Date.now()) * 1_000_000n;
    if (ns <= this.lastNs) ns = this.lastNs + 1n;
    this.lastNs = ns;
    this.buffer.push({ level: lokiLevel(info.level), ns: ns.toString(), line, bytes: Buffer.byteLength(line) });
    const excess = this.buffer.length - this.opts.maxBufferLines;
    if (excess > 0) {
      this.buffer.splice(0, excess);
      this.counts.dropped += excess;
    }
    if (this.buffer.length >= this.opts.maxBatchLines) void this.drain();
    else this.timer ??= setTimeout(() => void this.drain(), this.opts.batchMs).unref();
  }

  /** Pushes batches until the buffer is empty; one drain at a time. */
  private drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.draining ??= (async () => {
      try {
        while (this.buffer.length > 0) await this.pushBatch(this.takeBatch());
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  private takeBatch(): Entry[] {
    let count = 0;
    let bytes = 0;
    for (const entry of this.buffer) {
      if (count >= this.opts.maxBatchLines || (count > 0 && bytes + entry.bytes > this.opts.maxBatchBytes)) break;
      count += 1;
      bytes += entry.bytes;
    }
    return this.buffer.splice(0, count);
  }

  /** Sends one batch, retrying 429, 5xx and network errors with backoff; other answers drop it. */
  private async pushBatch(batch: Entry[]): Promise<void> {
    const body = JSON.stringify({ streams: this.streams(batch) });
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt += 1) {
      const outcome = await this.send(body);
      if (outcome === 'ok') {
        this.counts.sent += batch.length;
        this.report(undefined);
        return;
      }
      if (outcome !== 'retry' || attempt === this.opts.maxAttempts) break;
      await sleep(Math.min(this.opts.retryBaseMs * 2 ** (attempt - 1), MAX_BACKOFF_MS));
    }
    this.counts.dropped += batch.length;
  }

  private streams(batch: Entry[]): { stream: Record<string, string>; values: [string, string][] }[] {
    const byLevel = new Map<string, [string, string][]>();
    for (const e of batch) {
      const values = byLevel.get(e.level) ?? [];
      values.push([e.ns, e.line]);
      byLevel.set(e.level, values);
    }
    const { env, service } = this.opts;
    return [...byLevel].map(([level, values]) => ({ stream: { app: 'car-dano', env, service, level }, values }));
  }

  private async send(body: string): Promise<'ok' | 'retry' | 'drop'> {
    try {
      const res = await fetch(this.pushUrl, {
        method: 'POST',
        headers: this.headers,
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return 'ok';
      this.report(`HTTP ${res.status}`);
      return res.status === 429 || res.status >= 500 ? 'retry' : 'drop';
    } catch (e) {
      this.report((e as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable');
      return 'retry';
    }
  }

  /**
   * One stderr line when pushing starts failing and one when it recovers (never through the logger, which
   * would feed the failure back into the buffer; never the credentials or the lines).
   */
  private report(problem: string | undefined): void {
    if ((problem !== undefined) === this.failing) return;
    this.failing = problem !== undefined;
    const message = problem ? `loki push failing (${problem}); retrying, lines are buffered` : 'loki push recovered';
    this.opts.onWarning(JSON.stringify({ level: problem ? 'warn' : 'info', message, ...this.stats() }));
  }
}
