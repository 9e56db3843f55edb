import { expect } from 'chai';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DomainError } from '../../src/domain/shared/domain-error.js';
import type { ObjectStorage } from '../../src/ports/object-storage.js';

export interface FetchedUrl {
  status: number;
  body: Buffer;
  headers: Record<string, string>;
}

export interface PartRecord {
  partNumber: number;
  size: number;
  sha1: string;
}

/** One adapter over one store, fresh for each test. */
export interface ObjectStorageSubject {
  storage: ObjectStorage;
  /** How a browser would fetch a signed URL (default: global fetch). */
  fetchUrl?: (url: string) => Promise<FetchedUrl>;
  capabilities: {
    /** The store refuses a signed URL after its expiry. */
    enforcesUrlExpiry: boolean;
    /** The store refuses a signed URL whose key was changed. */
    enforcesUrlSignature: boolean;
    /** The store answers with the Content-Disposition asked for by downloadName. */
    downloadDisposition: boolean;
    /** Set when the storage uploads objects of 6 MiB and more in 5 MiB parts; lists the parts it uploaded. */
    multipart?: { partLog(): PartRecord[] };
    /** A storage over the same store whose uploads of part 2 always fail, and its per-part attempt count. */
    failingPart?: { storage: ObjectStorage; attempts(partNumber: number): number; expectedAttempts: number };
    /** Whether unfinished multipart uploads exist under a prefix; absent when the server cannot tell. */
    hasPendingUploads?: (prefix: string) => Promise<boolean>;
  };
  /** Every file or object in the backing store, to prove a refused call touched nothing (absent: shared store). */
  entries?: () => Promise<string[]>;
  cleanup(): Promise<void>;
}

const MiB = 1024 * 1024;
const BIG = randomBytes(12 * MiB);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** `bytes` as a stream of 1 MiB chunks; with `failure`, the stream errors after `failAfter` bytes. */
function streamOf(bytes: Buffer, failAfter = Infinity, failure?: Error): Readable {
  return Readable.from(
    (async function* () {
      for (let at = 0; at < bytes.length; at += MiB) {
        if (at >= failAfter && failure) throw failure;
        yield bytes.subarray(at, Math.min(at + MiB, bytes.length));
      }
    })(),
  );
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (e) {
    return e as DomainError;
  }
  return expect.fail('expected a rejection');
}

async function defaultFetch(url: string): Promise<FetchedUrl> {
  const res = await fetch(url);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: Object.fromEntries(res.headers) };
}

