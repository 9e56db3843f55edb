import { MemoryBlockstore } from 'blockstore-core/memory';
import { FsBlockstore } from 'blockstore-fs';
import { exporter } from 'ipfs-unixfs-exporter';
import { importer, type ImporterOptions, type WritableStorage } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import { CID } from 'multiformats/cid';
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { IpfsErrors } from '../../domain/ipfs/ipfs-errors.js';
import type { Ipfs, IpfsAdded } from '../../ports/ipfs.js';

export type CidVersion = 0 | 1;

/**
 * Importer settings that reproduce the CIDs `ipfs add` prints: 256 KiB fixed chunks, balanced layout with
 * 174 links per node, a lone chunk as its own root. v0 (Kubo's default) keeps dag-pb leaves;
 * `--cid-version=1` implies raw leaves. Importer 17's defaults equal the v1 column (checked in its
 * constants.js), but they are spelled out so a default change upstream (as @helia/unixfs made: 1 MiB
 * chunks) cannot move our CIDs silently.
 */
export function kuboImportOptions(
  cidVersion: CidVersion,
  rawLeaves = cidVersion === 1,
  chunkSize = 262_144,
): ImporterOptions {
  return {
    cidVersion,
    rawLeaves,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize }),
    layout: balanced({ maxChildrenPerNode: 174 }),
  };
}

/** Parses a CID string (v0 "Qm..." or any multibase v1), or throws IPFS.INVALID_CID. */
export function parseCid(cid: string): CID {
  try {
    return CID.parse(cid);
  } catch {
    throw IpfsErrors.invalidCid(cid);
  }
}

/** Byte count of an add, and the error its input stream failed with, if it did. */
export interface InputTally {
  bytes: number;
  inputError?: unknown;
}

/**
 * Hands the bytes of a Buffer or byte stream on unchanged, counting them (the port reports content bytes)
 * and noting an input failure, so adapters can tell the caller's broken stream from a failing node.
 */
export async function* countedBytes(
  content: Uint8Array | AsyncIterable<Uint8Array | string>,
  tally: InputTally,
): AsyncGenerator<Uint8Array> {
  if (content instanceof Uint8Array) {
    tally.bytes += content.length;
    yield content;
    return;
  }
  try {
    for await (const chunk of content) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      tally.bytes += bytes.length;
      yield bytes;
    }
  } catch (e) {
    tally.inputError = e;
    throw e;
  }
}

/** Imports one file like `ipfs add`; returns its root CID and cumulative DAG size (Kubo's "Size"). */
export async function importFile(
  content: AsyncIterable<Uint8Array>,
  blockstore: WritableStorage,
  options: ImporterOptions,
): Promise<{ cid: CID; dagSize: bigint }> {
  let root: { cid: CID; dagSize: bigint } | undefined;
  for await (const entry of importer([{ content }], blockstore, options))
    root = { cid: entry.cid, dagSize: entry.size };
  if (!root) throw new Error('the importer produced no root for a single file');
  return root;
}

/** The CID `ipfs add --cid-version=<v>` would print for `bytes`, stored nowhere durable: for verification. */
export async function cidOf(bytes: Uint8Array, cidVersion: CidVersion): Promise<string> {
  return (
    await importFile(countedBytes(bytes, { bytes: 0 }), new MemoryBlockstore(), kuboImportOptions(cidVersion))
  ).cid.toString();
}

/** Bytes of a file read per exporter walk in cat: 4 chunks. */
const READ_WINDOW = 4 * 262_144;

/** Names that mean "this block (or codec) is not here": the exporter's and interface-store's NotFoundError. */
const MISSING = new Set(['NotFoundError', 'NoResolverError', 'NotUnixFSError']);
const isMissing = (e: unknown) => MISSING.has((e as Error | undefined)?.name ?? '');

/**
 * Recursive pins as one marker file per root CID. A marker appears by an atomic rename after fsync, so a
 * crash leaves either no pin or a whole one; separate files keep concurrent adds from racing on an index.
 */
class PinDirectory {
  constructor(private readonly dir: string) {}

  // dag-pb v0 and v1 spell the same node: one key for both, as the node's identity is codec + multihash.
  private file(cid: CID): string {
    return path.join(this.dir, CID.createV1(cid.code, cid.multihash).toString());
  }

