import type { ByteSource } from './object-storage.js';

/** SHA-256 of bytes for use cases that check stored objects (the hashing is Node's, so it sits behind a port). */
export interface ContentDigest {
  /** The SHA-256 (lowercase hex) and byte length of `body`, read to its end; rejects when reading fails. */
  sha256(body: ByteSource): Promise<{ sha256: string; size: number }>;
}

export const ContentDigest = Symbol('ContentDigest');
