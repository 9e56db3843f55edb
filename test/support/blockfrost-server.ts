/**
 * A Blockfrost-compatible HTTP server for tests (no internet here), backed by a real EmulatorChain, so that
 * /tx/submit really validates transactions with the ledger emulator. It implements the endpoints the
 * BlockfrostChain adapter uses, under /api/v0 like the real service, with Blockfrost's response shapes:
 *   GET  /epochs/latest/parameters          GET /addresses/{address}/utxos?count&page&order
 *   POST /tx/submit (application/cbor)      GET /txs/{hash}      GET /blocks/latest
 *   GET  /mempool/{hash}                    GET /assets/{policy id + asset name}
 * Errors use Blockfrost's body {status_code, error, message}: 403 without (or with a wrong) project_id,
 * 404 for unknown things and routes, 400 for malformed input and for ledger rejections, whose message is
 * the Conway-era cardano-submit-api JSON (the ledger's constructor names in an "error" list). Like
 * Blockfrost (db-sync), /txs, /assets and address UTxOs only show what is in a block; /mempool shows the
 * emulator's pending transactions.
 */
import { Address, Cardano, Transaction, TxCBOR } from '@blaze-cardano/core';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorChain } from '../../src/adapters/cardano/emulator-chain.js';
import { isDomainError } from '../../src/domain/shared/domain-error.js';

export interface BlockfrostRequest {
  method: string;
  /** Path below /api/v0, without the query. */
  path: string;
  query: URLSearchParams;
  /** The project_id header as received (undefined when absent). */
  projectId: string | undefined;
  contentType: string | undefined;
  /** The status answered (undefined while the request is unanswered, e.g. hung). */
  status?: number;
}

export interface BlockfrostTestServer {
  /** The API root to give BlockfrostChain as baseUrl, e.g. http://127.0.0.1:41234/api/v0. */
  url: string;
  /** The only project id accepted. */
  projectId: string;
  chain: EmulatorChain;
  /** Every request received, in order. */
  requests: BlockfrostRequest[];
  /** Produces one block on the emulator (pending transactions get confirmed). */
  advanceBlock(): Promise<void>;
  /** The next `n` requests answer `status` (default 500) with a Blockfrost-shaped error, as an outage would. */
  failNext(n: number, status?: number): void;
  /** The next `n` requests are never answered (until stop()): for client timeouts. */
  hangNext(n: number): void;
  /** Runs before a request is handled (after the fault switches), e.g. to change the chain in between calls. */
  beforeHandle: ((request: BlockfrostRequest) => Promise<void> | void) | undefined;
  stop(): Promise<void>;
}

export interface BlockfrostServerOptions {
  chain: EmulatorChain;
  /** Default: a random "preview…" id, shaped like Blockfrost's. */
  projectId?: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  402: 'Project Over Limit',
  403: 'Forbidden',
  404: 'Not Found',
  418: 'Requested Banned',
  425: 'Mempool Full',
  429: 'Project Over Limit',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};
const MESSAGES: Record<number, string> = {
  402: 'Usage is over limit.',
  418: 'IP has been auto-banned for flooding.',
  425: 'Mempool is full, please try resubmitting again later.',
  429: 'Usage is over limit.',
  500: 'An unexpected response was received from the backend.',
};

const SLOTS_PER_BLOCK = 20; // the emulator's block length
const SYSTEM_START = 1_666_656_000; // preview's, in seconds

const sendJson = (res: ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
};
const blockHash = (height: number) => createHash('sha256').update(`emulator block ${height}`).digest('hex');
const notFound = () => new HttpError(404, 'The requested component has not been found.');

type Handler = (match: RegExpExecArray, req: IncomingMessage, query: URLSearchParams) => Promise<unknown>;

