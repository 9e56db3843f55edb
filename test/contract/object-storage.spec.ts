import { expect } from 'chai';
import express from 'express';
import { Client } from 'minio';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { FsObjectStorage } from '../../src/adapters/storage/fs-object-storage.js';
import {
  S3ObjectStorage,
  type S3ObjectStorageOptions,
  type StorageLogger,
} from '../../src/adapters/storage/s3-object-storage.js';
import { signedFileHandler } from '../../src/adapters/storage/signed-file-handler.js';
import { UrlSigner } from '../../src/adapters/storage/url-signer.js';
import { freePort } from '../support/net.js';
import { startFauxqs, startS3rver, type S3TestServer } from '../support/s3-servers.js';
import { objectStorageContract, type ObjectStorageSubject, type PartRecord } from './object-storage.contract.js';

const codeOf = (e: unknown) => (e as { code?: string }).code;

/** Every file under `dir`, relative and sorted: sidecars and temp files included, to catch any leftover. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map(async (e) =>
      e.isDirectory() ? (await filesUnder(path.join(dir, e.name))).map((f) => `${e.name}/${f}`) : [e.name],
    ),
  );
  return nested.flat().sort();
}

async function listen(app: express.Express): Promise<{ server: Server; port: number }> {
  const port = await freePort();
  const server = createServer(app).listen(port, '127.0.0.1');
  await once(server, 'listening');
  return { server, port };
}

async function fsSubject(): Promise<ObjectStorageSubject> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-fs-storage-'));
  const signer = new UrlSigner('contract-secret');
  const app = express();
  const { server, port } = await listen(app);
  // The root sits inside `dir`, so a write that escaped the root would still show up in entries().
  const storage = new FsObjectStorage({ root: path.join(dir, 'objects'), baseUrl: `http://127.0.0.1:${port}`, signer });
  app.get('/files/*key', signedFileHandler(storage, signer));
  return {
    storage,
    capabilities: { enforcesUrlExpiry: true, enforcesUrlSignature: true, downloadDisposition: true },
    entries: () => filesUnder(dir),
    cleanup: async () => {
      server.closeAllConnections();
      server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function recordingLogger(): StorageLogger & { parts(): PartRecord[] } {
  const parts: PartRecord[] = [];
  const ignore = () => undefined;
  return {
    info: (message, meta) => {
      if (message === 'storage.s3.part_uploaded' && meta)
        parts.push({ partNumber: meta.partNumber as number, size: meta.size as number, sha1: meta.sha1 as string });
    },
    warn: ignore,
    error: ignore,
    parts: () => [...parts],
  };
}

/** A real client whose uploads of one part number always fail as a dropped connection would. */
function failingPartClient(real: Client, failing: number, attempts: Map<number, number>): Client {
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'uploadPart') {
        return async (...args: Parameters<Client['uploadPart']>) => {
          const n = args[0].partNumber;
          attempts.set(n, (attempts.get(n) ?? 0) + 1);
          if (n === failing) throw Object.assign(new Error('socket hang up (injected)'), { code: 'ECONNRESET' });
          return target.uploadPart(...args);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function keysIn(client: Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of client.listObjectsV2(bucket, prefix, true)) if (item.name) keys.push(item.name);
  return keys.sort();
}

/**
 * fauxqs 1.9.2 cannot list multipart uploads, but refuses to delete a bucket with an upload in progress,
 * with a message ("...all versions...") distinct from the one about objects. Deleting is harmless when it
 * works: the bucket is made again at once.
 */
async function fauxqsHasPendingUploads(client: Client, bucket: string): Promise<boolean> {
  try {
    await client.removeBucket(bucket);
    await client.makeBucket(bucket);
    return false;
  } catch (e) {
    if (codeOf(e) === 'BucketNotEmpty') return /versions/.test((e as Error).message);
    throw e;
  }
}

async function s3Subject(
  connection: Omit<S3ObjectStorageOptions, 'bucket'>,
  bucket: string,
  kind: 's3rver' | 'fauxqs' | 'b2',
): Promise<ObjectStorageSubject> {
  const client = new Client({
    endPoint: connection.endPoint,
    port: connection.port,
    useSSL: connection.useSSL,
    region: connection.region,
    accessKey: connection.accessKey,
    secretKey: connection.secretKey,
  });
  const logger = recordingLogger();
  // Threshold and part size lowered so 12 MiB goes up in 5 MiB parts (fauxqs takes bodies up to 11 MiB).
  const options: S3ObjectStorageOptions = {
    ...connection,
    bucket,
    multipartThresholdMB: 6,
    partSizeMB: 5,
    partAttempts: 3,
    retryBaseMs: 5,
    logger,
  };
  const storage = new S3ObjectStorage(options);
  if (kind !== 'b2') await storage.ensureBucket();
  const attempts = new Map<number, number>();
  const failingStorage = new S3ObjectStorage({
    ...options,
    logger: undefined,
    client: failingPartClient(client, 2, attempts),
  });
  const local = kind !== 'b2';
  return {
    storage,
    capabilities: {
      // fauxqs has no auth at all: presigned URLs work, but neither expiry nor signature is checked, and
      // response-content-disposition is ignored. s3rver checks both and applies response-* overrides.
      enforcesUrlExpiry: kind !== 'fauxqs',
      enforcesUrlSignature: kind !== 'fauxqs',
      downloadDisposition: kind !== 'fauxqs',
      multipart: { partLog: () => logger.parts() },
      failingPart: { storage: failingStorage, attempts: (n) => attempts.get(n) ?? 0, expectedAttempts: 3 },
      // s3rver implements neither ListMultipartUploads nor AbortMultipartUpload (405): it cannot tell.
      hasPendingUploads:
        kind === 'fauxqs'
          ? () => fauxqsHasPendingUploads(client, bucket)
          : kind === 'b2'
            ? async (prefix) => {
                for await (const _upload of client.listIncompleteUploads(bucket, prefix, true)) return true;
                return false;
              }
            : undefined,
    },
    // A shared B2 bucket holds other objects: only the local, per-test buckets can be snapshotted.
    entries: local ? () => keysIn(client, bucket) : undefined,
    cleanup: async () => {
      if (!local) return;
      for (const key of await keysIn(client, bucket)) await client.removeObject(bucket, key);
      await client.removeBucket(bucket).catch(() => undefined);
    },
  };
}

// One server of each kind for the whole run, started on first use; each test gets its own bucket.
const servers = new Map<string, Promise<S3TestServer>>();
function server(name: 's3rver' | 'fauxqs'): Promise<S3TestServer> {
  if (!servers.has(name)) servers.set(name, name === 's3rver' ? startS3rver() : startFauxqs());
  return servers.get(name) as Promise<S3TestServer>;
}
const connectionTo = (s: S3TestServer) => ({
  endPoint: s.endPoint,
  port: s.port,
  useSSL: false,
  region: 'us-east-1',
  accessKey: s.accessKey,
  secretKey: s.secretKey,
});
const localServer = (name: 's3rver' | 'fauxqs') => async () =>
  s3Subject(connectionTo(await server(name)), `contract-${randomUUID().slice(0, 8)}`, name);

after(async () => {
  for (const server of servers.values()) await (await server).stop();
});

objectStorageContract('FsObjectStorage (signed URLs through signedFileHandler)', fsSubject);
objectStorageContract('S3ObjectStorage on s3rver', localServer('s3rver'));
objectStorageContract('S3ObjectStorage on fauxqs', localServer('fauxqs'));

const { B2_TEST_ENDPOINT, B2_TEST_BUCKET, B2_TEST_KEY_ID, B2_TEST_APPLICATION_KEY } = process.env;
if (B2_TEST_ENDPOINT && B2_TEST_BUCKET && B2_TEST_KEY_ID && B2_TEST_APPLICATION_KEY) {
  const url = new URL(B2_TEST_ENDPOINT.includes('://') ? B2_TEST_ENDPOINT : `https://${B2_TEST_ENDPOINT}`);
  // B2 endpoints read s3.<region>.backblazeb2.com.
  const region = process.env.B2_TEST_REGION ?? url.hostname.split('.')[1] ?? 'us-east-1';
  const connection = {
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    useSSL: url.protocol === 'https:',
    region,
    accessKey: B2_TEST_KEY_ID,
    secretKey: B2_TEST_APPLICATION_KEY,
  };
  objectStorageContract('S3ObjectStorage on Backblaze B2', () => s3Subject(connection, B2_TEST_BUCKET, 'b2'));
} else {
  describe.skip('ObjectStorage contract: S3ObjectStorage on Backblaze B2 (set B2_TEST_ENDPOINT, B2_TEST_BUCKET, B2_TEST_KEY_ID, B2_TEST_APPLICATION_KEY)', () => {
    it('runs the contract against a real bucket');
  });
}

describe('fauxqs pending-upload probe (used by the contract)', () => {
  it('sees an upload left open and stops seeing it once aborted', async () => {
    const client = new Client(connectionTo(await server('fauxqs')));
    const bucket = `contract-probe-${randomUUID().slice(0, 8)}`;
    await client.makeBucket(bucket);
    await client.putObject(bucket, 'an-object', Buffer.from('x'));
    expect(await fauxqsHasPendingUploads(client, bucket)).to.equal(false);
    const uploadId = await client.initiateNewMultipartUpload(bucket, 'open', {});
    expect(await fauxqsHasPendingUploads(client, bucket)).to.equal(true);
    await client.abortMultipartUpload(bucket, 'open', uploadId);
    expect(await fauxqsHasPendingUploads(client, bucket)).to.equal(false);
    await client.removeObject(bucket, 'an-object');
    await client.removeBucket(bucket);
  });
});

describe('signedFileHandler over HTTP (FsObjectStorage)', () => {
  let dir: string;
  let now: Date;
  let storage: FsObjectStorage;
  let app: express.Express;
  const pathOf = (url: string) => {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  };
  const expectProblem = (res: request.Response, status: number, code: string) => {
    expect(res.status).to.equal(status);
    expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    expect(body).to.include({ status, code });
    expect(body.type).to.be.a('string').that.is.not.empty;
    expect(body.title).to.be.a('string').that.is.not.empty;
    expect(body.detail).to.be.a('string').that.is.not.empty;
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-signed-files-'));
    now = new Date('2026-03-01T10:00:00.000Z');
    // A movable clock: expiry is tested by moving time, not by waiting.
    const signer = new UrlSigner('handler-secret', () => now);
    storage = new FsObjectStorage({ root: dir, baseUrl: 'http://files.test', signer });
    app = express();
    app.get('/files/*key', signedFileHandler(storage, signer));
    await storage.put('reports/r1/full.pdf', Buffer.from('%PDF-1.7 full report'), { contentType: 'application/pdf' });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('streams the object with its type, length, etag, a private cache lifetime and the download name', async () => {
    const url = await storage.signedGetUrl('reports/r1/full.pdf', 300, { downloadName: 'Laporan Mobil – B 1234.pdf' });
    expect(url).to.match(
      /^http:\/\/files\.test\/files\/reports\/r1\/full\.pdf\?expires=\d+&signature=[0-9a-f]{64}&download=/,
    );
    now = new Date(now.getTime() + 100_000);
    const res = await request(app)
      .get(pathOf(url))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).to.equal(200);
    expect((res.body as Buffer).toString()).to.equal('%PDF-1.7 full report');
    expect(res.headers).to.include({
      'content-type': 'application/pdf',
      'content-length': '20',
      'cache-control': 'private, max-age=200',
      'x-content-type-options': 'nosniff',
    });
    expect(res.headers.etag).to.equal(`"${(await storage.head('reports/r1/full.pdf'))?.etag}"`);
    expect(res.headers['content-disposition']).to.equal(
      `attachment; filename="Laporan Mobil _ B 1234.pdf"; filename*=UTF-8''Laporan%20Mobil%20%E2%80%93%20B%201234.pdf`,
    );
  });

  it('answers 403 STORAGE.URL_EXPIRED once the expiry has passed', async () => {
    const url = await storage.signedGetUrl('reports/r1/full.pdf', 60);
    now = new Date(now.getTime() + 60_000);
    expectProblem(await request(app).get(pathOf(url)), 403, 'STORAGE.URL_EXPIRED');
  });

  it('answers 403 STORAGE.URL_INVALID for a changed key, expiry, download name or signature, or missing parameters', async () => {
    await storage.put('reports/r2/full.pdf', Buffer.from('other'), { contentType: 'application/pdf' });
    const url = pathOf(await storage.signedGetUrl('reports/r1/full.pdf', 60, { downloadName: 'a.pdf' }));
    const expires = /expires=(\d+)/.exec(url)?.[1] as string;
    const forged = [
      url.replace('/r1/', '/r2/'),
      url.replace(`expires=${expires}`, `expires=${Number(expires) + 3600}`),
      url.replace('download=a.pdf', 'download=b.pdf'),
      url.replace('&download=a.pdf', ''),
      url.replace(/signature=([0-9a-f])/, (_m, c: string) => `signature=${c === '0' ? '1' : '0'}`),
      url.replace(/&signature=[0-9a-f]+/, ''),
      `${url}&signature=${'0'.repeat(64)}`,
    ];
    for (const f of forged) expectProblem(await request(app).get(f), 403, 'STORAGE.URL_INVALID');
    expect((await request(app).get(url)).status).to.equal(200);
  });

  it('answers 404 STORAGE.NOT_FOUND when a correctly signed object is gone', async () => {
    const url = await storage.signedGetUrl('reports/r1/full.pdf', 60);
    await storage.delete('reports/r1/full.pdf');
    expectProblem(await request(app).get(pathOf(url)), 404, 'STORAGE.NOT_FOUND');
  });
});
