/**
 * What a queued job carries about its cause, and how a worker picks it up: the W3C trace context
 * (`traceparent`, `tracestate`) of the span that sent the job and the id of the HTTP request behind it.
 * The job's span is then a child of the sender's span (one trace from the approval to the NFT), and its
 * log lines and audit rows name the approval's request id.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Context } from '@opentelemetry/api';
import type { WorkOrigin } from '../../domain/shared/work-origin.js';
import type { RunInOrigin } from '../../ports/tracer.js';
import { activeSpan, TRACER_NAME } from './otel-tracer.js';
import { currentRequestMeta, requestContext } from './request-context.js';

/** The origin fields a job's data may carry (all optional: jobs sent before tracing existed have none). */
export type JobOrigin = WorkOrigin;

/** The origin of a job sent now: the active trace context (only when tracing is on) and the current request id. */
export function currentJobOrigin(): JobOrigin {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const { requestId } = currentRequestMeta();
  const origin: JobOrigin = {};
  if (carrier.traceparent) origin.traceparent = carrier.traceparent;
  if (carrier.tracestate) origin.tracestate = carrier.tracestate;
  if (requestId) origin.requestId = requestId;
  return origin;
}

/**
 * Runs a job's handler in the context of its cause: a CONSUMER span `name` (a child of the sender's span
 * when the data carries one) with the job's ids as attributes, and a request context with the cause's
 * request id (null when none) and the ids for log lines. Rejections are recorded on the span and re-thrown.
 */
export function runInJobContext<T>(
  data: JobOrigin,
  name: string,
  ids: Readonly<Record<string, string>>,
  fn: () => Promise<T>,
): Promise<T> {
  const parent = traceContextOf(data);
  const requestId = typeof data.requestId === 'string' ? data.requestId : null;
  return requestContext.run({ requestId, ip: null, job: ids }, () =>
    activeSpan(trace.getTracer(TRACER_NAME), name, { kind: SpanKind.CONSUMER, attributes: { ...ids } }, parent, fn),
  );
}

/** The trace context an origin carries (the root context when it carries none). */
function traceContextOf(data: JobOrigin): Context {
  const carrier: Record<string, string> = {};
  if (typeof data.traceparent === 'string') carrier.traceparent = data.traceparent;
  if (typeof data.tracestate === 'string') carrier.tracestate = data.tracestate;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/**
 * The RunInOrigin port: runs `fn` with the origin's trace context active (spans started inside are its
 * children; the root context when it carries none, so they start traces of their own) and a request
 * context with its request id (null when none) and `ids`. Starts no span itself.
 */
export const runInOrigin: RunInOrigin = (origin, ids, fn) => {
  const data = origin ?? {};
  const requestId = typeof data.requestId === 'string' ? data.requestId : null;
  return requestContext.run({ requestId, ip: null, job: ids }, () => context.with(traceContextOf(data), fn));
};
