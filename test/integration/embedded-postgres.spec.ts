import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/adapters/postgres/embedded-postgres.js';
import { freePort } from '../support/net.js';

async function query(url: string, sql: string): Promise<unknown[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('embedded PostgreSQL', function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-embedded-'));
    // mkdtemp makes a private directory; as root the cluster runs as `postgres` and must traverse it.
    await chmod(dir, 0o711);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('initialises a cluster on first start, keeps its data across restarts, and reuses a running one', async () => {
    const port = await freePort();
    const o = { dataDir: path.join(dir, 'nested', 'postgres'), port, database: 'app', log: () => undefined };
    const first = await startEmbeddedPostgres(o);
    expect(first.owned).to.equal(true);
    expect(first.url).to.match(new RegExp(`^postgres://postgres:[^@]+@127\\.0\\.0\\.1:${port}/app$`));
    await query(first.url, 'CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');

    const second = await startEmbeddedPostgres(o);
    expect(second.owned, 'a running cluster of ours is reused, not started twice').to.equal(false);
    await second.stop();
    expect(await query(first.url, 'SELECT v FROM kept')).to.deep.equal(
      [{ v: 42 }],
      'stopping a reused handle leaves the cluster running',
    );

    await first.stop();
    const pw = await stat(`${o.dataDir}.password`);
    expect(pw.mode & 0o777, 'the cluster password file is private').to.equal(0o600);

    const again = await startEmbeddedPostgres(o);
    try {
      expect(again.owned).to.equal(true);
      expect(await query(again.url, 'SELECT v FROM kept')).to.deep.equal([{ v: 42 }]);
      const rows = (await query(
        again.adminUrl,
        "SELECT setting FROM pg_settings WHERE name = 'listen_addresses'",
      )) as Array<{ setting: string }>;
      expect(rows[0]?.setting).to.equal('127.0.0.1');
    } finally {
      await again.stop();
    }
  });

  it('takes over a cluster left running by a process that died, keeping its data', async () => {
    const port = await freePort();
    const o = { dataDir: path.join(dir, 'orphan'), port, database: 'app', log: () => undefined };
    const first = await startEmbeddedPostgres(o);
    await query(first.url, 'CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)');
    // Pretend the owner was SIGKILLed: its pid no longer exists, the cluster still runs.
    const dead = spawnSync('true').pid as number;
    await writeFile(`${o.dataDir}.owner`, `${dead}\n`);
    const adopted = await startEmbeddedPostgres(o);
    try {
      expect(adopted.owned, 'the orphan is restarted under this process').to.equal(true);
      expect(await query(adopted.url, 'SELECT v FROM kept')).to.deep.equal([{ v: 7 }]);
      expect((await readFile(`${o.dataDir}.owner`, 'utf8')).trim()).to.equal(String(process.pid));
    } finally {
      await adopted.stop();
    }
    let refused = false;
    await query(first.adminUrl, 'SELECT 1').catch(() => (refused = true));
    expect(refused, 'stopped for real').to.equal(true);
  });

  it('refuses a wrong password (the cluster is not open to anyone)', async () => {
    const port = await freePort();
    const h = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'auth'),
      port,
      database: 'app',
      log: () => undefined,
    });
    try {
      const c = new pg.Client({ connectionString: `postgres://postgres:wrong@127.0.0.1:${port}/app` });
      let err: unknown;
      await c.connect().catch((e: unknown) => (err = e));
      await c.end().catch(() => undefined);
      expect((err as { code?: string })?.code).to.equal('28P01');
    } finally {
      await h.stop();
    }
  });
});
