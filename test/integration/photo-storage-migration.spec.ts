import { expect } from 'chai';
import type { Knex } from 'knex';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PhotoStorageMigration, type MigrationRecord } from '../../src/adapters/cli/photo-storage-migration.js';
import { createKnexPersistence } from '../../src/adapters/postgres/index.js';
import { FsObjectStorage } from '../../src/adapters/storage/fs-object-storage.js';
import { S3ObjectStorage } from '../../src/adapters/storage/s3-object-storage.js';
import { UrlSigner } from '../../src/adapters/storage/url-signer.js';
import { spawnEntry } from '../e2e/process.js';
import { testKnex, truncateAll } from '../support/db.js';
import { FlakyStorage } from '../support/flaky-storage.js';
import { imageBytes } from '../support/inspections.js';
import { startS3rver, type S3TestServer } from '../support/s3-servers.js';
import { newInspection } from '../contract/inspection-ports.contract.js';
import { newUser } from '../contract/user-repository.contract.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('photo storage migration: filesystem -> S3 (s3rver, PostgreSQL)', function () {
  this.timeout(60_000);
  let knex: Knex;
  let s3: S3TestServer;
  let dir: string;
  let fsStore: FsObjectStorage;
  let s3Store: S3ObjectStorage;
  const bucket = 'migration-test';

  before(async () => {
    knex = testKnex();
    s3 = await startS3rver();
  });
  after(async () => {
    await knex.destroy();
    await s3.stop();
  });

  beforeEach(async () => {
    await truncateAll(knex);
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-migrate-'));
    fsStore = new FsObjectStorage({
      root: path.join(dir, 'objects'),
      baseUrl: 'http://127.0.0.1:1',
      signer: new UrlSigner('x'.repeat(40)),
    });
    s3Store = new S3ObjectStorage({
      endPoint: s3.endPoint,
      port: s3.port,
      useSSL: false,
      region: 'us-east-1',
      bucket,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
    });
    await s3Store.ensureBucket();
    for (const o of await s3Store.list('')) await s3Store.delete(o.key);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** Three photos recorded on the filesystem store. */
  async function seed(): Promise<Array<{ id: string; key: string; bytes: Buffer }>> {
    const p = createKnexPersistence(knex, () => ({ requestId: null, ip: null }));
    const branch = await p.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, new Date());
    const inspector = await p.users.create(
      newUser({ role: 'INSPECTOR', branchCityId: branch.id, passwordHash: null, pinHash: 'h' }),
      new Date(),
    );
    const i = await p.inspections.create(
      newInspection({ inspectorId: inspector.id, branchCityId: branch.id }),
      new Date(),
    );
    const out = [];
    for (let n = 0; n < 3; n++) {
      const id = randomUUID();
      const key = `inspections/${i.id}/photos/${id}.jpg`;
      const bytes = imageBytes('jpeg', 3000 + n, n);
      await fsStore.put(key, bytes, { contentType: 'image/jpeg' });
      await p.photos.create(
        {
          id,
          inspectionId: i.id,
          storageKey: key,
          storageDriver: 'fs',
          contentType: 'image/jpeg',
          sizeBytes: bytes.length,
          sha256: sha(bytes),
          label: '',
          category: 'GENERAL',
          isMandatory: false,
          needAttention: false,
          displayInPdf: true,
          isDocument: false,
          sortOrder: n,
          originalName: null,
        },
        new Date(),
      );
      out.push({ id, key, bytes });
    }
    return out;
  }

  const migration = (target = s3Store as S3ObjectStorage | FlakyStorage) =>
    new PhotoStorageMigration(
      createKnexPersistence(knex, () => ({ requestId: null, ip: null })).photos,
      fsStore,
      target,
    );
  const drivers = async () =>
    (await knex('inspection_photos').orderBy('sort_order')).map((r: { storage_driver: string }) => r.storage_driver);

  it('dry run changes nothing; the real run copies, verifies and repoints every record; a rerun has nothing to do', async () => {
    const photos = await seed();
    const dry: MigrationRecord[] = [];
    const plan = await migration().run({ dryRun: true, concurrency: 2, onRecord: (r) => void dry.push(r) });
    expect(plan).to.include({ total: 3, wouldCopy: 3, copied: 0 });
    expect(await s3Store.list('')).to.deep.equal([]);
    expect(await drivers()).to.deep.equal(['fs', 'fs', 'fs']);

    const records: MigrationRecord[] = [];
    const run = await migration().run({ dryRun: false, concurrency: 2, onRecord: (r) => void records.push(r) });
    expect(run).to.include({ total: 3, copied: 3, failed: 0 });
    expect(records.map((r) => r.oldKey).sort()).to.deep.equal(photos.map((p) => p.key).sort());
    expect(await drivers()).to.deep.equal(['s3', 's3', 's3']);
    for (const p of photos) {
      const chunks: Buffer[] = [];
      for await (const c of await s3Store.get(p.key)) chunks.push(c as Buffer);
      expect(sha(Buffer.concat(chunks))).to.equal(sha(p.bytes));
    }
    expect(
      await fsStore.head(photos[0]?.key as string),
      'the source is kept until the operator removes it',
    ).to.not.equal(null);
    expect(await migration().run({ dryRun: false, concurrency: 2, onRecord: () => undefined })).to.include({
      total: 0,
    });
  });

  it('resumes after a failure: failed photos stay on the filesystem, copied ones are not copied twice', async () => {
    await seed();
    const flaky = new FlakyStorage(s3Store);
    flaky.failPutAfter = 1;
    const first = await migration(flaky).run({ dryRun: false, concurrency: 1, onRecord: () => undefined });
    expect(first).to.include({ copied: 1, failed: 2 });
    expect((await drivers()).sort()).to.deep.equal(['fs', 'fs', 's3']);
    // A crash after the copy but before the record update: the object is on S3, the row still says fs.
    const row = await knex('inspection_photos').where({ storage_driver: 'fs' }).first();
    await s3Store.put(row.storage_key, await fsStore.get(row.storage_key), {
      contentType: 'image/jpeg',
      size: Number(row.size_bytes),
    });
    const puts = flaky.puts;
    flaky.failPutAfter = Infinity;
    const second = await migration(flaky).run({ dryRun: false, concurrency: 2, onRecord: () => undefined });
    expect(second).to.include({ copied: 1, alreadyCopied: 1, failed: 0 });
    expect(flaky.puts - puts, 'only the missing object is uploaded').to.equal(1);
    expect(await drivers()).to.deep.equal(['s3', 's3', 's3']);
  });

  it('a corrupt object on the target is not trusted: it is copied again', async () => {
    const [p] = await seed();
    await s3Store.put(p?.key as string, Buffer.alloc(p?.bytes.length ?? 0, 7), { contentType: 'image/jpeg' });
    const r = await migration().run({ dryRun: false, concurrency: 1, onRecord: () => undefined });
    expect(r).to.include({ copied: 3, alreadyCopied: 0 });
    const chunks: Buffer[] = [];
    for await (const c of await s3Store.get(p?.key as string)) chunks.push(c as Buffer);
    expect(sha(Buffer.concat(chunks))).to.equal(sha(p?.bytes as Buffer));
  });

  it('the CLI writes a mapping file (old key -> new key) and prints the summary', async () => {
    await seed();
    const mapping = path.join(dir, 'mapping.jsonl');
    const env = {
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      DATA_DIR: dir,
      STORAGE_FS_ROOT: path.join(dir, 'objects'),
      STORAGE_URL_SECRET: 'x'.repeat(40),
      JWT_SECRET: 'j'.repeat(40),
      S3_ENDPOINT: `http://${s3.endPoint}:${s3.port}`,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: s3.accessKey,
      S3_SECRET_ACCESS_KEY: s3.secretKey,
    };
    const dry = spawnEntry('src/main/cli.ts', ['storage:migrate-photos', '--dry-run', '--mapping-file', mapping], env);
    expect(await dry.exited, dry.output()).to.equal(0);
    expect(dry.output()).to.contain('dry run: 3 photos: 0 copied, 0 already on s3, 3 to copy, 0 failed');
    const real = spawnEntry(
      'src/main/cli.ts',
      ['storage:migrate-photos', '--concurrency', '2', '--mapping-file', mapping],
      env,
    );
    expect(await real.exited, real.output()).to.equal(0);
    expect(real.output()).to.contain('3 photos: 3 copied');
    const lines = (await readFile(mapping, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as MigrationRecord & { dryRun: boolean });
    expect(lines).to.have.length(6);
    expect(
      lines
        .filter((l) => !l.dryRun)
        .every((l) => l.outcome === 'copied' && l.from === 'fs' && l.to === 's3' && l.oldKey === l.newKey),
    ).to.equal(true);
    expect(await drivers()).to.deep.equal(['s3', 's3', 's3']);
  });
});