/** The ObjectStorage port's behaviour, for every adapter. Keys live under a random prefix per test. */
export function objectStorageContract(name: string, factory: () => Promise<ObjectStorageSubject>): void {
  describe(`ObjectStorage contract: ${name}`, () => {
    let subject: ObjectStorageSubject;
    let storage: ObjectStorage;
    let ns: string;
    const k = (s: string) => `${ns}/${s}`;
    const fetchUrl = (url: string) => (subject.fetchUrl ?? defaultFetch)(url);

    beforeEach(async () => {
      subject = await factory();
      storage = subject.storage;
      ns = `c${randomUUID().slice(0, 8)}`;
    });

    afterEach(async () => {
      for (const o of await storage.list(`${ns}/`).catch(() => [])) await storage.delete(o.key).catch(() => undefined);
      await subject.cleanup();
    });

    it('put of a Buffer, and of streams with and without a size, reads back identical bytes', async () => {
      const bytes = randomBytes(300_000);
      const fromBuffer = await storage.put(k('buf.bin'), bytes, { contentType: 'application/octet-stream' });
      await storage.put(k('sized.bin'), streamOf(bytes), {
        contentType: 'application/octet-stream',
        size: bytes.length,
      });
      await storage.put(k('unsized.bin'), streamOf(bytes), { contentType: 'application/octet-stream' });
      for (const key of ['buf.bin', 'sized.bin', 'unsized.bin'])
        expect(sha256(await readAll(await storage.get(k(key)))), key).to.equal(sha256(bytes));
      expect(fromBuffer).to.include({ key: k('buf.bin'), size: bytes.length, contentType: 'application/octet-stream' });
      expect(fromBuffer.etag).to.be.a('string').that.is.not.empty;
    });

    it('head reports size, content type and the etag put returned; a missing key heads to null', async () => {
      const put = await storage.put(k('report.pdf'), Buffer.from('%PDF-1.7 tiny'), { contentType: 'application/pdf' });
      const head = await storage.head(k('report.pdf'));
      expect(head).to.include({ key: k('report.pdf'), size: 13, contentType: 'application/pdf', etag: put.etag });
      expect(head?.lastModified).to.be.instanceOf(Date);
      expect(await storage.head(k('missing.pdf'))).to.equal(null);
    });

    it('get of a missing key fails with STORAGE.NOT_FOUND', async () => {
      expect((await rejection(storage.get(k('missing.bin')))).code).to.equal('STORAGE.NOT_FOUND');
    });

    it('delete removes the object; deleting again (or a never-stored key) succeeds', async () => {
      await storage.put(k('gone.txt'), Buffer.from('bye'), { contentType: 'text/plain' });
      await storage.delete(k('gone.txt'));
      expect(await storage.head(k('gone.txt'))).to.equal(null);
      expect((await rejection(storage.get(k('gone.txt')))).code).to.equal('STORAGE.NOT_FOUND');
      await storage.delete(k('gone.txt'));
      await storage.delete(k('never.txt'));
      expect(await storage.list(`${ns}/`)).to.deep.equal([]);
    });

    it('put over an existing key replaces bytes, size and content type', async () => {
      await storage.put(k('doc'), Buffer.from('first version, longer'), { contentType: 'text/plain' });
      const second = await storage.put(k('doc'), Buffer.from('second'), { contentType: 'application/json' });
      expect((await readAll(await storage.get(k('doc')))).toString()).to.equal('second');
      expect(await storage.head(k('doc'))).to.include({ size: 6, contentType: 'application/json', etag: second.etag });
    });

    it('list returns the objects under a prefix in key order, with their metadata, and nothing else', async () => {
      for (const key of ['reports/b/2.pdf', 'reports/a.pdf', 'reports/b/1.pdf', 'reportsX.pdf', 'other/c.pdf'])
        await storage.put(k(key), Buffer.from(key), { contentType: 'application/pdf' });
      const listed = await storage.list(k('reports/'));
      expect(listed.map((o) => o.key)).to.deep.equal([k('reports/a.pdf'), k('reports/b/1.pdf'), k('reports/b/2.pdf')]);
      expect(listed[0]).to.include({ size: 'reports/a.pdf'.length, contentType: 'application/pdf' });
      // A prefix need not end on a slash: it matches key text, as on S3.
      expect((await storage.list(k('report'))).map((o) => o.key)).to.deep.equal([
        k('reports/a.pdf'),
        k('reports/b/1.pdf'),
        k('reports/b/2.pdf'),
        k('reportsX.pdf'),
      ]);
      expect(await storage.list(k('nothing/'))).to.deep.equal([]);
    });

    it('an object and a deeper key that uses its name as a folder coexist', async () => {
      await storage.put(k('x'), Buffer.from('outer'), { contentType: 'text/plain' });
      await storage.put(k('x/y'), Buffer.from('inner'), { contentType: 'text/plain' });
      expect((await readAll(await storage.get(k('x')))).toString()).to.equal('outer');
      expect((await readAll(await storage.get(k('x/y')))).toString()).to.equal('inner');
      expect((await storage.list(`${ns}/`)).map((o) => o.key)).to.deep.equal([k('x'), k('x/y')]);
    });

    it('refuses invalid keys with STORAGE.INVALID_KEY on every call, without touching the store', async () => {
      const before = await subject.entries?.();
      const bad = [
        '../x',
        '/abs',
        'a//b',
        '',
        `${ns}/../escape`,
        `${ns}/./x`,
        `${ns}/`,
        `${ns}/sp ace`,
        `${ns}\\win`,
        'x'.repeat(513),
      ];
      for (const key of bad) {
        const calls = [
          storage.put(key, Buffer.from('x'), { contentType: 'text/plain' }),
          storage.put(key, streamOf(Buffer.from('x')), { contentType: 'text/plain', size: 1 }),
          storage.get(key),
          storage.head(key),
          storage.delete(key),
          storage.signedGetUrl(key, 60),
        ];
        for (const [i, call] of calls.entries())
          expect((await rejection(call)).code, `call ${i} with ${JSON.stringify(key)}`).to.equal('STORAGE.INVALID_KEY');
      }
      expect(await storage.list(`${ns}/`)).to.deep.equal([]);
      if (before) expect(await subject.entries?.()).to.deep.equal(before);
    });

    it('a signed URL serves the bytes until it expires', async () => {
      const bytes = randomBytes(50_000);
      await storage.put(k('signed/doc.pdf'), bytes, { contentType: 'application/pdf' });
      const signedAt = Date.now();
      const url = await storage.signedGetUrl(k('signed/doc.pdf'), 2);
      const fresh = await fetchUrl(url);
      expect(fresh.status).to.equal(200);
      expect(sha256(fresh.body)).to.equal(sha256(bytes));
      // Expiry counts from the signing second (whole seconds), so 2.5 s after signing it has passed.
      await sleep(signedAt + 2500 - Date.now());
      const late = await fetchUrl(url);
      if (subject.capabilities.enforcesUrlExpiry) expect(late.status).to.equal(403);
      // A store that ignores query signatures (fauxqs) still serves the same object: that is all it supports.
      else expect(sha256(late.body)).to.equal(sha256(bytes));
    });

    it('a signed URL is bound to its key and carries the download name', async () => {
      await storage.put(k('a.pdf'), Buffer.from('object a'), { contentType: 'application/pdf' });
      await storage.put(k('b.pdf'), Buffer.from('object b'), { contentType: 'application/pdf' });
      const url = await storage.signedGetUrl(k('a.pdf'), 60, { downloadName: 'Report 2025-01.pdf' });
      const ok = await fetchUrl(url);
      expect(ok.status).to.equal(200);
      expect(ok.body.toString()).to.equal('object a');
      if (subject.capabilities.downloadDisposition)
        expect(ok.headers['content-disposition']).to.equal('attachment; filename="Report 2025-01.pdf"');
      const forged = await fetchUrl(url.replace(k('a.pdf'), k('b.pdf')));
      if (subject.capabilities.enforcesUrlSignature) expect(forged.status).to.equal(403);
      // Without signature checks (fauxqs) the forged URL simply reads b: the gap is the server's, not ours.
      else expect(forged.body.toString()).to.equal('object b');
    });

    it('uploads a large object in parts 1..N and reads back identical bytes (stream, Buffer, unsized stream)', async function () {
      const multipart = subject.capabilities.multipart;
      if (!multipart) return this.skip();
      const expected = [0, 5, 10].map((mb, i) => {
        const part = BIG.subarray(mb * MiB, Math.min((mb + 5) * MiB, BIG.length));
        return { partNumber: i + 1, size: part.length, sha1: sha1(part) };
      });
      const bodies = [() => streamOf(BIG), () => BIG, () => streamOf(BIG)];
      for (const [i, body] of bodies.entries()) {
        const logged = multipart.partLog().length;
        const info = await storage.put(k(`big-${i}.bin`), body(), {
          contentType: 'application/pdf',
          size: i === 2 ? undefined : BIG.length,
        });
        expect(info).to.include({ size: BIG.length, contentType: 'application/pdf' });
        expect(sha256(await readAll(await storage.get(k(`big-${i}.bin`))))).to.equal(sha256(BIG));
        const parts = multipart
          .partLog()
          .slice(logged)
          .sort((a, b) => a.partNumber - b.partNumber);
        expect(parts, `body ${i}`).to.deep.equal(expected);
      }
    });

    it('a put whose stream fails midway rejects with that error and leaves nothing behind', async () => {
      const kept = randomBytes(1000);
      await storage.put(k('keep.bin'), kept, { contentType: 'application/octet-stream' });
      const before = await subject.entries?.();
      for (const key of ['fresh.bin', 'keep.bin']) {
        const failure = new Error(`source of ${key} broke`);
        const body = streamOf(BIG, 7 * MiB, failure);
        expect(
          await rejection(storage.put(k(key), body, { contentType: 'application/octet-stream', size: BIG.length })),
        ).to.equal(failure);
      }
      expect(await storage.head(k('fresh.bin'))).to.equal(null);
      expect(sha256(await readAll(await storage.get(k('keep.bin'))))).to.equal(sha256(kept));
      if (before) expect(await subject.entries?.()).to.deep.equal(before);
      if (subject.capabilities.hasPendingUploads)
        expect(await subject.capabilities.hasPendingUploads(`${ns}/`)).to.equal(false);
    });

    it('a multipart upload whose part keeps failing is retried, aborted, and fails with STORAGE.UNAVAILABLE', async function () {
      const failing = subject.capabilities.failingPart;
      if (!failing) return this.skip();
      const before = await subject.entries?.();
      const error = await rejection(
        failing.storage.put(k('doomed.bin'), streamOf(BIG), { contentType: 'application/pdf', size: BIG.length }),
      );
      expect(error.code).to.equal('STORAGE.UNAVAILABLE');
      expect(failing.attempts(2)).to.equal(failing.expectedAttempts);
      expect(failing.attempts(1)).to.equal(1);
      expect(await storage.head(k('doomed.bin'))).to.equal(null);
      if (before) expect(await subject.entries?.()).to.deep.equal(before);
      if (subject.capabilities.hasPendingUploads)
        expect(await subject.capabilities.hasPendingUploads(`${ns}/`)).to.equal(false);
    });
  });
}
