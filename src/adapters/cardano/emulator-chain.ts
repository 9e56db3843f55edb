import { Address, hardCodedProtocolParams, Transaction, TransactionOutput, TxCBOR, Value } from '@blaze-cardano/core';
import { Emulator } from '@blaze-cardano/emulator';
import { ChainErrors, type ProtocolParameters, type TxStatus, type Utxo } from '../../domain/chain/chain.js';
import { isDomainError } from '../../domain/shared/domain-error.js';
import type { Chain } from '../../ports/chain.js';
import { EmulatorJournal, type EmulatorGenesis } from './emulator-journal.js';

export interface EmulatorChainOptions {
  /** Where the chain is kept across restarts (the app passes DATA_DIR/chain). */
  dir: string;
  /** Bech32 address funded at genesis (used on the first start only; later starts keep the stored genesis). */
  fundedAddress: string;
  /** Several UTxOs so that mints can spend distinct inputs in parallel. Default 20. */
  utxoCount?: number;
  /** Default 100 ADA. */
  lovelacePerUtxo?: bigint;
  /** Produce a block every this many ms; absent: blocks only come from advanceBlock() (tests control time). */
  blockIntervalMs?: number;
}

type Mint = { txHash: string; metadata: Record<string, unknown> | null };

/**
 * A private, in-process Cardano ledger (@blaze-cardano/emulator) behind the Chain port, for development
 * and tests. Every accepted transaction is journaled and replayed on start, so assets survive restarts.
 * The emulator itself neither tracks inclusion heights nor guards its mempool against conflicting
 * transactions: both are done here.
 */
