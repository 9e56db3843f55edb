/**
 * Tracing overhead benchmark (issue 14): what a traced step costs when tracing is off, against a floor
 * measured in the same run: a bare `await fn()` of the same async work (a resolved promise).
 * - off: `noTracer.inSpan` (what src/main binds when TRACING_ENABLED is false and no OTEL exporter is set);
 * - OtelTracer without an SDK: the OpenTelemetry API with no provider registered (non-recording spans);
 * - job context off: `runInJobContext` once per job (request context, extract, non-recording span);
 * - on: OtelTracer with a tracer provider and a span processor whose exporter drops the spans.
 * Prints ns per call, best of BENCH_ROUNDS (default 5) rounds of BENCH_CALLS (default 200000) calls, and the
 * ratio to the floor. Target: off <= 1.5 x floor (per stage the difference is nanoseconds against seconds of
 * rendering). Run alone: `node --import tsx bench/tracing.bench.ts`.
 */
import { performance } from 'node:perf_hooks';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SimpleSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { runInJobContext } from '../src/adapters/observability/job-context.js';
import { OtelTracer } from '../src/adapters/observability/otel-tracer.js';
import { noTracer } from '../src/ports/tracer.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const attributes = { jobId: '6f1c2a4e-0000-4000-8000-000000000001', inspectionId: 'b3e1-0000' };
const work = async () => 1;

/** Best ns per call over the rounds (the least disturbed round). */
async function nsPerCall(call: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    for (let i = 0; i < CALLS; i++) await call();
    best = Math.min(best, ((performance.now() - t) * 1e6) / CALLS);
  }
  return best;
}

const floor = await nsPerCall(() => work());
const off = await nsPerCall(() => noTracer.inSpan('report.store', attributes, work));
const apiOnly = await nsPerCall(() => new OtelTracer().inSpan('report.store', attributes, work));
const jobOff = await nsPerCall(() => runInJobContext({ requestId: 'r1' }, 'report-job', attributes, work));

const dropAll: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => undefined };
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: dropAll })] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(provider);
const on = await nsPerCall(() => new OtelTracer().inSpan('report.store', attributes, work));
await provider.shutdown();
trace.disable();
context.disable();

const row = (name: string, ns: number) =>
  `  ${name.padEnd(58)} ${ns.toFixed(0).padStart(7)} ns/call  ${(ns / floor).toFixed(2).padStart(6)} x floor`;
console.log(`tracing overhead (${ROUNDS} rounds of ${CALLS} calls, best round; node ${process.version})`);
console.log(row('floor: bare await of the same async work', floor));
console.log(row('off: noTracer.inSpan (bound when tracing is off)', off));
console.log(row('OtelTracer.inSpan, no SDK (API no-op spans)', apiOnly));
console.log(row('runInJobContext, tracing off (once per job)', jobOff));
console.log(row('on: OtelTracer.inSpan, SDK, spans dropped by the exporter', on));
console.log(`  off / floor ${(off / floor).toFixed(2)} (target <= 1.5)`);
