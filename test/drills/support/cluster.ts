/**
 * The multi-process drill rig: the API in the test process (no workers), worker processes started as
 * `node --import tsx src/main/worker-main.ts` on the same database, rendering from the in-process API and
 * minting on a chain shared by all of them: a Blockfrost-compatible server in the test process backed by
 * one ledger emulator, which makes a block every BLOCK_MS (a timer calling advanceBlock).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PgBoss } from 'pg-boss';
import { EmulatorChain } from '../../../src/adapters/cardano/emulator-chain.js';
import { PlutsNftMinter } from '../../../src/adapters/cardano/plu-ts-minter.js';
import { startBlockfrostServer, type BlockfrostTestServer } from '../../support/blockfrost-server.js';
import { testConfig } from '../../support/config.js';
import { spawnEntry, type Spawned } from '../../e2e/process.js';
import { DRILL_ENV, startRig, until, type Rig } from './harness.js';

const BLOCK_MS = 200;

export interface WorkerProcess {
  name: string;
  proc: Spawned;
  /** Its JSON log lines (stdout), parsed; other output is skipped. */
  lines(): Array<Record<string, unknown>>;
  count(message: string): number;
  /** SIGKILL, and the same for what it started (Chromium), by pid. */
  kill(): Promise<void>;
  /** SIGTERM (graceful: finishes active jobs), SIGKILL after `ms`. */
  stop(ms?: number): Promise<number | null>;
}

export interface Cluster {
  rig: Rig;
  chain: EmulatorChain;
  blockfrost: BlockfrostTestServer;
  walletAddress: string;
  env: Record<string, string>;
  spawnWorker(name: string, extraEnv?: Record<string, string>): Promise<WorkerProcess>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Settings for the API and every worker (the queue policies must agree: each process updates them at start). */
  env?: Record<string, string>;
  /**
   * pg-boss fails an active job whose expiry passed (and so retries it) only in its maintenance run, by
   * default every 120 s. A supervisor in the test process runs it every second: the drill's stand-in for
   * an operator lowering the interval, without touching the application's queue settings.
   */
  fastMaintenance?: boolean;
}

/** Pids of a process's descendants (children first), from ps. */
export function descendants(pid: number): number[] {
  let out: string;
  try {
    out = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number);
    if (p === undefined || pp === undefined) continue;
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      found.push(c);
      walk(c);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export async function startCluster(o: ClusterOptions = {}): Promise<Cluster> {
  const chainDir = await mkdtemp(path.join(os.tmpdir(), 'cardano-drill-chain-'));
  const base = testConfig();
  const signingKey = base.mint.signingKey as string;
  const walletAddress = new PlutsNftMinter(signingKey, 'preview').walletAddress;
  const chain = new EmulatorChain({
    dir: chainDir,
    fundedAddress: walletAddress,
    utxoCount: 60,
    lovelacePerUtxo: 100_000_000n,
  });
  const blockfrost = await startBlockfrostServer({ chain });
  const blocks = setInterval(() => void blockfrost.advanceBlock().catch(() => undefined), BLOCK_MS);
  const chainEnv = {
    CHAIN_DRIVER: 'blockfrost',
    CHAIN_NETWORK: 'preview',
    BLOCKFROST_URL: blockfrost.url,
    BLOCKFROST_PROJECT_ID: blockfrost.projectId,
  };
  const rig = await startRig({ workers: false, env: { ...chainEnv, ...o.env } });

  let supervisor: PgBoss | undefined;
  if (o.fastMaintenance) {
    supervisor = new PgBoss({
      connectionString: process.env.TEST_DATABASE_URL as string,
      schema: 'pgboss',
      max: 2,
      superviseIntervalSeconds: 1,
      monitorIntervalSeconds: 1,
      maintenanceIntervalSeconds: 1,
      application_name: 'drill-supervisor',
    });
    supervisor.on('error', () => undefined);
    await supervisor.start();
  }

  const c = rig.t.config;
  const env: Record<string, string> = {
    ...DRILL_ENV,
    NODE_ENV: 'test',
    DATABASE_URL: process.env.TEST_DATABASE_URL as string,
    DATABASE_POOL_MAX: '6',
    // Several workers on one machine: no fixed metrics port each (a test that scrapes one passes its own).
    WORKER_METRICS_PORT: '0',
    REPORT_BASE_URL: rig.baseUrl,
    DATA_DIR: rig.dir,
    STORAGE_FS_ROOT: c.storage.fsRoot,
    JWT_SECRET: c.jwt.secret as string,
    STORAGE_URL_SECRET: c.storage.urlSecret as string,
    MINT_SIGNING_KEY: signingKey,
    PLATE_HASH_SECRET: c.mint.plateHashSecret as string,
    ...chainEnv,
    ...(process.env.CHROMIUM_PATH ? { CHROMIUM_PATH: process.env.CHROMIUM_PATH } : {}),
    ...o.env,
  };

  const workers: WorkerProcess[] = [];
  const spawnWorker = async (name: string, extraEnv: Record<string, string> = {}): Promise<WorkerProcess> => {
    const proc = spawnEntry('src/main/worker-main.ts', [], { ...env, ...extraEnv });
    const lines = () =>
      proc
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        });
    const killTree = async (signal: NodeJS.Signals, ms: number): Promise<number | null> => {
      const pid = proc.child.pid as number;
      const tree = descendants(pid);
      proc.child.kill(signal);
      const code = await Promise.race([proc.exited, new Promise<'late'>((r) => setTimeout(() => r('late'), ms))]);
      if (code === 'late') proc.child.kill('SIGKILL');
      const exit = code === 'late' ? await proc.exited : code;
      // Orphaned Chromium processes of a killed worker: end them by pid, they are ours.
      await new Promise((r) => setTimeout(r, 200));
      for (const p of [...tree, ...descendants(pid)]) if (alive(p)) process.kill(p, 'SIGKILL');
      return exit;
    };
    const w: WorkerProcess = {
      name,
      proc,
      lines,
      count: (message) => lines().filter((l) => l.message === message).length,
      kill: async () => void (await killTree('SIGKILL', 5_000)),
      stop: (ms = 40_000) => killTree('SIGTERM', ms),
    };
    workers.push(w);
    let exited = false;
    void proc.exited.then(() => (exited = true));
    await until(
      () => {
        if (exited) throw new Error(`worker ${name} exited at start:\n${proc.output().slice(-3000)}`);
        return w.count('report worker started') === 1 && w.count('mint worker started') === 1;
      },
      60_000,
      `worker ${name} to start`,
      100,
    ).catch((e: Error) => {
      if (/exited at start/.test(e.message)) throw e;
      throw new Error(`${e.message}\n${proc.output().slice(-3000)}`);
    });
    return w;
  };

  const stop = async () => {
    for (const w of workers)
      if (w.proc.child.exitCode === null && w.proc.child.signalCode === null)
        await w.stop(10_000).catch(() => undefined);
    await supervisor?.stop({ graceful: false }).catch(() => undefined);
    clearInterval(blocks);
    await rig.stop();
    await blockfrost.stop();
    chain.close();
    await rm(chainDir, { recursive: true, force: true });
  };
  return { rig, chain, blockfrost, walletAddress, env, spawnWorker, stop };
}
