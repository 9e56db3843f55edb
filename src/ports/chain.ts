import type { ProtocolParameters, TxStatus, Utxo } from '../domain/chain/chain.js';

export interface Chain {
  /** "emulator", "preview", "preprod" or "mainnet". */
  readonly network: string;
  /** Errors: CHAIN.UNAVAILABLE. */
  protocolParameters(): Promise<ProtocolParameters>;
  /** Unspent outputs of an address. Errors: CHAIN.UNAVAILABLE. */
  utxosAt(address: string): Promise<Utxo[]>;
  /**
   * Submits a signed transaction (CBOR hex); returns its hash. Errors: CHAIN.UTXO_BUSY (inputs already
   * spent: retryable), CHAIN.MEMPOOL_FULL (retryable), CHAIN.INVALID_WITNESS and CHAIN.REJECTED (invalid: fatal),
   * CHAIN.UNAVAILABLE.
   */
  submit(txCborHex: string): Promise<string>;
  /** Where a transaction is. Errors: CHAIN.UNAVAILABLE. */
  txStatus(txHash: string): Promise<TxStatus>;
  /** The transaction that minted an asset, or null when it was never minted. Errors: CHAIN.UNAVAILABLE. */
  assetMint(
    policyIdHex: string,
    assetNameHex: string,
  ): Promise<{ txHash: string; metadata: Record<string, unknown> | null } | null>;
}

export const Chain = Symbol('Chain');
