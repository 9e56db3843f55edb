import { DomainError } from '../shared/domain-error.js';

/** An unspent output: lovelace and native assets keyed by unit (policy id hex + asset name hex). */
export interface Utxo {
  txHash: string;
  index: number;
  address: string;
  lovelace: bigint;
  assets: Record<string, bigint>;
}

/** The protocol parameters minting needs, in the ledger's units. */
export interface ProtocolParameters {
  minFeeA: number;
  minFeeB: number;
  coinsPerUtxoByte: number;
  maxTxSize: number;
  maxValueSize: number;
  /** The whole parameter set as the provider gave it (for the transaction builder). */
  raw: Record<string, unknown>;
}

export type TxState = 'unknown' | 'pending' | 'confirmed';

export interface TxStatus {
  state: TxState;
  /** Blocks on top of (and including) the one holding the transaction; 0 unless confirmed. */
  confirmations: number;
}

export const ChainErrors = {
  /** Node or provider down, timeouts, rate limits: retry later. */
  unavailable: (detail: string) =>
    new DomainError('CHAIN.UNAVAILABLE', 'unavailable', `The chain provider is unavailable: ${detail}`),
  /** The ledger refused the transaction for a reason another try may fix (inputs spent meanwhile). */
  utxoBusy: (detail: string) =>
    new DomainError('CHAIN.UTXO_BUSY', 'unavailable', `Transaction inputs were spent meanwhile: ${detail}`),
  /** The provider's mempool is full (Blockfrost 425): the transaction may be fine, retry later. */
  mempoolFull: (detail: string) =>
    new DomainError('CHAIN.MEMPOOL_FULL', 'unavailable', `The node's mempool is full: ${detail}`),
  /** The ledger refused the transaction's witnesses (missing or invalid signature): fatal, a key problem. */
  invalidWitness: (detail: string) =>
    new DomainError(
      'CHAIN.INVALID_WITNESS',
      'unprocessable',
      `The ledger refused the transaction's witnesses: ${detail}`,
    ),
  /** The ledger refused the transaction for good (invalid metadata, value not preserved, fees...). */
  rejected: (detail: string) =>
    new DomainError('CHAIN.REJECTED', 'unprocessable', `The ledger rejected the transaction: ${detail}`),
  insufficientFunds: (needed: bigint, available: bigint) =>
    new DomainError(
      'CHAIN.INSUFFICIENT_FUNDS',
      'unprocessable',
      `The minting wallet has ${available} lovelace available; ${needed} are needed.`,
    ),
  /** Enough in total, but no single ADA-only output covers one mint. */
  fundsNotSplit: (needed: bigint, total: bigint) =>
    new DomainError(
      'CHAIN.INSUFFICIENT_FUNDS',
      'unprocessable',
      `The minting wallet has ${total} lovelace but no single ADA-only UTxO of at least ${needed}; split its funds into several UTxOs.`,
    ),
};
