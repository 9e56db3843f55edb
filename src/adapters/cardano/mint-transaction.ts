import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import {
  Address,
  AuxiliaryData,
  Hash28,
  PublicKey,
  Script,
  ScriptType,
  Signature,
  Tx,
  TxBody,
  TxMetadata,
  TxOut,
  UTxO,
  Value,
  VKey,
  VKeyWitness,
  PubKeyHash,
} from '@harmoniclabs/plu-ts';
import { ChainErrors, type ProtocolParameters, type Utxo } from '../../domain/chain/chain.js';
import { assetNameFor, cip25Metadata, toTxMetadatum, type Cip25Input } from './cip25.js';

export { assetNameFor, cip25Metadata, splitMetadataString, type Cip25Input, type PdfRecord } from './cip25.js';

/** The NFT's metadata fields; the policy id and asset name are derived here. */
export type NftFields = Omit<Cip25Input, 'policyIdHex' | 'assetName'>;

export interface MintRequest {
  /**
   * The server's key as 64 hex digits: a raw ed25519 seed (the 32 bytes after the "5820" prefix of a
   * cardano-cli `PaymentSigningKeyShelley_ed25519` cborHex). It pays, receives change and is the policy key.
   */
  signingKeyHex: string;
  /** Bech32 address of that key, holding `utxos`; change goes back here. */
  walletAddress: string;
  /** Where the NFT goes; default: the wallet. */
  recipientAddress?: string;
  /** Inputs to spend, in order of preference; give each parallel mint its own. */
  utxos: Utxo[];
  params: ProtocolParameters;
  inspectionId: string;
  nft: NftFields;
}

export interface MintedTx {
  txCborHex: string;
  txHash: string;
  policyIdHex: string;
  assetNameHex: string;
  /** policyIdHex + assetNameHex. */
  unit: string;
  /** The inputs spent ("txHash#index"), in order. */
  inputs: string[];
  /** The asset's own CIP-25 object (721 -> policy -> name) as written. */
  metadata: Record<string, unknown>;
}

/** PKCS#8 DER prefix of a raw 32-byte ed25519 seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface MintingPolicy {
  /** The seed as Node's key object: signing in native code (plu-ts's pure-JS ed25519 blocks the event loop ~0.1 s per signature). */
  key: KeyObject;
  publicKey: Buffer;
  keyHashHex: string;
  script: Script<ScriptType.NativeScript>;
  policyIdHex: string;
}

const policies = new Map<string, MintingPolicy>();

/** The key, its hash and the single-signature native script that is the minting policy (derived once per key). */
export function policyFor(signingKeyHex: string): MintingPolicy {
  if (!/^[0-9a-fA-F]{64}$/.test(signingKeyHex)) throw new Error('signingKeyHex must be a 32-byte ed25519 seed in hex');
  const seed = signingKeyHex.toLowerCase();
  const known = policies.get(seed);
  if (known) return known;
  const key = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seed, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32);
  const keyHashHex = new PublicKey(publicKey).hash.toString();
  const script = new Script(ScriptType.NativeScript, { type: 'sig', keyHash: keyHashHex });
  const policy = { key, publicKey, keyHashHex, script, policyIdHex: script.hash.toString() };
  policies.set(seed, policy);
  return policy;
}

const valueOf = (lovelace: bigint, assets: Record<string, bigint>) =>
  Value.fromUnits([
    { unit: 'lovelace', quantity: lovelace },
    ...Object.entries(assets).map(([unit, quantity]) => ({ unit, quantity })),
  ]);

/**
 * The ledger's minimum: (160 + serialized output size) * coinsPerUtxoByte. plu-ts leaves out the 160.
 * The size depends on the lovelace field's own CBOR width, so it is iterated to a fixed point.
 */
export function minAdaForOutput(address: string, assets: Record<string, bigint>, coinsPerUtxoByte: number): bigint {
  let lovelace = 0n;
  for (;;) {
    const size = BigInt(
      new TxOut({ address: Address.fromString(address), value: valueOf(lovelace, assets) }).toCbor().toBuffer().length,
    );
    const needed = (160n + size) * BigInt(coinsPerUtxoByte);
    if (needed <= lovelace) return lovelace;
    lovelace = needed;
  }
}

