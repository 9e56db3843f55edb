import type { ProtocolParameters, Utxo } from '../domain/chain/chain.js';

/** What an inspection's NFT says (the minter formats it as CIP-25 metadata). */
export interface NftContent {
  name: string;
  image: string;
  prettyId: string;
  inspectionDate: string;
  rating: number | null;
  make: string | null;
  model: string | null;
  /** Every variant's hash; a CID only for the public variant (the full one is never on IPFS). */
  pdfs: Array<{ variant: string; sha256: string; cid?: string }>;
  /** HMAC-SHA256 of the plate with a server secret (hex): the plate is never on chain in clear. */
  plateHash: string;
}

export interface BuiltMint {
  txCborHex: string;
  txHash: string;
  /** The inputs the transaction spends ("txHash#index"). */
  inputs: string[];
  /** The CIP-25 object of the asset (label 721 -> policy -> name), as written. */
  metadata: Record<string, unknown>;
}

/**
 * The server's minting wallet and policy. Builds and signs CIP-25 mint transactions offline; the signing key
 * never leaves the adapter (and is never logged).
 */
export interface NftMinter {
  /** Bech32 address that pays for mints, receives change and (by default) the NFTs. */
  readonly walletAddress: string;
  readonly policyId: string;
  /** The deterministic asset name (hex) of an inspection's NFT. */
  assetNameFor(inspectionId: string): string;
  /** Lovelace one mint needs from its inputs (NFT output, fee allowance, change). */
  lovelaceNeeded(params: ProtocolParameters): bigint;
  /**
   * Builds and signs the mint spending exactly `inputs` (in order, all of them). Errors:
   * CHAIN.INSUFFICIENT_FUNDS when they do not cover the mint.
   */
  build(req: { inspectionId: string; content: NftContent; inputs: Utxo[]; params: ProtocolParameters }): BuiltMint;
}
export const NftMinter = Symbol('NftMinter');

/** Keyed hash of a licence plate (HMAC with a server secret): public metadata must not reveal plates. */
export interface PlateHasher {
  /** The plate's keyed hash (hex); the same plate always gives the same hash, whatever its spacing or case. */
  hash(plateNumber: string): string;
}
export const PlateHasher = Symbol('PlateHasher');
