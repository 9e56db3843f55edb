import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import {
  formatManifestEntry,
  MANIFEST_NAME,
  MANIFEST_VERSION,
  MAX_MANIFEST_LINE,
  ManifestFormatError,
  parseManifestEntry,
  parseManifestHeader,
  type ManifestEntry,
  type ManifestHeader,
  type ManifestKind,
} from '../../application/stored-objects/manifest-format.js';
import { ObjectManifest, type StoreResolver } from '../../application/stored-objects/object-manifest.js';
import type { StoredObjects } from '../../ports/stored-objects.js';
import { NodeContentDigest } from '../storage/node-content-digest.js';

/** What `writeObjectManifest` wrote. `bytes`: the objects' total size (as listed). */
export interface ManifestSummary {
  objects: number;
  bytes: number;
  byKind: Partial<Record<ManifestKind, number>>;
  /** Renditions hashed (and their hash recorded) by this run. */
  hashedNow: number;
  /** Renditions listed without a hash: missing, of another size than recorded, or unreadable. */
  unhashed: number;
  /** Entries on a driver with no store here (listed with the database's values). */
  unverifiable: number;
  file: string;
  /** SHA-256 of the manifest file itself, to record beside the backup. */
  sha256OfFile: string;
}

export interface ManifestDeps {
  catalog: StoredObjects;
  storeFor: StoreResolver;
  now?: () => Date;
}

const FLUSH_AT = 1 << 16;

/** A temporary sibling of `file` (same directory, so the final rename is atomic). */
const tempOf = (file: string, what: string) => `${file}.${randomBytes(6).toString('hex')}.${what}.tmp`;

/** Writes `text` and the bytes of `body` to a new file (mode 0600), synced; the SHA-256 of what was written. */
async function assemble(target: string, text: string, bodyFile: string): Promise<string> {
  const hash = createHash('sha256').update(text);
  const out = await open(target, 'wx', 0o600);
  try {
    await out.write(text);
    for await (const chunk of createReadStream(bodyFile)) {
      hash.update(chunk as Buffer);
      await out.write(chunk as Buffer);
    }
    await out.sync();
  } finally {
    await out.close();
  }
  return hash.digest('hex');
}

/** Writes the entries one line each to `h`, in 64 KiB writes; the tallies. */
async function writeEntries(h: FileHandle, entries: AsyncIterable<ManifestEntry>) {
  const byKind: Partial<Record<ManifestKind, number>> = {};
  let objects = 0;
  let bytes = 0;
  let pending = '';
  for await (const e of entries) {
    pending += `${formatManifestEntry(e)}\n`;
    objects++;
    bytes += e.size ?? 0;
    byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
    if (pending.length >= FLUSH_AT) {
      await h.write(pending);
      pending = '';
    }
  }
  await h.write(pending);
  return { objects, bytes, byKind };
}

/**
 * Writes the object manifest of every object the database references to `file` (JSON lines: a header,
 * then one entry per object), atomically: the entries go to a temporary file first (the header counts
 * them), the result to another temporary file beside `file`, renamed over it once synced. Mode 0600: keys
 * name customers' inspections. Renditions without a recorded hash are hashed (and recorded) on the way.
 */
export async function writeObjectManifest(deps: ManifestDeps, file: string): Promise<ManifestSummary> {
  const target = path.resolve(file);
  await mkdir(path.dirname(target), { recursive: true });
  const bodyFile = tempOf(target, 'body');
  const finalFile = tempOf(target, 'manifest');
  try {
    const manifest = new ObjectManifest(deps.catalog, deps.storeFor, new NodeContentDigest());
    const h = await open(bodyFile, 'wx', 0o600);
    const tally = await writeEntries(h, manifest.entries()).finally(() => h.close());
    const header: ManifestHeader = {
      manifest: MANIFEST_NAME,
      version: MANIFEST_VERSION,
      createdAt: (deps.now ?? (() => new Date()))().toISOString(),
      counts: tally.byKind,
    };
    const sha256OfFile = await assemble(finalFile, `${JSON.stringify(header)}\n`, bodyFile);
    await rename(finalFile, target);
    return { ...tally, ...manifest.stats, file: target, sha256OfFile };
  } finally {
    await rm(bodyFile, { force: true });
    await rm(finalFile, { force: true });
  }
}

/**
 * The lines of a byte stream, refusing one longer than `max` bytes before holding more of it (a file
 * without newlines cannot fill memory). A final newline does not make an empty last line.
 */
export async function* boundedLines(chunks: AsyncIterable<Buffer>, max: number): AsyncGenerator<string> {
  let parts: Buffer[] = [];
  let held = 0;
  let lineNo = 1;
  const tooLong = () => new ManifestFormatError(`line ${lineNo}: longer than ${max} bytes`);
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      if (held + nl - start > max) throw tooLong();
      parts.push(chunk.subarray(start, nl));
      yield Buffer.concat(parts).toString('utf8');
      parts = [];
      held = 0;
      lineNo++;
      start = nl + 1;
    }
    held += chunk.length - start;
    if (held > max) throw tooLong();
    parts.push(chunk.subarray(start));
  }
  if (held > 0) yield Buffer.concat(parts).toString('utf8');
}

/** An opened manifest: its header, then its entries (each checked as it is read). */
export interface ManifestReader {
  header: ManifestHeader;
  entries: AsyncGenerator<ManifestEntry>;
}

/**
 * Opens a manifest file without trusting it: bounded lines, the header checked first (another file or
 * version is refused), every entry checked as it is read, and the entry counts compared with the header's
 * at the end (a truncated file is refused). Errors: ManifestFormatError naming the line.
 */
export async function openObjectManifest(file: string): Promise<ManifestReader> {
  const lines = boundedLines(createReadStream(file), MAX_MANIFEST_LINE);
  const first = await lines.next();
  if (first.done) throw new ManifestFormatError(`${file} is empty, not a ${MANIFEST_NAME} manifest`);
  let header: ManifestHeader;
  try {
    header = parseManifestHeader(first.value);
  } catch (e) {
    await lines.return(undefined);
    throw e;
  }
  async function* entries(): AsyncGenerator<ManifestEntry> {
    const seen: Partial<Record<ManifestKind, number>> = {};
    let lineNo = 1;
    for await (const line of lines) {
      const e = parseManifestEntry(line, ++lineNo);
      seen[e.kind] = (seen[e.kind] ?? 0) + 1;
      yield e;
    }
    const kinds = new Set([...Object.keys(seen), ...Object.keys(header.counts)]) as Set<ManifestKind>;
    for (const k of kinds)
      if ((seen[k] ?? 0) !== (header.counts[k] ?? 0))
        throw new ManifestFormatError(
          `the header counts ${header.counts[k] ?? 0} ${k} entries, the file has ${seen[k] ?? 0} (truncated or edited)`,
        );
  }
  return { header, entries: entries() };
}
