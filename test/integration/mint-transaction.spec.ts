import {
  blake2b_256,
  HexBlob,
  Transaction,
  TransactionOutput,
  TxCBOR,
  Value,
  Address as BlazeAddress,
} from '@blaze-cardano/core';
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmulatorChain } from '../../src/adapters/cardano/emulator-chain.js';
import {
  assetNameFor,
  buildMintTransaction,
  cip25Metadata,
  minAdaForOutput,
  policyFor,
  splitMetadataString,
  type MintRequest,
} from '../../src/adapters/cardano/mint-transaction.js';
import { Address, Credential, PrivateKey } from '@harmoniclabs/plu-ts';
import { walletAddressOf } from '../../src/adapters/cardano/plu-ts-minter.js';
import { createHash } from 'node:crypto';
import type { Utxo } from '../../src/domain/chain/chain.js';
import { CID, rejection, sampleNft, testWallet } from '../contract/chain.contract.js';

const wallet = testWallet('mint');

/** Every string anywhere in a metadata value. */
const stringsIn = (v: unknown): string[] =>
  typeof v === 'string'
    ? [v]
    : Array.isArray(v)
      ? v.flatMap(stringsIn)
      : v && typeof v === 'object'
        ? Object.entries(v).flatMap(([k, x]) => [k, ...stringsIn(x)])
        : [];

describe('mint transaction helpers', () => {
  it('assetNameFor is deterministic, 32 ASCII bytes starting with CD, and differs per inspection', () => {
    const a = assetNameFor('3f1c2d4e-0000-4000-8000-000000000001');
    expect(assetNameFor('3f1c2d4e-0000-4000-8000-000000000001')).to.deep.equal(a);
    expect(a.text).to.match(/^CD[0-9a-f]{30}$/);
    expect(Buffer.from(a.hex, 'hex')).to.have.length(32);
    expect(Buffer.from(a.hex, 'hex').toString('ascii')).to.equal(a.text);
    expect(assetNameFor('3f1c2d4e-0000-4000-8000-000000000002').hex).to.not.equal(a.hex);
  });

  it('splitMetadataString keeps short strings and cuts long ones into <= 64-byte chunks, never inside a character', () => {
    expect(splitMetadataString('x'.repeat(64))).to.equal('x'.repeat(64));
    const ipfs = `ipfs://${CID}`;
    expect(Buffer.byteLength(ipfs)).to.equal(66);
    expect(splitMetadataString(ipfs)).to.deep.equal([ipfs.slice(0, 64), ipfs.slice(64)]);
    // 1 + 16 * 4 = 65 bytes: a byte-wise cut at 64 would split the last car in half.
    const cars = `a${'🚗'.repeat(16)}`;
    expect(splitMetadataString(cars)).to.deep.equal([`a${'🚗'.repeat(15)}`, '🚗']);
    const long = 'é'.repeat(100) + '🚗'.repeat(30);
    const chunks = splitMetadataString(long) as string[];
    expect(chunks.join('')).to.equal(long);
    for (const c of chunks.slice(0, -1)) expect(Buffer.byteLength(c)).to.be.within(61, 64);
    expect(Buffer.byteLength(chunks.at(-1) ?? '')).to.be.within(1, 64);
  });

  it('cip25Metadata nests policy -> asset, keeps every string within 64 bytes and records the hash algorithm', () => {
    const meta = cip25Metadata({
      ...sampleNft(),
      model: 'M'.repeat(150),
      policyIdHex: 'ab'.repeat(28),
      assetName: 'CDx',
    });
    const asset = (meta[721]['ab'.repeat(28)] as Record<string, Record<string, unknown>>).CDx as Record<
      string,
      unknown
    >;
    expect(meta[721].version).to.equal('1.0');
    expect(asset).to.include({
      name: 'CAR-dano inspection 1',
      prettyId: 'JKT-01012025-001',
      rating: '8.5',
      plateHash: 'cd'.repeat(32),
    });
    expect((asset.model as string[]).join('')).to.equal('M'.repeat(150));
    expect(asset.pdf).to.deep.equal([{ variant: 'full', alg: 'sha256', hash: 'ab'.repeat(32), cid: CID }]);
    for (const s of stringsIn(meta)) expect(Buffer.byteLength(s), s).to.be.at.most(64);
  });

  it('minAdaForOutput follows the ledger formula (160 + output bytes) * coinsPerUtxoByte, with or without the NFT', () => {
    const unit = `${'ab'.repeat(28)}${assetNameFor('x').hex}`;
    // blaze serialises the same output as a legacy array, plu-ts as a map (2 bytes more): measure both.
    const adaOnly = minAdaForOutput(wallet.address, {}, 4310);
    const blazeBytes =
      new TransactionOutput(BlazeAddress.fromBech32(wallet.address), new Value(adaOnly)).toCbor().length / 2;
    expect(adaOnly).to.equal(BigInt((160 + blazeBytes + 2) * 4310));
    expect(minAdaForOutput(wallet.address, { [unit]: 1n }, 4310) > adaOnly).to.equal(true);
    expect(minAdaForOutput(wallet.address, {}, 8620)).to.equal(adaOnly * 2n);
  });
});

