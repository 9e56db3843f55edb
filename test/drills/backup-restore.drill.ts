/**
 * Restore drill (issue 15): the server started the way `make run` starts it (embedded PostgreSQL, Chromium,
 * the emulator chain) records a full journey: inspections with photos approved until ARCHIVED (reports
 * stored, NFTs minted), a customer with a vehicle and its photo. The server is stopped; `npm run cli --
 * backup` dumps the database with the server's own client tools, then `restore` puts the dump into a fresh
 * database. Pass: every table of every schema has the same row count and the same checksum of its rows in
 * both databases; the object manifest lists every stored object; a server started on the restored database
 * is ready, logs the same reviewer in and reads a known inspection exactly as before. Printed: backup and
 * restore durations, dump size, tables and rows compared.
 */
import { expect } from 'chai';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findChromium } from '../../src/adapters/pdf/chromium-path.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../src/adapters/postgres/embedded-postgres.js';
import { withDatabase } from '../../src/adapters/postgres/database.js';
import { testConfig } from '../support/config.js';
import { inspectionInput } from '../support/inspections.js';
import { freePort } from '../support/net.js';
import { realJpeg } from '../support/photos.js';
import { spawnEntry, waitFor, type Spawned } from '../e2e/process.js';
import { drillSummary, seconds, sized } from './support/size.js';

const N = sized(2, 6);

