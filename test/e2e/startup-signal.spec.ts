/**
 * SIGTERM while the server is still starting (embedded PostgreSQL initialising) must not kill it half-way
 * and orphan the cluster: it finishes starting, then stops cleanly with exit code 0.
 */
import { expect } from 'chai';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/net.js';
import { spawnEntry, waitFor } from './process.js';

describe('e2e: a stop request during start-up', function () {
  this.timeout(120_000);

  it('finishes starting, then stops everything and exits 0', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-startsig-'));
    await chmod(dir, 0o711);
    const pgPort = await freePort();
    const p = spawnEntry('src/main/server.ts', [], {
      PORT: String(await freePort()),
      DATA_DIR: path.join(dir, 'data'),
      EMBEDDED_PG_PORT: String(pgPort),
      ARGON2_MEMORY_KIB: '4096',
      ARGON2_TIME_COST: '1',
    });
    try {
      await waitFor(
        async () => p.output().includes('initialising embedded PostgreSQL'),
        60_000,
        'cluster initialisation',
      );
      p.child.kill('SIGTERM');
      const code = await Promise.race([p.exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
      expect(code, p.output()).to.equal(0);
      expect(p.output()).to.contain('stop requested during start-up').and.to.contain('"message":"stopped"');
      const open = await new Promise<boolean>((resolve) => {
        const s = net.connect(pgPort, '127.0.0.1');
        s.on('connect', () => (s.destroy(), resolve(true)));
        s.on('error', () => resolve(false));
      });
      expect(open, 'no orphaned PostgreSQL').to.equal(false);
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
