/**
 * A small Kubo-RPC-compatible server for tests (the Kubo binary cannot be installed here). It implements what
 * kubo-rpc-client sends for the Ipfs port, with Kubo's response shapes: add (multipart in, NDJSON out),
 * cat, pin add/ls/rm, block/stat, version, id. Errors use Kubo's body {"Message","Code","Type":"error"}
 * with status 500. Blocks live in memory; the node has no network, so it behaves like Kubo `--offline`.
 */
import Busboy from 'busboy';
import { MemoryBlockstore } from 'blockstore-core/memory';
import { exporter } from 'ipfs-unixfs-exporter';
import { base58btc } from 'multiformats/bases/base58';
import { CID } from 'multiformats/cid';
import { identity } from 'multiformats/hashes/identity';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { importFile, kuboImportOptions } from '../../src/adapters/ipfs/embedded-ipfs.js';
import { freePort } from './net.js';

export interface KuboRpcTestServer {
  /** Base URL for kubo-rpc-client / KUBO_RPC_URL, e.g. http://127.0.0.1:43121. */
  url: string;
  /** Every request received, in order: the command ("add", "pin/ls"...) and its query. */
  requests: Array<{ command: string; query: URLSearchParams }>;
  /** The next `n` requests answer 500 with a Kubo-shaped error, as a failing node would (fault drills). */
  failNext(n: number): void;
  stop(): Promise<void>;
}

class KuboError extends Error {}
type Handler = (query: URLSearchParams, req: IncomingMessage, res: ServerResponse) => Promise<void>;

// A stable, well-formed Ed25519 peer ID (identity multihash of the protobuf public key), so `id` parses.
const PUBLIC_KEY = Buffer.concat([
  Buffer.from([8, 1, 18, 32]),
  createHash('sha256').update('kubo-rpc-test-server').digest(),
]);
const PEER_ID = base58btc.encode(identity.digest(PUBLIC_KEY).bytes).slice(1);

const sendJson = (res: ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
};
const sendKuboError = (res: ServerResponse, message: string, status = 500) =>
  sendJson(res, { Message: message, Code: 0, Type: 'error' }, status);
const notLocal = (cid: CID | string) =>
  new KuboError(`block was not found locally (offline): ipld: could not find ${cid.toString()}`);

// Kubo parses booleans with Go's strconv.ParseBool.
function flag(value: string | null, fallback: boolean): boolean {
  if (value === null) return fallback;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw new KuboError(`invalid boolean value "${value}"`);
}

