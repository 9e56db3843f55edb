import { expect } from 'chai';
import express from 'express';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedIpfs } from '../../src/adapters/ipfs/embedded-ipfs.js';
import { ipfsGatewayHandler } from '../../src/adapters/ipfs/ipfs-gateway-handler.js';
import { KuboIpfs } from '../../src/adapters/ipfs/kubo-ipfs.js';
import type { Ipfs } from '../../src/ports/ipfs.js';
import { startKuboRpcServer, type KuboRpcTestServer } from '../support/kubo-rpc-server.js';
import { freePort } from '../support/net.js';
import { ipfsContract, MULTI_CHUNK, rejection, sha256, VECTORS, type IpfsSubject } from './ipfs.contract.js';

async function embeddedSubject(cidVersion: 0 | 1): Promise<IpfsSubject> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-ipfs-'));
  return {
    ipfs: new EmbeddedIpfs({ dir, cidVersion }),
    cidVersion,
    reopen: async () => new EmbeddedIpfs({ dir, cidVersion }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

// A fresh test server per test: no pin leaks from one test into the next.
async function testServerSubject(cidVersion: 0 | 1): Promise<IpfsSubject> {
  const server = await startKuboRpcServer();
  const adapter = () => new KuboIpfs({ url: server.url, cidVersion, timeoutMs: 5000 });
  return { ipfs: adapter(), cidVersion, reopen: async () => adapter(), cleanup: () => server.stop() };
}

/** A real node is shared with others: unpin what the tests added (the content is then Kubo's GC's). */
function realKuboSubject(url: string, cidVersion: 0 | 1): () => Promise<IpfsSubject> {
  return async () => {
    const inner = new KuboIpfs({ url, cidVersion, timeoutMs: 10_000 });
    const added: string[] = [];
    const ipfs: Ipfs = {
      driver: inner.driver,
      add: async (content) => {
        const result = await inner.add(content);
        added.push(result.cid);
        return result;
      },
      cat: (cid) => inner.cat(cid),
      isPinned: (cid) => inner.isPinned(cid),
      unpin: (cid) => inner.unpin(cid),
    };
    return { ipfs, cidVersion, cleanup: async () => void (await Promise.all(added.map((cid) => inner.unpin(cid)))) };
  };
}

// Thunks: each call starts only when awaited, so no rejection sits unhandled while an earlier one is checked.
const everyCall = (ipfs: Ipfs, cid: string) => [
  () => ipfs.add(Buffer.from('x')),
  () => ipfs.cat(cid),
  () => ipfs.isPinned(cid),
  () => ipfs.unpin(cid),
];

ipfsContract('EmbeddedIpfs, CIDv1', () => embeddedSubject(1));
ipfsContract('EmbeddedIpfs, CIDv0', () => embeddedSubject(0));
ipfsContract('KuboIpfs on the Kubo-RPC test server, CIDv1', () => testServerSubject(1));
ipfsContract('KuboIpfs on the Kubo-RPC test server, CIDv0', () => testServerSubject(0));

const { KUBO_RPC_URL } = process.env;
if (KUBO_RPC_URL) {
  ipfsContract(`KuboIpfs on a real Kubo at ${KUBO_RPC_URL}, CIDv1`, realKuboSubject(KUBO_RPC_URL, 1));
  ipfsContract(`KuboIpfs on a real Kubo at ${KUBO_RPC_URL}, CIDv0`, realKuboSubject(KUBO_RPC_URL, 0));
} else {
  describe.skip('Ipfs contract: KuboIpfs on a real Kubo (set KUBO_RPC_URL)', () => {
    it('runs the contract against a real node');
  });
}

describe('EmbeddedIpfs on an unusable directory', () => {
  it('fails every call with IPFS.UNAVAILABLE (and works once the directory is usable)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-ipfs-broken-'));
    try {
      // A regular file where the store's directory should be: even root cannot create blocks/ under it.
      await writeFile(path.join(dir, 'store'), 'not a directory');
      const ipfs = new EmbeddedIpfs({ dir: path.join(dir, 'store') });
      for (const [i, call] of everyCall(ipfs, VECTORS[1].hello).entries()) {
        expect((await rejection(call())).code, `call ${i}`).to.equal('IPFS.UNAVAILABLE');
      }
      await rm(path.join(dir, 'store'));
      expect((await ipfs.add(Buffer.from('hello world\n'))).cid).to.equal(VECTORS[1].hello);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('KuboIpfs on the Kubo-RPC test server', () => {
  let server: KuboRpcTestServer;

  beforeEach(async () => {
    server = await startKuboRpcServer();
  });

  afterEach(() => server.stop());

  const lastQuery = (command: string) =>
    Object.fromEntries(server.requests.filter((r) => r.command === command).at(-1)?.query ?? []);

  it('sends the import settings that make Kubo CIDs equal the embedded ones, and asks reads offline', async () => {
    for (const cidVersion of [0, 1] as const) {
      const ipfs = new KuboIpfs({ url: server.url, cidVersion });
      const { cid } = await ipfs.add(MULTI_CHUNK);
      expect(lastQuery('add')).to.include({
        'cid-version': String(cidVersion),
        'raw-leaves': String(cidVersion === 1),
        chunker: 'size-262144',
        hash: 'sha2-256',
        pin: 'true',
      });
      await ipfs.cat(cid);
      await ipfs.isPinned(cid);
      await ipfs.unpin(cid);
      expect(lastQuery('cat')).to.include({ arg: cid, offline: 'true' });
      expect(lastQuery('pin/ls')).to.include({ arg: cid, type: 'recursive', offline: 'true' });
      expect(lastQuery('pin/rm')).to.include({ arg: cid, recursive: 'true', offline: 'true' });
    }
  });

  it('a stopped node makes every call fail with IPFS.UNAVAILABLE', async () => {
    const ipfs = new KuboIpfs({ url: server.url, timeoutMs: 5000 });
    const { cid } = await ipfs.add(Buffer.from('hello world\n'));
    await server.stop();
    for (const [i, call] of everyCall(ipfs, cid).entries()) {
      expect((await rejection(call())).code, `call ${i}`).to.equal('IPFS.UNAVAILABLE');
    }
  });

  it('a node answering 500 fails the call with IPFS.UNAVAILABLE; the next call succeeds', async () => {
    const ipfs = new KuboIpfs({ url: server.url });
    const { cid } = await ipfs.add(Buffer.from('hello world\n'));
    server.failNext(4);
    for (const [i, call] of everyCall(ipfs, cid).entries()) {
      expect((await rejection(call())).code, `call ${i}`).to.equal('IPFS.UNAVAILABLE');
    }
    expect(await ipfs.isPinned(cid)).to.equal(true);
  });

  it('a node that accepts but never answers fails the call with IPFS.UNAVAILABLE after timeoutMs', async () => {
    const silent = createServer(() => undefined);
    silent.listen(await freePort(), '127.0.0.1');
    await once(silent, 'listening');
    try {
      const ipfs = new KuboIpfs({
        url: `http://127.0.0.1:${(silent.address() as { port: number }).port}`,
        timeoutMs: 200,
      });
      for (const [i, call] of everyCall(ipfs, VECTORS[1].hello).entries()) {
        expect((await rejection(call())).code, `call ${i}`).to.equal('IPFS.UNAVAILABLE');
      }
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('answers the other commands kubo-rpc-client parses (version, id, block/stat, pin/add, non-streamed pin/ls)', async () => {
    const { create } = await import('kubo-rpc-client');
    const client = create({ url: server.url });
    expect((await client.version()).version).to.equal('0.0.0-test');
    expect((await client.id()).id.toString()).to.match(/^12D3KooW/);
    const added = await client.add(Buffer.from('hello world\n'), { cidVersion: 1, pin: false });
    expect(added.cid.toString()).to.equal(VECTORS[1].hello);
    expect(await client.block.stat(added.cid)).to.deep.include({ size: 12 });
    const ipfs = new KuboIpfs({ url: server.url });
    expect(await ipfs.isPinned(VECTORS[1].hello)).to.equal(false);
    expect((await client.pin.add(added.cid)).toString()).to.equal(VECTORS[1].hello);
    expect(await ipfs.isPinned(VECTORS[1].hello)).to.equal(true);
    const res = await fetch(`${server.url}/api/v0/pin/ls?arg=${VECTORS[1].hello}`, { method: 'POST' });
    expect(await res.json()).to.deep.equal({ Keys: { [VECTORS[1].hello]: { Type: 'recursive', Name: '' } } });
    const missing = await fetch(`${server.url}/api/v0/pin/ls?arg=${VECTORS[0].hello}`, { method: 'POST' });
    expect(missing.status).to.equal(500);
    expect(await missing.json()).to.deep.equal({
      Message: `path '${VECTORS[0].hello}' is not pinned`,
      Code: 0,
      Type: 'error',
    });
  });
});

describe('ipfsGatewayHandler over HTTP', () => {
  let dir: string;
  let ipfs: EmbeddedIpfs;
  let server: Server;
  let base: string;
  /** What the database publishes (PublicArchive.isPublished); everything unless a test withdraws it. */
  let withdrawn: Set<string>;

  const serve = async (node: Ipfs) => {
    const app = express();
    app.get(
      '/ipfs/:cid',
      ipfsGatewayHandler(node, async (cid) => !withdrawn.has(cid)),
    );
    const port = await freePort();
    server = createServer(app).listen(port, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${port}`;
  };

  const expectProblem = async (res: Response, status: number, code: string) => {
    expect(res.status).to.equal(status);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).to.include({ status, code });
    for (const field of ['type', 'title', 'detail']) expect(body[field], field).to.be.a('string').that.is.not.empty;
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-ipfs-gateway-'));
    withdrawn = new Set();
    ipfs = new EmbeddedIpfs({ dir });
    await serve(ipfs);
  });

  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves pinned content with immutable caching and its IPFS path', async () => {
    const { cid } = await ipfs.add(MULTI_CHUNK);
    const res = await fetch(`${base}/ipfs/${cid}`);
    expect(res.status).to.equal(200);
    expect(sha256(Buffer.from(await res.arrayBuffer()))).to.equal(sha256(MULTI_CHUNK));
    expect(res.headers.get('content-type')).to.equal('application/octet-stream');
    expect(res.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    expect(res.headers.get('x-ipfs-path')).to.equal(`/ipfs/${cid}`);
    expect(res.headers.get('content-disposition')).to.equal(null);
  });

  it('types the response from ?filename= (PDF), but never as something a browser would run', async () => {
    const { cid } = await ipfs.add(Buffer.from('%PDF-1.7 tiny'));
    const pdf = await fetch(`${base}/ipfs/${cid}?filename=report.pdf`);
    expect(pdf.headers.get('content-type')).to.equal('application/pdf');
    expect(pdf.headers.get('content-disposition')).to.equal('inline; filename="report.pdf"');
    expect(await pdf.text()).to.equal('%PDF-1.7 tiny');
    const html = await fetch(`${base}/ipfs/${cid}?filename=page.html`);
    expect(html.headers.get('content-type')).to.equal('application/octet-stream');
  });

  it('answers 404 IPFS.NOT_FOUND for unknown content and for content unpinned but still on disk', async () => {
    const { cid } = await ipfs.add(Buffer.from('withdrawn report'));
    await ipfs.unpin(cid);
    await expectProblem(await fetch(`${base}/ipfs/${cid}`), 404, 'IPFS.NOT_FOUND');
    await expectProblem(await fetch(`${base}/ipfs/${VECTORS[0].multiChunk}`), 404, 'IPFS.NOT_FOUND');
  });

  it('answers 404 IPFS.NOT_FOUND for pinned content the database does not publish (a withdrawn or private report)', async () => {
    const { cid } = await ipfs.add(Buffer.from('%PDF-1.7 the full variant'));
    expect((await fetch(`${base}/ipfs/${cid}`)).status).to.equal(200);
    withdrawn.add(cid);
    expect(await ipfs.isPinned(cid)).to.equal(true);
    await expectProblem(await fetch(`${base}/ipfs/${cid}`), 404, 'IPFS.NOT_FOUND');
  });

  it('answers 400 IPFS.INVALID_CID for a malformed CID', async () => {
    await expectProblem(await fetch(`${base}/ipfs/not-a-cid`), 400, 'IPFS.INVALID_CID');
  });

  it('answers 503 IPFS.UNAVAILABLE when the node is down', async () => {
    const kubo = await startKuboRpcServer();
    await kubo.stop();
    server.closeAllConnections();
    server.close();
    await serve(new KuboIpfs({ url: kubo.url }));
    await expectProblem(await fetch(`${base}/ipfs/${VECTORS[1].hello}`), 503, 'IPFS.UNAVAILABLE');
  });
});
