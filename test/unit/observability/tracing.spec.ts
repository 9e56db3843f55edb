import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { currentJobOrigin, runInJobContext, runInOrigin } from '../../../src/adapters/observability/job-context.js';
import { OtelTracer } from '../../../src/adapters/observability/otel-tracer.js';
import { currentRequestMeta, requestContext } from '../../../src/adapters/observability/request-context.js';
import { tracingWanted } from '../../../src/main/config/observability.js';
import { noTracer } from '../../../src/ports/tracer.js';
import { memoryLogger } from '../../support/logs.js';
import { installTestTracing, type TestTracing } from '../../support/tracing.js';

describe('tracing: the OpenTelemetry tracer, the job context and log correlation', () => {
  describe('with a tracer provider registered', () => {
    let tracing: TestTracing;
    beforeEach(() => {
      tracing = installTestTracing();
    });
    afterEach(() => tracing.uninstall());

    it('nests inSpan spans, drops undefined attributes and returns what the work returns', async () => {
      const tracer = new OtelTracer();
      const out = await tracer.inSpan('outer', { jobId: 'j1', scale: undefined }, () =>
        tracer.inSpan('inner', { variant: 'full' }, async () => 42),
      );
      expect(out).to.equal(42);
      const [outer] = tracing.named('outer');
      const [inner] = tracing.named('inner');
      expect(tracing.parentOf(inner!)).to.equal(outer);
      expect(outer!.attributes).to.deep.equal({ jobId: 'j1' });
      expect(inner!.spanContext().traceId).to.equal(outer!.spanContext().traceId);
    });

    it('records a rejection with its error code on the span and re-throws it unchanged', async () => {
      const failure = Object.assign(new Error('bucket down'), { code: 'STORAGE.UNAVAILABLE' });
      const err = await new OtelTracer().inSpan('report.store', {}, () => Promise.reject(failure)).catch((e) => e);
      expect(err).to.equal(failure);
      const [span] = tracing.named('report.store');
      expect(span!.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span!.attributes['error.code']).to.equal('STORAGE.UNAVAILABLE');
      expect(span!.events.map((e) => e.name)).to.include('exception');
    });

    it('a job sent inside a span and a request carries both; its worker span is a child and sees the request id', async () => {
      const tracer = new OtelTracer();
      const origin = await requestContext.run({ requestId: 'req-7', ip: '10.0.0.1' }, () =>
        tracer.inSpan('approve', {}, async () => currentJobOrigin()),
      );
      expect(origin.requestId).to.equal('req-7');
      expect(origin.traceparent).to.match(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      const { logger, lines } = memoryLogger();
      const seen = await runInJobContext(origin, 'report-job', { jobId: 'j1', inspectionId: 'i1' }, async () => {
        await tracer.inSpan('report.render', {}, async () => logger.info('report rendered'));
        return currentRequestMeta();
      });
      expect(seen).to.deep.equal({ requestId: 'req-7', ip: null });
      const [approve] = tracing.named('approve');
      const [job] = tracing.named('report-job');
      const [render] = tracing.named('report.render');
      expect(job!.kind).to.equal(SpanKind.CONSUMER);
      expect(job!.attributes).to.deep.equal({ jobId: 'j1', inspectionId: 'i1' });
      expect(tracing.parentOf(job!)).to.equal(approve);
      expect(tracing.parentOf(render!)).to.equal(job);
      expect(lines()[0]).to.include({
        message: 'report rendered',
        requestId: 'req-7',
        jobId: 'j1',
        inspectionId: 'i1',
        trace_id: approve!.spanContext().traceId,
        span_id: render!.spanContext().spanId,
      });
    });

    it('runInOrigin restores a recorded origin without a span of its own: spans inside are children of its span, lines carry its request id', async () => {
      const tracer = new OtelTracer();
      const origin = await requestContext.run({ requestId: 'req-8', ip: '10.0.0.1' }, () =>
        tracer.inSpan('report.record', {}, async () => currentJobOrigin()),
      );
      const { logger, lines } = memoryLogger();
      const seen = await runInOrigin(origin, { mintJobId: 'm2', inspectionId: 'i2' }, () =>
        tracer.inSpan('mint.confirm', { mintJobId: 'm2' }, async () => {
          logger.info('mint confirmed');
          return currentRequestMeta();
        }),
      );
      expect(seen).to.deep.equal({ requestId: 'req-8', ip: null });
      const [record] = tracing.named('report.record');
      const [confirm] = tracing.named('mint.confirm');
      expect(tracing.parentOf(confirm!)).to.equal(record);
      expect(tracing.spans().map((x) => x.name)).to.have.members(['report.record', 'mint.confirm']);
      expect(lines()[0]).to.include({ requestId: 'req-8', mintJobId: 'm2', trace_id: record!.spanContext().traceId });

      // No origin: a trace of its own, no request id (even when called inside another context).
      await tracer.inSpan('elsewhere', {}, () =>
        runInOrigin(undefined, { mintJobId: 'm3', inspectionId: 'i3' }, () =>
          tracer.inSpan('mint.confirm', {}, async () => expect(currentRequestMeta().requestId).to.equal(null)),
        ),
      );
      const own = tracing.named('mint.confirm')[1];
      expect(own!.parentSpanContext).to.equal(undefined);
    });

    it('a job without an origin (sent before tracing, or by the CLI) starts a trace of its own, with no request id', async () => {
      const { logger, lines } = memoryLogger();
      await runInJobContext({}, 'mint-job', { mintJobId: 'm1', inspectionId: 'i1' }, async () =>
        logger.info('mint submitted'),
      );
      const [job] = tracing.named('mint-job');
      expect(job!.parentSpanContext).to.equal(undefined);
      expect(lines()[0]).to.include({ mintJobId: 'm1', inspectionId: 'i1', trace_id: job!.spanContext().traceId });
      expect(lines()[0]).to.not.have.property('requestId');
    });
  });

  describe('with tracing off (no provider registered)', () => {
    it('the job origin has the request id only, and log lines carry no trace ids', async () => {
      const origin = requestContext.run({ requestId: 'req-8', ip: null }, () => currentJobOrigin());
      expect(origin).to.deep.equal({ requestId: 'req-8' });
      const { logger, lines } = memoryLogger();
      await runInJobContext(origin, 'report-job', { jobId: 'j2', inspectionId: 'i2' }, async () =>
        logger.info('report job finished'),
      );
      expect(lines()[0]).to.include({ requestId: 'req-8', jobId: 'j2' });
      expect(lines()[0]).to.not.have.any.keys('trace_id', 'span_id');
    });

    it('noTracer only calls the work; tracing is wanted with TRACING_ENABLED or an exporter other than none', async () => {
      expect(await noTracer.inSpan('x', { a: 1 }, async () => 'done')).to.equal('done');
      expect(tracingWanted({})).to.equal(false);
      expect(tracingWanted({ TRACING_ENABLED: 'false', OTEL_TRACES_EXPORTER: 'none' })).to.equal(false);
      expect(tracingWanted({ TRACING_ENABLED: 'true' })).to.equal(true);
      expect(tracingWanted({ OTEL_TRACES_EXPORTER: 'otlp' })).to.equal(true);
    });
  });
});
