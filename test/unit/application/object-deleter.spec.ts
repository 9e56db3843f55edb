import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MemoryPendingDeletions } from '../../../src/adapters/memory/memory-pending-deletions.js';
import { MemoryStore } from '../../../src/adapters/memory/memory-store.js';
import { FallbackObjectStorage } from '../../../src/adapters/storage/fallback-object-storage.js';
import { FsObjectStorage } from '../../../src/adapters/storage/fs-object-storage.js';
import { UrlSigner } from '../../../src/adapters/storage/url-signer.js';
import { ObjectDeleter } from '../../../src/application/photos/object-deleter.js';
import { PIN_CHECK_DRIVER } from '../../../src/application/archive/public-archive.js';
import { FlakyStorage } from '../../support/flaky-storage.js';
import { TestClock } from './fixtures.js';

/** A filesystem store reporting another driver name: two independent stores without an S3 server. */
class NamedStore extends FlakyStorage {
  constructor(
    inner: FsObjectStorage,
    override readonly driver: string,
  ) {
    super(inner);
  }
}

describe('ObjectDeleter: pending deletions of every configured driver', () => {
  let dir: string;
  let pending: MemoryPendingDeletions;
  let clock: TestClock;
  let warnings: Array<{ message: string; meta: Record<string, unknown> }>;
  let s3: NamedStore;
  let fs: NamedStore;
  const log = { warn: (message: string, meta: Record<string, unknown>) => void warnings.push({ message, meta }) };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-deleter-'));
    const store = (name: string) =>
      new FsObjectStorage({ root: path.join(dir, name), baseUrl: 'http://x', signer: new UrlSigner('s'.repeat(40)) });
    s3 = new NamedStore(store('s3'), 's3');
    fs = new NamedStore(store('fs'), 'fs');
    pending = new MemoryPendingDeletions(new MemoryStore());
    clock = new TestClock();
    warnings = [];
    for (const [s, key] of [
      [s3, 'a/new.jpg'],
      [fs, 'a/old.jpg'],
      [fs, 'a/old.print.jpg'],
    ] as const)
      await s.put(key, Buffer.from(key), { contentType: 'image/jpeg' });
    await pending.enqueue(
      [
        { driver: 's3', key: 'a/new.jpg' },
        { driver: 'fs', key: 'a/old.jpg' },
        { driver: 'fs', key: 'a/old.print.jpg' },
        { driver: PIN_CHECK_DRIVER, key: 'bafy-cid' },
      ],
      clock.now(),
    );
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('during a switch (fallback configured) items recorded for the old driver are deleted from the old store too', async () => {
    const both = new FallbackObjectStorage(s3, fs);
    const deleter = new ObjectDeleter({ s3: both, fs: both }, pending, clock, log, [PIN_CHECK_DRIVER]);
    expect(await deleter.sweep()).to.deep.equal({ deleted: 3, failed: 0 });
    expect(await fs.head('a/old.jpg')).to.equal(null);
    expect(await fs.head('a/old.print.jpg')).to.equal(null);
    expect(await s3.head('a/new.jpg')).to.equal(null);
    expect(
      (await pending.due(clock.now(), 10)).map((d) => d.driver),
      'pin checks are not ours',
    ).to.deep.equal([PIN_CHECK_DRIVER]);
    expect(warnings).to.deep.equal([]);
  });

  it('items of a driver with no configured store stay queued untouched and are reported once, not on every sweep', async () => {
    const deleter = new ObjectDeleter(s3, pending, clock, log, [PIN_CHECK_DRIVER]);
    expect(await deleter.sweep()).to.deep.equal({ deleted: 1, failed: 0 });
    expect(await deleter.sweep()).to.deep.equal({ deleted: 0, failed: 0 });
    expect(warnings).to.have.length(1);
    expect(warnings[0]?.message).to.equal('object deletions wait for a store that is not configured');
    expect(warnings[0]?.meta).to.include({ driver: 'fs', due: 2 });
    const waiting = (await pending.due(clock.now(), 10)).filter((d) => d.driver === 'fs');
    expect(waiting.map((d) => d.attempts)).to.deep.equal([0, 0]);
    expect(await fs.head('a/old.jpg'), 'the old object is kept until its store is configured').to.not.equal(null);

    // Configured again (the fallback switched back on): the backlog is swept.
    const later = new ObjectDeleter({ s3, fs }, pending, clock, log, [PIN_CHECK_DRIVER]);
    expect(await later.sweep()).to.deep.equal({ deleted: 2, failed: 0 });
    expect(await fs.head('a/old.jpg')).to.equal(null);
  });

  it('a failed deletion of the old store is retried later with backoff, like the primary ones', async () => {
    fs.failDeletes = true;
    const deleter = new ObjectDeleter({ s3, fs }, pending, clock, log, [PIN_CHECK_DRIVER]);
    expect(await deleter.sweep()).to.deep.equal({ deleted: 1, failed: 2 });
    const [next] = await pending.due(new Date(clock.now().getTime() + 3600_000), 10, 'fs');
    expect(next).to.include({ attempts: 1 });
    expect(next?.lastError).to.contain('injected delete failure');
  });
});
