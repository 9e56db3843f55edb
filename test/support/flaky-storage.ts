import type { Readable } from 'node:stream';
import { StorageErrors } from '../../src/domain/storage/storage-errors.js';
import { ContainerModule } from 'inversify';
import { FsObjectStorage } from '../../src/adapters/storage/fs-object-storage.js';
import { Tokens } from '../../src/main/tokens.js';
import { ObjectStorage, type PutObjectOptions, type StoredObjectInfo } from '../../src/ports/object-storage.js';

/** Wraps a real store and fails chosen calls: fault injection at the port. */
export class FlakyStorage implements ObjectStorage {
  readonly driver: string;
  failPutAfter = Infinity;
  /** Fail this many puts of keys matching `failPutsMatching`. */
  failPutsMatching: RegExp | null = null;
  failPutsRemaining = 0;
  /** Never answer this many puts of keys matching `hangPutsMatching` (a storage that hangs). */
  hangPutsMatching: RegExp | null = null;
  hangPutsRemaining = 0;
  failDeletes = false;
  puts = 0;
  deletes: string[] = [];

  constructor(private readonly inner: ObjectStorage) {
    this.driver = inner.driver;
  }

  async put(key: string, body: Buffer | Readable, o: PutObjectOptions): Promise<StoredObjectInfo> {
    this.puts++;
    if (this.hangPutsMatching?.test(key) && this.hangPutsRemaining > 0) {
      this.hangPutsRemaining--;
      return new Promise<StoredObjectInfo>(() => undefined);
    }
    const matched = this.failPutsMatching?.test(key) && this.failPutsRemaining > 0;
    if (matched) this.failPutsRemaining--;
    if (this.puts > this.failPutAfter || matched) {
      if (typeof (body as Readable).resume === 'function') (body as Readable).resume();
      throw StorageErrors.unavailable('injected put failure');
    }
    return this.inner.put(key, body, o);
  }
  get(key: string) {
    return this.inner.get(key);
  }
  head(key: string) {
    return this.inner.head(key);
  }
  async delete(key: string): Promise<void> {
    if (this.failDeletes) throw StorageErrors.unavailable('injected delete failure');
    this.deletes.push(key);
    return this.inner.delete(key);
  }
  signedGetUrl(key: string, s: number, o?: { downloadName?: string }) {
    return this.inner.signedGetUrl(key, s, o);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
}

/** Rebinds ObjectStorage to a FlakyStorage over the configured filesystem store; `created` receives it. */
export function flakyStorageModule(created: (flaky: FlakyStorage) => void): ContainerModule {
  return new ContainerModule(({ rebind }) => {
    rebind<ObjectStorage>(ObjectStorage)
      .toDynamicValue((ctx) => {
        const config = ctx.get(Tokens.Config);
        const flaky = new FlakyStorage(
          new FsObjectStorage({
            root: config.storage.fsRoot,
            baseUrl: 'http://127.0.0.1:3000',
            signer: ctx.get(Tokens.UrlSigner),
          }),
        );
        created(flaky);
        return flaky;
      })
      .inSingletonScope();
  });
}
