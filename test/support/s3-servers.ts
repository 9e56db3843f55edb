/**
 * Local S3-compatible servers for the storage tests, each on a free port of 127.0.0.1. Neither is complete
 * (see FIELD-NOTES "S3-compatible storage"), which is why the contract suite runs against both:
 * - s3rver checks SigV4 signatures and presigned-URL expiry, but cannot abort or list multipart uploads;
 * - fauxqs has faithful multipart (abort, EntityTooSmall, InvalidPart), but no auth and an 11 MiB body limit.
 */
import { buildApp } from 'fauxqs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { S3ObjectStorage, type S3ObjectStorageOptions } from '../../src/adapters/storage/s3-object-storage.js';
import { freePort } from './net.js';

export interface S3TestServer {
  name: string;
  endPoint: string;
  port: number;
  accessKey: string;
  secretKey: string;
  stop(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<unknown>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver is CommonJS without typings: load it untyped and describe the two methods used.
const S3rver = createRequire(import.meta.url)('@20minutes/s3rver') as S3rverClass;

/** s3rver storing under a fresh temp directory; its only credentials are S3RVER / S3RVER. */
export async function startS3rver(): Promise<S3TestServer> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'cardano-s3rver-'));
  const port = await freePort();
  const server = new S3rver({ address: '127.0.0.1', port, silent: true, directory, vhostBuckets: false });
  await server.run();
  return {
    name: 's3rver',
    endPoint: '127.0.0.1',
    port,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** fauxqs (in-memory, so no directory); it accepts any credentials. */
export async function startFauxqs(): Promise<S3TestServer> {
  const app = buildApp({ logger: false });
  const port = await freePort();
  await app.listen({ host: '127.0.0.1', port });
  return {
    name: 'fauxqs',
    endPoint: '127.0.0.1',
    port,
    accessKey: 'fauxqs',
    secretKey: 'fauxqs-secret',
    stop: async () => {
      await app.close();
    },
  };
}

/** An S3ObjectStorage on `bucket` of a test server: the bucket created if missing and emptied. */
export async function emptyBucket(
  server: S3TestServer,
  bucket: string,
  extra: Partial<S3ObjectStorageOptions> = {},
): Promise<S3ObjectStorage> {
  const store = new S3ObjectStorage({
    endPoint: server.endPoint,
    port: server.port,
    useSSL: false,
    region: 'us-east-1',
    bucket,
    accessKey: server.accessKey,
    secretKey: server.secretKey,
    ...extra,
  });
  await store.ensureBucket();
  for (const o of await store.list('')) await store.delete(o.key);
  return store;
}