export class EmulatorChain implements Chain {
  readonly network = 'emulator';
  private readonly journal: EmulatorJournal;
  private emulator!: Emulator;
  private ready: Promise<void> | undefined;
  /** Serialises submissions and blocks: the journal order must be the order the emulator saw. */
  private queue: Promise<unknown> = Promise.resolve();
  private height = 0;
  /** Pending tx hash -> the inputs it spends ("txHash#index"). */
  private readonly mempool = new Map<string, string[]>();
  private readonly includedAt = new Map<string, number>();
  private readonly mints = new Map<string, Mint>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: EmulatorChainOptions) {
    this.journal = new EmulatorJournal(options.dir);
  }

  async protocolParameters(): Promise<ProtocolParameters> {
    await this.open();
    const p = this.emulator.params;
    return {
      minFeeA: p.minFeeCoefficient,
      minFeeB: p.minFeeConstant,
      coinsPerUtxoByte: p.coinsPerUtxoByte,
      maxTxSize: p.maxTxSize,
      maxValueSize: p.maxValueSize,
      raw: { ...p },
    };
  }

  async utxosAt(address: string): Promise<Utxo[]> {
    await this.open();
    // Ledger state only, like a real provider: outputs of pending transactions appear once in a block.
    return this.emulator.utxos().flatMap((u) => {
      const out = u.output();
      if (out.address().toBech32() !== address) return [];
      const assets: Record<string, bigint> = {};
      for (const [unit, qty] of out.amount().multiasset() ?? new Map()) assets[unit] = qty;
      return [
        {
          txHash: u.input().transactionId(),
          index: Number(u.input().index()),
          address,
          lovelace: out.amount().coin(),
          assets,
        },
      ];
    });
  }

  async submit(txCborHex: string): Promise<string> {
    await this.open();
    return this.serial(async () => {
      const txHash = await this.accept(txCborHex);
      await this.journal.appendTx({ height: this.height, cbor: txCborHex }).catch((e: Error) => {
        throw ChainErrors.unavailable(`cannot journal the transaction: ${e.message}`);
      });
      return txHash;
    });
  }

  async txStatus(txHash: string): Promise<TxStatus> {
    await this.open();
    if (this.mempool.has(txHash)) return { state: 'pending', confirmations: 0 };
    const at = this.includedAt.get(txHash);
    return at === undefined
      ? { state: 'unknown', confirmations: 0 }
      : { state: 'confirmed', confirmations: this.height - at + 1 };
  }

  async assetMint(policyIdHex: string, assetNameHex: string): Promise<Mint | null> {
    await this.open();
    return this.mints.get(`${policyIdHex}${assetNameHex}`.toLowerCase()) ?? null;
  }

  /** Height of the newest block (0 before the first one). */
  async tip(): Promise<number> {
    await this.open();
    return this.height;
  }

  /** Height of the block holding a transaction; null while it is pending or when it was never seen. */
  async heightOf(txHash: string): Promise<number | null> {
    await this.open();
    return this.includedAt.get(txHash) ?? null;
  }

  /** Produces one block holding every pending transaction. */
  async advanceBlock(): Promise<void> {
    await this.advanceBlocks(1);
  }

  async advanceBlocks(n: number): Promise<void> {
    await this.open();
    await this.serial(async () => {
      for (let i = 0; i < n; i++) this.produceBlock();
      await this.journal.saveHeight(this.height);
    });
  }

  /** Stops the block timer (the state is already on disk). */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private open(): Promise<void> {
    this.ready ??= this.load().catch((e: unknown) => {
      this.ready = undefined;
      throw isDomainError(e)
        ? e
        : ChainErrors.unavailable(`emulator state in ${this.options.dir}: ${(e as Error).message}`);
    });
    return this.ready;
  }

  private async load(): Promise<void> {
    const state = await this.journal.load();
    const genesis: EmulatorGenesis = state.genesis ?? {
      address: this.options.fundedAddress,
      utxoCount: this.options.utxoCount ?? 20,
      lovelacePerUtxo: String(this.options.lovelacePerUtxo ?? 100_000_000n),
    };
    if (!state.genesis) await this.journal.saveGenesis(genesis);
    const out = () =>
      new TransactionOutput(Address.fromBech32(genesis.address), new Value(BigInt(genesis.lovelacePerUtxo)));
    this.emulator = new Emulator(Array.from({ length: genesis.utxoCount }, out), { params: hardCodedProtocolParams });
    for (const entry of state.txs) {
      while (this.height < entry.height) this.produceBlock();
      await this.accept(entry.cbor);
    }
    while (this.height < state.height) this.produceBlock();
    if (this.options.blockIntervalMs) {
      this.timer = setInterval(() => void this.advanceBlock().catch(() => undefined), this.options.blockIntervalMs);
      this.timer.unref();
    }
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private produceBlock(): void {
    this.emulator.stepForwardBlock();
    this.height += 1;
    for (const txHash of this.mempool.keys()) this.includedAt.set(txHash, this.height);
    this.mempool.clear();
  }

  /** Validates with the emulator and records what the port needs (inputs in flight, minted assets). */
  private async accept(txCborHex: string): Promise<string> {
    let tx: Transaction;
    try {
      tx = Transaction.fromCbor(TxCBOR(txCborHex));
    } catch (e) {
      throw ChainErrors.rejected(`not a transaction: ${(e as Error).message}`);
    }
    const inputs = tx
      .body()
      .inputs()
      .values()
      .map((i) => `${i.transactionId()}#${i.index()}`);
    // The emulator only removes inputs when a block is made, so it would accept two spends of one input.
    const busy = inputs.filter((i) => [...this.mempool.values()].some((spent) => spent.includes(i)));
    if (busy.length) throw ChainErrors.utxoBusy(`${busy.join(', ')} already spent by a pending transaction`);
    let txHash: string;
    try {
      txHash = await this.emulator.submitTransaction(tx);
    } catch (e) {
      const message = (e as Error).message;
      throw /^(Collateral )?[Ii]nput .* not found in the ledger/.test(message)
        ? ChainErrors.utxoBusy(message)
        : ChainErrors.rejected(message);
    }
    this.mempool.set(txHash, inputs);
    const label721 = tx.auxiliaryData()?.toCore().blob?.get(721n);
    for (const [unit, qty] of tx.body().mint() ?? new Map<string, bigint>()) {
      if (qty > 0n)
        this.mints.set(unit.toLowerCase(), {
          txHash,
          metadata: cip25Entry(label721, unit.slice(0, 56), unit.slice(56)),
        });
    }
    return txHash;
  }
}

/** The asset's own CIP-25 object (what Blockfrost calls onchain_metadata): 721 -> policy -> asset name. */
function cip25Entry(label721: unknown, policyHex: string, nameHex: string): Record<string, unknown> | null {
  const all = label721 === undefined ? null : toJson(label721);
  if (!all || typeof all !== 'object') return null;
  const byPolicy = (all as Record<string, unknown>)[policyHex];
  if (!byPolicy || typeof byPolicy !== 'object') return null;
  // CIP-25 v1 keys assets by their UTF-8 name, v2 by the raw bytes (which toJson renders as hex).
  const entry =
    (byPolicy as Record<string, unknown>)[Buffer.from(nameHex, 'hex').toString('utf8')] ??
    (byPolicy as Record<string, unknown>)[nameHex];
  return entry && typeof entry === 'object' ? (entry as Record<string, unknown>) : null;
}

/** Metadata as JSON: maps become objects, bytes hex, integers numbers (strings beyond 2^53). */
function toJson(m: unknown): unknown {
  if (m instanceof Map) return Object.fromEntries([...m.entries()].map(([k, v]) => [String(toJson(k)), toJson(v)]));
  if (Array.isArray(m)) return m.map(toJson);
  if (m instanceof Uint8Array) return Buffer.from(m).toString('hex');
  if (typeof m === 'bigint') return Number.isSafeInteger(Number(m)) ? Number(m) : m.toString();
  return m;
}
