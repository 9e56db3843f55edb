import { expect } from 'chai';
import { ContainerModule } from 'inversify';
import { ConfirmMints } from '../../../src/application/archive/confirm-mints.js';
import type { MintJob } from '../../../src/domain/archive/mint-job.js';
import { ChainErrors, type TxStatus } from '../../../src/domain/chain/chain.js';
import type { Inspection } from '../../../src/domain/inspection/inspection.js';
import { Chain } from '../../../src/ports/chain.js';
import { NftMinter } from '../../../src/ports/nft-minter.js';
import type { TestActor } from '../../support/actors.js';
import { storedInspection, world, type World } from './fixtures.js';

/** A chain whose answers about transactions the test writes; nothing else is asked by the watcher. */
class ScriptedChain implements Chain {
  readonly network = 'emulator';
  readonly answers = new Map<string, TxStatus | Error>();
  readonly asked: string[] = [];
  async txStatus(txHash: string): Promise<TxStatus> {
    this.asked.push(txHash);
    const a = this.answers.get(txHash) ?? { state: 'unknown', confirmations: 0 };
    if (a instanceof Error) throw a;
    return a;
  }
  protocolParameters(): never {
    throw new Error('not used by the watcher');
  }
  utxosAt(): never {
    throw new Error('not used by the watcher');
  }
  submit(): never {
    throw new Error('not used by the watcher');
  }
  assetMint(): never {
    throw new Error('not used by the watcher');
  }
}

