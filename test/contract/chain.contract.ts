import { expect } from 'chai';
import { rejection } from '../support/rejection.js';
import { createHash } from 'node:crypto';
import { Address, Credential, PrivateKey } from '@harmoniclabs/plu-ts';
import { buildMintTransaction, type NftFields } from '../../src/adapters/cardano/mint-transaction.js';
import type { Chain } from '../../src/ports/chain.js';

/** One chain with a funded wallet, fresh for each test. */
export interface ChainSubject {
  chain: Chain;
  /** The wallet's key (32-byte ed25519 seed hex) and its bech32 address, funded with several UTxOs. */
  signingKeyHex: string;
  address: string;
  /** Until at least one more block exists (the emulator makes one; a real network is waited for). */
  nextBlock(): Promise<void>;
  cleanup(): Promise<void>;
}

/** A deterministic test key and its enterprise testnet address. */
export function testWallet(label: string): { signingKeyHex: string; address: string } {
  const signingKeyHex = createHash('sha256').update(`car-dano test wallet ${label}`).digest('hex');
  const hash = new PrivateKey(signingKeyHex).derivePublicKey().hash;
  return { signingKeyHex, address: Address.testnet(Credential.keyHash(hash)).toString() };
}

export const CID = 'bafybeiavpyoigyawld23iawux3ittzdgcyf56k672kgqkx72uy64mokrve';

export const sampleNft = (n = 1): NftFields => ({
  name: `CAR-dano inspection ${n}`,
  image: `ipfs://${CID}`,
  prettyId: `JKT-01012025-${String(n).padStart(3, '0')}`,
  inspectionDate: '2025-01-01',
  rating: 8.5,
  make: 'Toyota',
  model: 'Avanza 1.5 G CVT',
  pdfs: [{ variant: 'full', sha256: 'ab'.repeat(32), cid: CID }],
  plateHash: 'cd'.repeat(32),
});

export { rejection };

/** The Chain port's behaviour, for every adapter. */
export function chainContract(name: string, factory: () => Promise<ChainSubject>): void {
  describe(`Chain contract: ${name}`, () => {
    let s: ChainSubject;

    beforeEach(async () => {
      s = await factory();
    });

    afterEach(() => s.cleanup());

    it("lists the funded wallet's UTxOs with hashes, indexes and lovelace, and nothing for an unused address", async () => {
      const utxos = await s.chain.utxosAt(s.address);
      expect(utxos.length).to.be.greaterThan(1);
      for (const u of utxos) {
        expect(u.txHash).to.match(/^[0-9a-f]{64}$/);
        expect(u.index).to.be.a('number').that.is.at.least(0);
        expect(u.address).to.equal(s.address);
        expect(u.lovelace > 0n, 'lovelace').to.equal(true);
      }
      expect(new Set(utxos.map((u) => `${u.txHash}#${u.index}`)).size).to.equal(utxos.length);
      expect(await s.chain.utxosAt(testWallet('never used').address)).to.deep.equal([]);
    });

    it('gives sane protocol parameters', async () => {
      const p = await s.chain.protocolParameters();
      expect(p.minFeeA).to.be.within(1, 1000);
      expect(p.minFeeB).to.be.within(1000, 10_000_000);
      expect(p.coinsPerUtxoByte).to.be.within(1, 100_000);
      expect(p.maxTxSize).to.be.at.least(4096);
      expect(p.maxValueSize).to.be.at.least(1000);
      expect(p.raw).to.be.an('object');
    });

    it('a submitted mint is unknown, then pending, then confirmed with growing confirmations; its UTxO is spent', async () => {
      const utxos = await s.chain.utxosAt(s.address);
      const params = await s.chain.protocolParameters();
      const minted = buildMintTransaction({
        ...s,
        walletAddress: s.address,
        utxos: utxos.slice(0, 1),
        params,
        inspectionId: `contract-${Date.now()}`,
        nft: sampleNft(),
      });
      expect(await s.chain.txStatus(minted.txHash)).to.deep.equal({ state: 'unknown', confirmations: 0 });
      expect(await s.chain.submit(minted.txCborHex)).to.equal(minted.txHash);
      const early = await s.chain.txStatus(minted.txHash);
      expect(['pending', 'confirmed']).to.include(early.state);
      await s.nextBlock();
      const first = await s.chain.txStatus(minted.txHash);
      expect(first.state).to.equal('confirmed');
      expect(first.confirmations).to.be.at.least(1);
      await s.nextBlock();
      expect((await s.chain.txStatus(minted.txHash)).confirmations).to.be.greaterThan(first.confirmations);
      const after = await s.chain.utxosAt(s.address);
      expect(after.some((u) => u.txHash === utxos[0]?.txHash && u.index === utxos[0]?.index)).to.equal(false);
      expect(after.filter((u) => u.txHash === minted.txHash)).to.have.length(2);
    });

    it('refuses bytes that are no transaction with CHAIN.REJECTED', async () => {
      expect((await rejection(s.chain.submit('deadbeef'))).code).to.equal('CHAIN.REJECTED');
    });

    it('assetMint is null for an asset never minted; txStatus unknown for a hash never seen', async () => {
      expect(await s.chain.assetMint('00'.repeat(28), '4344')).to.equal(null);
      expect(await s.chain.txStatus('ff'.repeat(32))).to.deep.equal({ state: 'unknown', confirmations: 0 });
    });
  });
}
