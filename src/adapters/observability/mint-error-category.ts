/** The bounded categories of mint errors on /metrics (a label: never a message or a transaction hash). */
export const MINT_ERROR_CATEGORIES = [
  'utxo_busy',
  'mempool_full',
  'timeout',
  'invalid_witness',
  'rejected',
  'insufficient_funds',
  'provider',
  'tx_vanished',
  'other',
] as const;

export type MintErrorCategory = (typeof MINT_ERROR_CATEGORIES)[number];

const BY_CODE: Record<string, MintErrorCategory> = {
  'CHAIN.UTXO_BUSY': 'utxo_busy',
  'CHAIN.MEMPOOL_FULL': 'mempool_full',
  'CHAIN.TIMEOUT': 'timeout',
  'CHAIN.INVALID_WITNESS': 'invalid_witness',
  'CHAIN.REJECTED': 'rejected',
  'CHAIN.INSUFFICIENT_FUNDS': 'insufficient_funds',
  'CHAIN.UNAVAILABLE': 'provider',
  'CHAIN.TX_VANISHED': 'tx_vanished',
};

/** The category of a mint job's stable error code; codes outside the chain's are `other`. */
export const mintErrorCategory = (code: string): MintErrorCategory => BY_CODE[code] ?? 'other';
