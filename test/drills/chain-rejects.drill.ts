/**
 * Drill 5, the chain refuses the mint through the real mint worker: the Chain port is rebound to the ledger
 * emulator behind a wrapper whose first submit answers CHAIN.UTXO_BUSY (retryable: pg-boss retries it) and
 * whose second answers CHAIN.REJECTED (fatal): the mint job ends FAILED with that error, the inspection
 * FAIL_ARCHIVE, the wallet inputs are released, an operator gets a JOB_FAILED alert, nothing reached the chain.
 */
import { expect } from 'chai';
import path from 'node:path';
import { ContainerModule } from 'inversify';
import { EmulatorChain } from '../../src/adapters/cardano/emulator-chain.js';
import { findChromium } from '../../src/adapters/pdf/chromium-path.js';
import { MINT_QUEUE } from '../../src/adapters/queue/pg-boss-bus.js';
import { ChainErrors } from '../../src/domain/chain/chain.js';
import { Tokens } from '../../src/main/tokens.js';
import { Chain } from '../../src/ports/chain.js';
import { NftMinter } from '../../src/ports/nft-minter.js';
import { Actors } from '../support/actors.js';
import { FaultyChain } from './support/faults.js';
import { logLines, startRig, until, type Rig } from './support/harness.js';
import { drillSummary, seconds } from './support/size.js';

const REJECTION = 'ValueNotConservedUTxO (consumed 100000000, produced 99812345)';

describe('drill: the chain answers UTXO_BUSY, then REJECTED, to a mint', function () {
  this.timeout(120_000);
  let rig: Rig;
  let chain: FaultyChain;

  before(async function () {
    if (!findChromium(process.env.CHROMIUM_PATH)) this.skip();
    const overrides = (dir: string) => [
      new ContainerModule(({ rebind }) => {
        rebind<Chain>(Chain)
          .toDynamicValue((ctx) => {
            const config = ctx.get(Tokens.Config);
            const e = config.chain.emulator;
            chain = new FaultyChain(
              new EmulatorChain({
                dir: path.join(dir, 'chain'),
                fundedAddress: ctx.get<NftMinter>(NftMinter).walletAddress,
                utxoCount: e.utxos,
                lovelacePerUtxo: e.lovelacePerUtxo,
                blockIntervalMs: e.blockMs,
              }),
            );
            chain.failSubmits = [
              ChainErrors.utxoBusy('the input was spent meanwhile'),
              ChainErrors.rejected(REJECTION),
            ];
            return chain;
          })
          .inSingletonScope();
      }),
    ];
    rig = await startRig({ env: { MINT_JOB_RETRY_LIMIT: '5' }, overrides });
  });
  after(async () => {
    await rig?.stop();
  });

  it('retries the busy input, fails for good on the rejection: FAILED, FAIL_ARCHIVE, clear error, JOB_FAILED alert', async () => {
    const [made] = await rig.createInspections(1, 2);
    const id = made?.id as string;
    const t0 = Date.now();
    await rig.bulkApprove([id]);
    const job = () => rig.knex('mint_jobs').where({ inspection_id: id }).first();
    await until(async () => (await job())?.state === 'FAILED', 90_000, 'the mint job to fail', 100);
    const wall = Date.now() - t0;

    const failed = await job();
    expect(failed).to.include({
      state: 'FAILED',
      attempts: 2,
      last_error_code: 'CHAIN.REJECTED',
      confirmations: 0,
      tx_hash: null,
      asset_id: null,
    });
    expect(failed.last_error).to.equal(`The ledger rejected the transaction: ${REJECTION}`);
    expect(failed.finished_at).to.be.an.instanceOf(Date);
    const inspection = await rig.knex('inspections').where({ id }).first();
    expect(inspection).to.include({ status: 'FAIL_ARCHIVE', nft_asset_id: null, blockchain_tx_hash: null });
    const history = await rig.knex('inspection_status_history').where({ inspection_id: id }).orderBy('created_at');
    expect(history.map((h) => h.to_status)).to.deep.equal(['NEED_REVIEW', 'APPROVED', 'ARCHIVING', 'FAIL_ARCHIVE']);
    expect(history[3].reason).to.equal(`CHAIN.REJECTED: The ledger rejected the transaction: ${REJECTION}`);
    expect(await rig.knex('utxo_locks'), 'wallet inputs released').to.deep.equal([]);
    expect(
      (await rig.knex('audit_logs').where({ entity_id: id, action: 'ARCHIVE_FAILED' })).map((a) => a.metadata),
    ).to.deep.equal([{ mintJobId: failed.id, code: 'CHAIN.REJECTED', attempts: 2 }]);

    // The first attempt was retried by pg-boss, the second ended the job without a retry.
    const retried = logLines(rig.t, 'mint attempt failed: will retry', { mintJobId: failed.id });
    expect(retried.map((l) => [l.code, l.attempt])).to.deep.equal([['CHAIN.UTXO_BUSY', 1]]);
    expect(chain.submits.map((s) => s.error)).to.deep.equal(['CHAIN.UTXO_BUSY', 'CHAIN.REJECTED']);
    // Both attempts sent the same transaction: the retry found the first one's inputs unspent and sent it again.
    expect(chain.submits[1]?.cbor).to.equal(chain.submits[0]?.cbor);
    expect(failed.pending_tx_cbor).to.equal(chain.submits[0]?.cbor);
    await until(
      async () =>
        (
          await rig
            .knex('pgboss.job')
            .where({ name: MINT_QUEUE })
            .whereRaw("data->>'mintJobId' = ?", [failed.id])
            .first()
        )?.state === 'completed',
      10_000,
      'the pg-boss job to complete',
    );
    const boss = await rig
      .knex('pgboss.job')
      .where({ name: MINT_QUEUE })
      .whereRaw("data->>'mintJobId' = ?", [failed.id])
      .first();
    expect(boss).to.include({ state: 'completed', retry_count: 1 });

    const alerts = logLines(rig.t, 'ALERT JOB_FAILED: A mint job failed permanently');
    expect(alerts).to.have.length(1);
    expect(alerts[0]).to.include({
      level: 'error',
      severity: 'critical',
      mintJobId: failed.id,
      inspectionId: id,
      code: 'CHAIN.REJECTED',
      error: `The ledger rejected the transaction: ${REJECTION}`,
      attempts: 2,
    });
    // Nothing reached the ledger.
    expect(await chain.assetMint(failed.policy_id, failed.asset_name)).to.equal(null);
    expect(failed.pending_tx_hash).to.match(/^[0-9a-f]{64}$/);
    expect((await chain.txStatus(failed.pending_tx_hash)).state).to.equal('unknown');

    // The operator's view: the failed job with its error on the admin API.
    const admin = await rig.t.api
      .get(`/api/v1/admin/mint-jobs?state=FAILED&inspectionId=${id}`)
      .set((await new Actors(rig.t.container).create('ADMIN')).auth)
      .expect(200);
    expect(admin.body.items[0]).to.include({
      id: failed.id,
      state: 'FAILED',
      lastErrorCode: 'CHAIN.REJECTED',
      lastError: `The ledger rejected the transaction: ${REJECTION}`,
    });
    drillSummary('chain-rejects', {
      submits: chain.submits.length,
      mintAttempts: failed.attempts,
      finalState: failed.state,
      inspection: inspection.status,
      alerts: alerts.length,
      approveToFailed: seconds(wall),
    });
  });
});
