import { expect } from 'chai';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import {
  candidateDirs,
  clientConnection,
  findPgClientTools,
  majorOf,
  PgClientMissing,
  serverMajorOf,
} from '../../../src/adapters/backup/pg-client-tools.js';
import { keepOwnPassword } from '../../../src/adapters/backup/pg-backup.js';
import { PipelineError, runPipeline } from '../../../src/adapters/backup/process-pipeline.js';

/** A directory of executables that print what a PostgreSQL client of `version` prints. */
async function fakeClient(dir: string, version: string, programs = ['pg_dump', 'pg_dumpall', 'pg_restore', 'psql']) {
  await mkdir(dir, { recursive: true });
  for (const p of programs) {
    const file = path.join(dir, p);
    await writeFile(file, `#!/bin/sh\necho "${p} (PostgreSQL) ${version}"\n`);
    await chmod(file, 0o755);
  }
}

const sink = () => {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      write(c: Buffer, _e, done) {
        chunks.push(c);
        done();
      },
    }),
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
};

describe('backup: PostgreSQL client tools of the server major version, and process pipelines', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-pgtools-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads major versions from --version lines and server_version_num', () => {
    expect(majorOf('pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)')).to.equal(15);
    expect(majorOf('pg_dump (PostgreSQL) 18.1')).to.equal(18);
    expect(majorOf('something else')).to.equal(null);
    expect(serverMajorOf('150020')).to.equal(15);
    expect(serverMajorOf(180004)).to.equal(18);
  });

  it('looks in PG_BIN_DIR, then the Debian directory of that version, then PATH, each once', () => {
    expect(candidateDirs(15, '/opt/pg/bin', '/usr/bin:/opt/pg/bin:/bin')).to.deep.equal([
      '/opt/pg/bin',
      '/usr/lib/postgresql/15/bin',
      '/usr/bin',
      '/bin',
    ]);
  });

  it('takes the first directory whose pg_dump is the server major version and has the other programs', async () => {
    // Major 42: no real client of it exists on the machine (its /usr/lib/postgresql/42/bin neither).
    await fakeClient(path.join(dir, 'v43'), '43.1');
    await fakeClient(path.join(dir, 'v42-incomplete'), '42.20', ['pg_dump', 'psql']);
    await fakeClient(path.join(dir, 'v42'), '42.20');
    const pathEnv = ['v43', 'v42-incomplete', 'v42'].map((d) => path.join(dir, d)).join(':');
    const tools = await findPgClientTools(42, { pathEnv });
    expect(tools.binDir).to.equal(path.join(dir, 'v42'));
    expect(tools.version).to.equal('pg_dump (PostgreSQL) 42.20');
    expect(tools.pgRestore).to.equal(path.join(dir, 'v42', 'pg_restore'));
    // PG_BIN_DIR wins when it matches.
    await fakeClient(path.join(dir, 'pinned'), '42.18');
    expect((await findPgClientTools(42, { binDir: path.join(dir, 'pinned'), pathEnv })).binDir).to.equal(
      path.join(dir, 'pinned'),
    );
  });

  it('no client of that version: PgClientMissing says what it tried and what to install', async () => {
    await fakeClient(path.join(dir, 'v15'), '15.20');
    const e = await findPgClientTools(42, { binDir: path.join(dir, 'nothing'), pathEnv: path.join(dir, 'v15') }).catch(
      (x: unknown) => x,
    );
    expect(e).to.be.instanceOf(PgClientMissing);
    const m = (e as Error).message;
    expect(m).to.include(`${path.join(dir, 'nothing')}: no pg_dump`);
    expect(m).to.include('/usr/lib/postgresql/42/bin: no pg_dump');
    expect(m).to.include(`${path.join(dir, 'v15')}: pg_dump (PostgreSQL) 15.20`);
    expect(m).to.include('postgresql-client-42');
  });

  it('passes the password in PGPASSWORD, never on the command line', () => {
    const c = clientConnection('postgres://app:s%40cret@db:5432/cardano?sslmode=require', 'restored');
    expect(c.url).to.equal('postgres://app@db:5432/restored?sslmode=require');
    expect(c.env).to.deep.equal({ PGPASSWORD: 's@cret' });
  });

  it('a pipeline fails when any program fails (pipefail), with that program and its stderr', async () => {
    const out = sink();
    const e = await runPipeline(
      null,
      [
        {
          kind: 'process',
          cmd: 'sh',
          args: ['-c', 'echo partial; echo "FATAL: password authentication failed" >&2; exit 1'],
        },
        { kind: 'gzip' },
      ],
      out.stream,
    ).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(PipelineError);
    expect((e as PipelineError).program).to.equal('sh');
    expect((e as Error).message).to.match(/exit code 1: FATAL: password authentication failed/);
  });

  it('gzip and gunzip steps round-trip what a program writes', async () => {
    const out = sink();
    await runPipeline(
      null,
      [
        { kind: 'process', cmd: 'sh', args: ['-c', 'seq 1 20000'] },
        { kind: 'gzip' },
        { kind: 'gunzip' },
        { kind: 'process', cmd: 'tail', args: ['-n', '1'] },
      ],
      out.stream,
    );
    expect(out.text()).to.equal('20000\n');
  });

  it("a pg_dumpall replay keeps the restoring role's own password (lines split across chunks too), not the others'", async () => {
    const t = keepOwnPassword('postgres');
    let out = '';
    t.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const ended = new Promise((r) => t.on('end', r));
    t.write(
      "CREATE ROLE postgres;\nALTER ROLE postgres WITH SUPERUSER LOGIN PASSWORD 'SCRAM-SHA-256$4096:abc';\nALTER ROLE app WITH LOGIN PASSWORD 'x",
    );
    t.end("yz';\nALTER ROLE \"postgres\" WITH LOGIN PASSWORD 'q';");
    await ended;
    expect(out).to.equal(
      'CREATE ROLE postgres;\nALTER ROLE postgres WITH SUPERUSER LOGIN;\nALTER ROLE app WITH LOGIN PASSWORD \'xyz\';\nALTER ROLE "postgres" WITH LOGIN;',
    );
  });

  it('a program that does not exist is a PipelineError naming ENOENT', async () => {
    const e = await runPipeline(
      null,
      [{ kind: 'process', cmd: path.join(dir, 'no-such-age'), args: [] }],
      sink().stream,
    ).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(PipelineError);
    expect((e as Error).message).to.match(/ENOENT/);
  });
});