describe('ConfirmMints: the confirmation watcher (memory adapters, scripted chain)', () => {
  let w: World;
  let chain: ScriptedChain;
  let inspector: TestActor;
  beforeEach(async () => {
    chain = new ScriptedChain();
    w = world({
      env: { MINT_CONFIRMATIONS: '3', MINT_CONFIRM_TIMEOUT_MS: '300000', MINT_STUCK_ALERT_MINUTES: '10' },
      overrides: [new ContainerModule(({ rebind }) => void rebind<Chain>(Chain).toConstantValue(chain))],
    });
    inspector = await w.actors.create('INSPECTOR');
  });
  afterEach(() => w.cleanup());

  let n = 0;
  /** An ARCHIVING inspection whose mint job is SUBMITTED with a transaction hash, its inputs leased. */
  async function submitted(
    status: Inspection['status'] = 'ARCHIVING',
    origin?: MintJob['origin'],
  ): Promise<{ i: Inspection; job: MintJob; txHash: string }> {
    const i = await storedInspection(w, inspector, { status });
    const minter = w.c.get<NftMinter>(NftMinter);
    const txHash = (++n).toString(16).padStart(64, 'a');
    const job = await w.tx(async (tx) => {
      const j = await tx.mintJobs.enqueue(
        {
          inspectionId: i.id,
          trigger: 'manual',
          policyId: minter.policyId,
          assetName: minter.assetNameFor(i.id),
          ...(origin ? { origin } : {}),
        },
        w.clock.now(),
      );
      await tx.utxoLeases.lease([`${txHash}#0`], j.id, new Date(w.clock.now().getTime() + 3600_000), w.clock.now(), 1);
      expect(
        await tx.mintJobStore.markSubmitted(
          j.id,
          { hash: txHash, cbor: '84a4', inputs: [`${txHash}#0`] },
          w.clock.now(),
        ),
      ).to.equal(true);
      return (await tx.mintJobStore.find(j.id)) as MintJob;
    });
    return { i, job, txHash };
  }
  const tick = () => w.c.get(ConfirmMints).tick();
  const jobOf = (id: string) => w.tx((tx) => tx.mintJobStore.find(id));
  const inspectionOf = (id: string) => w.tx((tx) => tx.inspections.findById(id));

  it('with enough confirmations: the job CONFIRMED, the inspection ARCHIVED with asset and transaction, leases released, audited', async () => {
    const { i, job, txHash } = await submitted();
    chain.answers.set(txHash, { state: 'confirmed', confirmations: 3 });
    w.clock.advance(120_000);
    expect(await tick()).to.deep.equal({ checked: 1, confirmed: 1, rebuilt: 0, stuck: 0 });
    const assetId = `${job.policyId}${job.assetName}`;
    expect(await jobOf(job.id)).to.deep.include({ state: 'CONFIRMED', txHash, assetId, confirmations: 3 });
    expect(await inspectionOf(i.id)).to.deep.include({
      status: 'ARCHIVED',
      nftAssetId: assetId,
      blockchainTxHash: txHash,
      archivedAt: w.clock.now(),
    });
    expect(
      (await w.tx((tx) => tx.inspections.statusHistory(i.id))).map((h) => [h.fromStatus, h.toStatus, h.actorId]),
    ).to.deep.equal([['ARCHIVING', 'ARCHIVED', null]]);
    expect(await w.tx((tx) => tx.utxoLeases.leased(w.clock.now()))).to.deep.equal(new Set());
    expect((await w.audit({ action: 'NFT_MINTED' }))[0]?.metadata).to.deep.equal({
      mintJobId: job.id,
      txHash,
      assetId,
      confirmations: 3,
    });
    expect(await tick(), 'nothing left to watch').to.deep.equal({ checked: 0, confirmed: 0, rebuilt: 0, stuck: 0 });
  });

  it('confirms each job in the context of its origin: the audit rows name the request that asked for the mint', async () => {
    const { i, txHash } = await submitted('ARCHIVING', { requestId: 'approve-77' });
    const other = await submitted();
    chain.answers.set(txHash, { state: 'confirmed', confirmations: 3 });
    chain.answers.set(other.txHash, { state: 'confirmed', confirmations: 3 });
    expect((await tick()).confirmed).to.equal(2);
    const minted = await w.audit({ action: 'NFT_MINTED' });
    expect(minted.find((a) => a.entityId === i.id)?.requestId).to.equal('approve-77');
    expect(minted.find((a) => a.entityId === other.i.id)?.requestId, 'no origin recorded: none').to.equal(null);
  });

  it('with fewer confirmations: only the count is saved', async () => {
    const { i, job, txHash } = await submitted();
    chain.answers.set(txHash, { state: 'confirmed', confirmations: 1 });
    expect(await tick()).to.deep.equal({ checked: 1, confirmed: 0, rebuilt: 0, stuck: 0 });
    expect(await jobOf(job.id)).to.deep.include({ state: 'SUBMITTED', confirmations: 1, txHash: null, assetId: null });
    expect((await inspectionOf(i.id))?.status).to.equal('ARCHIVING');
  });

  it('a confirmed mint of an inspection no longer ARCHIVING records the token but leaves the inspection alone', async () => {
    const { i, job, txHash } = await submitted('APPROVED');
    chain.answers.set(txHash, { state: 'confirmed', confirmations: 5 });
    expect((await tick()).confirmed).to.equal(1);
    expect((await jobOf(job.id))?.state).to.equal('CONFIRMED');
    expect(await inspectionOf(i.id)).to.deep.include({ status: 'APPROVED', nftAssetId: null });
    expect(await w.audit({ action: 'NFT_MINTED' })).to.have.length(1);
  });

  it('a transaction not seen within the timeout is sent back to be rebuilt (resent to the workers); before that it waits', async () => {
    const { job } = await submitted();
    w.clock.advance(299_000);
    expect(await tick()).to.deep.equal({ checked: 1, confirmed: 0, rebuilt: 0, stuck: 0 });
    expect((await jobOf(job.id))?.state).to.equal('SUBMITTED');
    const sent = w.store.state.sentMintJobs.length;
    w.clock.advance(1_000);
    expect(await tick()).to.deep.equal({ checked: 1, confirmed: 0, rebuilt: 1, stuck: 0 });
    const after = await jobOf(job.id);
    expect(after).to.deep.include({
      state: 'QUEUED',
      pendingTxHash: job.pendingTxHash,
      lastErrorCode: 'CHAIN.TX_VANISHED',
    });
    expect(after?.lastError).to.contain('was not seen on chain within 300 s');
    expect(w.store.state.sentMintJobs.slice(sent)).to.deep.equal([{ mintJobId: job.id }]);
  });

  it('a transaction that was seen in a block and is gone again (a rollback) is rebuilt at once', async () => {
    const { job, txHash } = await submitted();
    chain.answers.set(txHash, { state: 'confirmed', confirmations: 1 });
    await tick();
    chain.answers.set(txHash, { state: 'unknown', confirmations: 0 });
    expect((await tick()).rebuilt).to.equal(1);
    expect((await jobOf(job.id))?.lastError).to.contain('was rolled back after it had been seen in a block');
  });

  it('a mint SUBMITTED for longer than the alert time, still pending, alerts operators (MINT_STUCK) and stays', async () => {
    const { job, txHash } = await submitted();
    chain.answers.set(txHash, { state: 'pending', confirmations: 0 });
    w.clock.advance(9 * 60_000);
    expect((await tick()).stuck).to.equal(0);
    w.clock.advance(60_000);
    expect(await tick()).to.deep.equal({ checked: 1, confirmed: 0, rebuilt: 0, stuck: 1 });
    expect(w.alerts).to.have.length(1);
    expect(w.alerts[0]).to.deep.include({ kind: 'MINT_STUCK', severity: 'warning', key: job.id });
    expect(w.alerts[0]?.details).to.deep.include({ mintJobId: job.id, txHash, state: 'pending', confirmations: 0 });
    expect((await jobOf(job.id))?.state).to.equal('SUBMITTED');
  });

  it('one chain error does not stop the round: the other jobs are still checked', async () => {
    const a = await submitted();
    const b = await submitted();
    chain.answers.set(a.txHash, ChainErrors.unavailable('blockfrost 503'));
    chain.answers.set(b.txHash, { state: 'confirmed', confirmations: 3 });
    expect(await tick()).to.deep.equal({ checked: 2, confirmed: 1, rebuilt: 0, stuck: 0 });
    expect((await jobOf(a.job.id))?.state).to.equal('SUBMITTED');
    expect((await jobOf(b.job.id))?.state).to.equal('CONFIRMED');
    expect(chain.asked).to.have.members([a.txHash, b.txHash]);
  });
});