describe('minting key (native ed25519)', () => {
  it('derives the same public key hash as plu-ts, signs deterministically (RFC 8032) and caches the policy', () => {
    for (const label of ['a', 'b', 'c', 'd', 'e']) {
      const seed = createHash('sha256').update(`policy ${label}`).digest('hex');
      const policy = policyFor(seed);
      expect(policy.keyHashHex).to.equal(new PrivateKey(seed).derivePublicKey().hash.toString());
      expect(Buffer.from(policy.publicKey).toString('hex')).to.equal(
        Buffer.from(new PrivateKey(seed).derivePublicKey().toBuffer()).toString('hex'),
      );
      expect(policyFor(seed.toUpperCase()), 'one derivation per key').to.equal(policy);
      const plutsHash = new PrivateKey(seed).derivePublicKey().hash;
      expect(walletAddressOf(seed, 'preview')).to.equal(Address.testnet(Credential.keyHash(plutsHash)).toString());
      expect(walletAddressOf(seed, 'mainnet')).to.equal(Address.mainnet(Credential.keyHash(plutsHash)).toString());
    }
    expect(() => policyFor('zz')).to.throw(/32-byte ed25519 seed/);
  });
});

describe('minting against EmulatorChain', () => {
  let dir: string;
  let chain: EmulatorChain;
  let utxos: Utxo[];
  let mint: (
    inspectionId: string,
    inputs: Utxo[],
    over?: Partial<MintRequest>,
  ) => Promise<ReturnType<typeof buildMintTransaction>>;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-mint-'));
    chain = new EmulatorChain({ dir, fundedAddress: wallet.address });
    utxos = await chain.utxosAt(wallet.address);
    const params = await chain.protocolParameters();
    mint = async (inspectionId, inputs, over = {}) =>
      buildMintTransaction({
        signingKeyHex: wallet.signingKeyHex,
        walletAddress: wallet.address,
        utxos: inputs,
        params,
        inspectionId,
        nft: sampleNft(),
        ...over,
      });
  });

  afterEach(async () => {
    chain.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('mints an NFT that is confirmed after 3 blocks and found with its CIP-25 metadata', async () => {
    const minted = await mint('inspection-1', utxos.slice(0, 1));
    expect(minted.unit).to.equal(minted.policyIdHex + minted.assetNameHex);
    expect(await chain.submit(minted.txCborHex)).to.equal(minted.txHash);
    await chain.advanceBlocks(3);
    expect(await chain.txStatus(minted.txHash)).to.deep.equal({ state: 'confirmed', confirmations: 3 });
    const found = await chain.assetMint(minted.policyIdHex, minted.assetNameHex);
    expect(found?.txHash).to.equal(minted.txHash);
    expect(found?.metadata).to.include({ prettyId: 'JKT-01012025-001', make: 'Toyota', inspectionDate: '2025-01-01' });
    expect(found?.metadata?.image).to.deep.equal(splitMetadataString(`ipfs://${CID}`));
    const holding = (await chain.utxosAt(wallet.address)).filter((u) => u.assets[minted.unit] === 1n);
    expect(holding).to.have.length(1);
  });

  it('signs the body, lists the policy key as required signer and hashes the metadata correctly (the emulator checks none of the last two)', async () => {
    const minted = await mint('inspection-2', utxos.slice(0, 1));
    const tx = Transaction.fromCbor(TxCBOR(minted.txCborHex));
    expect(tx.getId()).to.equal(minted.txHash);
    expect(tx.body().auxiliaryDataHash()).to.equal(blake2b_256(HexBlob(tx.auxiliaryData()!.toCbor())));
    expect(
      tx
        .body()
        .requiredSigners()
        ?.values()
        .map((s) => s.value()),
    ).to.have.length(1);
    expect(tx.witnessSet().vkeys()?.values()).to.have.length(1);
    expect(tx.witnessSet().redeemers()).to.equal(undefined);
    // The NFT output carries exactly the ledger minimum of its own serialized bytes; change at least its own.
    const [nft, change] = tx.body().outputs();
    expect(nft?.amount().coin()).to.equal(BigInt((160 + nft!.toCbor().length / 2) * 4310));
    expect(change!.amount().coin() >= BigInt((160 + change!.toCbor().length / 2) * 4310)).to.equal(true);
  });

  it('the same inputs spent twice fail with CHAIN.UTXO_BUSY, pending or confirmed', async () => {
    const first = await mint('inspection-3', utxos.slice(0, 1));
    const rival = await mint('inspection-4', utxos.slice(0, 1));
    await chain.submit(first.txCborHex);
    expect((await rejection(chain.submit(rival.txCborHex))).code).to.equal('CHAIN.UTXO_BUSY');
    expect((await rejection(chain.submit(first.txCborHex))).code).to.equal('CHAIN.UTXO_BUSY');
    await chain.advanceBlock();
    expect((await rejection(chain.submit(rival.txCborHex))).code).to.equal('CHAIN.UTXO_BUSY');
    expect(await chain.txStatus(rival.txHash)).to.deep.equal({ state: 'unknown', confirmations: 0 });
  });

  it('a transaction signed with the wrong key fails with CHAIN.REJECTED', async () => {
    const stranger = testWallet('stranger');
    const forged = await mint('inspection-5', utxos.slice(0, 1), { signingKeyHex: stranger.signingKeyHex });
    const error = await rejection(chain.submit(forged.txCborHex));
    expect(error.code).to.equal('CHAIN.REJECTED');
    expect(error.message).to.match(/not found in witness set/);
  });

  it('ten mints built in parallel from distinct UTxOs land in one block', async () => {
    const built = await Promise.all(utxos.slice(0, 10).map((u, i) => mint(`parallel-${i}`, [u])));
    expect(new Set(built.map((b) => b.unit)).size).to.equal(10);
    await Promise.all(built.map((b) => chain.submit(b.txCborHex)));
    await chain.advanceBlock();
    for (const b of built)
      expect(await chain.txStatus(b.txHash), b.txHash).to.deep.equal({ state: 'confirmed', confirmations: 1 });
  });

  it('after a restart from its directory the chain still knows earlier assets, statuses and UTxOs', async () => {
    const early = await mint('before-restart', utxos.slice(0, 1));
    await chain.submit(early.txCborHex);
    await chain.advanceBlocks(2);
    const late = await mint('pending-at-restart', utxos.slice(1, 2));
    await chain.submit(late.txCborHex);
    const before = await chain.utxosAt(wallet.address);
    chain.close();
    chain = new EmulatorChain({ dir, fundedAddress: wallet.address });
    expect((await chain.assetMint(early.policyIdHex, early.assetNameHex))?.metadata?.prettyId).to.equal(
      'JKT-01012025-001',
    );
    expect(await chain.txStatus(early.txHash)).to.deep.equal({ state: 'confirmed', confirmations: 2 });
    expect(await chain.txStatus(late.txHash)).to.deep.equal({ state: 'pending', confirmations: 0 });
    expect(await chain.utxosAt(wallet.address)).to.deep.equal(before);
    await chain.advanceBlock();
    expect(await chain.txStatus(late.txHash)).to.deep.equal({ state: 'confirmed', confirmations: 1 });
  });
});
