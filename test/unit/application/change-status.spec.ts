import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { PIN_CHECK_DRIVER } from '../../../src/application/archive/public-archive.js';
import { ChangeInspectionStatus } from '../../../src/application/inspections/change-status.js';
import type { InspectionStatus } from '../../../src/domain/inspection/status.js';
import type { TestActor } from '../../support/actors.js';
import { as, code, DAY, publishedReports, rejects, storedInspection, world, type World } from './fixtures.js';

describe('ChangeInspectionStatus: deactivate, activate, reverts and their pin checks (memory adapters, in-memory IPFS)', () => {
  let w: World;
  let sa: TestActor;
  let admin: TestActor;
  let reviewer: TestActor;
  let inspector: TestActor;

  beforeEach(async () => {
    w = world();
    sa = await w.actors.create('SUPERADMIN');
    admin = await w.actors.create('ADMIN');
    reviewer = await w.actors.create('REVIEWER');
    inspector = await w.actors.create('INSPECTOR');
  });
  afterEach(() => w.cleanup());

  const change = (a: TestActor, id: string, to: InspectionStatus, reason: string | null = null) =>
    w.c.get(ChangeInspectionStatus).execute(as(a), id, to, reason);
  const pendingPinChecks = () =>
    w.tx((tx) => tx.deletions.due(new Date(w.clock.now().getTime() + 365 * DAY), 100, PIN_CHECK_DRIVER));
  const historyOf = (id: string) => w.tx((tx) => tx.inspections.statusHistory(id));

  it('deactivating an archived inspection unpins its public report after the commit; the move is kept with its reason and audited', async () => {
    const i = await storedInspection(w, inspector, { status: 'ARCHIVED' });
    const cid = await publishedReports(w, i.id);
    const updated = await change(admin, i.id, 'DEACTIVATED', '  customer asked  ');
    expect(updated.status).to.equal('DEACTIVATED');
    expect(w.ipfs.pins.has(cid)).to.equal(false);
    expect(await pendingPinChecks(), 'the pin check was carried out').to.deep.equal([]);
    expect((await historyOf(i.id)).at(-1)).to.deep.include({
      fromStatus: 'ARCHIVED',
      toStatus: 'DEACTIVATED',
      actorId: admin.user.id,
      reason: 'customer asked',
    });
    const [audit] = await w.audit({ action: 'INSPECTION_STATUS_CHANGED', entityId: i.id });
    expect(audit?.actorId).to.equal(admin.user.id);
    expect(audit?.metadata).to.deep.include({ from: 'ARCHIVED', to: 'DEACTIVATED', kind: 'DEACTIVATE' });
  });

  it('activating re-adds the public report from object storage and pins it again', async () => {
    const i = await storedInspection(w, inspector, { status: 'ARCHIVED' });
    const cid = await publishedReports(w, i.id);
    await change(admin, i.id, 'DEACTIVATED');
    w.ipfs.blocks.clear();
    const updated = await change(admin, i.id, 'ARCHIVED');
    expect(updated.status).to.equal('ARCHIVED');
    expect(w.ipfs.pins.has(cid)).to.equal(true);
    expect(w.ipfs.calls.slice(-2)).to.deep.equal([`isPinned ${cid}`, `add ${cid}`]);
    expect((await historyOf(i.id)).at(-1)).to.deep.include({
      fromStatus: 'DEACTIVATED',
      toStatus: 'ARCHIVED',
      reason: null,
    });
  });

  it('a SUPERADMIN reverts to review with a reason: reviewer and approval cleared, the report withdrawn from IPFS', async () => {
    const i = await storedInspection(w, inspector, { status: 'ARCHIVED' });
    await w.tx((tx) => tx.inspections.update(i.id, { reviewerId: reviewer.user.id }, w.clock.now()));
    const cid = await publishedReports(w, i.id);
    await rejects(change(sa, i.id, 'NEED_REVIEW', '   '), 'INSPECTION.REASON_REQUIRED');
    expect(w.ipfs.pins.has(cid), 'a refused revert changes nothing').to.equal(true);
    const reverted = await change(sa, i.id, 'NEED_REVIEW', 'wrong odometer');
    expect(reverted).to.deep.include({ status: 'NEED_REVIEW', reviewerId: null, approvedAt: null });
    expect(w.ipfs.pins.has(cid)).to.equal(false);
    expect((await w.audit({ action: 'INSPECTION_STATUS_CHANGED' }))[0]?.metadata).to.deep.include({
      kind: 'REVERT',
      from: 'ARCHIVED',
      to: 'NEED_REVIEW',
    });
  });

  it('a revert to APPROVED keeps the reviewer, the approval and the published report', async () => {
    const i = await storedInspection(w, inspector, { status: 'FAIL_ARCHIVE' });
    await w.tx((tx) => tx.inspections.update(i.id, { reviewerId: reviewer.user.id }, w.clock.now()));
    const cid = await publishedReports(w, i.id);
    const reverted = await change(sa, i.id, 'APPROVED', 'retry later');
    expect(reverted).to.deep.include({ status: 'APPROVED', reviewerId: reviewer.user.id });
    expect(reverted.approvedAt).to.be.instanceOf(Date);
    expect(w.ipfs.pins.has(cid)).to.equal(true);
    expect(w.ipfs.calls).to.deep.equal([`isPinned ${cid}`]);
  });

  it('the status machine decides: unknown moves 409, moves of other roles 403', async () => {
    const archived = await storedInspection(w, inspector, { status: 'ARCHIVED' });
    const archiving = await storedInspection(w, inspector, { status: 'ARCHIVING' });
    const review = await storedInspection(w, inspector);
    expect(await code(change(admin, review.id, 'ARCHIVED'))).to.equal('INSPECTION.INVALID_TRANSITION');
    expect(await code(change(sa, archiving.id, 'NEED_REVIEW', 'mint in flight'))).to.equal(
      'INSPECTION.INVALID_TRANSITION',
    );
    expect(await code(change(sa, archived.id, 'ARCHIVED'))).to.equal('INSPECTION.INVALID_TRANSITION');
    expect(await code(change(admin, archived.id, 'NEED_REVIEW', 'a reason'))).to.equal(
      'INSPECTION.TRANSITION_FORBIDDEN',
    );
    expect(await code(change(reviewer, archived.id, 'DEACTIVATED'))).to.equal('INSPECTION.TRANSITION_FORBIDDEN');
    expect(await code(change(admin, archiving.id, 'ARCHIVED')), 'only the system confirms a mint').to.equal(
      'INSPECTION.TRANSITION_FORBIDDEN',
    );
    expect(
      await code(change(inspector, archived.id, 'DEACTIVATED')),
      'the inspector sees their own, may not move it',
    ).to.equal('INSPECTION.TRANSITION_FORBIDDEN');
    expect(await historyOf(archived.id), 'refusals write no history').to.deep.equal([]);
    expect(await w.audit({ action: 'INSPECTION_STATUS_CHANGED' })).to.deep.equal([]);
  });

  it('an inspection the caller may not see, or none, is INSPECTION.NOT_FOUND', async () => {
    const otherInspector = await w.actors.create('INSPECTOR');
    const customer = await w.actors.create('CUSTOMER');
    const archived = await storedInspection(w, inspector, { status: 'ARCHIVED' });
    expect(await code(change(otherInspector, archived.id, 'DEACTIVATED'))).to.equal('INSPECTION.NOT_FOUND');
    expect(await code(change(customer, archived.id, 'DEACTIVATED'))).to.equal('INSPECTION.NOT_FOUND');
    expect(await code(change(admin, randomUUID(), 'DEACTIVATED'))).to.equal('INSPECTION.NOT_FOUND');
  });

  it('an IPFS outage does not fail the change: the pin check stays pending with its error and a backoff', async () => {
    const i = await storedInspection(w, inspector, { status: 'ARCHIVED' });
    const cid = await publishedReports(w, i.id);
    w.ipfs.failing = new Error('connect ECONNREFUSED 127.0.0.1:5001');
    expect((await change(admin, i.id, 'DEACTIVATED')).status).to.equal('DEACTIVATED');
    const [pending] = await pendingPinChecks();
    expect(pending).to.deep.include({
      driver: PIN_CHECK_DRIVER,
      key: cid,
      attempts: 1,
      lastError: 'connect ECONNREFUSED 127.0.0.1:5001',
    });
    expect(pending?.nextAttemptAt.getTime()).to.equal(w.clock.now().getTime() + 60_000);
    w.ipfs.failing = undefined;
    w.clock.advance(60_000);
    await change(admin, i.id, 'ARCHIVED');
    expect(await pendingPinChecks(), 'both checks ran once the node was back').to.deep.equal([]);
    expect(w.ipfs.pins.has(cid)).to.equal(true);
  });

  it('an inspection without reports moves without any IPFS call', async () => {
    const i = await storedInspection(w, inspector, { status: 'ARCHIVED' });
    await change(admin, i.id, 'DEACTIVATED');
    expect(w.ipfs.calls).to.deep.equal([]);
  });
});