function argCids(query: URLSearchParams): Array<{ arg: string; cid: CID }> {
  const args = query.getAll('arg');
  if (args.length === 0) throw new KuboError('argument "ipfs-path" is required');
  return args.map((arg) => {
    try {
      return { arg, cid: CID.parse(arg.replace(/^\/ipfs\//, '')) };
    } catch (e) {
      throw new KuboError(`invalid path "${arg}": ${(e as Error).message}`);
    }
  });
}

// argCids never returns an empty list: it throws Kubo's "argument required" error instead.
const firstCid = (query: URLSearchParams): CID => (argCids(query)[0] as { cid: CID }).cid;

/** Starts the server on 127.0.0.1 and a free port. */
export async function startKuboRpcServer(): Promise<KuboRpcTestServer> {
  const blocks = new MemoryBlockstore();
  const pins = new Set<string>();
  // dag-pb v0 and v1 name the same node: pins are keyed like EmbeddedIpfs's, by the v1 spelling.
  const pinKey = (cid: CID) => CID.createV1(cid.code, cid.multihash).toString();
  const requests: KuboRpcTestServer['requests'] = [];
  let failures = 0;

  // Walks the whole file so a pin (like Kubo's) only succeeds when every block is here.
  async function requireComplete(cid: CID): Promise<void> {
    try {
      const entry = await exporter(cid, blocks);
      if (entry.type === 'file' || entry.type === 'raw') for await (const _chunk of entry.content()) void _chunk;
    } catch {
      throw notLocal(cid);
    }
  }

  const handlers: Record<string, Handler> = {
    add: async (query, req, res) => {
      const cidVersion = Number(query.get('cid-version') ?? '0');
      if (cidVersion !== 0 && cidVersion !== 1) throw new KuboError(`unknown CID version ${query.get('cid-version')}`);
      const rawLeaves = flag(query.get('raw-leaves'), cidVersion === 1);
      const chunker = /^size-(\d+)$/.exec(query.get('chunker') ?? 'size-262144');
      if (!chunker)
        throw new KuboError(`this test server only supports size-<bytes> chunkers, not ${query.get('chunker')}`);
      if ((query.get('hash') ?? 'sha2-256') !== 'sha2-256')
        throw new KuboError(`unsupported hash ${query.get('hash')}`);
      if (flag(query.get('trickle'), false) || flag(query.get('wrap-with-directory'), false))
        throw new KuboError('trickle and wrap-with-directory are not supported here');
      const pin = flag(query.get('pin'), true);
      const store = flag(query.get('only-hash'), false) ? new MemoryBlockstore() : blocks;
      const options = kuboImportOptions(cidVersion, rawLeaves, Number(chunker[1]));
      const added: Array<{ Name: string; Hash: string; Size: string }> = [];
      const imports: Array<Promise<void>> = [];
      let failure: unknown;
      const busboy = Busboy({ headers: req.headers });
      busboy.on('file', (_field, stream, info) => {
        const imported = importFile(stream, store, options).then(({ cid, dagSize }) => {
          if (pin && store === blocks) pins.add(pinKey(cid));
          // An unnamed file (kubo-rpc-client sends filename="") is reported under its CID, like stdin.
          added.push({
            Name: decodeURIComponent(info.filename ?? '') || cid.toString(),
            Hash: cid.toString(),
            Size: dagSize.toString(),
          });
        });
        // A failed import stops reading its part: drain it, or busboy would wait for it forever.
        imports.push(imported.catch((e: unknown) => void ((failure ??= e), stream.resume())));
      });
      req.on('error', (e) => busboy.destroy(e));
      req.pipe(busboy);
      await once(busboy, 'close');
      await Promise.all(imports);
      if (failure !== undefined) throw failure;
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Chunked-Output': '1' });
      res.end(added.map((a) => `${JSON.stringify(a)}\n`).join(''));
    },

    cat: async (query, _req, res) => {
      const cid = firstCid(query);
      const entry = await exporter(cid, blocks).catch(() => Promise.reject(notLocal(cid)));
      if (entry.type === 'directory') throw new KuboError('this dag node is a directory');
      if (entry.type !== 'file' && entry.type !== 'raw' && entry.type !== 'identity')
        throw new KuboError(`unsupported node type ${entry.type}`);
      const offset = Number(query.get('offset') ?? 0);
      const length = query.get('length') === null ? undefined : Number(query.get('length'));
      res.writeHead(200, {
        'Content-Type': 'text/plain',
        'X-Stream-Output': '1',
        'X-Content-Length': String(entry.size),
        Trailer: 'X-Stream-Error',
      });
      try {
        for await (const chunk of entry.content({ offset, length })) if (!res.write(chunk)) await once(res, 'drain');
      } catch (e) {
        // As Kubo does: the status is already sent, so the failure travels in a trailer.
        res.addTrailers({ 'X-Stream-Error': (e as Error).message });
      }
      res.end();
    },

    'pin/add': async (query, _req, res) => {
      const pinned: string[] = [];
      for (const { cid } of argCids(query)) {
        await requireComplete(cid);
        pins.add(pinKey(cid));
        pinned.push(cid.toString());
      }
      sendJson(res, { Pins: pinned });
    },

    'pin/ls': async (query, _req, res) => {
      const type = query.get('type') ?? 'all';
      if (!['direct', 'indirect', 'recursive', 'all'].includes(type))
        throw new KuboError(`invalid type '${type}', must be one of {direct, indirect, recursive, all}`);
      // Only recursive pins exist here (all that add and pin/add make by default).
      const listed = query.has('arg')
        ? argCids(query).map(({ arg, cid }) => {
            if ((type !== 'all' && type !== 'recursive') || !pins.has(pinKey(cid)))
              throw new KuboError(`path '${arg}' is not pinned`);
            return cid.toString();
          })
        : type === 'all' || type === 'recursive'
          ? [...pins]
          : [];
      if (flag(query.get('stream'), false)) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Chunked-Output': '1' });
        res.end(listed.map((cid) => `${JSON.stringify({ Cid: cid, Type: 'recursive' })}\n`).join(''));
      } else {
        sendJson(res, { Keys: Object.fromEntries(listed.map((cid) => [cid, { Type: 'recursive', Name: '' }])) });
      }
    },

    'pin/rm': async (query, _req, res) => {
      const removed: string[] = [];
      for (const { cid } of argCids(query)) {
        if (!pins.delete(pinKey(cid))) throw new KuboError('not pinned or pinned indirectly');
        removed.push(cid.toString());
      }
      sendJson(res, { Pins: removed });
    },

    'block/stat': async (query, _req, res) => {
      const cid = firstCid(query);
      if (!(await blocks.has(cid))) throw notLocal(cid);
      let size = 0;
      for await (const chunk of blocks.get(cid)) size += chunk.length;
      sendJson(res, { Key: cid.toString(), Size: size });
    },

    version: async (_query, _req, res) =>
      sendJson(res, {
        Version: '0.0.0-test',
        Commit: '',
        Repo: '16',
        System: `${process.arch}/${process.platform}`,
        Golang: 'none',
      }),

    id: async (_query, _req, res) =>
      sendJson(res, {
        ID: PEER_ID,
        PublicKey: PUBLIC_KEY.toString('base64'),
        Addresses: [],
        AgentVersion: 'kubo/0.0.0-test/',
        Protocols: [],
      }),
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const command = url.pathname.replace(/^\/api\/v0\//, '');
    requests.push({ command, query: url.searchParams });
    const handler = handlers[command];
    const refuse = (status: number, message: string) => {
      req.resume();
      sendKuboError(res, message, status);
    };
    if (!url.pathname.startsWith('/api/v0/') || !handler) return refuse(404, `unknown command ${url.pathname}`);
    if (req.method !== 'POST') return refuse(405, `405 - Method Not Allowed: use POST for ${command}`);
    if (failures > 0) {
      failures--;
      return refuse(500, 'injected failure (failNext)');
    }
    handler(url.searchParams, req, res).catch((e: unknown) => {
      if (res.headersSent) return res.destroy(e as Error);
      refuse(500, e instanceof KuboError ? e.message : `internal error: ${(e as Error).message}`);
    });
  });
  const port = await freePort();
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (n) => {
      failures = n;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