/** Starts the server on 127.0.0.1 and a port the OS picks. */
export async function startBlockfrostServer(options: BlockfrostServerOptions): Promise<BlockfrostTestServer> {
  const { chain } = options;
  const projectId =
    options.projectId ?? `preview${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 32)}`;
  const requests: BlockfrostRequest[] = [];
  const hung = new Set<ServerResponse>();
  let failures = { n: 0, status: 500 };
  let hangs = 0;
  let beforeHandle: BlockfrostTestServer['beforeHandle'];
  /** Addresses that held or received something: the others answer 404, like addresses never on chain. */
  const seen = new Set<string>();
  /** What /txs and /mempool tell about transactions submitted here. */
  const submitted = new Map<
    string,
    {
      fee: bigint;
      size: number;
      mints: number;
      inputs: Array<{ tx_hash: string; output_index: number }>;
      outputs: Array<{ address: string; amount: ReturnType<typeof amountOf> }>;
    }
  >();

  const routes: Array<[method: string, pattern: RegExp, handler: Handler]> = [
    [
      'GET',
      /^\/epochs\/latest\/parameters$/,
      async () => parametersJson(await chain.protocolParameters(), await chain.tip()),
    ],

    [
      'GET',
      /^\/addresses\/([^/]+)\/utxos$/,
      async ([, raw], _req, query) => {
        const address = decodeURIComponent(raw as string);
        try {
          if (Address.fromBech32(address).getNetworkId() !== 0) throw new Error('not a testnet address');
        } catch {
          throw new HttpError(400, 'Invalid address for this network or malformed address format.');
        }
        const count = Number(query.get('count') ?? 100);
        const page = Number(query.get('page') ?? 1);
        if (!Number.isInteger(count) || count < 1 || count > 100)
          throw new HttpError(400, 'querystring/count must be <= 100 and >= 1');
        if (!Number.isInteger(page) || page < 1) throw new HttpError(400, 'querystring/page must be >= 1');
        const utxos = await chain.utxosAt(address);
        if (utxos.length) seen.add(address);
        if (!seen.has(address)) throw notFound();
        if (query.get('order') === 'desc') utxos.reverse();
        return Promise.all(
          utxos.slice((page - 1) * count, page * count).map(async (u) => ({
            address,
            tx_hash: u.txHash,
            tx_index: u.index,
            output_index: u.index,
            amount: amountOf(u.lovelace, u.assets),
            block: blockHash((await chain.heightOf(u.txHash)) ?? 0),
            data_hash: null,
            inline_datum: null,
            reference_script_hash: null,
          })),
        );
      },
    ],

    [
      'POST',
      /^\/tx\/submit$/,
      async (_match, req) => {
        if (req.headers['content-type'] !== 'application/cbor')
          throw new HttpError(400, 'Invalid Content-Type header, expected application/cbor.');
        const bytes = await readBody(req, 64 * 1024);
        let tx: Transaction;
        try {
          tx = Transaction.fromCbor(TxCBOR(bytes.toString('hex')));
        } catch (e) {
          throw new HttpError(
            400,
            submitApiError('TxCmdTxReadError', [
              `DecoderErrorDeserialiseFailure "Shelley Tx" (DeserialiseFailure 0 "${(e as Error).message}")`,
            ]),
          );
        }
        const inputs = tx
          .body()
          .inputs()
          .values()
          .map((i) => ({ tx_hash: i.transactionId() as string, output_index: Number(i.index()) }));
        let txHash: string;
        try {
          txHash = await chain.submit(bytes.toString('hex'));
        } catch (e) {
          if (!isDomainError(e)) throw e;
          if (e.code === 'CHAIN.UTXO_BUSY') {
            // The inputs the emulator names, else all of them; the MaryValue amounts are not computed here.
            const refs = [...e.message.matchAll(/([0-9a-f]{64})#(\d+)/g)].map(([, id, ix]) => ({
              tx_hash: id as string,
              output_index: Number(ix),
            }));
            const txIns = (refs.length ? refs : inputs).map(
              (i) => `TxIn (TxId {unTxId = SafeHash "${i.tx_hash}"}) (TxIx {unTxIx = ${i.output_index}})`,
            );
            throw new HttpError(
              400,
              submitApiError('TxCmdTxSubmitValidationError', [
                'ConwayUtxowFailure (UtxoFailure (ValueNotConservedUTxO (MaryValue (Coin 0) (MultiAsset (fromList []))) (MaryValue (Coin 0) (MultiAsset (fromList [])))))',
                `ConwayUtxowFailure (UtxoFailure (BadInputsUTxO (fromList [${txIns.join(',')}])))`,
              ]),
            );
          }
          if (e.code === 'CHAIN.REJECTED')
            throw new HttpError(
              400,
              submitApiError('TxCmdTxSubmitValidationError', [
                `ConwayUtxowFailure (EmulatorValidationFailure ${JSON.stringify(e.message)})`,
              ]),
            );
          throw new HttpError(500, `The node could not take the transaction: ${e.message}`);
        }
        for (const out of tx.body().outputs()) seen.add(out.address().toBech32());
        submitted.set(txHash, {
          fee: tx.body().fee(),
          size: bytes.length,
          mints: tx.body().mint()?.size ?? 0,
          inputs,
          outputs: tx
            .body()
            .outputs()
            .map((o) => ({
              address: o.address().toBech32(),
              amount: amountOf(
                o.amount().coin(),
                Object.fromEntries(o.amount().multiasset() ?? new Map<string, bigint>()),
              ),
            })),
        });
        return txHash;
      },
    ],

    [
      'GET',
      /^\/txs\/([0-9a-f]{64})$/,
      async ([, hash]) => {
        const height = await chain.heightOf(hash as string);
        if (height === null) throw notFound();
        const known = submitted.get(hash as string);
        return {
          hash,
          block: blockHash(height),
          block_height: height,
          block_time: SYSTEM_START + height * SLOTS_PER_BLOCK,
          slot: height * SLOTS_PER_BLOCK,
          index: 0,
          output_amount: totalOf(known?.outputs ?? []),
          fees: String(known?.fee ?? 0n),
          deposit: '0',
          size: known?.size ?? 0,
          invalid_before: null,
          invalid_hereafter: null,
          utxo_count: (known?.inputs.length ?? 0) + (known?.outputs.length ?? 0),
          withdrawal_count: 0,
          mir_cert_count: 0,
          delegation_count: 0,
          stake_cert_count: 0,
          pool_update_count: 0,
          pool_retire_count: 0,
          asset_mint_or_burn_count: known?.mints ?? 0,
          redeemer_count: 0,
          valid_contract: true,
        };
      },
    ],

    ['GET', /^\/txs\/[^/]+$/, async () => Promise.reject(new HttpError(400, 'Invalid or malformed transaction hash.'))],

    [
      'GET',
      /^\/blocks\/latest$/,
      async () => {
        const height = await chain.tip();
        return {
          time: SYSTEM_START + height * SLOTS_PER_BLOCK,
          height,
          hash: blockHash(height),
          slot: height * SLOTS_PER_BLOCK,
          epoch: 0,
          epoch_slot: height * SLOTS_PER_BLOCK,
          slot_leader: 'emulator',
          size: 0,
          tx_count: 0,
          output: null,
          fees: null,
          block_vrf: null,
          op_cert: null,
          op_cert_counter: null,
          previous_block: height > 0 ? blockHash(height - 1) : null,
          next_block: null,
          confirmations: 0,
        };
      },
    ],

    [
      'GET',
      /^\/mempool\/([0-9a-f]{64})$/,
      async ([, hash]) => {
        if ((await chain.txStatus(hash as string)).state !== 'pending')
          throw new HttpError(404, 'Transaction not found in mempool.');
        const known = submitted.get(hash as string);
        return {
          tx: {
            hash,
            output_amount: totalOf(known?.outputs ?? []),
            fees: String(known?.fee ?? 0n),
            deposit: '0',
            size: known?.size ?? 0,
            invalid_before: null,
            invalid_hereafter: null,
            valid_contract: true,
          },
          inputs: (known?.inputs ?? []).map((i) => ({
            ...i,
            address: null,
            amount: [],
            collateral: false,
            reference: false,
          })),
          outputs: (known?.outputs ?? []).map((o, i) => ({
            ...o,
            output_index: i,
            data_hash: null,
            inline_datum: null,
            collateral: false,
            reference_script_hash: null,
          })),
          redeemers: [],
        };
      },
    ],

    [
      'GET',
      /^\/assets\/([^/]+)$/,
      async ([, asset]) => {
        if (!/^[0-9a-f]{56}(?:[0-9a-f]{2}){0,32}$/.test(asset as string))
          throw new HttpError(400, 'Invalid or malformed asset format.');
        const [policy, name] = [(asset as string).slice(0, 56), (asset as string).slice(56)];
        const mint = await chain.assetMint(policy, name);
        // db-sync only knows assets from transactions in a block.
        if (!mint || (await chain.heightOf(mint.txHash)) === null) throw notFound();
        return {
          asset,
          policy_id: policy,
          asset_name: name || null,
          fingerprint: String(Cardano.AssetFingerprint.fromParts(Cardano.PolicyId(policy), Cardano.AssetName(name))),
          quantity: '1',
          initial_mint_tx_hash: mint.txHash,
          mint_or_burn_count: 1,
          onchain_metadata: mint.metadata,
          onchain_metadata_standard: mint.metadata ? 'CIP25v1' : null,
          onchain_metadata_extra: null,
          metadata: null,
        };
      },
    ],
  ];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const header = req.headers.project_id;
    const entry: BlockfrostRequest = {
      method: req.method ?? 'GET',
      path: url.pathname.replace(/^\/api\/v0(?=\/)/, ''),
      query: url.searchParams,
      projectId: Array.isArray(header) ? header[0] : header,
      contentType: req.headers['content-type'],
    };
    requests.push(entry);
    const answer = (status: number, body: unknown) => {
      entry.status = status;
      req.resume();
      sendJson(res, body, status);
    };
    const fail = (status: number, message = MESSAGES[status] ?? 'Backend error.') =>
      answer(status, { status_code: status, error: REASONS[status] ?? 'Error', message });

    if (hangs > 0) {
      hangs--;
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return;
    }
    if (failures.n > 0) {
      failures.n--;
      return fail(failures.status);
    }
    if (entry.projectId === undefined)
      return fail(403, 'Missing project token. Please include project_id in your request.');
    if (entry.projectId !== projectId) return fail(403, 'Invalid project token.');
    if (!url.pathname.startsWith('/api/v0/')) return fail(404, 'The requested component has not been found.');
    const route = routes.find(([method, pattern]) => method === req.method && pattern.test(entry.path));
    if (!route) return fail(404, 'The requested component has not been found.');
    const match = route[1].exec(entry.path) as RegExpExecArray;
    (async () => {
      await beforeHandle?.(entry);
      return route[2](match, req, url.searchParams);
    })().then(
      (body) => answer(200, body),
      (e: unknown) =>
        e instanceof HttpError ? fail(e.status, e.message) : fail(500, `internal error: ${(e as Error).message}`),
    );
  });

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const api: BlockfrostTestServer = {
    url: `http://127.0.0.1:${port}/api/v0`,
    projectId,
    chain,
    requests,
    advanceBlock: () => chain.advanceBlock(),
    failNext: (n, status = 500) => {
      failures = { n, status };
    },
    hangNext: (n) => {
      hangs = n;
    },
    get beforeHandle() {
      return beforeHandle;
    },
    set beforeHandle(hook) {
      beforeHandle = hook;
    },
    stop: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}

