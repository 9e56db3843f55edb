import { expect } from 'chai';
import type { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ObjectStorageMigration } from '../../src/adapters/cli/object-storage-migration.js';
import { createKnexPersistence } from '../../src/adapters/postgres/index.js';
import { KnexStoredObjects } from '../../src/adapters/postgres/knex-stored-objects.js';
import { FsObjectStorage } from '../../src/adapters/storage/fs-object-storage.js';
import type { S3ObjectStorage } from '../../src/adapters/storage/s3-object-storage.js';
import { UrlSigner } from '../../src/adapters/storage/url-signer.js';
import { ObjectDeleter } from '../../src/application/photos/object-deleter.js';
import { objectsOf } from '../../src/domain/inspection/photo.js';
import { buildContainer } from '../../src/main/container.js';
import { buildHttpApp } from '../../src/main/http-app.js';
import { Tokens } from '../../src/main/tokens.js';
import { ObjectStorage } from '../../src/ports/object-storage.js';
import { STORED_RECORD_KINDS, type StoredRecord } from '../../src/ports/stored-objects.js';
import { testConfig } from '../support/config.js';
import { testKnex, truncateAll } from '../support/db.js';
import { memoryLogger } from '../support/logs.js';
import { freePort } from '../support/net.js';
import { emptyBucket, startS3rver, type S3TestServer } from '../support/s3-servers.js';
import { seedStoredObjects, sha256 } from '../support/stored-objects.js';

/** The app as it runs in each phase of the switch: its store, its deletion sweeper, its HTTP server. */
interface AppView {
  storage: ObjectStorage;
  deleter: ObjectDeleter;
  fallbackReads(): Promise<number>;
  close(): Promise<void>;
}

