import { expect } from 'chai';
import type { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ObjectStorageMigration, type MigrationRecord } from '../../src/adapters/cli/object-storage-migration.js';
import { KnexStoredObjects } from '../../src/adapters/postgres/knex-stored-objects.js';
import { FsObjectStorage } from '../../src/adapters/storage/fs-object-storage.js';
import type { S3ObjectStorage } from '../../src/adapters/storage/s3-object-storage.js';
import { UrlSigner } from '../../src/adapters/storage/url-signer.js';
import { spawnEntry } from '../e2e/process.js';
import { testKnex, truncateAll } from '../support/db.js';
import { FlakyStorage } from '../support/flaky-storage.js';
import { emptyBucket, startS3rver, type S3TestServer } from '../support/s3-servers.js';
import { seedStoredObjects, type SeededObject } from '../support/stored-objects.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('object storage migration: filesystem -> S3, every kind of stored object (s3rver, PostgreSQL)', function () {
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
    s3Store = await emptyBucket(s3, bucket);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const stored = () => new KnexStoredObjects(knex);
  const migration = (target = s3Store as S3ObjectStorage | FlakyStorage) =>
    new ObjectStorageMigration(stored(), fsStore, target);
  const drivers = async () => {
    const counts = await stored().counts();
    return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v]));
  };
  const allOn = (driver: string, n: { photos: number }) => ({
    'inspection-photo': { [driver]: n.photos },
    'vehicle-photo': { [driver]: 2 },
    'request-photo': { [driver]: 1 },
    'report-pdf': { [driver]: 2 },
  });
  const readSha = async (store: S3ObjectStorage | FsObjectStorage, key: string) => {
    const chunks: Buffer[] = [];
    for await (const c of await store.get(key)) chunks.push(c as Buffer);
    return sha(Buffer.concat(chunks));
  };

  const seed = () => seedStoredObjects(knex, fsStore);
  const ROWS = 8;

  it('dry run changes nothing; the real run copies, verifies and repoints every row of every kind; a rerun has nothing to do', async () => {
    const objects = await seed();
    const dry: MigrationRecord[] = [];
    const plan = await migration().run({ dryRun: true, concurrency: 2, onRecord: (r) => void dry.push(r) });
    expect(plan).to.include({ total: ROWS, wouldCopy: ROWS, copied: 0, objects: objects.length });
    expect(await s3Store.list('')).to.deep.equal([]);
    expect(await drivers()).to.deep.equal(allOn('fs', { photos: 3 }));
    expect(await knex('inspection_photos').whereNull('rendition_sha256').whereNotNull('rendition_key')).to.have.length(
      1,
      'a dry run records nothing',
    );

    const records: MigrationRecord[] = [];
    const run = await migration().run({ dryRun: false, concurrency: 2, onRecord: (r) => void records.push(r) });
    expect(run).to.include({ total: ROWS, copied: ROWS, failed: 0, objects: objects.length });
    expect(records.flatMap((r) => r.objects.map((o) => o.key)).sort()).to.deep.equal(objects.map((o) => o.key).sort());
    expect(await drivers()).to.deep.equal(allOn('s3', { photos: 3 }));
    for (const o of objects) expect(await readSha(s3Store, o.key), o.key).to.equal(sha(o.bytes));
    const rendition = objects.filter((o) => o.kind === 'rendition')[1] as SeededObject;
    expect(
      (await knex('inspection_photos').where({ id: rendition.id }).first()).rendition_sha256,
      'the hash of an old rendition is recorded once verified',
    ).to.equal(sha(rendition.bytes));
    expect(await fsStore.head(objects[0]?.key as string), 'the source is kept until it is retired').to.not.equal(null);
    expect(await migration().run({ dryRun: false, concurrency: 2, onRecord: () => undefined })).to.include({
      total: 0,
    });
  });

  it('--kinds moves only the kinds asked for', async () => {
    await seed();
    const r = await migration().run({
      dryRun: false,
      concurrency: 1,
      kinds: ['report-pdf', 'vehicle-photo'],
      onRecord: () => undefined,
    });
    expect(r).to.include({ total: 4, copied: 4 });
    expect(await drivers()).to.deep.equal({
      'inspection-photo': { fs: 3 },
      'vehicle-photo': { s3: 2 },
      'request-photo': { fs: 1 },
      'report-pdf': { s3: 2 },
    });
  });

  it('resumes after a failure: failed rows stay on the filesystem, verified copies are not copied twice', async () => {
    await seed();
    const flaky = new FlakyStorage(s3Store);
    flaky.failPutAfter = 2;
    const first = await migration(flaky).run({ dryRun: false, concurrency: 1, onRecord: () => undefined });
    // The first photo (original + rendition) moves; every later put fails.
    expect(first).to.include({ copied: 1, failed: ROWS - 1 });
    // A crash after a copy but before the row was repointed: the object is on S3, the row still says fs.
    const row = await knex('customer_vehicle_photos').where({ storage_driver: 'fs' }).orderBy('id').first();
    await s3Store.put(row.storage_key, await fsStore.get(row.storage_key), { contentType: 'image/jpeg' });
    const puts = flaky.puts;
    flaky.failPutAfter = Infinity;
    const second = await migration(flaky).run({ dryRun: false, concurrency: 2, onRecord: () => undefined });
    expect(second).to.include({ copied: ROWS - 2, alreadyCopied: 1, failed: 0 });
    expect(flaky.puts - puts, 'only the missing objects are uploaded').to.equal(7);
    expect(await drivers()).to.deep.equal(allOn('s3', { photos: 3 }));
  });

  it('a corrupt object on the target is not trusted: it is copied again', async () => {
    const [p] = await seed();
    await s3Store.put(p?.key as string, Buffer.alloc(p?.bytes.length ?? 0, 7), { contentType: 'image/jpeg' });
    const r = await migration().run({ dryRun: false, concurrency: 1, onRecord: () => undefined });
    expect(r).to.include({ copied: ROWS, alreadyCopied: 0 });
    expect(await readSha(s3Store, p?.key as string)).to.equal(sha(p?.bytes as Buffer));
  });

  it('a row whose object is missing on the source fails alone and stays where it is (exit 2 in the CLI)', async () => {
    const objects = await seed();
    const pdf = objects.find((o) => o.kind === 'report-pdf') as SeededObject;
    await fsStore.delete(pdf.key);
    const records: MigrationRecord[] = [];
    const r = await migration().run({ dryRun: false, concurrency: 2, onRecord: (x) => void records.push(x) });
    expect(r).to.include({ copied: ROWS - 1, failed: 1 });
    const failed = records.find((x) => x.outcome === 'failed');
    expect(failed).to.include({ kind: 'report-pdf', id: pdf.id });
    expect(failed?.error).to.contain(pdf.key);
    expect((await drivers())['report-pdf']).to.deep.equal({ fs: 1, s3: 1 });
  });

  it('the CLI (and its old name, with a deprecation line) writes a JSON-lines mapping and prints the summary @cli-process', async () => {
    await seed();
    const mapping = path.join(dir, 'mapping.jsonl');
    const env = {
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      DATA_DIR: dir,
      STORAGE_FS_ROOT: path.join(dir, 'objects'),
      STORAGE_URL_SECRET: 'x'.repeat(40),
      JWT_SECRET: 'j'.repeat(40),
      STORAGE_DRIVER: 's3',
      STORAGE_FALLBACK_DRIVER: 'fs',
      S3_ENDPOINT: `http://${s3.endPoint}:${s3.port}`,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: s3.accessKey,
      S3_SECRET_ACCESS_KEY: s3.secretKey,
    };
    const dry = spawnEntry('src/main/cli.ts', ['storage:migrate-photos', '--dry-run', '--mapping-file', mapping], env);
    expect(await dry.exited, dry.output()).to.equal(0);
    expect(dry.output()).to.contain('storage:migrate-photos is deprecated: use storage:migrate-objects');
    expect(dry.output()).to.contain(`dry run: ${ROWS} rows: 0 copied, 0 already on s3, ${ROWS} to copy, 0 skipped`);
    const real = spawnEntry(
      'src/main/cli.ts',
      ['storage:migrate-objects', '--from', 'fs', '--to', 's3', '--concurrency', '2', '--mapping-file', mapping],
      env,
    );
    expect(await real.exited, real.output()).to.equal(0);
    expect(real.output()).to.contain(`${ROWS} rows: ${ROWS} copied`);
    expect(real.output()).to.not.contain('warning: STORAGE_DRIVER');
    const lines = (await readFile(mapping, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as MigrationRecord & { dryRun: boolean });
    expect(lines).to.have.length(2 * ROWS);
    const done = lines.filter((l) => !l.dryRun);
    expect(done.every((l) => l.outcome === 'copied' && l.from === 'fs' && l.to === 's3')).to.equal(true);
    expect(
      done.flatMap((l) => l.objects).every((o) => o.outcome === 'copied' && /^[0-9a-f]{64}$/.test(o.sha256 ?? '')),
    ).to.equal(true);
    expect(new Set(done.map((l) => l.kind))).to.have.length(4);
    expect(await drivers()).to.deep.equal(allOn('s3', { photos: 3 }));
    const bad = spawnEntry('src/main/cli.ts', ['storage:migrate-objects', '--kinds', 'photos'], env);
    expect(await bad.exited).to.equal(64);
  });
});
