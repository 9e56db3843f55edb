/**
 * Smoke test: the server started the way `make run` starts it (embedded PostgreSQL, no DATABASE_URL, no
 * secrets configured), then a customer registers and logs in over HTTP, a seeded demo account works, a
 * prototype-polluting review edit is refused while the process keeps serving, and SIGTERM stops everything
 * cleanly.
 */
import { expect } from 'chai';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { inspectionInput } from '../support/inspections.js';
import { freePort } from '../support/net.js';
import { spawnEntry, waitFor, type Spawned } from './process.js';

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(url, init);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

const post = (url: string, body: unknown) =>
  json(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('e2e: make-run style server on embedded defaults', function () {
  this.timeout(120_000);
  let dir: string;
  let server: Spawned | undefined;
  let base: string;
  let pgPort: number;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-smoke-'));
    await chmod(dir, 0o711);
    const port = await freePort();
    pgPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawnEntry('src/main/server.ts', [], {
      PORT: String(port),
      DATA_DIR: path.join(dir, 'data'),
      EMBEDDED_PG_PORT: String(pgPort),
      ARGON2_MEMORY_KIB: '4096',
      ARGON2_TIME_COST: '1',
    });
    await waitFor(
      async () => (await fetch(`${base}/api/v1/health/ready`)).status === 200,
      90_000,
      `server ready\n${server.output()}`,
    ).catch((e) => {
      throw new Error(`${(e as Error).message}\n--- server output ---\n${server?.output()}`);
    });
  });

  after(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('registers and logs in a customer over HTTP', async () => {
    const reg = await post(`${base}/api/v1/auth/register`, {
      email: 'smoke@example.com',
      name: 'Smoke',
      password: 'smoke-test-password',
    });
    expect(reg.status).to.equal(201);
    const login = await post(`${base}/api/v1/auth/login`, {
      identifier: 'smoke@example.com',
      password: 'smoke-test-password',
    });
    expect(login.status).to.equal(200);
    const me = await json(`${base}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${String(login.body.accessToken)}` },
    });
    expect(me.body).to.include({ email: 'smoke@example.com', role: 'CUSTOMER' });
  });

  it('seeds demo accounts whose credentials file is private and works for every role', async () => {
    const file = path.join(dir, 'data', 'demo-credentials.json');
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    const creds = JSON.parse(await readFile(file, 'utf8')) as {
      accounts: Array<{ role: string; email: string; password?: string; pin?: string }>;
    };
    expect(creds.accounts.map((a) => a.role)).to.deep.equal([
      'SUPERADMIN',
      'ADMIN',
      'REVIEWER',
      'INSPECTOR',
      'CUSTOMER',
    ]);
    for (const a of creds.accounts) {
      const r = a.pin
        ? await post(`${base}/api/v1/auth/login/inspector`, { email: a.email, pin: a.pin })
        : await post(`${base}/api/v1/auth/login`, { identifier: a.email, password: a.password });
      expect(r.status, a.role).to.equal(200);
      expect((r.body.user as { role: string }).role).to.equal(a.role);
    }
    const out = server?.output() ?? '';
    expect(out).to.contain('demo-credentials.json');
    for (const a of creds.accounts)
      expect(out, 'no demo secret in the logs').to.not.contain(a.password ?? `"pin":"${a.pin}"`);
  });

  it('serves the docs UI and metrics', async () => {
    expect((await fetch(`${base}/docs/`)).status).to.equal(200);
    expect(await (await fetch(`${base}/metrics`)).text()).to.contain('car_dano_http_request_duration_seconds');
  });

  it('a review edit with a prototype key is refused with 400 and the process keeps serving (approval included)', async () => {
    const creds = JSON.parse(await readFile(path.join(dir, 'data', 'demo-credentials.json'), 'utf8')) as {
      accounts: Array<{ role: string; email: string; password?: string; pin?: string }>;
    };
    const account = (role: string) =>
      creds.accounts.find((a) => a.role === role) as { email: string; password?: string; pin?: string };
    const inspector = account('INSPECTOR');
    const reviewer = account('REVIEWER');
    const bearer = async (r: Promise<{ body: Record<string, unknown> }>) => ({
      authorization: `Bearer ${String((await r).body.accessToken)}`,
      'content-type': 'application/json',
    });
    const asInspector = await bearer(
      post(`${base}/api/v1/auth/login/inspector`, { email: inspector.email, pin: inspector.pin }),
    );
    const asReviewer = await bearer(
      post(`${base}/api/v1/auth/login`, { identifier: reviewer.email, password: reviewer.password }),
    );
    const created = await json(`${base}/api/v1/inspections`, {
      method: 'POST',
      headers: asInspector,
      body: JSON.stringify(inspectionInput()),
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const id = String(created.body.id);

    // Raw text: a JavaScript object literal with "__proto__" would set a prototype instead of sending the key.
    for (const raw of [
      '{"detailedAssessment":{"__proto__":{"polluted":true}}}',
      '{"bodyPaintThickness":{"constructor":{"prototype":{"polluted":true}}}}',
      '{"vehicleData":{"a":{"b":{"__proto__":{"polluted":true}}}}}',
    ]) {
      const edit = await json(`${base}/api/v1/inspections/${id}`, { method: 'PUT', headers: asReviewer, body: raw });
      expect(edit.status, raw).to.equal(400);
      expect(edit.body.code, raw).to.equal('VALIDATION.FORBIDDEN_KEY');
    }
    const fine = await json(`${base}/api/v1/inspections/${id}`, {
      method: 'PUT',
      headers: asReviewer,
      body: JSON.stringify({ vehicleData: { merekKendaraan: 'Honda' } }),
    });
    expect(fine.status).to.equal(200);
    const approved = await json(`${base}/api/v1/inspections/${id}/approve`, { method: 'POST', headers: asReviewer });
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
    expect(
      (approved.body.inspection as { vehicleData: { merekKendaraan: string } }).vehicleData.merekKendaraan,
    ).to.equal('Honda');
    expect(server?.child.exitCode, server?.output()).to.equal(null);
    expect((await fetch(`${base}/api/v1/health/ready`)).status).to.equal(200);
    const list = await json(`${base}/api/v1/inspections?page=1&pageSize=5`, { headers: asReviewer });
    expect(list.status).to.equal(200);
    expect(list.body.total).to.equal(1);
  });

  it('stops cleanly on SIGTERM: exit code 0 and the embedded PostgreSQL stopped', async () => {
    server?.child.kill('SIGTERM');
    const code = await Promise.race([server?.exited, new Promise((r) => setTimeout(() => r('timeout'), 30_000))]);
    expect(code, server?.output()).to.equal(0);
    expect(server?.output()).to.contain('"message":"stopped"');
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(pgPort, '127.0.0.1');
      s.on('connect', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    expect(open, 'embedded PostgreSQL port closed').to.equal(false);
  });
});
