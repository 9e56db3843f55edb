import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, flushLogs, type Logger } from '../../../src/adapters/observability/logger.js';
import { LokiTransport, type LokiOptions } from '../../../src/adapters/observability/loki-transport.js';

interface Push {
  streams: { stream: Record<string, string>; values: [string, string][] }[];
}

interface Line {
  labels: Record<string, string>;
  line: Record<string, unknown>;
}

/** Why a request breaks the push protocol, or undefined when it keeps it. */
function protocolProblem(req: IncomingMessage, body: string): string | undefined {
  if (req.method !== 'POST' || req.url !== '/loki/api/v1/push') return `bad target ${req.method} ${req.url}`;
  if (req.headers['content-type'] !== 'application/json') return 'content-type';
  if (req.headers['x-scope-orgid'] !== 'tenant-a') return 'tenant';
  if (req.headers.authorization !== `Basic ${Buffer.from('alloy-test:s3cret').toString('base64')}`) return 'auth';
  const push = JSON.parse(body) as Push;
  if (!Array.isArray(push.streams) || push.streams.length === 0) return 'streams';
  for (const s of push.streams) {
    if (!Object.values(s.stream).every((v) => typeof v === 'string')) return 'label values';
    if (!Array.isArray(s.values) || s.values.length === 0) return 'values';
    for (const v of s.values)
      if (v.length !== 2 || !/^\d+$/.test(v[0]) || typeof v[1] !== 'string') return `value ${JSON.stringify(v)}`;
  }
  return undefined;
}

/** A local Loki stand-in: checks every request, answers with the queued statuses (then 204), keeps pushes. */
class Receiver {
  readonly pushes: Push[] = [];
  readonly problems: string[] = [];
  readonly statuses: number[] = [];
  requests = 0;
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests += 1;
      const body = Buffer.concat(chunks).toString('utf8');
      const problem = protocolProblem(req, body);
      if (problem) this.problems.push(problem);
      const status = this.statuses.shift() ?? (problem ? 400 : 204);
      if (status === 204 && !problem) this.pushes.push(JSON.parse(body) as Push);
      res.writeHead(status).end();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  /** Every pushed line with its labels. */
  lines(): Line[] {
    return this.pushes.flatMap((p) =>
      p.streams.flatMap((s) =>
        s.values.map(([, l]) => ({ labels: s.stream, line: JSON.parse(l) as Record<string, unknown> })),
      ),
    );
  }
}

const until = async (check: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('Loki push transport', () => {
  let receiver: Receiver;
  let url: string;
  let authFile: string;
  const silent = new Writable({ write: (_c, _e, cb) => cb() });

  beforeEach(async () => {
    receiver = new Receiver();
    url = await receiver.start();
    authFile = join(mkdtempSync(join(tmpdir(), 'loki-')), 'auth');
    writeFileSync(authFile, 'alloy-test:s3cret\n');
  });
  afterEach(() => receiver.stop());

  function logger(opts: Partial<LokiOptions> = {}): { logger: Logger; loki: LokiTransport } {
    const log = createLogger('debug', silent, {
      loki: { url, env: 'staging', service: 'api', tenant: 'tenant-a', basicAuthFile: authFile, batchMs: 20, ...opts },
    });
    const loki = log.transports.find((t) => t instanceof LokiTransport);
    if (!loki) throw new Error('no Loki transport');
    return { logger: log, loki };
  }

  it('pushes the console line with exactly the four labels; ids stay in the line', async () => {
    const { logger: log, loki } = logger();
    log.info('approved', { requestId: 'req-1', inspectionId: 'insp-9', password: 'hunter2' });
    log.verbose('detail', { jobId: 'job-3' });
    await until(() => receiver.lines().length === 2);
    const [info, debug] = receiver.lines() as [Line, Line];
    expect(info.labels).to.deep.equal({ app: 'car-dano', env: 'staging', service: 'api', level: 'info' });
    expect(debug.labels).to.deep.equal({ app: 'car-dano', env: 'staging', service: 'api', level: 'debug' });
    expect(info.line).to.include({ message: 'approved', requestId: 'req-1', inspectionId: 'insp-9' });
    expect(info.line.password).to.equal('[REDACTED]');
    expect(debug.line).to.include({ jobId: 'job-3' });
    expect(receiver.problems).to.deep.equal([]);
    await loki.close();
  });

  it('batches several lines into one request, grouped by stream', async () => {
    const { logger: log, loki } = logger({ batchMs: 200 });
    for (let i = 0; i < 5; i += 1) log.info('tick', { i });
    log.error('boom');
    await until(() => receiver.lines().length === 6 && loki.stats().sent === 6);
    expect(receiver.requests).to.equal(1);
    expect((receiver.pushes[0]?.streams ?? []).map((s) => s.stream.level).sort()).to.deep.equal(['error', 'info']);
    expect(receiver.lines().map((l) => l.line.i)).to.include.members([0, 1, 2, 3, 4]);
    expect(loki.stats()).to.include({ sent: 6, dropped: 0, buffered: 0 });
    await loki.close();
  });

  it('retries a 500 and loses nothing', async () => {
    receiver.statuses.push(500, 503);
    const warnings: string[] = [];
    const { logger: log, loki } = logger({ retryBaseMs: 10, onWarning: (w) => warnings.push(w) });
    log.info('one');
    log.warn('two');
    await until(() => receiver.lines().length === 2 && loki.stats().sent === 2);
    expect(receiver.requests).to.equal(3);
    expect(loki.stats()).to.include({ sent: 2, dropped: 0 });
    expect(warnings.join('\n')).to.contain('HTTP 500').and.contain('recovered').and.not.contain('s3cret');
    await loki.close();
  });

  it('never throws while the receiver is unreachable, and keeps the buffer bounded', async () => {
    await receiver.stop(); // nothing listens on its port any more
    const { logger: log, loki } = logger({
      batchMs: 10_000,
      maxBatchLines: 500,
      maxBufferLines: 50,
      retryBaseMs: 5,
      maxAttempts: 2,
      closeTimeoutMs: 2000,
      onWarning: () => undefined,
    });
    for (let i = 0; i < 200; i += 1) expect(() => log.info('lost', { i })).to.not.throw();
    await until(() => loki.stats().dropped >= 150);
    expect(loki.stats().buffered).to.be.at.most(50);
    await loki.close();
    expect(loki.stats()).to.include({ sent: 0, dropped: 200, buffered: 0 });
  });

  it('close() (and flushLogs at shutdown) flushes what is buffered', async () => {
    const { logger: log } = logger({ batchMs: 60_000 });
    log.info('last words', { requestId: 'req-z' });
    await new Promise((r) => setImmediate(r));
    expect(receiver.requests).to.equal(0);
    await flushLogs(log);
    expect(receiver.lines().map((l) => l.line.message)).to.deep.equal(['last words']);
    expect(receiver.problems).to.deep.equal([]);
  });

  it('an unreadable auth file stops the start-up, naming the file but nothing of its content', () => {
    expect(() => logger({ basicAuthFile: '/nonexistent/loki-auth' })).to.throw(
      'LOKI_BASIC_AUTH_FILE: cannot read /nonexistent/loki-auth (ENOENT)',
    );
  });
});
