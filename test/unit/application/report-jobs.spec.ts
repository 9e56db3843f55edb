import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { GetInspectionReports } from '../../../src/application/reports/get-inspection-reports.js';
import { GetReportJobStats } from '../../../src/application/reports/get-report-job-stats.js';
import { ListReportJobs } from '../../../src/application/reports/list-report-jobs.js';
import { RerunFailedReportJobs } from '../../../src/application/reports/rerun-failed-report-jobs.js';
import { RerunReportJob } from '../../../src/application/reports/rerun-report-job.js';
import type { TestActor } from '../../support/actors.js';
import { as, code, storedInspection, storedReports, world, type World } from './fixtures.js';

describe('report job administration use cases (memory adapters)', () => {
  let w: World;
  let admin: TestActor;
  let inspector: TestActor;
  beforeEach(async () => {
    w = world();
    admin = await w.actors.create('ADMIN');
    inspector = await w.actors.create('INSPECTOR');
  });
  afterEach(() => w.cleanup());

  /** A report job of a new inspection, driven into `state` through the store's own transitions. */
  async function job(state: 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED', stage: 'RENDER' | 'STORE' | 'IPFS' = 'RENDER') {
    const i = await storedInspection(w, inspector, { status: 'APPROVED' });
    const id = await w.tx((tx) => tx.reportJobs.enqueue(i.id, 'single', w.clock.now()));
    await w.tx(async (tx) => {
      if (state === 'QUEUED') return;
      await tx.reportJobStore.markRunning(id, w.clock.now());
      if (stage !== 'RENDER') await tx.reportJobStore.saveProgress(id, stage, {}, w.clock.now());
      if (state === 'DONE') await tx.reportJobStore.complete(id, w.clock.now());
      if (state === 'FAILED')
        await tx.reportJobStore.fail(
          id,
          { code: 'RENDER.TIMEOUT', message: 'navigation timeout' },
          true,
          w.clock.now(),
        );
    });
    w.clock.advance(1000);
    return { id, inspection: i };
  }
  const rerun = (id: string) => w.c.get(RerunReportJob).execute(as(admin), id);
  const find = (id: string) => w.tx((tx) => tx.reportJobStore.find(id));

  it('re-runs a FAILED job at its stage: QUEUED again, error cleared, sent to the workers again, audited', async () => {
    const { id, inspection } = await job('FAILED', 'STORE');
    const sentBefore = w.store.state.sentJobs.length;
    const requeued = await rerun(id);
    expect(requeued).to.deep.include({
      id,
      inspectionId: inspection.id,
      state: 'QUEUED',
      stage: 'STORE',
      lastError: null,
      lastErrorCode: null,
      finishedAt: null,
      attempts: 1,
    });
    expect(await find(id)).to.deep.include({ state: 'QUEUED', stage: 'STORE' });
    expect(w.store.state.sentJobs.slice(sentBefore)).to.deep.equal([{ pdfJobId: id, priority: 'single' }]);
    const [audit] = await w.audit({ action: 'REPORT_JOB_RERUN' });
    expect(audit).to.deep.include({ actorId: admin.user.id, entity: 'pdf_job', entityId: id });
    expect(audit?.metadata).to.deep.equal({ stage: 'STORE', previousError: 'RENDER.TIMEOUT' });
  });

  it('refuses a running job (REPORT.JOB_RUNNING), a done job (REPORT.JOB_DONE) and an unknown one (REPORT.JOB_NOT_FOUND)', async () => {
    const running = await job('RUNNING');
    const done = await job('DONE');
    expect(await code(rerun(running.id))).to.equal('REPORT.JOB_RUNNING');
    expect(await code(rerun(done.id))).to.equal('REPORT.JOB_DONE');
    expect(await code(rerun(randomUUID()))).to.equal('REPORT.JOB_NOT_FOUND');
    expect((await find(running.id))?.state).to.equal('RUNNING');
    expect(await w.audit({ action: 'REPORT_JOB_RERUN' })).to.deep.equal([]);
  });

  it('a QUEUED job may be sent again (a lost queue message)', async () => {
    const { id } = await job('QUEUED');
    expect((await rerun(id)).state).to.equal('QUEUED');
    expect(w.store.state.sentJobs.filter((j) => j.pdfJobId === id)).to.have.length(2);
  });

  it('re-runs every FAILED job up to the limit and leaves the others', async () => {
    const failed = [await job('FAILED'), await job('FAILED', 'IPFS'), await job('FAILED')];
    const running = await job('RUNNING');
    const again = await w.c.get(RerunFailedReportJobs).execute(as(admin), 2);
    expect(again).to.have.length(2);
    expect(failed.map((f) => f.id)).to.include.members(again);
    const all = await w.c.get(RerunFailedReportJobs).execute(as(admin));
    expect(all).to.have.length(1);
    expect([...again, ...all]).to.have.members(failed.map((f) => f.id));
    expect((await find(running.id))?.state).to.equal('RUNNING');
    expect(await w.c.get(RerunFailedReportJobs).execute(as(admin))).to.deep.equal([]);
  });

  it('lists jobs by state, and counts them by state, stage and error code', async () => {
    const f = await job('FAILED');
    await job('DONE');
    await job('QUEUED');
    expect((await w.c.get(ListReportJobs).execute({ state: ['FAILED'] }, {})).items.map((j) => j.id)).to.deep.equal([
      f.id,
    ]);
    expect((await w.c.get(ListReportJobs).execute({ inspectionId: f.inspection.id }, {})).total).to.equal(1);
    const stats = await w.c.get(GetReportJobStats).execute();
    expect(stats.byState).to.deep.equal({ FAILED: 1, DONE: 1, QUEUED: 1 });
    expect(stats.failedByCode).to.deep.equal({ 'RENDER.TIMEOUT': 1 });
    expect(stats.oldestQueuedAgeSeconds).to.equal(1);
  });

  it("shows an inspection's jobs and its PDFs with signed download URLs named after the pretty id; hidden from other inspectors", async () => {
    const { id, inspection } = await job('DONE');
    await storedReports(w, inspection.id);
    const view = await w.c.get(GetInspectionReports).execute(as(admin), inspection.id);
    expect(view.jobs.map((j) => j.id)).to.deep.equal([id]);
    expect(view.reports.map((r) => r.variant)).to.deep.equal(['full', 'no-docs']);
    for (const r of view.reports) {
      expect(r.url).to.contain(encodeURIComponent(`${inspection.prettyId}-${r.variant}.pdf`));
      expect(r.urlExpiresAt.getTime()).to.be.greaterThan(Date.now());
    }
    expect(
      (await w.c.get(GetInspectionReports).execute(as(inspector), inspection.id)).reports,
      'the inspector sees their own',
    ).to.have.length(2);
    expect(
      await code(w.c.get(GetInspectionReports).execute(as(await w.actors.create('INSPECTOR')), inspection.id)),
    ).to.equal('INSPECTION.NOT_FOUND');
    expect(await code(w.c.get(GetInspectionReports).execute(as(admin), randomUUID()))).to.equal('INSPECTION.NOT_FOUND');
  });
});