/** Blockfrost's amount list: lovelace first, then native assets by unit, quantities as decimal strings. */
function amountOf(lovelace: bigint, assets: Record<string, bigint>): Array<{ unit: string; quantity: string }> {
  return [
    { unit: 'lovelace', quantity: String(lovelace) },
    ...Object.entries(assets).map(([unit, qty]) => ({ unit, quantity: String(qty) })),
  ];
}

/** The sum of outputs' amounts by unit, as Blockfrost's output_amount. */
function totalOf(
  outputs: Array<{ amount: Array<{ unit: string; quantity: string }> }>,
): Array<{ unit: string; quantity: string }> {
  const sums = new Map<string, bigint>([['lovelace', 0n]]);
  for (const { unit, quantity } of outputs.flatMap((o) => o.amount))
    sums.set(unit, (sums.get(unit) ?? 0n) + BigInt(quantity));
  return [...sums].map(([unit, qty]) => ({ unit, quantity: String(qty) }));
}

/** cardano-submit-api's Conway-era error, which Blockfrost puts as a JSON string into `message`. */
function submitApiError(tag: 'TxCmdTxReadError' | 'TxCmdTxSubmitValidationError', errors: string[]): string {
  if (tag === 'TxCmdTxReadError') return JSON.stringify({ contents: { contents: errors, tag }, tag: 'TxSubmitFail' });
  return JSON.stringify({
    contents: {
      contents: {
        contents: { era: 'ShelleyBasedEraConway', error: errors, kind: 'ShelleyTxValidationError' },
        tag: 'TxValidationErrorInCardanoMode',
      },
      tag,
    },
    tag: 'TxSubmitFail',
  });
}

