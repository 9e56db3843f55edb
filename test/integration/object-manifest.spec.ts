import { expect } from 'chai';
import type { Knex } from 'knex';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openObjectManifest, writeObjectManifest } from '../../src/adapters/cli/object-manifest-file.js';
import { KnexStoredObjects } from '../../src/adapters/postgres/knex-stored-objects.js';
import { NodeContentDigest } from '../../src/adapters/storage/node-content-digest.js';
import { FsObjectStorage } from '../../src/adapters/storage/fs-object-storage.js';
import { UrlSigner } from '../../src/adapters/storage/url-signer.js';
import type { ManifestEntry } from '../../src/application/stored-objects/manifest-format.js';
import { databaseEntries } from '../../src/application/stored-objects/object-manifest.js';
import { VerifyObjects, type VerifyResult } from '../../src/application/stored-objects/verify-objects.js';
import { spawnEntry } from '../e2e/process.js';
import { useTestDatabase } from '../support/db.js';
import { seedStoredObjects, sha256, type SeededObject } from '../support/stored-objects.js';

const asEntry = (s: SeededObject): ManifestEntry => ({
  kind: s.kind,
  id: s.id,
  driver: s.driver,
  key: s.key,
  size: s.bytes.length,
  sha256: sha256(s.bytes),
  contentType: s.contentType,
});
const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);

