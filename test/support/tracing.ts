/**
 * An OpenTelemetry set-up for one test: a tracer provider exporting to memory, the AsyncLocalStorage
 * context manager and the W3C propagator, registered globally until `uninstall()`. Optionally the http
 * instrumentation, so requests served in the test make server spans (and continue a `traceparent`).
 */
import { createRequire } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';

export interface TestTracing {
  spans(): ReadableSpan[];
  /** The finished spans named `name`. */
  named(name: string): ReadableSpan[];
  /** The span's parent among the finished spans (undefined for a root or a parent not finished). */
  parentOf(span: ReadableSpan): ReadableSpan | undefined;
  uninstall(): Promise<void>;
}

export function installTestTracing(o: { http?: boolean } = {}): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const manager = new AsyncLocalStorageContextManager().enable();
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(manager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  let http: HttpInstrumentation | undefined;
  if (o.http) {
    http = new HttpInstrumentation();
    http.setTracerProvider(provider);
    http.enable();
    // The instrumentation patches node:http when it is required (it was imported before, as ESM).
    createRequire(import.meta.url)('node:http');
  }
  const spans = () => exporter.getFinishedSpans();
  return {
    spans,
    named: (name) => spans().filter((s) => s.name === name),
    parentOf: (span) => {
      const parent = span.parentSpanContext?.spanId;
      return parent ? spans().find((s) => s.spanContext().spanId === parent) : undefined;
    },
    uninstall: async () => {
      http?.disable();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