/** Row count and an MD5 of every row (as text, sorted) of each table outside the system schemas. */
async function tableDigests(url: string): Promise<Map<string, { rows: number; md5: string }>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = (
      await c.query<{ s: string; t: string }>(
        `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
         WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
      )
    ).rows;
    const out = new Map<string, { rows: number; md5: string }>();
    for (const { s, t } of tables) {
      const q = `SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '') AS h FROM "${s}"."${t}" x`;
      const r = (await c.query<{ n: number; h: string }>(q)).rows[0] as { n: number; h: string };
      out.set(`${s}.${t}`, { rows: r.n, md5: r.h });
    }
    return out;
  } finally {
    await c.end();
  }
}

/** A response body without the signed URLs and their expiry (they differ per request). */
const withoutUrls = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(withoutUrls)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([k]) => !/url/i.test(k))
            .map(([k, x]) => [k, withoutUrls(x)]),
        )
      : v;

describe(`drill: backup and restore of a full journey (${N} archived inspections, a customer vehicle)`, function () {
  this.timeout(sized(300_000, 900_000));
  let dir: string;
  let env: Record<string, string>;
  let server: Spawned | undefined;
  let pgHandle: EmbeddedPostgresHandle | undefined;

  const serve = async (extra: Record<string, string> = {}): Promise<string> => {
    const port = await freePort();
    server = spawnEntry('src/main/server.ts', [], { ...env, ...extra, PORT: String(port) });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => (await fetch(`${base}/api/v1/health/ready`)).status === 200,
      120_000,
      'server ready',
    ).catch((e: Error) => Promise.reject(new Error(`${e.message}\n${server?.output().slice(-4000)}`)));
    return base;
  };
  const stop = async () => {
    server?.child.kill('SIGTERM');
    expect(await server?.exited, server?.output().slice(-3000)).to.equal(0);
    server = undefined;
  };
  const cli = async (args: string[]) => {
    const run = spawnEntry('src/main/cli.ts', args, env);
    const code = await run.exited;
    return { code, output: run.output() };
  };

  before(async function () {
    if (!findChromium(process.env.CHROMIUM_PATH)) this.skip();
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-backup-'));
    await chmod(dir, 0o711);
    env = {
      NODE_ENV: 'development',
      DATA_DIR: path.join(dir, 'data'),
      BACKUP_DIR: path.join(dir, 'backups'),
      EMBEDDED_PG_PORT: String(await freePort()),
      ARGON2_MEMORY_KIB: '4096',
      ARGON2_TIME_COST: '1',
      MINT_SIGNING_KEY: testConfig().mint.signingKey as string,
      CHAIN_EMULATOR_BLOCK_MS: '300',
      MINT_CONFIRMATIONS: '1',
      MINT_POLL_MS: '200',
      RATE_LIMIT_MAX: '100000',
      ...(process.env.CHROMIUM_PATH ? { CHROMIUM_PATH: process.env.CHROMIUM_PATH } : {}),
    };
  });
  after(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await server?.exited;
    await pgHandle?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('restores into a fresh database with every table equal, and the app serves it', async () => {
    const base = await serve();
    const creds = JSON.parse(await readFile(path.join(env.DATA_DIR as string, 'demo-credentials.json'), 'utf8')) as {
      accounts: Array<{ role: string; email: string; password?: string; pin?: string }>;
    };
    const account = (role: string) =>
      creds.accounts.find((a) => a.role === role) as { email: string; password?: string; pin?: string };
    const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${url}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bearer = async (r: Response) => ({
      authorization: `Bearer ${String(((await r.json()) as { accessToken: string }).accessToken)}`,
    });
    const reviewerLogin = { identifier: account('REVIEWER').email, password: account('REVIEWER').password };
    const asInspector = await bearer(
      await post(`${base}/api/v1/auth/login/inspector`, {
        email: account('INSPECTOR').email,
        pin: account('INSPECTOR').pin,
      }),
    );
    const asReviewer = await bearer(await post(`${base}/api/v1/auth/login`, reviewerLogin));

    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const created = await post(
        `${base}/api/v1/inspections`,
        inspectionInput({ plateNumber: `AB ${2000 + i} CD` }),
        asInspector,
      );
      expect(created.status).to.equal(201);
      const id = ((await created.json()) as { id: string }).id;
      const form = new FormData();
      for (let p = 0; p < 2; p++)
        form.append(
          'photos',
          new Blob([new Uint8Array(await realJpeg(800, 600, i * 10 + p))], { type: 'image/jpeg' }),
          `p${p}.jpg`,
        );
      expect(
        (await fetch(`${base}/api/v1/inspections/${id}/photos`, { method: 'POST', headers: asInspector, body: form }))
          .status,
      ).to.equal(201);
      ids.push(id);
    }
    expect((await post(`${base}/api/v1/inspections/bulk-approve`, { ids }, asReviewer)).status).to.be.oneOf([200, 202]);

    const registered = await post(`${base}/api/v1/auth/register`, {
      email: 'sari@example.com',
      name: 'Sari',
      password: 'long-enough-password-1',
    });
    expect(registered.status).to.equal(201);
    const asCustomer = await bearer(
      await post(`${base}/api/v1/auth/login`, { identifier: 'sari@example.com', password: 'long-enough-password-1' }),
    );
    const vehicle = new FormData();
    vehicle.append(
      'data',
      JSON.stringify({
        plateNumber: 'AB 77 XY',
        year: 2021,
        transmission: 'Automatic',
        bodyType: 'MPV',
        brand: 'Toyota',
        model: 'Avanza',
        vehicleClass: 'REGULAR',
      }),
    );
    vehicle.append('photoTypes', 'FRONT');
    vehicle.append(
      'photos',
      new Blob([new Uint8Array(await realJpeg(640, 480, 99))], { type: 'image/jpeg' }),
      'front.jpg',
    );
    const v = await fetch(`${base}/api/v1/me/vehicles`, { method: 'POST', headers: asCustomer, body: vehicle });
    expect(v.status, await v.clone().text()).to.equal(201);

    const inspection = async (b: string, id: string, auth: Record<string, string>) => {
      const r = await fetch(`${b}/api/v1/inspections/${id}`, { headers: auth });
      expect(r.status).to.equal(200);
      return (await r.json()) as { status: string };
    };
    let statuses = '';
    await waitFor(
      async () => {
        const all = await Promise.all(ids.map((id) => inspection(base, id, asReviewer)));
        statuses = all.map((x) => x.status).join(',');
        return all.every((x) => x.status === 'ARCHIVED');
      },
      sized(240_000, 600_000),
      `all ${N} inspections ARCHIVED`,
    ).catch((e: Error) =>
      Promise.reject(new Error(`${e.message} (statuses: ${statuses})\n${server?.output().slice(-4000)}`)),
    );
    const known = await inspection(base, ids[0] as string, asReviewer);
    await stop();

    // Back up the database at rest, then restore it into a fresh one.
    const backupStarted = Date.now();
    const backup = await cli(['backup']);
    const backupMs = Date.now() - backupStarted;
    expect(backup.code, backup.output).to.equal(0);
    expect(backup.output).to.match(/backup ok: .*\.dump .* MB in [\d.]+ s .*objects manifest \d+ objects/);
    const files = (await readdir(env.BACKUP_DIR as string)).sort();
    const dump = files.find((f) => f.endsWith('.dump')) as string;
    expect(files).to.include.members([
      'backup-state.json',
      dump.replace('.dump', '.meta.json'),
      dump.replace('.dump', '.objects.jsonl'),
    ]);
    const manifest = (
      await readFile(path.join(env.BACKUP_DIR as string, dump.replace('.dump', '.objects.jsonl')), 'utf8')
    )
      .trim()
      .split('\n');
    // Header, N x (2 photos + 2 renditions + 2 reports), the vehicle photo.
    expect(manifest.length).to.equal(1 + N * 6 + 1);

    const restoreStarted = Date.now();
    const restored = await cli(['restore', path.join(env.BACKUP_DIR as string, dump), '--database', 'restored']);
    const restoreMs = Date.now() - restoreStarted;
    expect(restored.code, restored.output).to.equal(0);
    expect(restored.output).to.match(/restore ok: .* into database restored in [\d.]+ s/);
    const again = await cli(['restore', path.join(env.BACKUP_DIR as string, dump), '--database', 'restored']);
    expect(again.code, 'a second restore into a non-empty database is refused').to.equal(64);

    pgHandle = await startEmbeddedPostgres({
      dataDir: path.join(env.DATA_DIR as string, 'postgres'),
      port: Number(env.EMBEDDED_PG_PORT),
      database: 'cardano',
      log: () => undefined,
    });
    const [original, copy] = [
      await tableDigests(pgHandle.url),
      await tableDigests(withDatabase(pgHandle.url, 'restored')),
    ];
    expect([...copy.keys()]).to.deep.equal([...original.keys()]);
    for (const [table, d] of original) expect(copy.get(table), table).to.deep.equal(d);
    expect(original.get('public.inspections')?.rows).to.equal(N);
    const rows = [...original.values()].reduce((n, d) => n + d.rows, 0);

    const restoredBase = await serve({ DATABASE_URL: withDatabase(pgHandle.url, 'restored') });
    // The same reviewer logs in on the restored database (users and password hashes came back) and reads it.
    const asRestoredReviewer = await bearer(await post(`${restoredBase}/api/v1/auth/login`, reviewerLogin));
    expect(withoutUrls(await inspection(restoredBase, ids[0] as string, asRestoredReviewer))).to.deep.equal(
      withoutUrls(known),
    );
    await stop();
    const sizeMb =
      (
        JSON.parse(
          await readFile(path.join(env.BACKUP_DIR as string, dump.replace('.dump', '.meta.json')), 'utf8'),
        ) as { bytes: number }
      ).bytes / 1048576;
    drillSummary('backup-restore', {
      backup: seconds(backupMs),
      restore: seconds(restoreMs),
      dumpMB: sizeMb.toFixed(2),
      tables: original.size,
      rows,
    });
  });
});
