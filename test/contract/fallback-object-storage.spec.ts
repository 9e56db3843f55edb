import { expect } from 'chai';
import express from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { FallbackObjectStorage, type FallbackRead } from '../../src/adapters/storage/fallback-object-storage.js';
import { FsObjectStorage } from '../../src/adapters/storage/fs-object-storage.js';
import { S3ObjectStorage } from '../../src/adapters/storage/s3-object-storage.js';
import { signedFileHandler } from '../../src/adapters/storage/signed-file-handler.js';
import { UrlSigner } from '../../src/adapters/storage/url-signer.js';
import { freePort } from '../support/net.js';
import { rejection } from '../support/rejection.js';
import { startS3rver, type S3TestServer } from '../support/s3-servers.js';
import { objectStorageContract, type ObjectStorageSubject } from './object-storage.contract.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

interface Stores {
  s3: S3ObjectStorage;
  fs: FsObjectStorage;
  reads: FallbackRead[];
  cleanup(): Promise<void>;
}

let server: Promise<S3TestServer> | undefined;
after(async () => {
  if (server) await (await server).stop();
});

/** A fresh bucket on s3rver and a filesystem store served by signedFileHandler on 127.0.0.1. */
async function stores(): Promise<Stores> {
  const s = await (server ??= startS3rver());
  const s3 = new S3ObjectStorage({
    endPoint: s.endPoint,
    port: s.port,
    useSSL: false,
    region: 'us-east-1',
    bucket: `fallback-${randomUUID().slice(0, 8)}`,
    accessKey: s.accessKey,
    secretKey: s.secretKey,
    multipartThresholdMB: 6,
    partSizeMB: 5,
    retryBaseMs: 5,
  });
  await s3.ensureBucket();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-fallback-'));
  const signer = new UrlSigner('fallback-secret');
  const app = express();
  const port = await freePort();
  const http: Server = createServer(app).listen(port, '127.0.0.1');
  await once(http, 'listening');
  const fs = new FsObjectStorage({ root: path.join(dir, 'objects'), baseUrl: `http://127.0.0.1:${port}`, signer });
  app.get('/files/*key', signedFileHandler(fs, signer));
  return {
    s3,
    fs,
    reads: [],
    cleanup: async () => {
      for (const o of await s3.list('')) await s3.delete(o.key);
      http.closeAllConnections();
      http.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const contractSubject = (primaryIsS3: boolean) => async (): Promise<ObjectStorageSubject> => {
  const st = await stores();
  const [primary, old] = primaryIsS3 ? [st.s3, st.fs] : [st.fs, st.s3];
  return {
    storage: new FallbackObjectStorage(primary, old),
    // Both stores check expiry and signature (s3rver included) and honour the download name.
    capabilities: { enforcesUrlExpiry: true, enforcesUrlSignature: true, downloadDisposition: true },
    cleanup: st.cleanup,
  };
};

objectStorageContract('FallbackObjectStorage (S3 on s3rver in front of the filesystem)', contractSubject(true));
objectStorageContract('FallbackObjectStorage (the filesystem in front of S3 on s3rver)', contractSubject(false));

describe('FallbackObjectStorage during a storage switch (s3rver in front of the filesystem)', () => {
  let st: Stores;
  let store: FallbackObjectStorage;
  const old = Buffer.from('only on the old store');
  const moved = Buffer.from('copied to the new store');

  beforeEach(async () => {
    st = await stores();
    store = new FallbackObjectStorage(st.s3, st.fs, (operation) => st.reads.push(operation));
    await st.fs.put('p/old.jpg', old, { contentType: 'image/jpeg' });
    await st.fs.put('p/moved.jpg', moved, { contentType: 'image/jpeg' });
    await st.s3.put('p/moved.jpg', moved, { contentType: 'image/jpeg' });
  });
  afterEach(() => st.cleanup());

  it('reads an object the new store lacks from the old one (get, head, signed URL) and counts each such read', async () => {
    expect(store.driver).to.equal('s3');
    expect(sha(await readAll(await store.get('p/old.jpg')))).to.equal(sha(old));
    expect(await store.head('p/old.jpg')).to.include({ size: old.length, contentType: 'image/jpeg' });
    const url = await store.signedGetUrl('p/old.jpg', 60, { downloadName: 'old.jpg' });
    expect(url).to.contain('/files/p/old.jpg?');
    const res = await fetch(url);
    expect(res.status).to.equal(200);
    expect(sha(Buffer.from(await res.arrayBuffer()))).to.equal(sha(old));
    expect(st.reads).to.deep.equal(['get', 'head', 'signed_url']);
  });

  it('an object on the new store is read and signed there, without touching the old store', async () => {
    expect(sha(await readAll(await store.get('p/moved.jpg')))).to.equal(sha(moved));
    const url = await store.signedGetUrl('p/moved.jpg', 60);
    expect(url).to.not.contain('/files/');
    expect((await fetch(url)).status).to.equal(200);
    expect(st.reads).to.deep.equal([]);
  });

  it('an object on neither store is NOT_FOUND / null, and is not counted', async () => {
    expect(await rejection(store.get('p/none.jpg'))).to.include({ code: 'STORAGE.NOT_FOUND' });
    expect(await store.head('p/none.jpg')).to.equal(null);
    expect(st.reads).to.deep.equal([]);
  });

  it('writes go to the new store only; delete removes the key from both', async () => {
    await store.put('p/new.jpg', Buffer.from('new'), { contentType: 'image/jpeg' });
    expect(await st.fs.head('p/new.jpg')).to.equal(null);
    expect(await st.s3.head('p/new.jpg')).to.not.equal(null);
    await store.delete('p/moved.jpg');
    await store.delete('p/old.jpg');
    expect(await st.s3.head('p/moved.jpg')).to.equal(null);
    expect(await st.fs.head('p/moved.jpg')).to.equal(null);
    expect(await st.fs.head('p/old.jpg')).to.equal(null);
  });

  it('lists both stores merged in key order, the new store winning for a key on both', async () => {
    const listed = await store.list('p/');
    expect(listed.map((o) => o.key)).to.deep.equal(['p/moved.jpg', 'p/old.jpg']);
    expect(listed[0]?.etag).to.equal((await st.s3.head('p/moved.jpg'))?.etag);
  });

  it('refuses a fallback on the same driver', () => {
    expect(() => new FallbackObjectStorage(st.fs, st.fs)).to.throw(RangeError);
  });
});
