/**
 * One trace from the approval to the NFT, across the worker boundary: the approval's HTTP request span
 * (http instrumentation) -> the report job (its pg-boss data carries the W3C context) -> a span per stage and
 * per Chromium render -> the mint job (sent by the RECORD stage) -> build and submit; and the confirmation
 * (`mint.confirm`, written by the watcher long after the mint job ended) under the span that asked for the
 * mint, restored from the origin the mint job row keeps. The worker's log lines carry the job's ids, the
 * trace ids and the approval's request id; so do its audit rows (the request id), NFT_MINTED included.
 * Real pg-boss, real workers, real Chromium, the chain emulator (the drill rig).
 */
import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { SpanKind } from '@opentelemetry/api';
import { findChromium } from '../../src/adapters/pdf/chromium-path.js';
import { startRig, waitArchived, type Rig } from '../drills/support/harness.js';
import { installTestTracing, type TestTracing } from '../support/tracing.js';

describe('integration: tracing and log correlation from the approval to the mint', function () {
  this.timeout(180_000);
  let tracing: TestTracing;
  let rig: Rig;

  before(async function () {
    if (!findChromium(process.env.CHROMIUM_PATH)) this.skip();
    tracing = installTestTracing({ http: true });
    rig = await startRig({ env: { TRACING_ENABLED: 'true' } });
  });

  after(async () => {
    await rig?.stop();
    await tracing?.uninstall();
  });

  it('approval request span -> report job -> stages and renders -> mint job -> build and submit -> confirm; logs and audit rows name the request', async () => {
    const [inspection] = await rig.createInspections(1, 2);
    const id = (inspection as { id: string }).id;
    const requestId = 'approve-trace-0001';
    await rig.t.api
      .post(`/api/v1/inspections/${id}/approve`)
      .set(rig.reviewer.auth)
      .set('x-request-id', requestId)
      .send({})
      .expect(200);
    await waitArchived(rig.knex, [id], 150_000);

    const request = tracing
      .spans()
      .find(
        (s) =>
          s.kind === SpanKind.SERVER &&
          String(s.attributes['url.path'] ?? s.attributes['http.target']).includes('/approve'),
      );
    expect(request, 'the approval request span').to.not.equal(undefined);
    const one = (name: string): ReadableSpan => {
      const found = tracing.named(name).filter((s) => s.spanContext().traceId === request!.spanContext().traceId);
      expect(found, `span ${name} in the approval's trace`).to.have.length.greaterThan(0);
      return found[0] as ReadableSpan;
    };
    const reportJob = one('report-job');
    expect(reportJob.attributes).to.include({ inspectionId: id });
    expect(tracing.parentOf(reportJob), 'report-job under the request (through pg-boss)').to.equal(request);
    for (const stage of ['report.render', 'report.store', 'report.ipfs', 'report.record'])
      expect(tracing.parentOf(one(stage)), stage).to.equal(reportJob);
    const renders = tracing
      .named('report.chromium-render')
      .filter((s) => s.spanContext().traceId === request!.spanContext().traceId);
    expect(renders.map((r) => r.attributes.variant)).to.include.members(['full', 'no-docs']);
    for (const r of renders) expect(tracing.parentOf(r)).to.equal(one('report.render'));
    const mintJob = one('mint-job');
    expect(tracing.parentOf(mintJob), 'mint-job under the RECORD stage that sent it').to.equal(one('report.record'));
    expect(tracing.parentOf(one('mint.build'))).to.equal(mintJob);
    expect(tracing.parentOf(one('mint.submit'))).to.equal(mintJob);
    // The confirmation: the watcher's span joins the trace under the span that asked for the mint (the RECORD
    // stage, as the mint job's), restored from the mint job's recorded origin. It ends right after the commit
    // waitArchived saw, so give it a moment.
    for (let i = 0; i < 50 && !tracing.named('mint.confirm').some((s) => s.attributes.inspectionId === id); i++)
      await new Promise((r) => setTimeout(r, 100));
    const confirm = one('mint.confirm');
    expect(confirm.attributes).to.include({ inspectionId: id, mintJobId: mintJob.attributes.mintJobId });
    expect(tracing.parentOf(confirm), 'mint.confirm under the span that asked for the mint').to.equal(
      tracing.parentOf(mintJob),
    );
    for (const s of tracing.spans().filter((x) => x.instrumentationScope.name === 'car-dano'))
      expect(JSON.stringify(s.attributes), s.name).to.not.match(/AB \d+ CD/);

    // Audit rows the workers wrote name the approval's request.
    const audit = await rig.knex('audit_logs').where({ entity_id: id }).select('action', 'request_id');
    const byAction = Object.fromEntries(
      audit.map((a: { action: string; request_id: string }) => [a.action, a.request_id]),
    );
    expect(byAction).to.include({ REPORT_GENERATED: requestId, NFT_MINTED: requestId });
    // Worker log lines: the job's ids, the request id and the trace ids of the job's span.
    const finished = rig.t.logs.lines().find((l) => l.message === 'report job finished' && l.inspectionId === id);
    expect(finished).to.include({ requestId, inspectionId: id, trace_id: reportJob.spanContext().traceId });
    expect(finished?.jobId).to.be.a('string');
    const minted = rig.t.logs.lines().find((l) => l.message === 'mint submitted' && l.inspectionId === id);
    expect(minted).to.include({ requestId, trace_id: request!.spanContext().traceId });
    expect(minted?.mintJobId).to.be.a('string');
    const confirmed = rig.t.logs
      .lines()
      .find((l) => l.message === 'mint confirmed: inspection archived' && l.inspectionId === id);
    expect(confirmed).to.include({ requestId, trace_id: request!.spanContext().traceId });
  });
});
