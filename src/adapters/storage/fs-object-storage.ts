import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isValidObjectKey, StorageErrors } from '../../domain/storage/storage-errors.js';
import type { ObjectStorage, PutObjectOptions, StoredObjectInfo } from '../../ports/object-storage.js';
import type { UrlSigner } from './url-signer.js';

// Suffixes use "@", a character object keys can never contain, so no key collides with a sidecar or temp
// file, and the object "a" (file "a@object") can coexist with "a/b" (directory "a") as it can on S3.
const DATA_SUFFIX = '@object';
const META_SUFFIX = '@meta.json';
const TEMP_MARK = '@tmp-';

interface Sidecar {
  contentType: string;
  etag: string;
}

export interface FsObjectStorageOptions {
  /** Directory holding the objects; created on first write. */
  root: string;
  /** Origin (and base path) where signedFileHandler is mounted under /files, e.g. http://localhost:3000. */
  baseUrl: string;
  signer: UrlSigner;
}

const isMissing = (e: unknown) => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException)?.code ?? '');
const isSystemError = (e: unknown): e is NodeJS.ErrnoException =>
  typeof (e as NodeJS.ErrnoException)?.syscall === 'string';

/**
 * ObjectStorage on the local filesystem (driver "fs"), the no-setup default. Writes go to a temp file in the
 * target directory and are renamed into place, so readers never see a partial object; the content type and
 * SHA-256 etag live in a sidecar next to the data. Downloads are served by signedFileHandler.
 */
export class FsObjectStorage implements ObjectStorage {
  readonly driver = 'fs';
  private readonly root: string;
  private readonly baseUrl: string;
  /** Per-key tail of pending commits: keeps a data file and its sidecar from two writers from interleaving. */
  private readonly commits = new Map<string, Promise<unknown>>();

  constructor(private readonly options: FsObjectStorageOptions) {
    this.root = path.resolve(options.root);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async put(key: string, body: Buffer | Readable, options: PutObjectOptions): Promise<StoredObjectInfo> {
    const base = this.pathOf(key);
    const temp = `${base}${TEMP_MARK}${randomUUID()}`;
    const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
    let sourceError: unknown;
    source.once('error', (e) => (sourceError = e));
    const hash = createHash('sha256');
    const hasher = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await mkdir(path.dirname(base), { recursive: true });
      const handle = await open(temp, 'wx');
      await pipeline(source, hasher, handle.createWriteStream());
      const written = await this.syncAndStat(temp);
      const sidecar: Sidecar = { contentType: options.contentType, etag: hash.digest('hex') };
      await writeFile(`${temp}${META_SUFFIX}`, JSON.stringify(sidecar));
      await this.serialised(key, async () => {
        await rename(temp, base + DATA_SUFFIX);
        await rename(`${temp}${META_SUFFIX}`, base + META_SUFFIX);
      });
      return {
        key,
        size: written.size,
        contentType: sidecar.contentType,
        lastModified: written.mtime,
        etag: sidecar.etag,
      };
    } catch (e) {
      await rm(temp, { force: true });
      await rm(`${temp}${META_SUFFIX}`, { force: true });
      // The caller's stream failing is the caller's error, not the store's.
      if (sourceError) throw sourceError;
      throw this.translate(e, `put ${key}`);
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.pathOf(key) + DATA_SUFFIX;
    try {
      // Opening first turns a missing object into NOT_FOUND now rather than a stream error later.
      const handle = await open(file, 'r');
      return handle.createReadStream();
    } catch (e) {
      if (isMissing(e)) throw StorageErrors.notFound(key);
      throw this.translate(e, `get ${key}`);
    }
  }

  async head(key: string): Promise<StoredObjectInfo | null> {
    const base = this.pathOf(key);
    try {
      const info = await stat(base + DATA_SUFFIX);
      const sidecar = await this.readSidecar(base);
      return { key, size: info.size, contentType: sidecar.contentType, lastModified: info.mtime, etag: sidecar.etag };
    } catch (e) {
      if (isMissing(e)) return null;
      throw this.translate(e, `head ${key}`);
    }
  }

  async delete(key: string): Promise<void> {
    const base = this.pathOf(key);
    try {
      // Data first: a crash in between leaves only an invisible sidecar that the next put replaces.
      await this.serialised(key, async () => {
        await rm(base + DATA_SUFFIX, { force: true });
        await rm(base + META_SUFFIX, { force: true });
      });
    } catch (e) {
      throw this.translate(e, `delete ${key}`);
    }
  }

  async signedGetUrl(key: string, expiresInSeconds: number, options?: { downloadName?: string }): Promise<string> {
    this.pathOf(key);
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds <= 0)
      throw new RangeError(`expiresInSeconds must be a positive integer, got ${expiresInSeconds}`);
    const signer = this.options.signer;
    const expires = signer.nowSeconds() + expiresInSeconds;
    const query = new URLSearchParams({
      expires: String(expires),
      signature: signer.sign(key, expires, options?.downloadName),
    });
    if (options?.downloadName !== undefined) query.set('download', options.downloadName);
    return `${this.baseUrl}/files/${key}?${query.toString()}`;
  }

