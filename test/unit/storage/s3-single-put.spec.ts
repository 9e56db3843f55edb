import { expect } from 'chai';
import type { Client } from 'minio';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { S3ObjectStorage, type StorageLogger } from '../../../src/adapters/storage/s3-object-storage.js';
import { rejection as rejectionOf } from '../../support/rejection.js';

/** A minio client stand-in holding objects in memory; `failures` are thrown by the next putObject calls. */
class FakeClient {
  objects = new Map<string, Buffer>();
  failures: Array<{ code: string }> = [];
  puts = 0;

  async putObject(_bucket: string, key: string, body: Buffer | Readable, size: number): Promise<unknown> {
    this.puts++;
    const failure = this.failures.shift();
    if (failure) throw Object.assign(new Error(`injected ${failure.code}`), failure);
    if (!Buffer.isBuffer(body)) throw new Error('single PUTs must send a replayable Buffer');
    expect(size).to.equal(body.length);
    this.objects.set(key, body);
    return { etag: 'e' };
  }

  async statObject(_bucket: string, key: string) {
    const body = this.objects.get(key);
    if (!body) throw Object.assign(new Error('missing'), { code: 'NotFound' });
    return { size: body.length, metaData: { 'content-type': 'image/jpeg' }, lastModified: new Date(), etag: 'e' };
  }
}

function recording(): StorageLogger & { warnings: Array<{ message: string; meta?: Record<string, unknown> }> } {
  const warnings: Array<{ message: string; meta?: Record<string, unknown> }> = [];
  return {
    info: () => undefined,
    error: () => undefined,
    warn: (message, meta) => warnings.push({ message, meta }),
    warnings,
  };
}

describe('S3ObjectStorage single PUT retries', () => {
  let client: FakeClient;
  let log: ReturnType<typeof recording>;
  let storage: S3ObjectStorage;
  const bytes = randomBytes(64 * 1024);

  beforeEach(() => {
    client = new FakeClient();
    log = recording();
    storage = new S3ObjectStorage({
      endPoint: '127.0.0.1',
      useSSL: false,
      region: 'us-east-1',
      bucket: 'b',
      accessKey: 'k',
      secretKey: 's',
      multipartThresholdMB: 6,
      partSizeMB: 5,
      partAttempts: 3,
      retryBaseMs: 1,
      logger: log,
      client: client as unknown as Client,
    });
  });

  it('a retryable failure (connection reset) is retried and the object is stored once, with a logged retry', async () => {
    client.failures = [{ code: 'ECONNRESET' }];
    const info = await storage.put('a/photo.jpg', bytes, { contentType: 'image/jpeg' });
    expect(info).to.include({ key: 'a/photo.jpg', size: bytes.length });
    expect(client.puts).to.equal(2);
    expect(client.objects.get('a/photo.jpg')?.equals(bytes)).to.equal(true);
    expect(log.warnings.map((w) => w.message)).to.deep.equal(['storage.s3.put_retry']);
    expect(log.warnings[0]?.meta).to.include({ key: 'a/photo.jpg', attempt: 1, size: bytes.length });
  });

  it('a stream below the threshold (sized or not) is buffered first, so the retry sends the same bytes', async () => {
    client.failures = [{ code: 'SlowDown' }, { code: 'InternalError' }];
    await storage.put('a/sized.jpg', Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), {
      contentType: 'image/jpeg',
      size: bytes.length,
    });
    client.failures = [{ code: 'ETIMEDOUT' }];
    await storage.put('a/unsized.jpg', Readable.from([bytes]), { contentType: 'image/jpeg' });
    expect(client.puts).to.equal(5);
    expect(client.objects.get('a/sized.jpg')?.equals(bytes)).to.equal(true);
    expect(client.objects.get('a/unsized.jpg')?.equals(bytes)).to.equal(true);
  });

  it('a permanent failure (AccessDenied) is not retried and fails with STORAGE.UNAVAILABLE', async () => {
    client.failures = [{ code: 'AccessDenied' }];
    const e = await rejectionOf(storage.put('a/photo.jpg', bytes, { contentType: 'image/jpeg' }));
    expect(e).to.include({ code: 'STORAGE.UNAVAILABLE' });
    expect(client.puts).to.equal(1);
    expect(log.warnings).to.deep.equal([]);
  });

  it('fails with STORAGE.UNAVAILABLE once the attempts are used up, storing nothing', async () => {
    client.failures = [{ code: 'ECONNRESET' }, { code: 'ECONNRESET' }, { code: 'ECONNRESET' }, { code: 'ECONNRESET' }];
    const e = await rejectionOf(storage.put('a/photo.jpg', bytes, { contentType: 'image/jpeg' }));
    expect(e).to.include({ code: 'STORAGE.UNAVAILABLE' });
    expect(client.puts).to.equal(3);
    expect(log.warnings).to.have.length(2);
    expect(client.objects.size).to.equal(0);
  });

  it('a stream shorter than its declared size is refused before anything is sent', async () => {
    const e = await rejectionOf(
      storage.put('a/short.jpg', Readable.from([bytes]), { contentType: 'image/jpeg', size: bytes.length + 1 }),
    );
    expect(String((e as Error).message)).to.match(/had 65536 bytes, 65537 declared/);
    expect(client.puts).to.equal(0);
  });
});