  async add(cid: CID): Promise<void> {
    const tmp = path.join(this.dir, `.${randomUUID()}.tmp`);
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(`${cid.toString()}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.file(cid));
    const dir = await open(this.dir, 'r');
    await dir.sync().finally(() => dir.close());
  }

  has(cid: CID): Promise<boolean> {
    return stat(this.file(cid)).then(
      () => true,
      (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? false : Promise.reject(e)),
    );
  }

  remove(cid: CID): Promise<void> {
    return rm(this.file(cid), { force: true });
  }
}

export interface EmbeddedIpfsOptions {
  /** Directory holding `blocks/` and `pins/` (the app passes DATA_DIR/ipfs); created when missing. */
  dir: string;
  /** CID version of added content, as `ipfs add --cid-version` (default 1). */
  cidVersion?: CidVersion;
}

/**
 * The Ipfs port in-process: UnixFS import/export over a filesystem blockstore, with CIDs identical to
 * `ipfs add`. Content is served over HTTP by ipfsGatewayHandler rather than a libp2p node. Unpinned
 * blocks stay on disk (there is no garbage collector yet).
 */
export class EmbeddedIpfs implements Ipfs {
  readonly driver = 'embedded';
  readonly cidVersion: CidVersion;
  private readonly blockstore: FsBlockstore;
  private readonly pins: PinDirectory;
  private opening?: Promise<void>;

  constructor(private readonly options: EmbeddedIpfsOptions) {
    this.cidVersion = options.cidVersion ?? 1;
    this.blockstore = new FsBlockstore(path.join(options.dir, 'blocks'));
    this.pins = new PinDirectory(path.join(options.dir, 'pins'));
  }

  async add(content: Buffer | Readable): Promise<IpfsAdded> {
    await this.open();
    const tally: InputTally = { bytes: 0 };
    try {
      const { cid } = await importFile(
        countedBytes(content, tally),
        this.blockstore,
        kuboImportOptions(this.cidVersion),
      );
      await this.pins.add(cid);
      return { cid: cid.toString(), size: tally.bytes };
    } catch (e) {
      // A broken input stream is the caller's error; a failing disk (full, read-only) is the node's.
      if (tally.inputError !== undefined) throw tally.inputError;
      const err = e as NodeJS.ErrnoException;
      if (err.name === 'PutFailedError' || typeof err.code === 'string')
        throw IpfsErrors.unavailable(`cannot store under ${this.options.dir}: ${err.message}`);
      throw e;
    }
  }

  async cat(cid: string): Promise<Readable> {
    const parsed = parseCid(cid);
    await this.open();
    // The exporter loads the root block now, so a missing file fails here rather than mid-response.
    const entry = await exporter(parsed, this.blockstore).catch((e: unknown) =>
      Promise.reject(isMissing(e) ? IpfsErrors.notFound(cid) : e),
    );
    if (entry.type !== 'file' && entry.type !== 'raw' && entry.type !== 'identity') throw IpfsErrors.notFound(cid);
    const size = Number(entry.size);
    return Readable.from(
      (async function* () {
        try {
          // The exporter reads ahead into an unbounded queue, whatever the consumer's pace: asking for one
          // window at a time keeps a slow download of a large file to about READ_WINDOW bytes in memory.
          for (let offset = 0; offset < size; offset += READ_WINDOW) {
            for await (const chunk of entry.content({ offset, length: Math.min(READ_WINDOW, size - offset) }))
              yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          }
        } catch (e) {
          throw isMissing(e) ? IpfsErrors.notFound(cid) : e;
        }
      })(),
      { objectMode: false },
    );
  }

  async isPinned(cid: string): Promise<boolean> {
    const parsed = parseCid(cid);
    await this.open();
    return this.pins.has(parsed);
  }

  async unpin(cid: string): Promise<void> {
    const parsed = parseCid(cid);
    await this.open();
    await this.pins.remove(parsed);
  }

  private open(): Promise<void> {
    this.opening ??= (async () => {
      await this.blockstore.open();
      await mkdir(path.join(this.options.dir, 'pins'), { recursive: true });
    })().catch((e: unknown) => {
      // Let the next call try again (a volume mounted late, a permission fixed).
      this.opening = undefined;
      throw IpfsErrors.unavailable(`cannot open ${this.options.dir}: ${(e as Error).message}`);
    });
    return this.opening;
  }
}