/** The emulator's parameters (blaze's ProtocolParameters) in Blockfrost's /epochs/latest/parameters shape. */
function parametersJson(params: { raw: Record<string, unknown> }, height: number): Record<string, unknown> {
  const p = params.raw as Record<string, never> & {
    protocolVersion: { major: number; minor: number };
    prices: { memory: number; steps: number };
    maxExecutionUnitsPerTransaction: { memory: number; steps: number };
    maxExecutionUnitsPerBlock: { memory: number; steps: number };
    costModels?: Map<number, number[]>;
    minFeeReferenceScripts?: { base: number };
  };
  const languages = ['PlutusV1', 'PlutusV2', 'PlutusV3'];
  const costModelsRaw = Object.fromEntries(
    [...(p.costModels ?? new Map<number, number[]>())].map(([lang, costs]) => [
      languages[lang] ?? String(lang),
      [...costs],
    ]),
  );
  return {
    epoch: Math.floor(height / 432),
    min_fee_a: p.minFeeCoefficient,
    min_fee_b: p.minFeeConstant,
    max_block_size: p.maxBlockBodySize,
    max_tx_size: p.maxTxSize,
    max_block_header_size: p.maxBlockHeaderSize,
    key_deposit: String(p.stakeKeyDeposit),
    pool_deposit: String(p.poolDeposit),
    e_max: p.poolRetirementEpochBound,
    n_opt: p.desiredNumberOfPools,
    a0: Number(p.poolInfluence),
    rho: Number(p.monetaryExpansion),
    tau: Number(p.treasuryExpansion),
    decentralisation_param: 0,
    extra_entropy: null,
    protocol_major_ver: p.protocolVersion.major,
    protocol_minor_ver: p.protocolVersion.minor,
    min_utxo: String(p.coinsPerUtxoByte),
    min_pool_cost: String(p.minPoolCost),
    nonce: blockHash(0),
    cost_models: null,
    cost_models_raw: costModelsRaw,
    price_mem: p.prices.memory,
    price_step: p.prices.steps,
    max_tx_ex_mem: String(p.maxExecutionUnitsPerTransaction.memory),
    max_tx_ex_steps: String(p.maxExecutionUnitsPerTransaction.steps),
    max_block_ex_mem: String(p.maxExecutionUnitsPerBlock.memory),
    max_block_ex_steps: String(p.maxExecutionUnitsPerBlock.steps),
    max_val_size: String(p.maxValueSize),
    collateral_percent: p.collateralPercentage,
    max_collateral_inputs: p.maxCollateralInputs,
    coins_per_utxo_size: String(p.coinsPerUtxoByte),
    coins_per_utxo_word: String(p.coinsPerUtxoByte),
    min_fee_ref_script_cost_per_byte: p.minFeeReferenceScripts?.base ?? null,
  };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(400, `The transaction is larger than ${limit} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
