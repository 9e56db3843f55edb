import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { serverMajorOf, findPgClientTools, type PgClientTools } from '../../src/adapters/backup/pg-client-tools.js';
import { dumpDatabase, restoreDatabase, type Encryption } from '../../src/adapters/backup/pg-backup.js';
import { dropDatabase, ensureDatabase, withDatabase } from '../../src/adapters/postgres/database.js';
import { startEmbeddedPostgres } from '../../src/adapters/postgres/embedded-postgres.js';
import { freePort } from '../support/net.js';
import { spawnEntry } from '../e2e/process.js';

const has = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`]);
    return true;
  } catch {
    return false;
  }
};

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('backup and restore with the real client tools (PostgreSQL of the test run)', function () {
  this.timeout(120_000);
  const url = () => process.env.TEST_DATABASE_URL as string;
  let dir: string;
  let tools: PgClientTools;
  let scratch: string;

  before(async function () {
    const major = serverMajorOf(
      (await query<{ v: string }>(url(), 'SELECT current_setting($$server_version_num$$) AS v'))[0]?.v ?? '0',
    );
    try {
      tools = await findPgClientTools(major);
    } catch (e) {
      console.log(`      ${(e as Error).message.split('\n')[0]}: skipping`);
      this.skip();
    }
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-backup-it-'));
    // Data of our own, beside the migrated schema: a table with rows worth comparing.
    await query(url(), 'CREATE TABLE IF NOT EXISTS backup_probe (id int PRIMARY KEY, note text, at timestamptz)');
    await query(
      url(),
      `TRUNCATE backup_probe; INSERT INTO backup_probe SELECT g, 'row ' || g || ' ünï', now() FROM generate_series(1, 500) g`,
    );
    scratch = `restore_${randomBytes(4).toString('hex')}`;
  });
  after(async () => {
    if (!dir) return;
    await query(url(), 'DROP TABLE IF EXISTS backup_probe');
    await dropDatabase(withDatabase(url(), 'postgres'), scratch).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  /** A custom-format dump of the test database, named for time `at` (distinct times: distinct files). */
  const dumpAt = (encryption: Encryption, at: Date) =>
    dumpDatabase({ scope: 'db', url: url(), database: new URL(url()).pathname.slice(1), dir, tools, encryption, at });

  const digest = (u: string) =>
    query<{ n: number; h: string }>(
      u,
      `SELECT count(*)::int AS n, md5(string_agg(b::text, ',' ORDER BY id)) AS h FROM backup_probe b`,
    );

  it('pg_dump -Fc then pg_restore into a fresh database gives the same rows; a second restore needs clean', async () => {
    const dump = await dumpAt({ mode: 'none' }, new Date());
    expect(path.basename(dump.file)).to.match(/^car-dano-[a-z0-9_]+-\d{8}T\d{6}Z\.dump$/);
    expect(dump.bytes).to.be.greaterThan(1000);
    expect((await readFile(dump.file)).subarray(0, 5).toString()).to.equal('PGDMP');
    await ensureDatabase(withDatabase(url(), 'postgres'), scratch);
    const target = withDatabase(url(), scratch);
    await restoreDatabase({ file: dump.file, targetUrl: target, tools, clean: false });
    expect(await digest(target)).to.deep.equal(await digest(url()));
    const migrations = (u: string) => query<{ name: string }>(u, 'SELECT name FROM knex_migrations ORDER BY name');
    expect(await migrations(target)).to.deep.equal(await migrations(url()));
    // Restoring again over it without --clean fails on the existing objects (and says why).
    const again = await restoreDatabase({ file: dump.file, targetUrl: target, tools, clean: false }).catch(
      (e: Error) => e,
    );
    expect(again).to.be.instanceOf(Error);
    expect((again as Error).message).to.match(/pg_restore failed: .*already exists/s);
    await restoreDatabase({ file: dump.file, targetUrl: target, tools, clean: true });
    expect(await digest(target)).to.deep.equal(await digest(url()));
  });

  it('an encrypted backup (gpg, public key only) restores with the private key, and is unreadable without it', async function () {
    if (!has('gpg')) this.skip();
    const home = await mkdtemp(path.join(os.tmpdir(), 'gpg-'));
    const saved = process.env.GNUPGHOME;
    process.env.GNUPGHOME = home;
    try {
      execFileSync(
        'gpg',
        [
          '--batch',
          '--passphrase',
          '',
          '--quick-gen-key',
          'Backups <backups@car-dano.test>',
          'default',
          'default',
          'never',
        ],
        { stdio: 'ignore' },
      );
      const dump = await dumpAt({ mode: 'gpg', recipient: 'backups@car-dano.test' }, new Date(Date.now() + 1000));
      expect(dump.file).to.match(/\.dump\.gpg$/);
      expect((await readFile(dump.file)).includes(Buffer.from('backup_probe'))).to.equal(false);
      const target = withDatabase(url(), scratch);
      await restoreDatabase({ file: dump.file, targetUrl: target, tools, clean: true });
      expect(await digest(target)).to.deep.equal(await digest(url()));
      // Without the secret key (another keyring) the restore fails in gpg, before pg_restore sees a byte.
      process.env.GNUPGHOME = await mkdtemp(path.join(os.tmpdir(), 'gpg-empty-'));
      const e = await restoreDatabase({ file: dump.file, targetUrl: target, tools, clean: true }).catch(
        (x: Error) => x,
      );
      expect(e).to.be.instanceOf(Error);
      expect((e as Error).message).to.match(/^gpg failed: .*(secret key|No secret key)/s);
      await rm(process.env.GNUPGHOME, { recursive: true, force: true });
    } finally {
      process.env.GNUPGHOME = home;
      try {
        execFileSync('gpgconf', ['--kill', 'gpg-agent'], { stdio: 'ignore' });
      } catch {
        // no agent
      }
      if (saved === undefined) delete process.env.GNUPGHOME;
      else process.env.GNUPGHOME = saved;
      await rm(home, { recursive: true, force: true });
    }
  });

  it('an age-encrypted backup restores with the identity file (BACKUP_IDENTITY_FILE) and not without it', async function () {
    if (!has('age') || !has('age-keygen')) this.skip();
    const identity = path.join(dir, 'backup.key');
    execFileSync('age-keygen', ['-o', identity], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', identity], { encoding: 'utf8' }).trim();
    expect(recipient).to.match(/^age1/);
    const dump = await dumpAt({ mode: 'age', recipient }, new Date(Date.now() + 3000));
    expect(dump.file).to.match(/\.dump\.age$/);
    expect((await readFile(dump.file)).subarray(0, 21).toString()).to.equal('age-encryption.org/v1');
    const target = withDatabase(url(), scratch);
    const missing = await restoreDatabase({ file: dump.file, targetUrl: target, tools, clean: true }).catch(
      (e: Error) => e,
    );
    expect((missing as Error).message).to.match(/needs BACKUP_IDENTITY_FILE/);
    const other = path.join(dir, 'other.key');
    execFileSync('age-keygen', ['-o', other], { stdio: 'ignore' });
    const wrong = await restoreDatabase({
      file: dump.file,
      targetUrl: target,
      tools,
      clean: true,
      identityFile: other,
    }).catch((e: Error) => e);
    expect((wrong as Error).message).to.match(/^age failed: .*no identity matched/s);
    await restoreDatabase({ file: dump.file, targetUrl: target, tools, clean: true, identityFile: identity });
    expect(await digest(target)).to.deep.equal(await digest(url()));
  });

  it('pg_dumpall (--all) replays into a fresh server: the database comes back whole, under its name', async function () {
    this.timeout(180_000);
    const at = new Date(Date.now() + 4000);
    const dump = await dumpDatabase({
      scope: 'all',
      url: url(),
      database: 'all',
      dir,
      tools,
      encryption: { mode: 'none' },
      at,
    });
    expect(path.basename(dump.file)).to.match(/^car-dano-all-\d{8}T\d{6}Z\.sql\.gz$/);
    const clusterDir = await mkdtemp(path.join(os.tmpdir(), 'cardano-fresh-'));
    await chmod(clusterDir, 0o711);
    const fresh = await startEmbeddedPostgres({
      dataDir: path.join(clusterDir, 'pg'),
      port: await freePort(),
      database: 'postgres',
      log: () => undefined,
    });
    try {
      const outcome = await restoreDatabase({ file: dump.file, targetUrl: fresh.adminUrl, tools, clean: false });
      // The restoring role exists already on a fresh server: its CREATE ROLE is the expected error.
      expect(
        outcome.errors.every((e) => /role "postgres" already exists/.test(e)),
        outcome.errors.join('\n'),
      ).to.equal(true);
      const database = new URL(url()).pathname.slice(1);
      expect(await digest(withDatabase(fresh.adminUrl, database))).to.deep.equal(await digest(url()));
    } finally {
      await fresh.stop();
      await rm(clusterDir, { recursive: true, force: true });
    }
  });

  it('the CLI refuses a corrupt backup (65) before touching the target, and a served BACKUP_DIR (73) @cli-process', async () => {
    const at = new Date(Date.now() + 2000);
    const dump = await dumpAt({ mode: 'none' }, at);
    await writeFile(path.join(dir, `${dump.base}.meta.json`), JSON.stringify({ sha256: dump.sha256 }));
    const bytes = await readFile(dump.file);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    await writeFile(dump.file, bytes);
    const env = {
      DATABASE_URL: url(),
      DATA_DIR: path.join(dir, 'data'),
      BACKUP_DIR: path.join(dir, 'data', 'objects', 'b'),
    };
    const restore = spawnEntry('src/main/cli.ts', ['restore', dump.file, '--database', `${scratch}_never`], env);
    expect(await restore.exited, restore.output()).to.equal(65);
    expect(restore.output()).to.match(/corrupt or truncated/);
    const exists = await query(
      withDatabase(url(), 'postgres'),
      `SELECT 1 FROM pg_database WHERE datname = '${scratch}_never'`,
    );
    expect(exists).to.have.length(0);
    const backup = spawnEntry('src/main/cli.ts', ['backup'], env);
    expect(await backup.exited, backup.output()).to.equal(73);
    expect(backup.output()).to.match(/served over HTTP/);
  });
});
