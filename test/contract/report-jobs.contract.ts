import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { TransactionalPorts, UnitOfWork } from '../../src/ports/unit-of-work.js';
import type { PersistenceUnderTest } from './harness.js';
import { newInspection } from './inspection-ports.contract.js';
import { newUser } from './user-repository.contract.js';

/** ReportJobStore and InspectionReports: the same behaviour from every adapter. */
export function reportJobsContract(subject: PersistenceUnderTest): void {
  describe(`report jobs contract: ${subject.name}`, () => {
    let p: TransactionalPorts & { uow: UnitOfWork };
    let inspectionId: string;
    const t0 = new Date('2026-01-01T00:00:00.000Z');
    const at = (s: number) => new Date(t0.getTime() + s * 1000);

    beforeEach(async () => {
      p = await subject.create();
      const branch = await p.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, t0);
      const inspector = await p.users.create(
        newUser({ role: 'INSPECTOR', branchCityId: branch.id, passwordHash: null, pinHash: 'h' }),
        t0,
      );
      inspectionId = (
        await p.inspections.create(newInspection({ inspectorId: inspector.id, branchCityId: branch.id }), t0)
      ).id;
    });

    it('a job runs through its states, keeps artifacts, counts attempts and records the last error', async () => {
      const id = await p.uow.run((tx) => tx.reportJobs.enqueue(inspectionId, 'single', t0));
      expect(await p.reportJobStore.find(id)).to.deep.include({
        state: 'QUEUED',
        stage: 'RENDER',
        attempts: 0,
        priority: 'single',
        artifacts: {},
      });
      const running = await p.reportJobStore.markRunning(id, at(1));
      expect(running).to.deep.include({ state: 'RUNNING', attempts: 1 });
      expect(running?.startedAt?.toISOString()).to.equal(at(1).toISOString());
      const artifact = {
        scratchKey: 's',
        sha256: 'a'.repeat(64),
        sizeBytes: 10,
        pageCount: 2,
        htmlSha256: 'b'.repeat(64),
        imagesLoaded: 3,
        renderAttempts: 1,
        renderMs: 5,
        sizeBeforeMB: 1,
        sizeAfterMB: 1,
        rerendered: false,
        sizeSteps: [{ step: 'render', sizeMB: 1, accepted: true }],
      };
      await p.reportJobStore.saveProgress(id, 'STORE', { full: artifact }, at(2));
      await p.reportJobStore.fail(id, { code: 'STORAGE.UNAVAILABLE', message: 'down' }, false, at(3));
      expect(await p.reportJobStore.find(id)).to.deep.include({
        state: 'QUEUED',
        stage: 'STORE',
        lastErrorCode: 'STORAGE.UNAVAILABLE',
        lastError: 'down',
        artifacts: { full: artifact },
      });
      const again = await p.reportJobStore.markRunning(id, at(4));
      expect(again).to.deep.include({ attempts: 2 });
      expect(again?.startedAt?.toISOString(), 'first start kept').to.equal(at(1).toISOString());
      await p.reportJobStore.fail(id, { code: 'RENDER.QUALITY_GATE', message: 'missing' }, true, at(5));
      expect(await p.reportJobStore.find(id)).to.deep.include({ state: 'FAILED' });
      expect((await p.reportJobStore.list({ state: ['FAILED'] }, { page: 1, pageSize: 10 })).total).to.equal(1);
      expect(await p.reportJobStore.requeue(id, at(6))).to.deep.include({
        state: 'QUEUED',
        lastError: null,
        stage: 'STORE',
      });
      await p.reportJobStore.complete(id, at(7));
      expect(await p.reportJobStore.find(id)).to.deep.include({ state: 'DONE', stage: 'DONE' });
      // Delivered again after it finished (a worker died before pg-boss heard of it): it stays DONE.
      expect(await p.reportJobStore.markRunning(id, at(8))).to.deep.include({
        state: 'DONE',
        stage: 'DONE',
        attempts: 2,
      });
      expect(await p.reportJobStore.find(id)).to.deep.include({ state: 'DONE', attempts: 2 });
      expect(
        (await p.reportJobStore.list({ inspectionId, stage: ['DONE'] }, { page: 1, pageSize: 10 })).items.map(
          (j) => j.id,
        ),
      ).to.deep.equal([id]);
      const waiting = await p.uow.run((tx) => tx.reportJobs.enqueue(inspectionId, 'bulk', at(10)));
      const failing = await p.uow.run((tx) => tx.reportJobs.enqueue(inspectionId, 'bulk', at(11)));
      await p.reportJobStore.fail(failing, { code: 'IPFS.UNAVAILABLE', message: 'down' }, true, at(12));
      await p.reportJobStore.saveProgress(
        id,
        'DONE',
        { full: { ...artifact, renderMs: 100 }, 'no-docs': { ...artifact, renderMs: 300 } },
        at(13),
      );
      const stats = await p.reportJobStore.stats(at(70));
      expect(stats.byState).to.deep.equal({ DONE: 1, QUEUED: 1, FAILED: 1 });
      expect(stats.byStage).to.deep.equal({ DONE: 1, RENDER: 2 });
      expect(stats.oldestQueuedAgeSeconds).to.equal(60);
      expect(stats.failedByCode).to.deep.equal({ 'IPFS.UNAVAILABLE': 1 });
      expect(stats.averageRenderMs).to.equal(200);
      expect(waiting).to.be.a('string');
    });

    it('stored reports are one per variant (replaced on upsert) and found by SHA-256', async () => {
      const base = {
        inspectionId,
        storageDriver: 'fs',
        storageKey: 'reports/x-full.pdf',
        sha256: 'c'.repeat(64),
        sizeBytes: 100,
        pageCount: 3,
        htmlSha256: 'd'.repeat(64),
        ipfsCid: null as string | null,
        pdfJobId: null,
        createdAt: t0,
      };
      await p.reports.upsert({ ...base, variant: 'full' });
      await p.reports.upsert({
        ...base,
        variant: 'no-docs',
        storageKey: 'reports/x-no-docs.pdf',
        sha256: 'e'.repeat(64),
        ipfsCid: 'bafkreiexample',
      });
      await p.reports.upsert({ ...base, variant: 'full', sha256: 'f'.repeat(64), sizeBytes: 120 });
      const list = await p.reports.listForInspection(inspectionId);
      expect(list.map((r) => [r.variant, r.sha256.slice(0, 1), r.sizeBytes])).to.deep.equal([
        ['full', 'f', 120],
        ['no-docs', 'e', 100],
      ]);
      expect((await p.reports.findBySha256('e'.repeat(64))).map((r) => r.variant)).to.deep.equal(['no-docs']);
      expect(await p.reports.findBySha256('c'.repeat(64))).to.deep.equal([]);
      expect((await p.reports.findByCid('bafkreiexample')).map((r) => r.variant)).to.deep.equal(['no-docs']);
    });
  });
}
