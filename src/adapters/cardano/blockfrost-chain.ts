import { ChainErrors, type ProtocolParameters, type TxStatus, type Utxo } from '../../domain/chain/chain.js';
import type { Chain } from '../../ports/chain.js';
import {
  asObject,
  classifySubmitError,
  errorMessage,
  numberField,
  readUtxo,
  unexpected,
} from './blockfrost-answers.js';

export type BlockfrostNetwork = 'preview' | 'preprod' | 'mainnet';

export interface BlockfrostChainOptions {
  /** The Blockfrost project id (sent as the `project_id` header; a secret: never logged nor put in errors). */
  projectId: string;
  network: BlockfrostNetwork;
  /** Override of https://cardano-<network>.blockfrost.io/api/v0, e.g. a local test server or a self-hosted instance. */
  baseUrl?: string;
  /** Budget of one HTTP request, body included. Default 20 s. */
  timeoutMs?: number;
}

/** Blockfrost's page size for lists (its maximum and default `count`). */
const PAGE_SIZE = 100;
const DEFAULT_TIMEOUT_MS = 20_000;

interface Reply {
  status: number;
  body: unknown;
  /** The body as text (error bodies are kept for classification and details). */
  text: string;
}

/**
 * The Chain port on the Blockfrost HTTP API, with plain fetch.
 *
 * Why not @harmoniclabs/blockfrost-pluts (0.1.16, the release whose peers match plu-ts 0.9.0):
 * - `submitTx(hex)` first decodes the hex with cardano-ledger-ts 0.3.2 `Tx.fromCbor`, which cannot read back
 *   the auxiliary data plu-ts itself writes for our CIP-25 mints (tag 259 {0: metadata}: its decoder wants
 *   keys 1, 2 and 3 too) and throws "Invalid CBOR format for AuxiliaryData": every mint would fail before
 *   any request; it then re-encodes and posts `toBuffer().buffer` rather than the caller's bytes;
 * - no request has a timeout or abort signal, and `get` throws a bare string (statusText + body): the
 *   status code, which the error mapping needs, is lost;
 * - it derives the network from the project id prefix and throws on any other id; no paging, no 404 handling.
 * Each endpoint here is one GET or POST, so plain fetch is both simpler and exact.
 *
 * Error mapping: 404 is data (never-used address, unknown tx or asset); 400 on submit is the ledger's verdict
 * (see {@link classifySubmitError}); everything else (402/403 quota or key, 418 ban, 425 mempool full,
 * 429 rate limit, 5xx, network errors, timeouts, unreadable answers) is CHAIN.UNAVAILABLE: retryable, and
 * visible to operators in the error detail. The project id is kept in a private field, so neither
 * util.inspect nor JSON.stringify of the adapter shows it, and it is scrubbed from every answer before use.
 */
export class BlockfrostChain implements Chain {
  readonly network: BlockfrostNetwork;
  /** The API root, without trailing slash (no secret in it). */
  readonly baseUrl: string;
  readonly #projectId: string;
  readonly #timeoutMs: number;

  constructor(options: BlockfrostChainOptions) {
    if (!options.projectId) throw new Error('BlockfrostChain: projectId is required');
    this.network = options.network;
    this.baseUrl = (options.baseUrl ?? `https://cardano-${options.network}.blockfrost.io/api/v0`).replace(/\/+$/, '');
    this.#projectId = options.projectId;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async protocolParameters(): Promise<ProtocolParameters> {
    const { body } = await this.expect200(await this.request('GET', '/epochs/latest/parameters'));
    const p = asObject(body, 'protocol parameters');
    return {
      minFeeA: numberField(p, 'min_fee_a'),
      minFeeB: numberField(p, 'min_fee_b'),
      // Blockfrost sends lovelace amounts as decimal strings (coins_per_utxo_size, max_val_size).
      coinsPerUtxoByte: numberField(p, 'coins_per_utxo_size'),
      maxTxSize: numberField(p, 'max_tx_size'),
      maxValueSize: numberField(p, 'max_val_size'),
      raw: p,
    };
  }

  async utxosAt(address: string): Promise<Utxo[]> {
    const byRef = new Map<string, Utxo>();
    for (let page = 1; ; page++) {
      const reply = await this.request(
        'GET',
        `/addresses/${encodeURIComponent(address)}/utxos?count=${PAGE_SIZE}&page=${page}`,
      );
      // 404: the address never appeared on chain (an address whose outputs are all spent gives []).
      if (reply.status === 404) return [...byRef.values()];
      const { body } = await this.expect200(reply);
      if (!Array.isArray(body)) throw unexpected('UTxO list');
      for (const item of body) {
        const u = readUtxo(item);
        // Pages are read one after the other: a block in between may shift an entry onto the next page.
        byRef.set(`${u.txHash}#${u.index}`, u);
      }
      if (body.length < PAGE_SIZE) return [...byRef.values()];
    }
  }

