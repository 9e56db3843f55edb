import { context, trace } from '@opentelemetry/api';
import winston from 'winston';
import { LokiTransport, type LokiOptions } from './loki-transport.js';
import { requestContext } from './request-context.js';

export type Logger = winston.Logger;

/** Keys whose values never reach a log line, at any depth. */
const SENSITIVE =
  /(authorization|cookie|password|passwd|secret|token|^pin$|pinhash|apikey|api_key|private_?key|^credentials?$)/i;
export const REDACTED = '[REDACTED]';

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error)
    return {
      name: value.name,
      message: value.message,
      stack: value.stack,
      ...(redact({ ...value }, depth + 1) as object),
    };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Date) return value;
  // Defined, not assigned: a logged object's own "__proto__" key stays a plain key of the copy.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    Object.defineProperty(out, k, {
      value: SENSITIVE.test(k) ? REDACTED : redact(v, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message') continue;
    info[key] = SENSITIVE.test(key) ? REDACTED : redact(info[key]);
  }
  return info;
});

const contextFormat = winston.format((info) => {
  const ctx = requestContext.getStore();
  if (ctx?.requestId && info.requestId === undefined) info.requestId = ctx.requestId;
  for (const [k, v] of Object.entries(ctx?.job ?? {})) if (info[k] === undefined) info[k] = v;
  // Log lines inside a span name it, so a log search leads to the trace and back. Without a registered
  // tracer provider there is no active span and nothing is added.
  const span = trace.getSpan(context.active())?.spanContext();
  if (span && trace.isSpanContextValid(span)) {
    info.trace_id = span.traceId;
    info.span_id = span.spanId;
  }
  return info;
});

/**
 * JSON lines to stdout (or the given stream), with request id, job ids, trace ids and redaction of secrets;
 * with `extra.loki`, the same lines are also pushed to Loki (src/adapters/observability/loki-transport.ts).
 */
export function createLogger(level: string, stream?: NodeJS.WritableStream, extra?: { loki?: LokiOptions }): Logger {
  const transports: winston.transport[] = [
    stream ? new winston.transports.Stream({ stream }) : new winston.transports.Console(),
  ];
  if (extra?.loki) transports.push(new LokiTransport(extra.loki));
  return winston.createLogger({
    level,
    format: winston.format.combine(contextFormat(), redactFormat(), winston.format.timestamp(), winston.format.json()),
    transports,
  });
}

/** Pushes what the Loki transport still buffers (at most its closeTimeoutMs); nothing without one. Never rejects. */
export async function flushLogs(logger: Logger): Promise<void> {
  await Promise.all(
    logger.transports.filter((t) => t instanceof LokiTransport).map((t) => t.close().catch(() => undefined)),
  );
}
