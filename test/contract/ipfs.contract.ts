import { expect } from 'chai';
import { rejection } from '../support/rejection.js';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { cidOf } from '../../src/adapters/ipfs/embedded-ipfs.js';
import type { Ipfs } from '../../src/ports/ipfs.js';

/** One adapter over one node, fresh for each test. */
export interface IpfsSubject {
  ipfs: Ipfs;
  cidVersion: 0 | 1;
  /** A new adapter over the same store, as after a process restart (absent: the state lives elsewhere). */
  reopen?: () => Promise<Ipfs>;
  cleanup(): Promise<void>;
}

const MiB = 1024 * 1024;
const HELLO = Buffer.from('hello world\n');

/** 1 MiB + 7 bytes (5 chunks of 256 KiB, the last 7 bytes), derived from SHA-256 so every chunk differs. */
export const MULTI_CHUNK = (() => {
  const parts: Buffer[] = [];
  for (let i = 0; parts.length * 32 < MiB + 7; i++)
    parts.push(createHash('sha256').update(`car-dano ipfs contract ${i}`).digest());
  return Buffer.concat(parts).subarray(0, MiB + 7);
})();

/**
 * What `ipfs add` prints. hello: the brief's Kubo vectors. The multi-chunk v0 CID was confirmed with
 * Debian's independent `ipfs_cid` (rust-ipfs-unixfs); the v1 one comes from ipfs-unixfs-importer 17 with
 * Kubo's `--cid-version=1` settings (no independent tool here builds raw-leaf DAGs). Empty: well known.
 */
export const VECTORS = {
  0: {
    hello: 'QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o',
    multiChunk: 'QmX61XCLvcqrvfsRhSYU7wrWpvgxaeAUaiD3S44QX2PCbb',
    empty: 'QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH',
  },
  1: {
    hello: 'bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4',
    multiChunk: 'bafybeiavpyoigyawld23iawux3ittzdgcyf56k672kgqkx72uy64mokrve',
    empty: 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku',
  },
} as const;

export const MALFORMED_CIDS = ['', 'not-a-cid', 'Qm123', 'bafy!!!', `${VECTORS[1].hello}x`, '/ipfs/'];

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** `bytes` as a stream of `size`-byte pieces: sizes that do not divide 256 KiB test the re-chunking. */
export const streamOf = (bytes: Buffer, size = 7777) =>
  Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
    })(),
  );

export { rejection };

/** The Ipfs port's behaviour, for every adapter. */
export function ipfsContract(name: string, factory: () => Promise<IpfsSubject>): void {
  describe(`Ipfs contract: ${name}`, () => {
    let subject: IpfsSubject;
    let ipfs: Ipfs;
    let v: 0 | 1;

    beforeEach(async () => {
      subject = await factory();
      ipfs = subject.ipfs;
      v = subject.cidVersion;
    });

    afterEach(() => subject.cleanup());

    it('gives the CIDs `ipfs add` prints for "hello world\\n", the empty file and a 1 MiB + 7 byte file', async () => {
      expect(await ipfs.add(Buffer.from(HELLO))).to.deep.equal({ cid: VECTORS[v].hello, size: 12 });
      expect(await ipfs.add(Buffer.alloc(0))).to.deep.equal({ cid: VECTORS[v].empty, size: 0 });
      expect(await ipfs.add(MULTI_CHUNK)).to.deep.equal({ cid: VECTORS[v].multiChunk, size: MiB + 7 });
      // cidOf is what verification uses: it must agree with every adapter.
      expect(await cidOf(MULTI_CHUNK, v)).to.equal(VECTORS[v].multiChunk);
    });

    it('adding a Buffer, a stream, and the same bytes again all give the same CID and byte count', async () => {
      const bytes = randomBytes(600_000);
      const fromBuffer = await ipfs.add(bytes);
      expect(await ipfs.add(streamOf(bytes))).to.deep.equal(fromBuffer);
      expect(await ipfs.add(streamOf(bytes, 262_144))).to.deep.equal(fromBuffer);
      expect(await ipfs.add(bytes)).to.deep.equal(fromBuffer);
      expect(fromBuffer).to.deep.equal({ cid: await cidOf(bytes, v), size: 600_000 });
      expect(await ipfs.add(streamOf(MULTI_CHUNK))).to.deep.equal({ cid: VECTORS[v].multiChunk, size: MiB + 7 });
    });

    it('cat streams back identical bytes for small, empty and multi-chunk content', async () => {
      for (const bytes of [HELLO, Buffer.alloc(0), MULTI_CHUNK, randomBytes(10 * 262_144 + 1)]) {
        const { cid } = await ipfs.add(bytes);
        const out = await ipfs.cat(cid);
        expect(out).to.be.instanceOf(Readable);
        expect(sha256(await readAll(out)), `${bytes.length} bytes`).to.equal(sha256(bytes));
      }
    });

    it('isPinned is true after add, false after unpin and for content never added; unpinning twice succeeds', async () => {
      const { cid } = await ipfs.add(randomBytes(1000));
      expect(await ipfs.isPinned(cid)).to.equal(true);
      await ipfs.unpin(cid);
      expect(await ipfs.isPinned(cid)).to.equal(false);
      await ipfs.unpin(cid);
      const stranger = await cidOf(randomBytes(1000), v);
      expect(await ipfs.isPinned(stranger)).to.equal(false);
      await ipfs.unpin(stranger);
      expect(await ipfs.isPinned(stranger)).to.equal(false);
      // Adding again pins again.
      await ipfs.add(MULTI_CHUNK);
      expect(await ipfs.isPinned(VECTORS[v].multiChunk)).to.equal(true);
    });

    it('cat of content this node never had fails with IPFS.NOT_FOUND', async () => {
      for (const cid of [await cidOf(randomBytes(100), v), await cidOf(randomBytes(MiB), v)]) {
        expect((await rejection(ipfs.cat(cid))).code, cid).to.equal('IPFS.NOT_FOUND');
      }
    });

    it('malformed CIDs fail with IPFS.INVALID_CID on cat, isPinned and unpin', async () => {
      for (const bad of MALFORMED_CIDS) {
        for (const [i, call] of [() => ipfs.cat(bad), () => ipfs.isPinned(bad), () => ipfs.unpin(bad)].entries()) {
          expect((await rejection(call())).code, `call ${i} with ${JSON.stringify(bad)}`).to.equal('IPFS.INVALID_CID');
        }
      }
    });

    it("a failing input stream rejects add with that stream's own error, not a node error", async () => {
      const failure = new Error('upload interrupted (test)');
      const source = Readable.from(
        (async function* () {
          yield randomBytes(300_000);
          throw failure;
        })(),
      );
      expect(await rejection(ipfs.add(source))).to.equal(failure);
    });

    it('keeps content and pins across a restart', async function () {
      if (!subject.reopen) return this.skip();
      const kept = await ipfs.add(MULTI_CHUNK);
      const dropped = await ipfs.add(randomBytes(5000));
      await ipfs.unpin(dropped.cid);
      const again = await subject.reopen();
      expect(await again.isPinned(kept.cid)).to.equal(true);
      expect(await again.isPinned(dropped.cid)).to.equal(false);
      expect(sha256(await readAll(await again.cat(kept.cid)))).to.equal(sha256(MULTI_CHUNK));
    });
  });
}
