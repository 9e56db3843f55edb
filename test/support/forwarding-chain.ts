import type { EmulatorChain } from '../../src/adapters/cardano/emulator-chain.js';
import type { Chain } from '../../src/ports/chain.js';

/**
 * The real ledger emulator behind the Chain port, every call forwarded: fault-injecting test chains extend it
 * and override only the calls they break (a submit that fails or vanishes, a lookup during an outage).
 */
export class ForwardingChain implements Chain {
  constructor(readonly inner: EmulatorChain) {}

  get network(): string {
    return this.inner.network;
  }
  protocolParameters(): ReturnType<Chain['protocolParameters']> {
    return this.inner.protocolParameters();
  }
  utxosAt(address: string): ReturnType<Chain['utxosAt']> {
    return this.inner.utxosAt(address);
  }
  submit(txCborHex: string): Promise<string> {
    return this.inner.submit(txCborHex);
  }
  txStatus(txHash: string): ReturnType<Chain['txStatus']> {
    return this.inner.txStatus(txHash);
  }
  assetMint(policyIdHex: string, assetNameHex: string): ReturnType<Chain['assetMint']> {
    return this.inner.assetMint(policyIdHex, assetNameHex);
  }
  close(): void {
    this.inner.close();
  }
}
