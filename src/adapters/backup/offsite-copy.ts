import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { ObjectStorage } from '../../ports/object-storage.js';
import { NodeContentDigest } from '../storage/node-content-digest.js';
import { hashFile } from './backup-files.js';

/** One file copied offsite and checked. */
export interface OffsiteCopy {
  key: string;
  bytes: number;
  sha256: string;
}

/** The offsite copy is missing or differs from the local file: the backup does not count as done. */
export class OffsiteCopyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OffsiteCopyError';
  }
}

/**
 * Copies backup files to the S3-compatible store under `prefix`, then reads each copy back: its size
 * (HEAD) and the SHA-256 of its bytes must equal the local file's. Any difference is an OffsiteCopyError.
 */
export async function copyOffsite(store: ObjectStorage, files: string[], prefix: string): Promise<OffsiteCopy[]> {
  const copies: OffsiteCopy[] = [];
  for (const file of files) {
    const local = await hashFile(file);
    const key = `${prefix}${path.basename(file)}`;
    try {
      await store.put(key, createReadStream(file), { contentType: 'application/octet-stream', size: local.bytes });
    } catch (e) {
      throw new OffsiteCopyError(`upload of ${key} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    const head = await store.head(key);
    if (!head || head.size !== local.bytes)
      throw new OffsiteCopyError(
        `offsite copy ${key} has ${head ? `${head.size} bytes` : 'vanished'}, the local file ${local.bytes} bytes`,
      );
    const remote = (await new NodeContentDigest().sha256(await store.get(key))).sha256;
    if (remote !== local.sha256)
      throw new OffsiteCopyError(`offsite copy ${key} has SHA-256 ${remote}, the local file ${local.sha256}`);
    copies.push({ key, bytes: local.bytes, sha256: local.sha256 });
  }
  return copies;
}
