import { expect } from 'chai';
import { enqueuePinChecks, PIN_CHECK_DRIVER, PublicArchive } from '../../../src/application/archive/public-archive.js';
import type { InspectionStatus } from '../../../src/domain/inspection/status.js';
import type { TestActor } from '../../support/actors.js';
import { DAY, FakeIpfs, publishedReports, storedInspection, storedReports, world, type World } from './fixtures.js';

describe('PublicArchive: what is public on IPFS, and the pin sweeper (memory adapters, in-memory IPFS)', () => {
  let w: World;
  let inspector: TestActor;
  let archive: PublicArchive;
  beforeEach(async () => {
    w = world();
    inspector = await w.actors.create('INSPECTOR');
    archive = w.c.get(PublicArchive);
  });
  afterEach(() => w.cleanup());

  const published = async (status: InspectionStatus) => {
    const i = await storedInspection(w, inspector, { status });
    return { i, cid: await publishedReports(w, i.id) };
  };
  const checks = () =>
    w.tx((tx) => tx.deletions.due(new Date(w.clock.now().getTime() + 365 * DAY), 100, PIN_CHECK_DRIVER));
  const enqueue = (...cids: string[]) => w.tx((tx) => enqueuePinChecks(tx, cids, w.clock.now()));

  it('publishes the public report of an inspection in a published status only', async () => {
    for (const status of ['APPROVED', 'ARCHIVING', 'ARCHIVED', 'FAIL_ARCHIVE'] as const) {
      const { i, cid } = await published(status);
      expect(await archive.publishedReport(cid), status).to.deep.include({
        inspectionId: i.id,
        variant: 'no-docs',
        ipfsCid: cid,
      });
    }
    for (const status of ['NEED_REVIEW', 'DEACTIVATED'] as const) {
      const { cid } = await published(status);
      expect(await archive.isPublished(cid), status).to.equal(false);
    }
    expect(await archive.publishedReport(FakeIpfs.cidOf(Buffer.from('never added')))).to.equal(null);
  });

  it('a CID named only by a private (full) report is never published', async () => {
    const i = await storedInspection(w, inspector, { status: 'ARCHIVED' });
    const cid = FakeIpfs.cidOf(Buffer.from('legacy full report'));
    await storedReports(w, i.id, { cid: null });
    await w.tx(async (tx) => {
      const full = (await tx.reports.listForInspection(i.id)).find((r) => r.variant === 'full');
      await tx.reports.upsert({ ...(full as NonNullable<typeof full>), ipfsCid: cid });
    });
    expect(await archive.isPublished(cid)).to.equal(false);
  });

  it('a CID shared by two inspections stays published while one of them publishes it', async () => {
    const a = await storedInspection(w, inspector, { status: 'DEACTIVATED' });
    const b = await storedInspection(w, inspector, { status: 'ARCHIVED' });
    const cid = FakeIpfs.cidOf(Buffer.from('identical bytes'));
    await storedReports(w, a.id, { cid });
    await storedReports(w, b.id, { cid });
    expect((await archive.publishedReport(cid))?.inspectionId).to.equal(b.id);
    await w.tx((tx) => tx.inspections.update(b.id, { status: 'NEED_REVIEW' }, w.clock.now()));
    expect(await archive.isPublished(cid)).to.equal(false);
  });

  describe('reconcile', () => {
    it('unpins what is not published, keeps what is pinned, re-adds from storage what is missing', async () => {
      const hidden = await published('DEACTIVATED');
      expect(await archive.reconcile(hidden.cid)).to.equal('unpinned');
      expect(w.ipfs.pins.has(hidden.cid)).to.equal(false);
      expect(await archive.reconcile(hidden.cid), 'unpinning again is harmless').to.equal('unpinned');
      const shown = await published('ARCHIVED');
      expect(await archive.reconcile(shown.cid)).to.equal('kept');
      w.ipfs.pins.delete(shown.cid);
      w.ipfs.blocks.delete(shown.cid);
      expect(await archive.reconcile(shown.cid)).to.equal('pinned');
      expect(w.ipfs.pins.has(shown.cid)).to.equal(true);
      expect(w.ipfs.blocks.get(shown.cid)?.toString()).to.equal(`%PDF-1.7 public report of ${shown.i.id}`);
    });

    it('a re-add that gives another CID (other CID version or chunking) fails loudly and leaves no stray pin', async () => {
      const shown = await published('ARCHIVED');
      w.ipfs.pins.delete(shown.cid);
      w.ipfs.addAs = 'bafkanotherversion';
      const e = await archive.reconcile(shown.cid).then(
        () => expect.fail('the re-add should fail'),
        (err: Error) => err,
      );
      expect(e.message).to.contain('bafkanotherversion').and.to.contain(shown.cid).and.to.contain('IPFS_CID_VERSION');
      expect(w.ipfs.pins.has('bafkanotherversion')).to.equal(false);
      expect(w.ipfs.pins.has(shown.cid)).to.equal(false);
    });
  });

  describe('sweep', () => {
    it('carries out every due pin check once and forgets it', async () => {
      const hidden = await published('NEED_REVIEW');
      const shown = await published('ARCHIVED');
      await enqueue(hidden.cid, shown.cid, hidden.cid);
      expect(await checks(), 'one check per CID').to.have.length(2);
      expect(await archive.sweep()).to.deep.equal({ done: 2, failed: 0 });
      expect(await checks()).to.deep.equal([]);
      expect(w.ipfs.pins.has(hidden.cid)).to.equal(false);
      expect(w.ipfs.pins.has(shown.cid)).to.equal(true);
    });

    it('postpones a failed check with a doubling backoff, and only touches pin checks', async () => {
      const { cid } = await published('DEACTIVATED');
      await enqueue(cid);
      await w.tx((tx) => tx.deletions.enqueue([{ driver: 'fs', key: 'inspections/x/photos/y.jpg' }], w.clock.now()));
      w.ipfs.failing = new Error('ipfs down');
      expect(await archive.sweep()).to.deep.equal({ done: 0, failed: 1 });
      expect((await checks())[0]).to.deep.include({
        key: cid,
        attempts: 1,
        lastError: 'ipfs down',
        nextAttemptAt: new Date(w.clock.now().getTime() + 60_000),
      });
      expect(await archive.sweep(), 'not due yet').to.deep.equal({ done: 0, failed: 0 });
      w.clock.advance(60_000);
      expect(await archive.sweep()).to.deep.equal({ done: 0, failed: 1 });
      expect((await checks())[0]).to.deep.include({
        attempts: 2,
        nextAttemptAt: new Date(w.clock.now().getTime() + 120_000),
      });
      w.ipfs.failing = undefined;
      w.clock.advance(120_000);
      expect(await archive.sweep()).to.deep.equal({ done: 1, failed: 0 });
      expect(w.ipfs.pins.has(cid)).to.equal(false);
      expect(
        (await w.tx((tx) => tx.deletions.due(w.clock.now(), 10, 'fs'))).map((d) => d.key),
        "file deletions are the ObjectDeleter's",
      ).to.deep.equal(['inspections/x/photos/y.jpg']);
    });
  });
});
