import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { classifySubmitError } from '../../src/adapters/cardano/blockfrost-answers.js';
import { BlockfrostChain, type BlockfrostNetwork } from '../../src/adapters/cardano/blockfrost-chain.js';
import { EmulatorChain } from '../../src/adapters/cardano/emulator-chain.js';
import { buildMintTransaction } from '../../src/adapters/cardano/mint-transaction.js';
import { startBlockfrostServer, type BlockfrostTestServer } from '../support/blockfrost-server.js';
import { freePort } from '../support/net.js';
import { chainContract, rejection, sampleNft, testWallet, type ChainSubject } from './chain.contract.js';

interface Fixture extends ChainSubject {
  chain: BlockfrostChain;
  emulator: EmulatorChain;
  server: BlockfrostTestServer;
}

/** A fresh emulator ledger behind a fresh Blockfrost-compatible server, and the adapter pointed at it. */
async function blockfrostFixture(options: { utxoCount?: number; timeoutMs?: number } = {}): Promise<Fixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-blockfrost-'));
  const wallet = testWallet('contract');
  const emulator = new EmulatorChain({ dir, fundedAddress: wallet.address, utxoCount: options.utxoCount });
  const server = await startBlockfrostServer({ chain: emulator });
  const chain = new BlockfrostChain({
    projectId: server.projectId,
    network: 'preview',
    baseUrl: server.url,
    timeoutMs: options.timeoutMs,
  });
  return {
    chain,
    emulator,
    server,
    ...wallet,
    nextBlock: () => server.advanceBlock(),
    cleanup: async () => {
      await server.stop();
      emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

chainContract('BlockfrostChain (Blockfrost-compatible server on the ledger emulator)', () => blockfrostFixture());

/** A mint of the fixture wallet spending exactly `utxoIndex` of its UTxOs. */
async function mintFrom(f: Fixture, inspectionId: string, utxoIndex = 0, signingKeyHex = f.signingKeyHex) {
  const utxos = await f.chain.utxosAt(f.address);
  const utxo = utxos[utxoIndex];
  if (!utxo) throw new Error(`no UTxO #${utxoIndex}`);
  return buildMintTransaction({
    signingKeyHex,
    walletAddress: f.address,
    utxos: [utxo],
    params: await f.chain.protocolParameters(),
    inspectionId,
    nft: sampleNft(),
  });
}

describe('BlockfrostChain specifics', () => {
  let f: Fixture | undefined;
  const open = async (options?: Parameters<typeof blockfrostFixture>[0]) => (f = await blockfrostFixture(options));
  afterEach(async () => {
    await f?.cleanup();
    f = undefined;
  });

  it("reads protocol parameters from Blockfrost's fields, string amounts included, and keeps the whole answer as raw", async () => {
    const { chain, emulator, server } = await open();
    const p = await chain.protocolParameters();
    const e = await emulator.protocolParameters();
    expect({ ...p, raw: undefined }).to.deep.equal({ ...e, raw: undefined });
    expect(p.raw.coins_per_utxo_size).to.equal(String(e.coinsPerUtxoByte));
    expect(p.raw.max_val_size).to.equal(String(e.maxValueSize));
    expect(p.raw).to.include.keys(
      'min_fee_a',
      'min_fee_b',
      'max_tx_size',
      'key_deposit',
      'price_mem',
      'cost_models_raw',
    );
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['GET /epochs/latest/parameters']);
  });

  it('follows UTxO pages of 100 until a short page (250 UTxOs: pages 1-3)', async () => {
    const { chain, emulator, server, address } = await open({ utxoCount: 250 });
    const utxos = await chain.utxosAt(address);
    expect(utxos).to.have.length(250);
    expect(new Set(utxos.map((u) => `${u.txHash}#${u.index}`)).size).to.equal(250);
    expect(utxos).to.deep.equal(await emulator.utxosAt(address));
    const pages = server.requests.filter((r) => r.path.endsWith('/utxos'));
    expect(pages.map((r) => [r.query.get('page'), r.query.get('count'), r.status])).to.deep.equal([
      ['1', '100', 200],
      ['2', '100', 200],
      ['3', '100', 200],
    ]);
  });

  it('asks for one more, empty, page when the UTxO count is a multiple of 100 (200: pages 1-3)', async () => {
    const { chain, server, address } = await open({ utxoCount: 200 });
    expect(await chain.utxosAt(address)).to.have.length(200);
    expect(server.requests.filter((r) => r.path.endsWith('/utxos')).map((r) => r.query.get('page'))).to.deep.equal([
      '1',
      '2',
      '3',
    ]);
  });

  it("maps native assets by unit and lovelace apart, from Blockfrost's string quantities", async () => {
    const fx = await open();
    const minted = await mintFrom(fx, 'assets');
    await fx.chain.submit(minted.txCborHex);
    await fx.nextBlock();
    const nft = (await fx.chain.utxosAt(fx.address)).find((u) => u.txHash === minted.txHash && u.index === 0);
    expect(nft?.assets).to.deep.equal({ [minted.unit]: 1n });
    expect(nft && nft.lovelace > 1_000_000n).to.equal(true);
  });

  it('an address never seen on chain is a 404 from Blockfrost and [] from the adapter', async () => {
    const { chain, server } = await open();
    const unused = testWallet('never used here').address;
    expect(await chain.utxosAt(unused)).to.deep.equal([]);
    const asked = server.requests.filter((r) => r.path === `/addresses/${unused}/utxos`);
    expect(asked.map((r) => r.status)).to.deep.equal([404]);
  });

  it('sends the project_id header on every request; the server refuses requests without it', async () => {
    const fx = await open();
    const minted = await mintFrom(fx, 'header');
    await fx.chain.submit(minted.txCborHex);
    await fx.chain.txStatus(minted.txHash);
    await fx.chain.assetMint(minted.policyIdHex, minted.assetNameHex);
    expect(new Set(fx.server.requests.map((r) => r.path.split('/')[1]))).to.have.keys(
      'addresses',
      'epochs',
      'tx',
      'txs',
      'mempool',
      'assets',
    );
    for (const r of fx.server.requests) expect(r.projectId, `${r.method} ${r.path}`).to.equal(fx.server.projectId);
    expect(fx.server.requests.find((r) => r.path === '/tx/submit')?.contentType).to.equal('application/cbor');
    // Blockfrost's own behaviour without the header: 403.
    const bare = await fetch(`${fx.server.url}/blocks/latest`);
    expect(bare.status).to.equal(403);
    expect(await bare.json()).to.deep.equal({
      status_code: 403,
      error: 'Forbidden',
      message: 'Missing project token. Please include project_id in your request.',
    });
  });

  it('a refused project id is CHAIN.UNAVAILABLE and the id shows neither in errors nor when the adapter is inspected', async () => {
    const { server } = await open();
    const secret = 'previewTHISISNOTTHERIGHTKEY0000000';
    const chain = new BlockfrostChain({ projectId: secret, network: 'preview', baseUrl: server.url });
    const err = await rejection(chain.protocolParameters());
    expect(err.code).to.equal('CHAIN.UNAVAILABLE');
    expect(err.message).to.include('403').and.include('Invalid project token').and.not.include(secret);
    expect(inspect(chain, { depth: 5, showHidden: true })).to.not.include(secret);
    expect(JSON.stringify(chain)).to.not.include(secret);
  });

  it('scrubs the project id from answers that echo it (a misbehaving proxy)', async () => {
    const secret = 'preprodECHOEDKEY123456789';
    const echo = createServer((req, res) =>
      res.writeHead(502).end(`bad gateway for key ${String(req.headers.project_id)}`),
    );
    echo.listen(0, '127.0.0.1');
    await new Promise((resolve) => echo.once('listening', resolve));
    try {
      const chain = new BlockfrostChain({
        projectId: secret,
        network: 'preprod',
        baseUrl: `http://127.0.0.1:${(echo.address() as AddressInfo).port}`,
      });
      const err = await rejection(chain.utxosAt(testWallet('x').address));
      expect(err.code).to.equal('CHAIN.UNAVAILABLE');
      expect(err.message).to.include('502').and.include('<project_id>').and.not.include(secret);
      expect(String(err.stack)).to.not.include(secret);
    } finally {
      echo.closeAllConnections();
      await new Promise((resolve) => echo.close(resolve));
    }
  });

  for (const status of [429, 500, 503, 425, 418, 402]) {
    it(`a ${status} answer is CHAIN.UNAVAILABLE for reads and for submit, and the next call goes through`, async () => {
      const fx = await open();
      const minted = await mintFrom(fx, `fault-${status}`);
      fx.server.failNext(3, status);
      expect((await rejection(fx.chain.protocolParameters())).code).to.equal('CHAIN.UNAVAILABLE');
      expect((await rejection(fx.chain.utxosAt(fx.address))).code).to.equal('CHAIN.UNAVAILABLE');
      const submitErr = await rejection(fx.chain.submit(minted.txCborHex));
      // A full mempool has its own code (a mint error category of its own), retryable like the others.
      expect(submitErr.code).to.equal(status === 425 ? 'CHAIN.MEMPOOL_FULL' : 'CHAIN.UNAVAILABLE');
      expect(submitErr.kind).to.equal('unavailable');
      expect(submitErr.message).to.include(String(status));
      expect(fx.server.requests.slice(-3).map((r) => r.status)).to.deep.equal([status, status, status]);
      // The fault did not consume the input: the very same transaction is accepted now.
      expect(await fx.chain.submit(minted.txCborHex)).to.equal(minted.txHash);
    });
  }

  it('a 500 in the middle of txStatus\'s look-ups is CHAIN.UNAVAILABLE, not "unknown"', async () => {
    const fx = await open();
    let armed = true;
    // Fault switches apply from the next request: arming on /txs fails the /mempool look-up after it.
    fx.server.beforeHandle = (r) => {
      if (armed && r.path.startsWith('/txs/')) fx.server.failNext(1, 500);
      armed = false;
    };
    expect((await rejection(fx.chain.txStatus('ab'.repeat(32)))).code).to.equal('CHAIN.UNAVAILABLE');
    expect(fx.server.requests.map((r) => `${r.path.split('/')[1]} ${r.status}`)).to.deep.equal([
      'txs 404',
      'mempool 500',
    ]);
  });

  it('a request that gets no answer times out as CHAIN.UNAVAILABLE', async () => {
    const fx = await open({ timeoutMs: 300 });
    fx.server.hangNext(1);
    const err = await rejection(fx.chain.protocolParameters());
    expect(err.code).to.equal('CHAIN.UNAVAILABLE');
    expect(err.message).to.include('timed out after 300 ms');
    expect(fx.server.requests).to.have.length(1);
    expect(fx.server.requests[0]?.status).to.equal(undefined);
    // The hang was a one-off.
    expect((await fx.chain.protocolParameters()).minFeeA).to.be.greaterThan(0);
  });

  it('a refused connection is CHAIN.UNAVAILABLE', async () => {
    const port = await freePort();
    const chain = new BlockfrostChain({
      projectId: 'previewX',
      network: 'preview',
      baseUrl: `http://127.0.0.1:${port}/api/v0`,
    });
    const err = await rejection(chain.txStatus('ab'.repeat(32)));
    expect(err.code).to.equal('CHAIN.UNAVAILABLE');
    expect(err.message).to.include('ECONNREFUSED');
  });

  it('spending an input again is CHAIN.UTXO_BUSY: while the first spend is pending, and once it is in a block', async () => {
    const fx = await open();
    const first = await mintFrom(fx, 'busy-1');
    const rival = await mintFrom(fx, 'busy-2');
    expect(rival.inputs).to.deep.equal(first.inputs);
    await fx.chain.submit(first.txCborHex);
    const pendingErr = await rejection(fx.chain.submit(rival.txCborHex));
    expect(pendingErr.code).to.equal('CHAIN.UTXO_BUSY');
    expect(pendingErr.message).to.include('BadInputsUTxO').and.include(first.inputs[0]?.split('#')[0]);
    await fx.nextBlock();
    const afterBlock = await rejection(fx.chain.submit(rival.txCborHex));
    expect(afterBlock.code).to.equal('CHAIN.UTXO_BUSY');
    expect(fx.server.requests.filter((r) => r.path === '/tx/submit').map((r) => r.status)).to.deep.equal([
      200, 400, 400,
    ]);
    expect((await fx.chain.txStatus(rival.txHash)).state).to.equal('unknown');
  });

  it('bytes that are no transaction, and a transaction the ledger refuses, are CHAIN.REJECTED', async () => {
    const fx = await open();
    expect((await rejection(fx.chain.submit('deadbeef'))).code).to.equal('CHAIN.REJECTED');
    expect((await rejection(fx.chain.submit('not hex at all'))).code).to.equal('CHAIN.REJECTED');
    // Signed with another key than the one owning the input: a missing witness, for good.
    const forged = await mintFrom(fx, 'forged', 0, testWallet('someone else').signingKeyHex);
    const err = await rejection(fx.chain.submit(forged.txCborHex));
    expect(err.code).to.equal('CHAIN.REJECTED');
    // Only the two well-formed hex payloads reached Blockfrost; "not hex" was refused locally.
    expect(fx.server.requests.filter((r) => r.path === '/tx/submit').map((r) => r.status)).to.deep.equal([400, 400]);
    expect((await fx.chain.txStatus(forged.txHash)).state).to.equal('unknown');
  });

  it('a submitted transaction is pending through /mempool, then confirmed with confirmations from /txs and /blocks/latest', async () => {
    const fx = await open();
    await fx.server.advanceBlock();
    await fx.server.advanceBlock();
    const minted = await mintFrom(fx, 'mempool');
    await fx.chain.submit(minted.txCborHex);
    fx.server.requests.length = 0;
    expect(await fx.chain.txStatus(minted.txHash)).to.deep.equal({ state: 'pending', confirmations: 0 });
    expect(fx.server.requests.map((r) => `${r.path} ${r.status}`)).to.deep.equal([
      `/txs/${minted.txHash} 404`,
      `/mempool/${minted.txHash} 200`,
    ]);
    await fx.server.advanceBlock();
    expect(await fx.emulator.heightOf(minted.txHash)).to.equal(3);
    expect(await fx.chain.txStatus(minted.txHash)).to.deep.equal({ state: 'confirmed', confirmations: 1 });
    await fx.server.advanceBlock();
    await fx.server.advanceBlock();
    expect(await fx.chain.txStatus(minted.txHash)).to.deep.equal({ state: 'confirmed', confirmations: 3 });
  });

  it('a transaction that moves from the mempool into a block between the look-ups is found confirmed, not unknown', async () => {
    const fx = await open();
    const minted = await mintFrom(fx, 'race');
    await fx.chain.submit(minted.txCborHex);
    fx.server.beforeHandle = async (r) => {
      if (r.path.startsWith('/mempool/')) await fx.server.advanceBlock();
    };
    expect(await fx.chain.txStatus(minted.txHash)).to.deep.equal({ state: 'confirmed', confirmations: 1 });
    expect(fx.server.requests.filter((r) => r.path.startsWith('/txs/')).map((r) => r.status)).to.deep.equal([404, 200]);
  });

  it('assetMint is null while the mint is pending (Blockfrost indexes blocks), then gives the mint tx and its CIP-25 metadata', async () => {
    const fx = await open();
    const minted = await mintFrom(fx, 'asset-mint');
    await fx.chain.submit(minted.txCborHex);
    expect(await fx.chain.assetMint(minted.policyIdHex, minted.assetNameHex)).to.equal(null);
    await fx.nextBlock();
    const mint = await fx.chain.assetMint(minted.policyIdHex, minted.assetNameHex);
    expect(mint).to.deep.equal({
      txHash: minted.txHash,
      metadata: await fx.emulator.assetMint(minted.policyIdHex, minted.assetNameHex).then((m) => m?.metadata),
    });
    expect(mint?.metadata).to.include({ name: sampleNft().name });
    // Malformed ids cannot name a minted asset: no request is made.
    const before = fx.server.requests.length;
    expect(await fx.chain.assetMint('zz', '')).to.equal(null);
    expect(fx.server.requests).to.have.length(before);
  });

  it('network and default API root follow the options', () => {
    for (const network of ['preview', 'preprod', 'mainnet'] as const) {
      const chain = new BlockfrostChain({ projectId: `${network}abc`, network });
      expect(chain.network).to.equal(network);
      expect(chain.baseUrl).to.equal(`https://cardano-${network}.blockfrost.io/api/v0`);
    }
    expect(
      new BlockfrostChain({ projectId: 'p', network: 'preview', baseUrl: 'http://127.0.0.1:1/api/v0/' }).baseUrl,
    ).to.equal('http://127.0.0.1:1/api/v0');
  });
});

describe('classifySubmitError (Blockfrost 400 bodies as the node words them)', () => {
  // Shapes as Blockfrost returned them (cardano-submit-api text), with shortened hashes and amounts.
  const conway = (errors: string[]) =>
    JSON.stringify({
      status_code: 400,
      error: 'Bad Request',
      message: JSON.stringify({
        contents: {
          contents: {
            contents: { era: 'ShelleyBasedEraConway', error: errors, kind: 'ShelleyTxValidationError' },
            tag: 'TxValidationErrorInCardanoMode',
          },
          tag: 'TxCmdTxSubmitValidationError',
        },
        tag: 'TxSubmitFail',
      }),
    });
  const valueNotConserved =
    'ConwayUtxowFailure (UtxoFailure (ValueNotConservedUTxO (MaryValue (Coin 0) (MultiAsset (fromList []))) (MaryValue (Coin 9920718377) (MultiAsset (fromList [])))))';
  const badInputs =
    'ConwayUtxowFailure (UtxoFailure (BadInputsUTxO (fromList [TxIn (TxId {unTxId = SafeHash \\"5176274b\\"}) (TxIx {unTxIx = 1})])))';
  const babbage = (inner: string) =>
    JSON.stringify({
      status_code: 400,
      error: 'Bad Request',
      message: `transaction submit error ShelleyTxValidationError ShelleyBasedEraBabbage (ApplyTxError [${inner}])`,
    });

  it('BadInputsUTxO (with the ValueNotConservedUTxO it causes) is CHAIN.UTXO_BUSY, in the Conway JSON and the Babbage text', () => {
    expect(classifySubmitError(400, conway([valueNotConserved, badInputs])).code).to.equal('CHAIN.UTXO_BUSY');
    expect(classifySubmitError(400, conway([badInputs])).code).to.equal('CHAIN.UTXO_BUSY');
    expect(
      classifySubmitError(
        400,
        babbage(
          'UtxowFailure (UtxoFailure (FromAlonzoUtxoFail (ValueNotConservedUTxO (Value 0 (fromList [])) (Value 12903067410 (fromList []))))),UtxowFailure (UtxoFailure (FromAlonzoUtxoFail (BadInputsUTxO (fromList [TxIn (TxId {_unTxId = SafeHash \\"708cf868\\"}) (TxIx 1)]))))',
        ),
      ).code,
    ).to.equal('CHAIN.UTXO_BUSY');
  });

  it('ValueNotConservedUTxO alone, other ledger failures, undecodable CBOR and look-alike names are CHAIN.REJECTED; witness failures CHAIN.INVALID_WITNESS', () => {
    expect(classifySubmitError(400, conway([valueNotConserved])).code).to.equal('CHAIN.REJECTED');
    expect(
      classifySubmitError(400, conway(['ConwayUtxowFailure (MissingVKeyWitnessesUTXOW (fromList [...]))'])).code,
    ).to.equal('CHAIN.INVALID_WITNESS');
    expect(classifySubmitError(400, conway(['ConwayUtxowFailure (InvalidWitnessesUTXOW [...])'])).kind).to.equal(
      'unprocessable',
    );
    expect(classifySubmitError(400, conway(['ConwayUtxowFailure (UtxoFailure (NotBadInputsUTxOs []))'])).code).to.equal(
      'CHAIN.REJECTED',
    );
    expect(
      classifySubmitError(
        400,
        JSON.stringify({
          status_code: 400,
          error: 'Bad Request',
          message:
            'transaction read error RawCborDecodeError [DecoderErrorDeserialiseFailure "Shelley Tx" (DeserialiseFailure 0 "end of input")]',
        }),
      ).code,
    ).to.equal('CHAIN.REJECTED');
    expect(classifySubmitError(413, 'too large').code).to.equal('CHAIN.REJECTED');
  });

  it('mempool full (CHAIN.MEMPOOL_FULL), limits, bans, key problems and server errors (CHAIN.UNAVAILABLE) stay retryable', () => {
    for (const status of [402, 403, 418, 425, 429, 500, 502, 503, 504]) {
      const e = classifySubmitError(
        status,
        JSON.stringify({ status_code: status, error: 'x', message: 'BadInputsUTxO mentioned in passing' }),
      );
      expect(e.code, String(status)).to.equal(status === 425 ? 'CHAIN.MEMPOOL_FULL' : 'CHAIN.UNAVAILABLE');
      expect(e.kind, String(status)).to.equal('unavailable');
    }
  });
});

describe('EmulatorChain.tip and heightOf (read by the Blockfrost test server)', () => {
  it("tip counts blocks; heightOf is null until the transaction is in a block, then that block's height", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-chain-tip-'));
    const wallet = testWallet('tip');
    const chain = new EmulatorChain({ dir, fundedAddress: wallet.address });
    try {
      expect(await chain.tip()).to.equal(0);
      await chain.advanceBlocks(2);
      expect(await chain.tip()).to.equal(2);
      const minted = buildMintTransaction({
        ...wallet,
        walletAddress: wallet.address,
        utxos: (await chain.utxosAt(wallet.address)).slice(0, 1),
        params: await chain.protocolParameters(),
        inspectionId: 'tip',
        nft: sampleNft(),
      });
      expect(await chain.heightOf(minted.txHash)).to.equal(null);
      await chain.submit(minted.txCborHex);
      expect(await chain.heightOf(minted.txHash)).to.equal(null);
      await chain.advanceBlock();
      await chain.advanceBlock();
      expect(await chain.heightOf(minted.txHash)).to.equal(3);
      expect(await chain.tip()).to.equal(4);
      // Both survive a restart (the journal replays the chain).
      const again = new EmulatorChain({ dir, fundedAddress: wallet.address });
      expect([await again.tip(), await again.heightOf(minted.txHash)]).to.deep.equal([4, 3]);
    } finally {
      chain.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const live = {
  projectId: process.env.BLOCKFROST_TEST_PROJECT_ID,
  network: process.env.BLOCKFROST_TEST_NETWORK,
  address: process.env.BLOCKFROST_TEST_ADDRESS,
};

describe('BlockfrostChain against the real Blockfrost (read-only; needs BLOCKFROST_TEST_PROJECT_ID and BLOCKFROST_TEST_NETWORK, and BLOCKFROST_TEST_ADDRESS for UTxOs)', function () {
  this.timeout(60_000);
  let chain: BlockfrostChain;

  before(function () {
    if (!live.projectId || !live.network) {
      console.log(
        '      (skipped: set BLOCKFROST_TEST_PROJECT_ID and BLOCKFROST_TEST_NETWORK=preview|preprod|mainnet to run these against Blockfrost)',
      );
      return this.skip();
    }
    if (!['preview', 'preprod', 'mainnet'].includes(live.network))
      throw new Error(`BLOCKFROST_TEST_NETWORK must be preview, preprod or mainnet, not ${live.network}`);
    chain = new BlockfrostChain({ projectId: live.projectId, network: live.network as BlockfrostNetwork });
  });

  it('reads sane protocol parameters', async () => {
    const p = await chain.protocolParameters();
    expect(p.minFeeA).to.be.within(1, 1000);
    expect(p.minFeeB).to.be.within(1000, 10_000_000);
    expect(p.coinsPerUtxoByte).to.be.within(1, 100_000);
    expect(p.maxTxSize).to.be.at.least(4096);
    expect(p.maxValueSize).to.be.at.least(1000);
    expect(p.raw).to.include.keys('min_fee_a', 'coins_per_utxo_size');
  });

  it('lists the UTxOs of BLOCKFROST_TEST_ADDRESS', async function () {
    if (!live.address) {
      console.log('      (skipped: set BLOCKFROST_TEST_ADDRESS to an address of that network)');
      return this.skip();
    }
    const utxos = await chain.utxosAt(live.address);
    for (const u of utxos) {
      expect(u.txHash).to.match(/^[0-9a-f]{64}$/);
      expect(u.address).to.equal(live.address);
      expect(u.lovelace > 0n).to.equal(true);
    }
    expect(new Set(utxos.map((u) => `${u.txHash}#${u.index}`)).size).to.equal(utxos.length);
  });

  it('a never-used address has no UTxOs, an unknown tx is unknown, an unminted asset is null', async () => {
    const unused = testWallet(`never used ${Date.now()}`);
    // testWallet makes testnet addresses: only meaningful off mainnet.
    if (live.network !== 'mainnet') expect(await chain.utxosAt(unused.address)).to.deep.equal([]);
    expect(await chain.txStatus('ff'.repeat(32))).to.deep.equal({ state: 'unknown', confirmations: 0 });
    expect(await chain.assetMint('00'.repeat(28), '4344')).to.equal(null);
  });

  it('a wrong project id is CHAIN.UNAVAILABLE', async () => {
    const wrong = new BlockfrostChain({
      projectId: `${live.network}0000000000000000000000000000000`,
      network: live.network as BlockfrostNetwork,
    });
    expect((await rejection(wrong.protocolParameters())).code).to.equal('CHAIN.UNAVAILABLE');
  });
});
