import path from 'node:path';
import { BlockfrostChain } from '../adapters/cardano/blockfrost-chain.js';
import { EmulatorChain } from '../adapters/cardano/emulator-chain.js';
import type { Chain } from '../ports/chain.js';
import type { Config } from './config.js';

/**
 * The Chain adapter chosen by CHAIN_DRIVER. The emulator keeps its ledger under DATA_DIR/chain (old reports
 * stay verifiable across restarts), funds the minting wallet at genesis and makes a block every
 * CHAIN_EMULATOR_BLOCK_MS. It lives inside one process: API and worker must run together (make run), or
 * use a shared chain (CHAIN_DRIVER=blockfrost).
 */
export function createChain(config: Config, walletAddress: string): Chain {
  if (config.chain.driver === 'blockfrost') {
    return new BlockfrostChain({
      projectId: config.chain.blockfrostProjectId as string,
      network: config.chain.network,
      baseUrl: config.chain.blockfrostUrl,
      timeoutMs: config.chain.timeoutMs,
    });
  }
  const e = config.chain.emulator;
  return new EmulatorChain({
    dir: path.join(config.dataDir, 'chain'),
    fundedAddress: walletAddress,
    utxoCount: e.utxos,
    lovelacePerUtxo: e.lovelacePerUtxo,
    blockIntervalMs: e.blockMs,
  });
}
