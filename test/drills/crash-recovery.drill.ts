/**
 * Drill 7, a crash of the whole tree: the server started the way `make run` starts it (API and worker in one
 * process, embedded PostgreSQL, Chromium, the emulator chain journaled on disk) records inspections with
 * photos and approves them; while report jobs are rendering and mints are in flight, the server, its
 * PostgreSQL and its Chromium are all SIGKILLed at once (as the OOM killer or a power cut would). The same
 * command then starts it again on the same data directory.
 *
 * Pass: every inspection ARCHIVED, exactly one NFT each (checked on the chain journal: minted by the recorded
 * transaction and held once), both PDFs stored and pinned. Printed: how long after the restart was ready the
 * last inspection was archived (the target is <= 60 s with the default heartbeat, monitor and retry
 * delay; a figure, not an assertion).
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PlutsNftMinter } from '../../src/adapters/cardano/plu-ts-minter.js';
import { EmulatorChain } from '../../src/adapters/cardano/emulator-chain.js';
import { EmbeddedIpfs } from '../../src/adapters/ipfs/embedded-ipfs.js';
import { findChromium } from '../../src/adapters/pdf/chromium-path.js';
import { createKnex } from '../../src/adapters/postgres/database.js';
import { startEmbeddedPostgres } from '../../src/adapters/postgres/embedded-postgres.js';
import { FsObjectStorage } from '../../src/adapters/storage/fs-object-storage.js';
import { UrlSigner } from '../../src/adapters/storage/url-signer.js';
import { testConfig } from '../support/config.js';
import { inspectionInput } from '../support/inspections.js';
import { freePort } from '../support/net.js';
import { realJpeg } from '../support/photos.js';
import { spawnEntry, waitFor, type Spawned } from '../e2e/process.js';
import { descendants } from './support/cluster.js';
import { drillSummary, seconds, sized } from './support/size.js';
import { verifyArchived } from './support/verify.js';

const N = sized(6, 16);
const PHOTOS = sized(3, 8);

describe(`drill: the whole tree (server, PostgreSQL, Chromium) SIGKILLed mid-render and mid-mint (${N} inspections), then restarted`, function () {
  this.timeout(sized(300_000, 900_000));
  let dir: string;
  let server: Spawned | undefined;
  let env: Record<string, string>;
  let base: string;
  const signingKey = testConfig().mint.signingKey as string;

  const start = async () => {
    const spawned = spawnEntry('src/main/server.ts', [], env);
    server = spawned;
    const ready = waitFor(
      async () => (await fetch(`${base}/api/v1/health/ready`)).status === 200,
      120_000,
      'server ready',
    );
    ready.catch(() => undefined);
    const outcome = await Promise.race([
      ready.then(() => 'ready'),
      spawned.exited.then((code) => `exited with ${code}`),
    ]).catch((e: Error) => e.message);
    if (outcome !== 'ready')
      throw new Error(`server not ready: ${outcome}\n--- server output ---\n${spawned.output().slice(-4000)}`);
  };

  before(async function () {
    if (!findChromium(process.env.CHROMIUM_PATH)) this.skip();
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-crash-'));
    // As root, the embedded cluster runs as the postgres user, which must traverse this directory.
    await chmod(dir, 0o711);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      NODE_ENV: 'development',
      PORT: String(port),
      DATA_DIR: path.join(dir, 'data'),
      EMBEDDED_PG_PORT: String(await freePort()),
      ARGON2_MEMORY_KIB: '4096',
      ARGON2_TIME_COST: '1',
      MINT_SIGNING_KEY: signingKey,
      CHAIN_EMULATOR_BLOCK_MS: '500',
      MINT_CONFIRMATIONS: '2',
      MINT_POLL_MS: '300',
      // A mint the killed process recorded as SUBMITTED but never sent is rebuilt after 5 s unseen.
      MINT_CONFIRM_TIMEOUT_MS: '5000',
      RATE_LIMIT_MAX: '100000',
      // JOB_HEARTBEAT_SECONDS, JOB_MONITOR_SECONDS and the retry delays stay at their defaults: the
      // recovery figure is the one a deployment gets.
      ...(process.env.CHROMIUM_PATH ? { CHROMIUM_PATH: process.env.CHROMIUM_PATH } : {}),
    };
    await start();
  });

  after(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every inspection is archived after the restart, with exactly one NFT each; nothing lost, nothing minted twice', async () => {
    const creds = JSON.parse(await readFile(path.join(env.DATA_DIR as string, 'demo-credentials.json'), 'utf8')) as {
      accounts: Array<{ role: string; email: string; password?: string; pin?: string }>;
    };
    const account = (role: string) =>
      creds.accounts.find((a) => a.role === role) as { email: string; password?: string; pin?: string };
    const login = async (url: string, body: unknown) => {
      const r = await fetch(`${base}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { authorization: `Bearer ${String(((await r.json()) as { accessToken: string }).accessToken)}` };
    };
    const asInspector = await login('/api/v1/auth/login/inspector', {
      email: account('INSPECTOR').email,
      pin: account('INSPECTOR').pin,
    });
    const asReviewer = await login('/api/v1/auth/login', {
      identifier: account('REVIEWER').email,
      password: account('REVIEWER').password,
    });

    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const created = await fetch(`${base}/api/v1/inspections`, {
        method: 'POST',
        headers: { ...asInspector, 'content-type': 'application/json' },
        body: JSON.stringify(inspectionInput({ plateNumber: `AB ${1000 + i} CD` })),
      });
      expect(created.status).to.equal(201);
      const id = ((await created.json()) as { id: string }).id;
      const form = new FormData();
      for (let p = 0; p < PHOTOS; p++)
        form.append(
          'photos',
          new Blob([new Uint8Array(await realJpeg(1200, 900, i * 100 + p))], { type: 'image/jpeg' }),
          `p${p}.jpg`,
        );
      const up = await fetch(`${base}/api/v1/inspections/${id}/photos`, {
        method: 'POST',
        headers: asInspector,
        body: form,
      });
      expect(up.status, await up.clone().text()).to.equal(201);
      ids.push(id);
    }

    // The server's own database, reached the way an operator would (the cluster password beside it).
    const pgDir = path.join(env.DATA_DIR as string, 'postgres');
    const password = (await readFile(`${pgDir}.password`, 'utf8')).trim();
    const dbUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${env.EMBEDDED_PG_PORT}/cardano`;
    const states = async () => {
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      try {
        const reports = (await c.query(`SELECT state, count(*)::int AS n FROM pdf_jobs GROUP BY state`)).rows as Array<{
          state: string;
          n: number;
        }>;
        const mints = (await c.query(`SELECT state, count(*)::int AS n FROM mint_jobs GROUP BY state`)).rows as Array<{
          state: string;
          n: number;
        }>;
        const archived = Number(
          (await c.query(`SELECT count(*)::int AS n FROM inspections WHERE status = 'ARCHIVED'`)).rows[0]?.n ?? 0,
        );
        const fmt = (rows: Array<{ state: string; n: number }>) =>
          rows
            .map((r) => `${r.state}:${r.n}`)
            .sort()
            .join('/');
        return {
          reports: Object.fromEntries(reports.map((r) => [r.state, r.n])),
          mints: Object.fromEntries(mints.map((r) => [r.state, r.n])),
          archived,
          text: `reports ${fmt(reports)} mints ${fmt(mints)}`,
        };
      } finally {
        await c.end();
      }
    };

    const approved = await fetch(`${base}/api/v1/inspections/bulk-approve`, {
      method: 'POST',
      headers: { ...asReviewer, 'content-type': 'application/json' },
      body: JSON.stringify({ ids }),
    });
    expect(approved.status).to.be.oneOf([200, 202]);

    // Kill when a render is running and a mint is in flight (queued or submitted, not yet confirmed).
    let atKill = '';
    await waitFor(
      async () => {
        const s = await states();
        atKill = s.text;
        return (s.reports.RUNNING ?? 0) > 0 && (s.mints.QUEUED ?? 0) + (s.mints.SUBMITTED ?? 0) > 0;
      },
      180_000,
      'a running render and a mint in flight',
    );
    const victims = [server?.child.pid as number, ...descendants(server?.child.pid as number)];
    for (const pid of victims) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await server?.exited;
    const killedAt = Date.now();
    // A killed child that nobody reaped yet is a zombie: gone for this purpose.
    await new Promise((r) => setTimeout(r, 500));
    const survivors = victims.filter((pid) => {
      try {
        return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' })
          .trim()
          .startsWith('Z');
      } catch {
        return false;
      }
    });

    await start();
    const readyAt = Date.now();
    let last = '';
    await waitFor(
      async () => {
        const s = await states();
        last = s.text;
        return s.archived === N;
      },
      sized(240_000, 600_000),
      `all ${N} inspections ARCHIVED after the restart`,
    ).catch((e) => {
      throw new Error(
        `${(e as Error).message} (last: ${last})\n--- server output ---\n${server?.output().slice(-4000)}`,
      );
    });
    const archivedAt = Date.now();
    const after = await states();

    // Stop the server, then check everything at rest: the database, the chain journal, storage and IPFS.
    server?.child.kill('SIGTERM');
    expect(await server?.exited).to.equal(0);
    const pgHandle = await startEmbeddedPostgres({
      dataDir: pgDir,
      port: Number(env.EMBEDDED_PG_PORT),
      database: 'cardano',
      log: () => undefined,
    });
    const knex = createKnex({ url: pgHandle.url, poolMax: 2, statementTimeoutMs: 30_000 });
    const walletAddress = new PlutsNftMinter(signingKey, 'preview').walletAddress;
    const chain = new EmulatorChain({
      dir: path.join(env.DATA_DIR as string, 'chain'),
      fundedAddress: walletAddress,
      utxoCount: 1,
      lovelacePerUtxo: 1n,
    });
    try {
      const storage = new FsObjectStorage({
        root: path.join(env.DATA_DIR as string, 'objects'),
        baseUrl: 'http://127.0.0.1',
        signer: new UrlSigner('x'.repeat(32)),
      });
      const ipfs = new EmbeddedIpfs({ dir: path.join(env.DATA_DIR as string, 'ipfs') });
      const figures = await verifyArchived({ knex, storage, ipfs, chain, walletAddress, ids });
      const attempts = (await knex('pdf_jobs').whereIn('inspection_id', ids).select('attempts')) as Array<{
        attempts: number;
      }>;
      drillSummary('crash-recovery', {
        inspections: N,
        photosEach: PHOTOS,
        atKill: atKill.replace(/ /g, '_'),
        killedProcesses: victims.length,
        survivors: survivors.length,
        afterRestart: after.text.replace(/ /g, '_'),
        archived: figures.archived,
        assets: figures.assets,
        reportAttempts: attempts.reduce((n, a) => n + a.attempts, 0),
        killToReady: seconds(readyAt - killedAt),
        readyToAllArchived: seconds(archivedAt - readyAt),
        target: '<=60s',
      });
      expect(survivors, 'the kill took the whole tree').to.deep.equal([]);
    } finally {
      chain.close();
      await knex.destroy();
      await pgHandle.stop();
    }
  });
});
