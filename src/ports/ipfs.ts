import type { Readable } from 'node:stream';

export interface IpfsAdded {
  /** The CID exactly as `ipfs add` would print it (v1 base32 by default, v0 "Qm..." when configured). */
  cid: string;
  /** Bytes of content added. */
  size: number;
}

export interface Ipfs {
  /** Short name of the backend ("embedded", "kubo"). */
  readonly driver: string;
  /**
   * Adds the bytes as a UnixFS file (chunked like `ipfs add` with the adapter's CID version) and pins it.
   * Adding the same bytes again returns the same CID. Errors: IPFS.UNAVAILABLE.
   */
  add(content: Buffer | Readable): Promise<IpfsAdded>;
  /** The file's bytes. Errors: IPFS.NOT_FOUND, IPFS.INVALID_CID, IPFS.UNAVAILABLE. */
  cat(cid: string): Promise<Readable>;
  /** True when the CID is pinned (recursively) on this node. Errors: IPFS.INVALID_CID, IPFS.UNAVAILABLE. */
  isPinned(cid: string): Promise<boolean>;
  /** Removes the pin (content may then be garbage-collected); unpinning what is not pinned succeeds. */
  unpin(cid: string): Promise<void>;
}

export const Ipfs = Symbol('Ipfs');
