import { create, type KuboRPCClient } from 'kubo-rpc-client';
import { equals } from 'multiformats/bytes';
import { Readable } from 'node:stream';
import { isDomainError } from '../../domain/shared/domain-error.js';
import { IpfsErrors } from '../../domain/ipfs/ipfs-errors.js';
import type { Ipfs, IpfsAdded } from '../../ports/ipfs.js';
import { countedBytes, parseCid, type CidVersion, type InputTally } from './embedded-ipfs.js';

export interface KuboIpfsOptions {
  /** Kubo RPC API, e.g. http://127.0.0.1:5001 (KUBO_RPC_URL). */
  url: string;
  /** CID version of added content, as `ipfs add --cid-version` (default 1). */
  cidVersion?: CidVersion;
  /** Budget of each call: a whole add, a pin query, or a cat until its first bytes (default 30 s). */
  timeoutMs?: number;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);
const NOT_FOUND = /not found|could not find|no link named/i;
const NOT_PINNED = /not pinned/i;

/** The codes along an error's cause chain (fetch wraps ECONNREFUSED in TypeError("fetch failed")). */
function causeCodes(e: unknown): string[] {
  const codes: string[] = [];
  for (
    let at = e as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    at && depth < 5;
    at = at.cause as typeof at, depth++
  ) {
    if (typeof at.code === 'string') codes.push(at.code);
  }
  return codes;
}

/** Kubo's own error text ({"Message": ...}) as the client surfaces it, with the HTTP status. */
function kuboError(e: unknown): { status: number; message: string } | undefined {
  const err = e as { name?: string; message?: string; response?: { status?: number } };
  return err?.name === 'HTTPError' ? { status: err.response?.status ?? 0, message: err.message ?? '' } : undefined;
}

/**
 * The Ipfs port on a Kubo node through its RPC API (kubo-rpc-client). Every add pins and fixes the import settings
 * (cid-version, raw leaves, 256 KiB chunks, sha2-256) so CIDs match EmbeddedIpfs whatever the node's
 * Import.* config, except Import.UnixFSFileMaxLinks, which the RPC cannot override (default 174).
 * Reads and pin queries run `offline`: they concern this node's copy, and must not wait on the DHT for
 * content the node never had (an unknown CID is then a prompt IPFS.NOT_FOUND).
 */
export class KuboIpfs implements Ipfs {
  readonly driver = 'kubo';
  readonly cidVersion: CidVersion;
  private readonly client: KuboRPCClient;
  private readonly timeoutMs: number;

  constructor(private readonly options: KuboIpfsOptions) {
    this.cidVersion = options.cidVersion ?? 1;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.client = create({ url: options.url });
  }

  async add(content: Buffer | Readable): Promise<IpfsAdded> {
    const tally: InputTally = { bytes: 0 };
    try {
      const added = await this.client.add(countedBytes(content, tally), {
        cidVersion: this.cidVersion,
        rawLeaves: this.cidVersion === 1,
        chunker: 'size-262144',
        hashAlg: 'sha2-256',
        pin: true,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Kubo's Size is the DAG size (with node overhead); the port promises content bytes.
      return { cid: added.cid.toString(), size: tally.bytes };
    } catch (e) {
      // The client turns a failing source into an aborted request: rethrow the source's own error.
      if (tally.inputError !== undefined) throw tally.inputError;
      throw this.translate(e);
    }
  }

  async cat(cid: string): Promise<Readable> {
    const parsed = parseCid(cid);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), this.timeoutMs);
    const chunks = this.client.cat(parsed, this.offline({ signal: controller.signal }))[Symbol.asyncIterator]();
    let first: IteratorResult<Uint8Array>;
    try {
      first = await chunks.next();
    } catch (e) {
      throw this.translate(e, cid);
    } finally {
      // Once bytes flow, the reader sets the pace: a slow consumer must not be cut off by the timer.
      clearTimeout(timer);
    }
    const translate = (e: unknown) => this.translate(e, cid);
    return Readable.from(
      (async function* () {
        try {
          if (first.done) return;
          yield Buffer.from(first.value);
          for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield Buffer.from(next.value);
        } catch (e) {
          throw translate(e);
        } finally {
          await chunks.return?.();
        }
      })(),
      { objectMode: false },
    );
  }

  async isPinned(cid: string): Promise<boolean> {
    const parsed = parseCid(cid);
    try {
      for await (const pin of this.client.pin.ls(
        this.offline({ paths: [parsed], type: 'recursive' as const, signal: AbortSignal.timeout(this.timeoutMs) }),
      )) {
        // Compared by multihash: Kubo may spell a dag-pb CID as v0 or v1.
        if (equals(pin.cid.multihash.bytes, parsed.multihash.bytes)) return true;
      }
      return false;
    } catch (e) {
      // Kubo answers a query about a CID it does not pin with an error ("path '...' is not pinned").
      const kubo = kuboError(e);
      if (kubo && (NOT_PINNED.test(kubo.message) || NOT_FOUND.test(kubo.message))) return false;
      throw this.translate(e, cid);
    }
  }

  async unpin(cid: string): Promise<void> {
    const parsed = parseCid(cid);
    try {
      await this.client.pin.rm(parsed, this.offline({ recursive: true, signal: AbortSignal.timeout(this.timeoutMs) }));
    } catch (e) {
      const kubo = kuboError(e);
      if (kubo && (NOT_PINNED.test(kubo.message) || NOT_FOUND.test(kubo.message))) return;
      throw this.translate(e, cid);
    }
  }

  // The client copies unknown options into the query string; `offline` is a global Kubo RPC option.
  private offline<T extends object>(options: T): T {
    return { ...options, offline: true };
  }

  private translate(e: unknown, cid?: string): unknown {
    if (isDomainError(e)) return e;
    const name = (e as Error | undefined)?.name;
    if (name === 'TimeoutError' || name === 'AbortError')
      return IpfsErrors.unavailable(`Kubo at ${this.options.url} did not answer within ${this.timeoutMs} ms`);
    const kubo = kuboError(e);
    if (kubo) {
      if (cid !== undefined && NOT_FOUND.test(kubo.message)) return IpfsErrors.notFound(cid);
      if (cid !== undefined && /invalid (path|cid)|illegal base|unknown multibase/i.test(kubo.message))
        return IpfsErrors.invalidCid(cid);
      if (kubo.status >= 500) return IpfsErrors.unavailable(`Kubo answered ${kubo.status}: ${kubo.message}`);
      return e;
    }
    const codes = causeCodes(e);
    if (codes.some((c) => NETWORK_CODES.has(c)) || (e as Error | undefined)?.message === 'fetch failed') {
      return IpfsErrors.unavailable(`cannot reach Kubo at ${this.options.url} (${codes.join(', ') || 'fetch failed'})`);
    }
    return e;
  }
}
