import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What the emulator's first start funded; kept so a restart rebuilds the very same genesis UTxOs. */
export interface EmulatorGenesis {
  address: string;
  utxoCount: number;
  /** Decimal string: JSON has no bigint. */
  lovelacePerUtxo: string;
}

/** An accepted transaction and the chain height when it entered the mempool. */
export interface JournalEntry {
  height: number;
  cbor: string;
}

export interface JournalState {
  genesis: EmulatorGenesis | null;
  txs: JournalEntry[];
  height: number;
}

/**
 * The emulator's state on disk: genesis.json, txs.jsonl (one accepted tx per line, append-only) and
 * height (the number of blocks produced). Replaying the txs at their heights rebuilds the ledger exactly,
 * because the emulator is deterministic (genesis ids are 00..00#i, every block is 20 slots).
 */
export class EmulatorJournal {
  constructor(private readonly dir: string) {}

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  async load(): Promise<JournalState> {
    await mkdir(this.dir, { recursive: true });
    const genesis = await readOptional(this.file('genesis.json'));
    const txs = await readOptional(this.file('txs.jsonl'));
    const height = await readOptional(this.file('height'));
    return {
      genesis: genesis ? (JSON.parse(genesis) as EmulatorGenesis) : null,
      // A crash mid-append can leave a torn last line: it never reached the caller as accepted, so drop it.
      txs: (txs ?? '').split('\n').flatMap((line) => {
        try {
          return line.trim() ? [JSON.parse(line) as JournalEntry] : [];
        } catch {
          return [];
        }
      }),
      height: height ? Number(height) : 0,
    };
  }

  saveGenesis(genesis: EmulatorGenesis): Promise<void> {
    return replaceFile(this.file('genesis.json'), JSON.stringify(genesis));
  }

  appendTx(entry: JournalEntry): Promise<void> {
    return appendFile(this.file('txs.jsonl'), `${JSON.stringify(entry)}\n`);
  }

  saveHeight(height: number): Promise<void> {
    return replaceFile(this.file('height'), String(height));
  }
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

// Write then rename: a crash leaves the old or the new content, never half of one.
async function replaceFile(file: string, content: string): Promise<void> {
  await writeFile(`${file}.tmp`, content);
  await rename(`${file}.tmp`, file);
}
