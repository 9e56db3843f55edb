import { expect } from 'chai';
import {
  WithdrawPrivateCids,
  withdrawProgressLine,
  type CidRecord,
  type NftRecord,
  type WithdrawSummary,
} from '../../../src/application/archive/withdraw-private-cids.js';
import type { Inspection } from '../../../src/domain/inspection/inspection.js';
import { NftMinter } from '../../../src/ports/nft-minter.js';
import type { TestActor } from '../../support/actors.js';
import { FakeIpfs, storedInspection, storedReports, world, type World } from './fixtures.js';

describe('WithdrawPrivateCids: taking private reports off IPFS (memory adapters, in-memory IPFS)', () => {
  let w: World;
  let inspector: TestActor;
  beforeEach(async () => {
    w = world();
    inspector = await w.actors.create('INSPECTOR');
  });
  afterEach(() => w.cleanup());

  /** An inspection from the time both variants went to IPFS: the full report names a CID, pinned. */
  async function legacy(pinned = true): Promise<{ i: Inspection; cid: string }> {
    const i = await storedInspection(w, inspector, { status: 'ARCHIVED' });
    await storedReports(w, i.id);
    const cid = FakeIpfs.cidOf(Buffer.from(`full report ${i.id}`));
    await w.tx(async (tx) => {
      const full = (await tx.reports.listForInspection(i.id)).find((r) => r.variant === 'full');
      await tx.reports.upsert({ ...(full as NonNullable<typeof full>), ipfsCid: cid });
    });
    if (pinned) w.ipfs.pins.add(cid);
    return { i, cid };
  }
  async function run(dryRun = false, pageSize?: number) {
    const records: Array<CidRecord | NftRecord> = [];
    const progress: WithdrawSummary[] = [];
    const summary = await w.c
      .get(WithdrawPrivateCids)
      .run({ dryRun, pageSize, onRecord: (r, s) => void (records.push(r), progress.push(s)) });
    return { summary, records, progress };
  }
  const fullCid = async (i: Inspection) =>
    (await w.tx((tx) => tx.reports.listForInspection(i.id))).find((r) => r.variant === 'full')?.ipfsCid;

  it('a dry run lists what it would unpin and changes nothing', async () => {
    const a = await legacy();
    const b = await legacy(false);
    const { summary, records } = await run(true);
    expect(summary).to.deep.equal({ cids: 2, unpinned: 0, wouldUnpin: 2, failed: 0, nfts: 0 });
    expect(records.map((r) => (r as CidRecord).outcome)).to.deep.equal(['would-unpin', 'would-unpin']);
    expect(records.find((r) => (r as CidRecord).cid === a.cid)).to.deep.include({
      kind: 'cid',
      inspectionId: a.i.id,
      variant: 'full',
      wasPinned: true,
    });
    expect(records.find((r) => (r as CidRecord).cid === b.cid)).to.deep.include({ wasPinned: false });
    expect(w.ipfs.pins.has(a.cid)).to.equal(true);
    expect(await fullCid(a.i)).to.equal(a.cid);
    expect(await w.audit({ action: 'REPORT_CID_WITHDRAWN' })).to.deep.equal([]);
  });

  it('unpins each private CID, forgets it with an audit row, and leaves the public reports alone; a second run has nothing to do', async () => {
    const items = [await legacy(), await legacy(), await legacy()];
    const { summary, records, progress } = await run(false, 2);
    expect(summary).to.deep.equal({ cids: 3, unpinned: 3, wouldUnpin: 0, failed: 0, nfts: 0 });
    expect(progress.map((p) => p.cids)).to.deep.equal([1, 2, 3]);
    expect(records.map((r) => (r as CidRecord).inspectionId)).to.have.members(items.map((x) => x.i.id));
    for (const { i, cid } of items) {
      expect(w.ipfs.pins.has(cid)).to.equal(false);
      expect(await fullCid(i)).to.equal(null);
      expect(
        (await w.tx((tx) => tx.reports.listForInspection(i.id))).find((r) => r.variant === 'no-docs')?.ipfsCid,
        'the public CID stays',
      ).to.be.a('string');
    }
    const audits = await w.audit({ action: 'REPORT_CID_WITHDRAWN' });
    expect(audits.map((a) => [a.actorId, a.entityId])).to.have.deep.members(items.map((x) => [null, x.i.id]));
    expect(audits[0]?.metadata).to.deep.include({ variant: 'full', wasPinned: true });
    expect((await run()).summary).to.deep.equal({ cids: 0, unpinned: 0, wouldUnpin: 0, failed: 0, nfts: 0 });
    expect(withdrawProgressLine(summary, 3)).to.equal(
      '3/3 private CIDs: unpinned 3, dry-run 0, failed 0; NFTs naming one: 0',
    );
  });

  it('a failed unpin is reported and keeps the CID for the next run; a node that cannot say whether it pins gives wasPinned null', async () => {
    const { i, cid } = await legacy();
    w.ipfs.failing = new Error('ipfs down');
    const first = await run();
    expect(first.summary).to.deep.include({ cids: 1, failed: 1, unpinned: 0 });
    expect(first.records[0]).to.deep.include({ outcome: 'failed', error: 'ipfs down', wasPinned: null });
    expect(await fullCid(i)).to.equal(cid);
    w.ipfs.failOnly = 'isPinned';
    const second = await run();
    expect(second.records[0]).to.deep.include({ outcome: 'unpinned', wasPinned: null });
    expect(await fullCid(i)).to.equal(null);
  });

  it('lists minted NFTs whose on-chain metadata names a private CID (they cannot be changed, only reported)', async () => {
    const minter = w.c.get<NftMinter>(NftMinter);
    const mint = async (pdf: unknown[]) => {
      const i = await storedInspection(w, inspector, { status: 'ARCHIVED' });
      return w.tx(async (tx) => {
        const j = await tx.mintJobs.enqueue(
          { inspectionId: i.id, trigger: 'manual', policyId: minter.policyId, assetName: minter.assetNameFor(i.id) },
          w.clock.now(),
        );
        await tx.mintJobStore.saveMetadata(j.id, { name: 'x', pdf }, w.clock.now());
        await tx.mintJobStore.markSubmitted(j.id, { hash: 'cd'.repeat(32), cbor: null, inputs: [] }, w.clock.now());
        await tx.mintJobStore.confirm(
          j.id,
          {
            txHash: i.id.replace(/-/g, '').padEnd(64, '0'),
            assetId: `${minter.policyId}${minter.assetNameFor(i.id)}`,
            confirmations: 3,
          },
          w.clock.now(),
        );
        return { i, job: j };
      });
    };
    const leaky = await mint([
      { variant: 'full', alg: 'sha256', hash: 'ab'.repeat(32), cid: 'bafkfullcid' },
      { variant: 'no-docs', alg: 'sha256', hash: 'cd'.repeat(32), cid: 'bafkpubliccid' },
    ]);
    await mint([
      { variant: 'full', alg: 'sha256', hash: 'ab'.repeat(32) },
      { variant: 'no-docs', alg: 'sha256', hash: 'cd'.repeat(32), cid: 'bafkpubliccid2' },
    ]);
    const { summary, records } = await run();
    expect(summary.nfts).to.equal(1);
    expect(records).to.have.length(1);
    expect(records[0]).to.deep.include({
      kind: 'nft',
      inspectionId: leaky.i.id,
      mintJobId: leaky.job.id,
      assetId: `${minter.policyId}${minter.assetNameFor(leaky.i.id)}`,
    });
    expect((records[0] as NftRecord).privateCids).to.deep.equal([{ variant: 'full', cid: 'bafkfullcid' }]);
  });
});