describe('storage switch fs -> s3: no referenced object is ever unreachable (PostgreSQL, s3rver, real app)', function () {
  this.timeout(120_000);
  let knex: Knex;
  let s3: S3TestServer;
  let dir: string;
  let port: number;
  let fsStore: FsObjectStorage;
  let s3Store: S3ObjectStorage;
  const secret = 'switch-url-secret-switch-url-secret-0123';

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
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-switch-'));
    port = await freePort();
    fsStore = new FsObjectStorage({
      root: path.join(dir, 'objects'),
      baseUrl: `http://127.0.0.1:${port}`,
      signer: new UrlSigner(secret),
    });
    s3Store = await emptyBucket(s3, 'switch');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** The production composition (storage module, http app with its signed-file handler) for one phase. */
  async function appView(env: Record<string, string>): Promise<AppView> {
    const config = testConfig({
      ...{ STORAGE_DRIVER: 's3', STORAGE_FS_ROOT: path.join(dir, 'objects'), DATA_DIR: path.join(dir, 'data') },
      ...{ STORAGE_URL_SECRET: secret, HOST: '127.0.0.1', PORT: String(port), S3_BUCKET: 'switch' },
      ...{ S3_ENDPOINT: `http://${s3.endPoint}:${s3.port}`, S3_ACCESS_KEY_ID: s3.accessKey },
      ...{ S3_SECRET_ACCESS_KEY: s3.secretKey },
      ...env,
    });
    const { logger } = memoryLogger();
    const container = buildContainer({ config, logger, knex });
    const server: Server = createServer(buildHttpApp(container, config, logger)).listen(port, '127.0.0.1');
    await once(server, 'listening');
    return {
      storage: container.get<ObjectStorage>(ObjectStorage),
      deleter: container.get(ObjectDeleter),
      fallbackReads: async () => {
        const m = await container
          .get(Tokens.Metrics)
          .registry.getSingleMetric('car_dano_storage_fallback_reads_total')
          ?.get();
        return (m?.values ?? []).reduce((n, v) => n + v.value, 0);
      },
      close: async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }

  async function everyRow(): Promise<StoredRecord[]> {
    const stored = new KnexStoredObjects(knex);
    const rows: StoredRecord[] = [];
    for (const kind of STORED_RECORD_KINDS) rows.push(...(await stored.list(kind, null, 1000)));
    return rows;
  }

  /**
   * Reads every object the database references as clients do (a stream, and for photos the signed URL over
   * HTTP) and compares its SHA-256 with `expected` (by key). Returns how many objects were read.
   */
  async function checkAll(view: AppView, expected: Map<string, string>, when: string): Promise<number> {
    let read = 0;
    for (const row of await everyRow())
      for (const o of row.objects) {
        const what = `${when}: ${row.kind} ${o.key} (row on ${row.driver})`;
        const chunks: Buffer[] = [];
        for await (const c of await view.storage.get(o.key)) chunks.push(c as Buffer);
        expect(sha256(Buffer.concat(chunks)), what).to.equal(expected.get(o.key));
        if (row.kind !== 'report-pdf') {
          const res = await fetch(await view.storage.signedGetUrl(o.key, 60));
          expect(res.status, `${what} over its signed URL`).to.equal(200);
          expect(sha256(Buffer.from(await res.arrayBuffer())), `${what} over its signed URL`).to.equal(
            expected.get(o.key),
          );
        }
        read++;
      }
    return read;
  }

  it('before, during (with a photo deleted and one replaced), after the migration and after the fallback is off', async () => {
    const seeded = await seedStoredObjects(knex, fsStore);
    const expected = new Map(seeded.map((o) => [o.key, sha256(o.bytes)]));

    // Negative control: switched to S3 without the fallback, nothing moved yet: the check must fail.
    const without = await appView({});
    const control = await checkAll(without, expected, 'control').then(
      () => null,
      (e: Error) => e,
    );
    await without.close();
    expect(control?.message, 'without the fallback the objects are unreachable').to.match(
      /STORAGE\.NOT_FOUND|No stored object/,
    );

    const view = await appView({ STORAGE_FALLBACK_DRIVER: 'fs' });
    expect(await checkAll(view, expected, 'before migrating')).to.equal(seeded.length);
    expect(await view.fallbackReads(), 'every read so far came from the old store').to.be.greaterThan(0);

    const p = createKnexPersistence(knex, () => ({ requestId: null, ip: null }));
    let rowsMigrated = 0;
    const started = process.hrtime.bigint();
    const summary = await new ObjectStorageMigration(new KnexStoredObjects(knex), fsStore, s3Store).run({
      dryRun: false,
      concurrency: 1,
      onRecord: async () => {
        rowsMigrated++;
        if (rowsMigrated === 1) {
          // As DeletePhoto and ReplacePhotoFile do it: the row changes, its old objects are queued with the
          // row's driver (fs) and swept at once, by the app's sweeper.
          // Two photos not migrated yet (still on fs): one deleted, one replaced.
          const [gone, old] = await Promise.all(
            (
              (await knex('inspection_photos')
                .where({ storage_driver: 'fs' })
                .orderBy('id', 'desc')
                .limit(2)) as Array<{
                id: string;
              }>
            ).map((r) => p.photos.findById(r.id)),
          );
          if (!gone || !old) throw new Error('two photos on fs expected');
          await p.photos.delete(gone.id);
          await p.deletions.enqueue(objectsOf(gone), new Date());
          const bytes = randomBytes(1234);
          const key = `${old.storageKey.replace(/\.jpg$/, '')}-v2.jpg`;
          await view.storage.put(key, bytes, { contentType: 'image/jpeg' });
          await p.photos.updateFile(
            old.id,
            {
              ...{ storageKey: key, storageDriver: view.storage.driver, contentType: 'image/jpeg' },
              ...{ sizeBytes: bytes.length, sha256: sha256(bytes), originalName: null },
            },
            new Date(),
          );
          expected.set(key, sha256(bytes));
          await p.deletions.enqueue(objectsOf(old), new Date());
          expect(await view.deleter.sweep()).to.include({ failed: 0 });
          expect(await fsStore.head(gone.storageKey), 'the deleted photo is gone from the old store').to.equal(null);
          expect(await fsStore.head(old.storageKey), 'the replaced file is gone from the old store').to.equal(null);
        }
        await checkAll(view, expected, `after ${rowsMigrated} migrated rows`);
      },
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    expect(summary).to.include({ failed: 0 });
    expect(summary.copied + summary.skipped).to.equal(summary.total);
    console.log(`      migration: ${summary.total} rows in ${seconds.toFixed(2)} s with a full check after each row`);

    expect(await checkAll(view, expected, 'after the migration')).to.be.greaterThan(0);
    expect(
      (await everyRow()).every((r) => r.driver === 's3'),
      'every row is on s3',
    ).to.equal(true);
    const reads = await view.fallbackReads();
    await checkAll(view, expected, 'after the migration, again');
    expect(await view.fallbackReads(), 'no read needs the old store any more').to.equal(reads);
    await view.close();

    // Only now is the fallback switched off.
    const after = await appView({});
    expect(await checkAll(after, expected, 'fallback off')).to.be.greaterThan(0);
    await after.close();
  });
});