describe('object manifest and storage:verify (PostgreSQL, filesystem store)', function () {
  this.timeout(60_000);
  let knex: Knex;
  useTestDatabase((k) => (knex = k));
  let dir: string;
  let store: FsObjectStorage;
  const storeFor = (driver: string) => (driver === 'fs' ? store : null);
  const catalog = () => new KnexStoredObjects(knex);
  const createdAt = new Date('2026-12-03T10:00:00.000Z');

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-manifest-'));
    store = new FsObjectStorage({
      root: path.join(dir, 'objects'),
      baseUrl: 'http://127.0.0.1:1',
      signer: new UrlSigner('x'.repeat(40)),
    });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const write = (file: string) => writeObjectManifest({ catalog: catalog(), storeFor, now: () => createdAt }, file);

  it('lists every object with its size and SHA-256, hashes (and records) an old rendition once, atomically, 0600', async () => {
    const seeded = await seedStoredObjects(knex, store);
    const file = path.join(dir, 'backups', 'objects.jsonl');
    const summary = await write(file);
    const text = await readFile(file, 'utf8');
    const [head, ...lines] = text.trimEnd().split('\n');
    expect(JSON.parse(head as string)).to.deep.equal({
      manifest: 'car-dano-objects',
      version: 1,
      createdAt: createdAt.toISOString(),
      counts: { 'inspection-photo': 3, rendition: 2, 'vehicle-photo': 2, 'request-photo': 1, 'report-pdf': 2 },
    });
    const entries = lines.map((l) => JSON.parse(l) as ManifestEntry);
    expect(entries.sort(byKey)).to.deep.equal(seeded.map(asEntry).sort(byKey));
    expect(summary).to.deep.equal({
      objects: 10,
      bytes: seeded.reduce((n, s) => n + s.bytes.length, 0),
      byKind: { 'inspection-photo': 3, rendition: 2, 'vehicle-photo': 2, 'request-photo': 1, 'report-pdf': 2 },
      hashedNow: 1,
      unhashed: 0,
      unverifiable: 0,
      file,
      sha256OfFile: sha256(Buffer.from(text)),
    });
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    expect(await readdir(path.dirname(file)), 'no temporary file left').to.deep.equal(['objects.jsonl']);
    const old = seeded.filter((s) => s.kind === 'rendition')[1] as SeededObject;
    const row = await knex('inspection_photos').where({ id: old.id }).first();
    expect(row.rendition_sha256, 'the hash is recorded').to.equal(sha256(old.bytes));
    expect((await write(path.join(dir, 'again.jsonl'))).hashedNow, 'hashed only once').to.equal(0);
  });

  it('verify finds exactly the deleted object (missing) and the same-size overwrite (corrupt); quick only the missing one', async () => {
    const seeded = await seedStoredObjects(knex, store);
    const file = path.join(dir, 'objects.jsonl');
    await write(file);
    const gone = seeded.find((s) => s.kind === 'vehicle-photo') as SeededObject;
    const damaged = seeded.find((s) => s.kind === 'report-pdf') as SeededObject;
    await store.delete(gone.key);
    await store.put(damaged.key, Buffer.alloc(damaged.bytes.length, 7), { contentType: 'application/pdf' });

    const verify = async (entries: AsyncIterable<ManifestEntry>, quick: boolean) => {
      const results: VerifyResult[] = [];
      const summary = await new VerifyObjects(storeFor, new NodeContentDigest()).run(entries, {
        concurrency: 3,
        quick,
        onResult: (r) => void results.push(r),
      });
      const problems = results.filter((r) => r.status !== 'ok').map((r) => [r.status, r.entry.key]);
      return { summary, problems: problems.sort() };
    };
    const full = await verify((await openObjectManifest(file)).entries, false);
    expect(full.problems).to.deep.equal([
      ['corrupt', damaged.key],
      ['missing', gone.key],
    ]);
    expect(full.summary).to.deep.include({ total: 10, ok: 8, missing: 1, corrupt: 1, sizeMismatch: 0, errors: 0 });
    expect(full.summary).to.deep.include({ unverifiable: 0, sizeOnly: 0 });
    expect(full.summary.bytesRead).to.equal(seeded.filter((s) => s !== gone).reduce((n, s) => n + s.bytes.length, 0));

    const quick = await verify((await openObjectManifest(file)).entries, true);
    expect(quick.problems).to.deep.equal([['missing', gone.key]]);
    expect(quick.summary).to.deep.include({ total: 10, ok: 9, missing: 1, corrupt: 0, sizeOnly: 9, bytesRead: 0 });

    const fromDb = await verify(databaseEntries(catalog(), 2), false);
    expect(fromDb.problems, 'without a manifest: the database values').to.deep.equal(full.problems);
  });

  it('entries on a driver with no store are unverifiable; a damaged old rendition is not hashed but found', async () => {
    const seeded = await seedStoredObjects(knex, store);
    const elsewhere = seeded.find((s) => s.kind === 'request-photo') as SeededObject;
    await knex('customer_request_photos').where({ id: elsewhere.id }).update({ storage_driver: 's3' });
    const old = seeded.filter((s) => s.kind === 'rendition')[1] as SeededObject;
    await store.put(old.key, Buffer.alloc(3, 1), { contentType: 'image/jpeg' });

    const summary = await write(path.join(dir, 'objects.jsonl'));
    expect(summary).to.include({ objects: 10, hashedNow: 0, unhashed: 1, unverifiable: 1 });
    const entries: ManifestEntry[] = [];
    for await (const e of (await openObjectManifest(path.join(dir, 'objects.jsonl'))).entries) entries.push(e);
    expect(entries.find((e) => e.key === elsewhere.key)).to.deep.equal({ ...asEntry(elsewhere), driver: 's3' });
    expect(entries.find((e) => e.key === old.key)).to.deep.equal({ ...asEntry(old), sha256: null });
    expect((await knex('inspection_photos').where({ id: old.id }).first()).rendition_sha256).to.equal(null);

    const results: VerifyResult[] = [];
    const listed = (async function* () {
      yield* entries;
    })();
    await new VerifyObjects(storeFor, new NodeContentDigest()).run(listed, {
      concurrency: 1,
      quick: false,
      onResult: (r) => void results.push(r),
    });
    expect(results.filter((r) => r.status !== 'ok').map((r) => [r.status, r.entry.key])).to.deep.equal([
      ['size-mismatch', old.key],
      ['unverifiable', elsewhere.key],
    ]);
  });

  it('the CLI writes a manifest, then verify exits 2 naming the missing and the corrupt object; 65 for a bad manifest @cli-process', async () => {
    const seeded = await seedStoredObjects(knex, store);
    const env = {
      DATABASE_URL: process.env.TEST_DATABASE_URL,
      DATA_DIR: dir,
      STORAGE_FS_ROOT: path.join(dir, 'objects'),
      STORAGE_URL_SECRET: 'x'.repeat(40),
      JWT_SECRET: 'j'.repeat(40),
    };
    const file = path.join(dir, 'm.jsonl');
    const made = spawnEntry('src/main/cli.ts', ['storage:manifest', '--out', file], env);
    expect(await made.exited, made.output()).to.equal(0);
    expect(made.output()).to.match(
      /manifest: 10 objects \(0\.0 MB\), 1 renditions hashed now, 0 unhashed, 0 unverifiable/,
    );
    expect(made.output()).to.contain(`File: ${file} (sha256 ${sha256(await readFile(file))})`);

    const gone = seeded.find((s) => s.kind === 'inspection-photo') as SeededObject;
    const damaged = seeded.find((s) => s.kind === 'rendition') as SeededObject;
    await store.delete(gone.key);
    await store.put(damaged.key, Buffer.alloc(damaged.bytes.length, 9), { contentType: 'image/jpeg' });
    const report = path.join(dir, 'verify.jsonl');
    const args = ['storage:verify', '--manifest', file, '--concurrency', '2', '--report-file', report];
    const run = spawnEntry('src/main/cli.ts', args, env);
    expect(await run.exited, run.output()).to.equal(2);
    expect(run.output()).to.contain(
      'verify: 10 objects: 8 ok, 1 missing, 0 size-mismatch, 1 corrupt, 0 unverifiable, 0 errors; 0 by size only',
    );
    expect(run.output()).to.contain(`missing inspection-photo ${gone.id} fs:${gone.key}`);
    const lines = (await readFile(report, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as VerifyResult);
    expect(lines.map((l) => [l.status, l.entry.key]).sort()).to.deep.equal([
      ['corrupt', damaged.key],
      ['missing', gone.key],
    ]);

    const quick = spawnEntry('src/main/cli.ts', ['storage:verify', '--quick'], env);
    expect(await quick.exited, quick.output()).to.equal(2);
    expect(quick.output()).to.contain('verify: 10 objects: 9 ok, 1 missing, 0 size-mismatch, 0 corrupt');
    expect(quick.output()).to.contain('quick (size only), from the database');

    const bad = spawnEntry('src/main/cli.ts', ['storage:verify', '--manifest', report], env);
    expect(await bad.exited, bad.output()).to.equal(65);
    expect(bad.output()).to.contain(`--manifest ${report}: line 1: not a car-dano-objects manifest`);
  });
});
