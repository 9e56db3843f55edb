/**
 * The Tracer port on the OpenTelemetry API. Spans go to whatever tracer provider is registered globally
 * (src/main/tracing.ts when tracing is on, an in-memory one in tests); with none registered the API hands
 * out non-recording spans, but the composition root binds `noTracer` then and this class is not used.
 */
import {
  context,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type SpanOptions,
  type Tracer as OtelApiTracer,
} from '@opentelemetry/api';
import type { SpanAttributes, Tracer } from '../../ports/tracer.js';

/** The instrumentation scope of the application's own spans. */
export const TRACER_NAME = 'car-dano';

/** Drops undefined values (the API accepts them, exporters complain). */
export function spanAttributes(attributes: SpanAttributes): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) out[k] = v;
  return out;
}

/** Spans through `@opentelemetry/api`, children of the active span (the context follows async calls). */
export class OtelTracer implements Tracer {
  constructor(private readonly tracer: OtelApiTracer = trace.getTracer(TRACER_NAME)) {}

  inSpan<T>(name: string, attributes: SpanAttributes, fn: () => Promise<T>): Promise<T> {
    return activeSpan(this.tracer, name, { attributes: spanAttributes(attributes) }, context.active(), fn);
  }
}

/**
 * Runs `fn` in a new active span under `parent`; a rejection is recorded on the span (with its error code
 * as `error.code`) and re-thrown. The span ends when `fn` settles.
 */
export function activeSpan<T>(
  tracer: OtelApiTracer,
  name: string,
  options: SpanOptions,
  parent: Context,
  fn: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, options, parent, async (span) => {
    try {
      return await fn();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string') span.setAttribute('error.code', code);
      span.recordException(e instanceof Error ? e : String(e));
      span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
      throw e;
    } finally {
      span.end();
    }
  });
}