/**
 * Builds and signs a CIP-25 NFT mint by hand with plu-ts's ledger types. plu-ts's TxBuilder is avoided on
 * purpose: it always adds a Mint redeemer (fatal for native scripts) and under-estimates min-ADA.
 */
export function buildMintTransaction(req: MintRequest): MintedTx {
  const { key, publicKey, keyHashHex, script, policyIdHex } = policyFor(req.signingKeyHex);
  const name = assetNameFor(req.inspectionId);
  const unit = `${policyIdHex}${name.hex}`;
  const metadata = cip25Metadata({ ...req.nft, policyIdHex, assetName: name.text });
  const auxiliaryData = new AuxiliaryData({ metadata: new TxMetadata({ 721: toTxMetadatum(metadata[721]) }) });
  const nftAssets = { [unit]: 1n };
  const recipient = req.recipientAddress ?? req.walletAddress;
  const nftLovelace = minAdaForOutput(recipient, nftAssets, req.params.coinsPerUtxoByte);

  // Inputs in the caller's order until they cover the NFT output, a generous fee and a change output.
  const feeAllowance = 2_000_000n;
  const inputs: Utxo[] = [];
  let available = 0n;
  for (const u of req.utxos) {
    if (available >= nftLovelace + feeAllowance + changeMinimum(req, inputs)) break;
    inputs.push(u);
    available += u.lovelace;
  }
  const needed = nftLovelace + feeAllowance + changeMinimum(req, inputs);
  if (available < needed || inputs.length === 0) throw ChainErrors.insufficientFunds(needed, available);
  const carried = carriedAssets(inputs);

  const build = (fee: bigint) => {
    const change = new TxOut({
      address: Address.fromString(req.walletAddress),
      value: valueOf(available - nftLovelace - fee, carried),
    });
    const body = new TxBody({
      inputs: inputs.map(
        (u) =>
          new UTxO({
            utxoRef: { id: u.txHash, index: u.index },
            resolved: { address: Address.fromString(u.address), value: valueOf(u.lovelace, u.assets) },
          }),
      ) as [UTxO, ...UTxO[]],
      outputs: [new TxOut({ address: Address.fromString(recipient), value: valueOf(nftLovelace, nftAssets) }), change],
      fee,
      mint: Value.singleAsset(new Hash28(policyIdHex), Buffer.from(name.hex, 'hex'), 1),
      auxDataHash: auxiliaryData.hash,
      // Listed although the policy script already demands it: wallets and indexers read it from here.
      requiredSigners: [new PubKeyHash(keyHashHex)],
    });
    const tx = new Tx({ body, witnesses: { nativeScripts: [script] }, auxiliaryData });
    tx.addVKeyWitness(new VKeyWitness(new VKey(publicKey), new Signature(sign(null, tx.body.hash.toBuffer(), key))));
    return tx;
  };

  // The fee depends on the size, which depends on the fee's own width: iterate to a fixed point.
  let fee = BigInt(req.params.minFeeB);
  let tx = build(fee);
  for (let i = 0; i < 5; i++) {
    const required = BigInt(req.params.minFeeA) * BigInt(tx.toCbor().toBuffer().length) + BigInt(req.params.minFeeB);
    if (required <= fee) break;
    fee = required;
    tx = build(fee);
  }
  const assetMetadata = (metadata[721][policyIdHex] as Record<string, Record<string, unknown>>)[name.text] as Record<
    string,
    unknown
  >;
  return {
    txCborHex: tx.toCbor().toString(),
    txHash: tx.hash.toString(),
    policyIdHex,
    assetNameHex: name.hex,
    unit,
    inputs: inputs.map((u) => `${u.txHash}#${u.index}`),
    metadata: assetMetadata,
  };
}

function carriedAssets(inputs: Utxo[]): Record<string, bigint> {
  const assets: Record<string, bigint> = {};
  for (const u of inputs) for (const [unit, qty] of Object.entries(u.assets)) assets[unit] = (assets[unit] ?? 0n) + qty;
  return assets;
}

function changeMinimum(req: MintRequest, inputs: Utxo[]): bigint {
  return minAdaForOutput(req.walletAddress, carriedAssets(inputs), req.params.coinsPerUtxoByte);
}