  async submit(txCborHex: string): Promise<string> {
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(txCborHex)) throw ChainErrors.rejected('the transaction is not hex-encoded CBOR');
    const reply = await this.request('POST', '/tx/submit', new Uint8Array(Buffer.from(txCborHex, 'hex')));
    if (reply.status !== 200) throw classifySubmitError(reply.status, reply.text);
    if (typeof reply.body !== 'string' || !/^[0-9a-fA-F]{64}$/.test(reply.body)) throw unexpected('transaction id');
    return reply.body.toLowerCase();
  }

  async txStatus(txHash: string): Promise<TxStatus> {
    // A malformed hash names no transaction (Blockfrost would answer 400).
    if (!/^[0-9a-fA-F]{64}$/.test(txHash)) return { state: 'unknown', confirmations: 0 };
    const hash = txHash.toLowerCase();
    const confirmed = await this.confirmedStatus(hash);
    if (confirmed) return confirmed;
    const inMempool = await this.request('GET', `/mempool/${hash}`);
    if (inMempool.status === 200) return { state: 'pending', confirmations: 0 };
    if (inMempool.status !== 404) await this.expect200(inMempool);
    // The transaction may have left the mempool for a block between the two look-ups: ask once more.
    return (await this.confirmedStatus(hash)) ?? { state: 'unknown', confirmations: 0 };
  }

  async assetMint(
    policyIdHex: string,
    assetNameHex: string,
  ): Promise<{ txHash: string; metadata: Record<string, unknown> | null } | null> {
    // Blockfrost indexes blocks only: an asset minted by a transaction still in the mempool is not found yet.
    if (!/^[0-9a-fA-F]{56}$/.test(policyIdHex) || !/^(?:[0-9a-fA-F]{2}){0,32}$/.test(assetNameHex)) return null;
    const reply = await this.request('GET', `/assets/${policyIdHex.toLowerCase()}${assetNameHex.toLowerCase()}`);
    if (reply.status === 404) return null;
    const asset = asObject((await this.expect200(reply)).body, 'asset');
    const txHash = asset.initial_mint_tx_hash;
    if (typeof txHash !== 'string') throw unexpected('asset (initial_mint_tx_hash)');
    const metadata = asset.onchain_metadata;
    return {
      txHash,
      metadata:
        metadata && typeof metadata === 'object' && !Array.isArray(metadata)
          ? (metadata as Record<string, unknown>)
          : null,
    };
  }

  /** confirmations = tip height - the transaction's block height + 1; null when the tx is in no block. */
  private async confirmedStatus(hash: string): Promise<TxStatus | null> {
    const reply = await this.request('GET', `/txs/${hash}`);
    if (reply.status === 404) return null;
    const tx = asObject((await this.expect200(reply)).body, 'transaction');
    const latest = asObject((await this.expect200(await this.request('GET', '/blocks/latest'))).body, 'latest block');
    const height = numberField(latest, 'height');
    const blockHeight = numberField(tx, 'block_height');
    // The tip is read after the transaction, so it is at least as high; max() guards a lagging replica.
    return { state: 'confirmed', confirmations: Math.max(1, height - blockHeight + 1) };
  }

  /** One HTTP exchange under its own timeout (headers and body). Transport failures become CHAIN.UNAVAILABLE. */
  private async request(method: 'GET' | 'POST', path: string, cbor?: Uint8Array<ArrayBuffer>): Promise<Reply> {
    const headers: Record<string, string> = { project_id: this.#projectId, accept: 'application/json' };
    if (cbor) headers['content-type'] = 'application/cbor';
    const what = `${method} ${path.replace(/\?.*$/, '')}`;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: cbor,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      // A proxy or mock that echoes request headers must not carry the project id into error details.
      const text = (await res.text()).split(this.#projectId).join('<project_id>');
      let body: unknown = undefined;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON (a proxy's HTML page...): kept as text for the error detail.
      }
      return { status: res.status, body, text };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      if (err.name === 'TimeoutError' || err.name === 'AbortError')
        throw ChainErrors.unavailable(`Blockfrost ${what} timed out after ${this.#timeoutMs} ms`);
      throw ChainErrors.unavailable(
        `Blockfrost ${what} failed: ${err.cause?.code ?? err.cause?.message ?? err.message}`,
      );
    }
  }

  private async expect200(reply: Reply): Promise<Reply> {
    if (reply.status === 200) return reply;
    throw ChainErrors.unavailable(`Blockfrost answered ${reply.status}: ${errorMessage(reply.text)}`);
  }
}
