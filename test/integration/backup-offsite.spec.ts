import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { readBackupState } from '../../src/adapters/backup/backup-files.js';
import { copyOffsite, OffsiteCopyError } from '../../src/adapters/backup/offsite-copy.js';
import type { S3ObjectStorage } from '../../src/adapters/storage/s3-object-storage.js';
import type { ObjectStorage } from '../../src/ports/object-storage.js';
import { spawnEntry } from '../e2e/process.js';
import { freePort } from '../support/net.js';
import { emptyBucket, startS3rver, type S3TestServer } from '../support/s3-servers.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('backup offsite copy to an S3 store, verified by size and SHA-256 (s3rver)', function () {
  this.timeout(120_000);
  let s3: S3TestServer;
  let store: S3ObjectStorage;
  let dir: string;

  before(async () => {
    s3 = await startS3rver();
    store = await emptyBucket(s3, 'offsite-test');
  });
  after(() => s3.stop());
  beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-offsite-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** `npm run cli -- backup` of the test database with an offsite copy to the bucket of `s3env`. */
  const backupTo = (backupDir: string, s3env: Record<string, string>) =>
    spawnEntry('src/main/cli.ts', ['backup'], {
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      DATA_DIR: path.join(dir, 'data'),
      BACKUP_DIR: backupDir,
      BACKUP_OFFSITE: 's3',
      S3_BUCKET: 'offsite-test',
      ...s3env,
    });

  it('copies each file under the prefix and reads it back: same size, same SHA-256', async () => {
    const a = Buffer.alloc(300_000, 7);
    const b = Buffer.from('{"sha256":"x"}\n');
    await writeFile(path.join(dir, 'set.dump'), a);
    await writeFile(path.join(dir, 'set.meta.json'), b);
    const copies = await copyOffsite(store, [path.join(dir, 'set.dump'), path.join(dir, 'set.meta.json')], 'backups/');
    expect(copies).to.deep.equal([
      { key: 'backups/set.dump', bytes: a.length, sha256: sha(a) },
      { key: 'backups/set.meta.json', bytes: b.length, sha256: sha(b) },
    ]);
    const chunks: Buffer[] = [];
    for await (const c of await store.get('backups/set.dump')) chunks.push(c as Buffer);
    expect(sha(Buffer.concat(chunks))).to.equal(sha(a));
  });

  it('a copy that reads back different (same size) is an OffsiteCopyError, not a success', async () => {
    await writeFile(path.join(dir, 'set.dump'), Buffer.alloc(1000, 1));
    // A store that answers HEAD truthfully but serves other bytes of the same length (bit rot, a bad proxy).
    const lying: ObjectStorage = Object.assign(Object.create(store) as ObjectStorage, {
      get: async () => Readable.from([Buffer.alloc(1000, 2)]),
    });
    const e = await copyOffsite(lying, [path.join(dir, 'set.dump')], 'backups/').catch((x: unknown) => x);
    expect(e).to.be.instanceOf(OffsiteCopyError);
    expect((e as Error).message).to.match(/has SHA-256 [0-9a-f]{64}, the local file [0-9a-f]{64}/);
  });

  it('the backup command copies the dump, its manifest and metadata offsite and says so @cli-process', async () => {
    const backupDir = path.join(dir, 'backups');
    const run = backupTo(backupDir, {
      BACKUP_OFFSITE_PREFIX: 'nightly/',
      S3_ENDPOINT: `http://${s3.endPoint}:${s3.port}`,
      S3_ACCESS_KEY_ID: s3.accessKey,
      S3_SECRET_ACCESS_KEY: s3.secretKey,
    });
    expect(await run.exited, run.output()).to.equal(0);
    expect(run.output()).to.match(/offsite 3 files verified under nightly\//);
    const local = (await readdir(backupDir)).filter((f) => f.startsWith('car-dano-')).sort();
    const remote = (await store.list('nightly/')).map((o) => o.key.replace('nightly/', '')).sort();
    expect(remote).to.deep.equal(local);
    const state = await readBackupState(backupDir);
    expect(state.lastSuccess?.offsite).to.match(/^nightly\/car-dano-.*\.dump$/);
  });

  it('the backup command exits 3 when the offsite store is unreachable, keeps the local set, records the failure @cli-process', async () => {
    const backupDir = path.join(dir, 'backups');
    const run = backupTo(backupDir, {
      S3_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
      S3_ACCESS_KEY_ID: 'k',
      S3_SECRET_ACCESS_KEY: 's',
    });
    expect(await run.exited, run.output()).to.equal(3);
    expect(run.output()).to.match(
      /backup FAILED .*upload of backups\/car-dano-.*\.dump failed.*\(the local backup is kept\)/s,
    );
    const files = await readdir(backupDir);
    expect(files.filter((f) => f.endsWith('.dump'))).to.have.length(1);
    const state = await readBackupState(backupDir);
    expect(state.lastSuccess).to.equal(undefined);
    expect(state.lastFailure?.exitCode).to.equal(3);
    const meta = JSON.parse(
      await readFile(path.join(backupDir, files.find((f) => f.endsWith('.meta.json')) as string), 'utf8'),
    ) as { sha256: string };
    expect(meta.sha256).to.match(/^[0-9a-f]{64}$/);
  });
});
