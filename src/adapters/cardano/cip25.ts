import { createHash } from 'node:crypto';
import {
  TxMetadatumInt,
  TxMetadatumList,
  TxMetadatumMap,
  TxMetadatumText,
  type TxMetadatum,
} from '@harmoniclabs/plu-ts';

/** The ledger refuses metadata strings longer than 64 bytes (UTF-8). */
export const METADATA_STRING_MAX_BYTES = 64;

/**
 * The NFT's asset name: "CD" + the first 30 hex digits of sha256(inspectionId), i.e. 32 ASCII bytes (the
 * ledger maximum). Deterministic, so a retried mint can find an earlier one; printable, so wallets show
 * it and CIP-25 v1 can key the metadata by it. 120 bits of the hash keep collisions out of reach.
 */
export function assetNameFor(inspectionId: string): { text: string; hex: string } {
  const text = `CD${createHash('sha256').update(inspectionId, 'utf8').digest('hex').slice(0, 30)}`;
  return { text, hex: Buffer.from(text, 'ascii').toString('hex') };
}

/**
 * A string as the ledger accepts it: unchanged when it fits in 64 bytes, otherwise a list of chunks of at
 * most 64 bytes each (the CIP-25 convention; readers join them). A multi-byte character is never cut.
 */
export function splitMetadataString(s: string): string | string[] {
  if (Buffer.byteLength(s, 'utf8') <= METADATA_STRING_MAX_BYTES) return s;
  const chunks: string[] = [];
  let current = '';
  for (const char of s) {
    if (Buffer.byteLength(current + char, 'utf8') > METADATA_STRING_MAX_BYTES) {
      chunks.push(current);
      current = '';
    }
    current += char;
  }
  if (current) chunks.push(current);
  return chunks;
}

export interface PdfRecord {
  variant: string;
  /** Hex SHA-256 of the PDF bytes. */
  sha256: string;
  /** Only for a variant on IPFS (the public one). */
  cid?: string;
}

/** What the inspection NFT says about itself (values are the domain's; formatting is done here). */
export interface Cip25Input {
  policyIdHex: string;
  assetName: string;
  name: string;
  /** Usually ipfs://<CID> (66 bytes for a CIDv1: it will be split). */
  image: string;
  prettyId: string;
  inspectionDate: string;
  rating: number | string;
  make: string;
  model: string;
  pdfs: PdfRecord[];
  /** Hash of the licence plate (never the plate itself: metadata is public forever). */
  plateHash: string;
}

export type MetadataJson = string | number | MetadataJson[] | { [key: string]: MetadataJson };

/**
 * The label-721 metadata (CIP-25 v1: policy and asset keyed by their hex/UTF-8 text). Each PDF carries its
 * hash algorithm explicitly ({alg: "sha256", hash}) so a later switch of algorithm stays readable.
 */
export function cip25Metadata(input: Cip25Input): { 721: Record<string, MetadataJson> } {
  const text = (s: string) => splitMetadataString(s);
  // Metadata has no floats: a fractional rating is kept as its decimal text.
  const rating =
    typeof input.rating === 'number' && Number.isInteger(input.rating) ? input.rating : text(String(input.rating));
  const asset: Record<string, MetadataJson> = {
    name: text(input.name),
    image: text(input.image),
    // The image is the report itself (a PDF on IPFS).
    mediaType: 'application/pdf',
    prettyId: text(input.prettyId),
    inspectionDate: text(input.inspectionDate),
    rating,
    make: text(input.make),
    model: text(input.model),
    pdf: input.pdfs.map((p) => ({
      variant: text(p.variant),
      alg: 'sha256',
      hash: text(p.sha256),
      ...(p.cid ? { cid: text(p.cid) } : {}),
    })),
    plateHash: text(input.plateHash),
  };
  return { 721: { [input.policyIdHex]: { [input.assetName]: asset }, version: '1.0' } };
}

/** Plain JSON metadata as plu-ts metadatum objects. */
export function toTxMetadatum(value: MetadataJson): TxMetadatum {
  if (typeof value === 'string') return new TxMetadatumText(value);
  if (typeof value === 'number') return new TxMetadatumInt(value);
  if (Array.isArray(value)) return new TxMetadatumList(value.map(toTxMetadatum));
  return new TxMetadatumMap(
    Object.entries(value).map(([k, v]) => ({ k: new TxMetadatumText(k), v: toTxMetadatum(v) })),
  );
}
