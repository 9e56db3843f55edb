import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { ApproveInspection } from '../../../src/application/inspections/approve-inspection.js';
import {
  BULK_APPROVE_MAX,
  BulkApproveInspections,
} from '../../../src/application/inspections/bulk-approve-inspections.js';
import { ReviewInspection } from '../../../src/application/inspections/review-inspection.js';
import { ChangeUserRole } from '../../../src/application/users/change-user-role.js';
import type { TestActor } from '../../support/actors.js';
import { as, code, rejects, storedInspection, world, type World } from './fixtures.js';

describe('ApproveInspection and BulkApproveInspections (memory adapters)', () => {
  let w: World;
  let reviewer: TestActor;
  let inspector: TestActor;
  beforeEach(async () => {
    w = world();
    reviewer = await w.actors.create('REVIEWER');
    inspector = await w.actors.create('INSPECTOR');
  });
  afterEach(() => w.cleanup());

  const approve = (a: TestActor, id: string) => w.c.get(ApproveInspection).execute(as(a), id);
  const jobs = (inspectionId: string) =>
    w.tx(async (tx) => (await tx.reportJobStore.list({ inspectionId }, { page: 1, pageSize: 10 })).items);

  it('applies the latest change-log values, approves, keeps the history and requests the report job, in one transaction', async () => {
    const i = await storedInspection(w, inspector);
    await w.c
      .get(ReviewInspection)
      .execute(as(reviewer), i.id, { plateNumber: 'ab 9999 zz', vehicleData: { merekKendaraan: 'Daihatsu' } });
    w.clock.advance(1000);
    await w.c.get(ReviewInspection).execute(as(reviewer), i.id, {
      vehicleData: { merekKendaraan: 'Honda' },
      detailedAssessment: { testDrive: { rem: 6 } },
    });
    w.clock.advance(1000);
    const { inspection, reportJobId } = await approve(reviewer, i.id);
    expect(inspection).to.deep.include({
      status: 'APPROVED',
      reviewerId: reviewer.user.id,
      approvedAt: w.clock.now(),
      plateNumber: 'AB 9999 ZZ',
    });
    expect(inspection.vehicleData).to.deep.equal({ merekKendaraan: 'Honda', tipeKendaraan: 'Avanza', tahun: 2019 });
    expect(inspection.detailedAssessment).to.deep.equal({ testDrive: { rem: 6 } });
    expect(await w.tx((tx) => tx.inspections.findById(i.id))).to.deep.include({
      status: 'APPROVED',
      plateNumber: 'AB 9999 ZZ',
    });
    const [job] = await jobs(i.id);
    expect(job).to.deep.include({ id: reportJobId, state: 'QUEUED', stage: 'RENDER', priority: 'single' });
    expect(w.store.state.sentJobs).to.deep.equal([{ pdfJobId: reportJobId, priority: 'single' }]);
    expect(
      (await w.tx((tx) => tx.inspections.statusHistory(i.id))).map((h) => [h.fromStatus, h.toStatus, h.actorId]),
    ).to.deep.equal([['NEED_REVIEW', 'APPROVED', reviewer.user.id]]);
    const [audit] = await w.audit({ action: 'INSPECTION_APPROVED' });
    expect(audit).to.deep.include({ actorId: reviewer.user.id, entityId: i.id });
    expect(audit?.metadata).to.deep.equal({ appliedChanges: 4, reportJobId, priority: 'single' });
  });

  it('whoever recorded the inspection never approves it, even after a promotion: INSPECTION.SELF_APPROVAL', async () => {
    const i = await storedInspection(w, inspector);
    expect(await code(approve(inspector, i.id))).to.equal('INSPECTION.SELF_APPROVAL');
    const sa = await w.actors.create('SUPERADMIN');
    await w.c.get(ChangeUserRole).execute(as(sa), inspector.user.id, 'REVIEWER');
    const promoted = { ...inspector, user: { ...inspector.user, role: 'REVIEWER' as const } };
    expect(await code(approve(promoted, i.id))).to.equal('INSPECTION.SELF_APPROVAL');
    expect((await w.tx((tx) => tx.inspections.findById(i.id)))?.status).to.equal('NEED_REVIEW');
    expect(await jobs(i.id)).to.deep.equal([]);
  });

  it('only a NEED_REVIEW inspection, by a reviewer or an admin; another inspector or a customer does not see it', async () => {
    const approved = await storedInspection(w, inspector, { status: 'APPROVED' });
    expect(await code(approve(reviewer, approved.id))).to.equal('INSPECTION.INVALID_TRANSITION');
    const i = await storedInspection(w, inspector);
    expect(await code(approve(await w.actors.create('INSPECTOR'), i.id))).to.equal('INSPECTION.NOT_FOUND');
    expect(await code(approve(await w.actors.create('CUSTOMER'), i.id))).to.equal('INSPECTION.NOT_FOUND');
    expect(await code(approve(reviewer, randomUUID()))).to.equal('INSPECTION.NOT_FOUND');
    expect(await code(approve(await w.actors.create('ADMIN'), i.id))).to.equal('OK');
  });

  describe('in bulk', () => {
    const bulk = (ids: string[]) => w.c.get(BulkApproveInspections).execute(as(reviewer), ids);

    it('approves each in its own transaction with bulk priority; failures are reported per id and undo nothing else', async () => {
      const a = await storedInspection(w, inspector);
      const b = await storedInspection(w, inspector);
      const done = await storedInspection(w, inspector, { status: 'APPROVED' });
      const unknown = randomUUID();
      const results = await bulk([a.id, done.id, a.id, unknown, b.id]);
      expect(results.map((r) => [r.id, r.ok, r.ok ? r.status : r.code])).to.deep.equal([
        [a.id, true, 'APPROVED'],
        [done.id, false, 'INSPECTION.INVALID_TRANSITION'],
        [unknown, false, 'INSPECTION.NOT_FOUND'],
        [b.id, true, 'APPROVED'],
      ]);
      const first = results[0];
      expect(first?.ok && first.prettyId).to.equal(a.prettyId);
      expect((await jobs(a.id))[0]).to.deep.include({ priority: 'bulk', id: first?.ok ? first.reportJobId : 'none' });
      expect(w.store.state.sentJobs.map((j) => j.priority)).to.deep.equal(['bulk', 'bulk']);
      expect((results[1] as { message: string }).message).to.be.a('string').and.not.empty;
    });

    it('takes 1 to BULK_APPROVE_MAX distinct ids: INSPECTION.BULK_TOO_LARGE otherwise (duplicates count once)', async () => {
      await rejects(bulk([]), 'INSPECTION.BULK_TOO_LARGE');
      await rejects(
        bulk(Array.from({ length: BULK_APPROVE_MAX + 1 }, () => randomUUID())),
        'INSPECTION.BULK_TOO_LARGE',
      );
      const id = randomUUID();
      const many = [...Array.from({ length: BULK_APPROVE_MAX - 1 }, () => randomUUID()), id, id];
      expect(await bulk(many)).to.have.length(BULK_APPROVE_MAX);
    });
  });
});
