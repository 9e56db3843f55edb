import { Address, Credential, PubKeyHash } from '@harmoniclabs/plu-ts';
import type { ProtocolParameters, Utxo } from '../../domain/chain/chain.js';
import type { BuiltMint, NftContent, NftMinter } from '../../ports/nft-minter.js';
import { assetNameFor, buildMintTransaction, minAdaForOutput, policyFor } from './mint-transaction.js';

/** What one mint's fee may cost at most; inputs must cover it (the unused part comes back as change). */
const FEE_ALLOWANCE = 2_000_000n;

/** The bech32 address of a signing key (enterprise address: no staking part). */
export function walletAddressOf(signingKeyHex: string, network: string): string {
  // The key hash derived (once) with the minting policy.
  const credential = Credential.keyHash(new PubKeyHash(policyFor(signingKeyHex).keyHashHex));
  return (network === 'mainnet' ? Address.mainnet(credential) : Address.testnet(credential)).toString();
}

/**
 * The server's minting wallet: a single ed25519 key that pays, receives change and the NFTs, and is the
 * native-script policy. Transactions are built by hand with plu-ts's ledger types (see mint-transaction.ts).
 */
export class PlutsNftMinter implements NftMinter {
  readonly walletAddress: string;
  readonly policyId: string;
  readonly #signingKeyHex: string;

  constructor(signingKeyHex: string, network: string) {
    this.#signingKeyHex = signingKeyHex;
    this.policyId = policyFor(signingKeyHex).policyIdHex;
    this.walletAddress = walletAddressOf(signingKeyHex, network);
  }

  assetNameFor(inspectionId: string): string {
    return assetNameFor(inspectionId).hex;
  }

  lovelaceNeeded(params: ProtocolParameters): bigint {
    const sampleUnit = `${this.policyId}${'00'.repeat(32)}`;
    return (
      minAdaForOutput(this.walletAddress, { [sampleUnit]: 1n }, params.coinsPerUtxoByte) +
      FEE_ALLOWANCE +
      minAdaForOutput(this.walletAddress, {}, params.coinsPerUtxoByte)
    );
  }

  build(req: { inspectionId: string; content: NftContent; inputs: Utxo[]; params: ProtocolParameters }): BuiltMint {
    const c = req.content;
    const minted = buildMintTransaction({
      signingKeyHex: this.#signingKeyHex,
      walletAddress: this.walletAddress,
      utxos: req.inputs,
      params: req.params,
      inspectionId: req.inspectionId,
      nft: {
        name: c.name,
        image: c.image,
        prettyId: c.prettyId,
        inspectionDate: c.inspectionDate,
        rating: c.rating ?? '-',
        make: c.make ?? '-',
        model: c.model ?? '-',
        pdfs: c.pdfs,
        plateHash: c.plateHash,
      },
    });
    return { txCborHex: minted.txCborHex, txHash: minted.txHash, inputs: minted.inputs, metadata: minted.metadata };
  }

  /** Never print the key. */
  toJSON(): Record<string, string> {
    return { walletAddress: this.walletAddress, policyId: this.policyId };
  }
}