  async list(prefix: string): Promise<StoredObjectInfo[]> {
    // Only the directories named by the prefix are walked. A directory part that is not a valid key path
    // cannot start any valid key (and must not be resolved against the root), so it lists nothing.
    const dirPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    if (dirPart !== '' && !isValidObjectKey(dirPart)) return [];
    try {
      const keys = await this.walk(
        dirPart === '' ? this.root : this.pathOf(dirPart),
        dirPart === '' ? '' : `${dirPart}/`,
        prefix,
      );
      keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const infos = await Promise.all(keys.map((k) => this.head(k)));
      // An object deleted between the walk and its head simply drops out.
      return infos.filter((i): i is StoredObjectInfo => i !== null);
    } catch (e) {
      throw this.translate(e, `list ${prefix}`);
    }
  }

  private async walk(dir: string, keyPrefix: string, wanted: string): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return [];
      throw e;
    }
    const found: string[] = [];
    for (const entry of entries) {
      if (entry.isDirectory()) {
        const sub = `${keyPrefix}${entry.name}/`;
        if (sub.startsWith(wanted) || wanted.startsWith(sub))
          found.push(...(await this.walk(path.join(dir, entry.name), sub, wanted)));
      } else if (entry.isFile() && entry.name.endsWith(DATA_SUFFIX) && !entry.name.includes(TEMP_MARK)) {
        const key = keyPrefix + entry.name.slice(0, -DATA_SUFFIX.length);
        if (key.startsWith(wanted)) found.push(key);
      }
    }
    return found;
  }

  /** Absolute path of a key without suffix; refuses anything that is not a valid key or leaves the root. */
  private pathOf(key: string): string {
    if (!isValidObjectKey(key)) throw StorageErrors.invalidKey(key);
    const resolved = path.resolve(this.root, ...key.split('/'));
    if (!resolved.startsWith(this.root + path.sep)) throw StorageErrors.invalidKey(key);
    return resolved;
  }

  private async readSidecar(base: string): Promise<Sidecar> {
    try {
      return JSON.parse(await readFile(base + META_SUFFIX, 'utf8')) as Sidecar;
    } catch (e) {
      if (!isMissing(e)) throw e;
      // Data without a sidecar (a file copied in by hand): still serveable, with a recomputed etag.
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(base + DATA_SUFFIX)) hash.update(chunk as Buffer);
      return { contentType: 'application/octet-stream', etag: hash.digest('hex') };
    }
  }

  /** Flushes the temp file to disk before the rename publishes it, so a crash cannot publish a hole. */
  private async syncAndStat(file: string) {
    const handle = await open(file, 'r+');
    try {
      await handle.sync();
      return await handle.stat();
    } finally {
      await handle.close();
    }
  }

  private async serialised<T>(key: string, step: () => Promise<T>): Promise<T> {
    const previous = this.commits.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(step);
    this.commits.set(key, current);
    try {
      return await current;
    } finally {
      if (this.commits.get(key) === current) this.commits.delete(key);
    }
  }

  private translate(e: unknown, what: string): unknown {
    if (isSystemError(e)) return StorageErrors.unavailable(`${what}: ${e.code ?? e.message}`);
    return e;
  }
}
