import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { ArchiveInspection } from '../../../src/application/archive/archive-inspection.js';
import { NftMinter } from '../../../src/ports/nft-minter.js';
import type { TestActor } from '../../support/actors.js';
import { as, code, storedInspection, storedReports, world, type World } from './fixtures.js';

describe('ArchiveInspection: starting a mint (memory adapters)', () => {
  let w: World;
  let admin: TestActor;
  let inspector: TestActor;
  beforeEach(async () => {
    w = world();
    admin = await w.actors.create('ADMIN');
    inspector = await w.actors.create('INSPECTOR');
  });
  afterEach(() => w.cleanup());

  const archive = (id: string, a: TestActor = admin) => w.c.get(ArchiveInspection).execute(as(a), id);
  const inspectionOf = (id: string) => w.tx((tx) => tx.inspections.findById(id));
  const jobsOf = (id: string) =>
    w.tx(async (tx) => (await tx.mintJobStore.list({ inspectionId: id }, { page: 1, pageSize: 10 })).items);
  const historyOf = (id: string) => w.tx((tx) => tx.inspections.statusHistory(id));

  it("APPROVED with both reports: ARCHIVING, a QUEUED manual mint job for the minter's asset, sent to the workers, history and audit", async () => {
    const i = await storedInspection(w, inspector, { status: 'APPROVED' });
    await storedReports(w, i.id);
    const minter = w.c.get<NftMinter>(NftMinter);
    const job = await archive(i.id);
    expect(job).to.deep.include({
      inspectionId: i.id,
      state: 'QUEUED',
      trigger: 'manual',
      policyId: minter.policyId,
      assetName: minter.assetNameFor(i.id),
      txHash: null,
      assetId: null,
    });
    expect((await inspectionOf(i.id))?.status).to.equal('ARCHIVING');
    expect(w.store.state.sentMintJobs).to.deep.equal([{ mintJobId: job.id }]);
    expect((await historyOf(i.id)).map((h) => [h.fromStatus, h.toStatus, h.actorId, h.reason])).to.deep.equal([
      ['APPROVED', 'ARCHIVING', admin.user.id, null],
    ]);
    const [audit] = await w.audit({ action: 'ARCHIVE_REQUESTED' });
    expect(audit).to.deep.include({ actorId: admin.user.id, entityId: i.id });
    expect(audit?.metadata).to.deep.equal({
      mintJobId: job.id,
      trigger: 'manual',
      from: 'APPROVED',
      assetId: `${job.policyId}${job.assetName}`,
    });
  });

  it('needs both report PDFs, the public one with its CID: ARCHIVE.REPORTS_MISSING, nothing changed', async () => {
    const none = await storedInspection(w, inspector, { status: 'APPROVED' });
    const fullOnly = await storedInspection(w, inspector, { status: 'APPROVED' });
    await storedReports(w, fullOnly.id, { variants: ['full'] });
    const noCid = await storedInspection(w, inspector, { status: 'APPROVED' });
    await storedReports(w, noCid.id, { cid: null });
    for (const i of [none, fullOnly, noCid]) {
      expect(await code(archive(i.id))).to.equal('ARCHIVE.REPORTS_MISSING');
      expect((await inspectionOf(i.id))?.status).to.equal('APPROVED');
      expect(await jobsOf(i.id)).to.deep.equal([]);
    }
    expect(await w.audit({ action: 'ARCHIVE_REQUESTED' })).to.deep.equal([]);
  });

  it('a failed archive is retried from FAIL_ARCHIVE (history reason "archive retried")', async () => {
    const i = await storedInspection(w, inspector, { status: 'FAIL_ARCHIVE' });
    await storedReports(w, i.id);
    const job = await archive(i.id);
    expect(job.state).to.equal('QUEUED');
    expect((await historyOf(i.id)).at(-1)).to.deep.include({
      fromStatus: 'FAIL_ARCHIVE',
      toStatus: 'ARCHIVING',
      reason: 'archive retried',
    });
    expect((await w.audit({ action: 'ARCHIVE_REQUESTED' }))[0]?.metadata).to.deep.include({ from: 'FAIL_ARCHIVE' });
  });

  it('the status machine and visibility decide who archives what', async () => {
    for (const status of ['NEED_REVIEW', 'ARCHIVING', 'ARCHIVED', 'DEACTIVATED'] as const) {
      const i = await storedInspection(w, inspector, { status });
      await storedReports(w, i.id);
      expect(await code(archive(i.id)), status).to.equal('INSPECTION.INVALID_TRANSITION');
    }
    const i = await storedInspection(w, inspector, { status: 'APPROVED' });
    await storedReports(w, i.id);
    expect(await code(archive(i.id, await w.actors.create('REVIEWER')))).to.equal('INSPECTION.TRANSITION_FORBIDDEN');
    expect(await code(archive(i.id, inspector))).to.equal('INSPECTION.TRANSITION_FORBIDDEN');
    expect(await code(archive(i.id, await w.actors.create('INSPECTOR')))).to.equal('INSPECTION.NOT_FOUND');
    expect(await code(archive(randomUUID()))).to.equal('INSPECTION.NOT_FOUND');
    expect(await code(archive(i.id, await w.actors.create('SUPERADMIN')))).to.equal('OK');
  });

  it('an active mint job of the inspection refuses a second one (ARCHIVE.ALREADY_IN_PROGRESS) and the status change is rolled back', async () => {
    const i = await storedInspection(w, inspector, { status: 'APPROVED' });
    await storedReports(w, i.id);
    const minter = w.c.get<NftMinter>(NftMinter);
    const active = await w.tx((tx) =>
      tx.mintJobs.enqueue(
        { inspectionId: i.id, trigger: 'auto', policyId: minter.policyId, assetName: minter.assetNameFor(i.id) },
        w.clock.now(),
      ),
    );
    expect(await code(archive(i.id))).to.equal('ARCHIVE.ALREADY_IN_PROGRESS');
    expect((await inspectionOf(i.id))?.status).to.equal('APPROVED');
    expect((await jobsOf(i.id)).map((j) => j.id)).to.deep.equal([active.id]);
    expect(await historyOf(i.id)).to.deep.equal([]);
  });

  it('an inspection minted before (then reverted) adopts its NFT: ARCHIVED at once, two history steps, no new mint job', async () => {
    const i = await storedInspection(w, inspector, { status: 'APPROVED' });
    await storedReports(w, i.id);
    const minter = w.c.get<NftMinter>(NftMinter);
    const txHash = 'ab'.repeat(32);
    const assetId = `${minter.policyId}${minter.assetNameFor(i.id)}`;
    const minted = await w.tx(async (tx) => {
      const j = await tx.mintJobs.enqueue(
        { inspectionId: i.id, trigger: 'manual', policyId: minter.policyId, assetName: minter.assetNameFor(i.id) },
        w.clock.now(),
      );
      await tx.mintJobStore.markSubmitted(j.id, { hash: txHash, cbor: null, inputs: [] }, w.clock.now());
      await tx.mintJobStore.confirm(j.id, { txHash, assetId, confirmations: 3 }, w.clock.now());
      return j;
    });
    w.clock.advance(60_000);
    const job = await archive(i.id);
    expect(job).to.deep.include({ id: minted.id, state: 'CONFIRMED', txHash, assetId });
    expect(await inspectionOf(i.id)).to.deep.include({
      status: 'ARCHIVED',
      nftAssetId: assetId,
      blockchainTxHash: txHash,
      archivedAt: w.clock.now(),
    });
    expect(await jobsOf(i.id)).to.have.length(1);
    const history = await historyOf(i.id);
    expect(history.map((h) => [h.fromStatus, h.toStatus, h.reason])).to.deep.equal([
      ['APPROVED', 'ARCHIVING', null],
      ['ARCHIVING', 'ARCHIVED', 'already minted: the existing NFT is kept'],
    ]);
    expect(history[1]?.createdAt.getTime()).to.equal(w.clock.now().getTime() + 1);
    expect((await w.audit({ action: 'ARCHIVE_REQUESTED' }))[0]?.metadata).to.deep.equal({
      mintJobId: minted.id,
      trigger: 'manual',
      from: 'APPROVED',
      assetId,
      adoptedExistingNft: true,
    });
  });
});
