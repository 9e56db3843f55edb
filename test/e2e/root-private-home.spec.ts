/**
 * First contact as root in a private home (issue "Trust", item 9): the project and DATA_DIR under a 0700
 * directory that the postgres user (which the embedded cluster must run as) cannot traverse. The server
 * starts the way `make run` does, twice: the cluster's binaries are run from a root-owned 0755 copy and its
 * data lives under the shared directory, linked from DATA_DIR. Root only (as another user the cluster runs
 * as that user and reaches its own home).
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/net.js';
import { spawnEntry, waitFor, type Spawned } from './process.js';

describe('e2e: root with the project in a 0700 home directory', function () {
  this.timeout(180_000);
  let home: string;
  let shared: string;
  let server: Spawned | undefined;
  let env: Record<string, string>;
  let base: string;

  before(async function () {
    if (os.userInfo().uid !== 0) this.skip();
    home = await mkdtemp(path.join(os.tmpdir(), 'cardano-home-'));
    await chmod(home, 0o700);
    shared = await mkdtemp(path.join(os.tmpdir(), 'cardano-shared-'));
    await chmod(shared, 0o755);
    await mkdir(path.join(home, 'project'), { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port),
      DATA_DIR: path.join(home, 'project', '.data'),
      EMBEDDED_PG_PORT: String(await freePort()),
      EMBEDDED_PG_SHARED_DIR: path.join(shared, 'embedded-postgres'),
      // The binaries in this checkout are reachable; copy them anyway, as for a clone in /root.
      EMBEDDED_PG_RELOCATE: 'always',
      ARGON2_MEMORY_KIB: '4096',
      ARGON2_TIME_COST: '1',
    };
  });

  after(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    if (home) await rm(home, { recursive: true, force: true });
    if (shared) await rm(shared, { recursive: true, force: true });
  });

  const startAndCheck = async (): Promise<Spawned> => {
    const s = spawnEntry('src/main/server.ts', [], env);
    server = s;
    await waitFor(
      async () => (await fetch(`${base}/api/v1/health/ready`)).status === 200,
      120_000,
      'server ready',
    ).catch((e) => {
      throw new Error(`${(e as Error).message}\n--- server output ---\n${s.output().slice(-3000)}`);
    });
    return s;
  };

  it('starts twice: PostgreSQL runs as postgres from the shared copy, the data is linked from DATA_DIR, the API works', async () => {
    const first = await startAndCheck();
    const link = path.join(env.DATA_DIR as string, 'postgres');
    expect((await lstat(link)).isSymbolicLink(), 'DATA_DIR/postgres links to the cluster').to.equal(true);
    const target = await readlink(link);
    expect(target.startsWith(path.join(env.EMBEDDED_PG_SHARED_DIR as string, 'clusters'))).to.equal(true);
    const copies = (await readdir(env.EMBEDDED_PG_SHARED_DIR as string)).filter((d) =>
      d.startsWith('@embedded-postgres+'),
    );
    expect(copies).to.have.length(1);
    const postmaster = execFileSync('ps', ['-eo', 'user=,args='], { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.includes(target) && / -D /.test(l));
    expect(postmaster, 'a postmaster on the linked cluster').to.be.a('string');
    expect(postmaster?.trim().split(/\s+/)[0]).to.equal('postgres');
    expect(postmaster).to.contain(path.join(env.EMBEDDED_PG_SHARED_DIR as string, copies[0] as string));

    const reg = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'root-home@example.com', name: 'Root', password: 'root-home-password' }),
    });
    expect(reg.status).to.equal(201);
    first.child.kill('SIGTERM');
    expect(await first.exited, first.output().slice(-2000)).to.equal(0);

    await startAndCheck();
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'root-home@example.com', password: 'root-home-password' }),
    });
    expect(login.status, 'the data survived the restart').to.equal(200);
  });
});
