import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmulatorChain } from '../../src/adapters/cardano/emulator-chain.js';
import { buildMintTransaction } from '../../src/adapters/cardano/mint-transaction.js';
import { chainContract, rejection, sampleNft, testWallet, type ChainSubject } from './chain.contract.js';

async function emulatorSubject(): Promise<ChainSubject> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-chain-'));
  const wallet = testWallet('contract');
  const chain = new EmulatorChain({ dir, fundedAddress: wallet.address });
  return {
    chain,
    ...wallet,
    nextBlock: () => chain.advanceBlock(),
    cleanup: async () => {
      chain.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

chainContract('EmulatorChain', emulatorSubject);

describe('EmulatorChain specifics', () => {
  it('funds the genesis address with the configured number and size of UTxOs, once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-chain-'));
    try {
      const { address } = testWallet('genesis');
      const chain = new EmulatorChain({ dir, fundedAddress: address, utxoCount: 7, lovelacePerUtxo: 5_000_000n });
      const utxos = await chain.utxosAt(address);
      expect(utxos.map((u) => u.lovelace)).to.deep.equal(Array(7).fill(5_000_000n));
      // A restart with other options keeps the stored genesis: the chain is the chain.
      const again = new EmulatorChain({ dir, fundedAddress: address, utxoCount: 3 });
      expect(await again.utxosAt(address)).to.have.length(7);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an unusable directory fails calls with CHAIN.UNAVAILABLE', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-chain-broken-'));
    try {
      await writeFile(path.join(dir, 'chain'), 'a file where the directory should be');
      const chain = new EmulatorChain({ dir: path.join(dir, 'chain'), fundedAddress: testWallet('x').address });
      expect((await rejection(chain.protocolParameters())).code).to.equal('CHAIN.UNAVAILABLE');
      expect((await rejection(chain.utxosAt(testWallet('x').address))).code).to.equal('CHAIN.UNAVAILABLE');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with blockIntervalMs, blocks come by themselves', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-chain-'));
    const { address } = testWallet('interval');
    const chain = new EmulatorChain({ dir, fundedAddress: address, blockIntervalMs: 5 });
    try {
      const minted = buildMintTransaction({
        ...testWallet('interval'),
        walletAddress: address,
        utxos: (await chain.utxosAt(address)).slice(0, 1),
        params: await chain.protocolParameters(),
        inspectionId: 'interval',
        nft: sampleNft(),
      });
      await chain.submit(minted.txCborHex);
      // Poll without a deadline of our own: mocha's timeout fails the test if blocks never come.
      while ((await chain.txStatus(minted.txHash)).confirmations < 2) await new Promise((r) => setTimeout(r, 5));
      expect((await chain.txStatus(minted.txHash)).state).to.equal('confirmed');
    } finally {
      chain.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
