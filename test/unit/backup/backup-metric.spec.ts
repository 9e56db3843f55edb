import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { writeBackupState } from '../../../src/adapters/backup/backup-files.js';
import { buildTestApp } from '../../support/api.js';

describe('freshness metric: car_dano_backup_last_success_timestamp_seconds on /metrics', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-backup-metric-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const scrape = async () => (await supertest(buildTestApp({ env: { BACKUP_DIR: dir } }).app).get('/metrics')).text;

  it('has no sample before the first backup, then the last success read at scrape time', async () => {
    const before = await scrape();
    expect(before).to.contain('# TYPE car_dano_backup_last_success_timestamp_seconds gauge');
    expect(before).to.not.match(/^car_dano_backup_last_success_timestamp_seconds /m);
    await writeBackupState(dir, {
      lastSuccess: {
        at: '2026-12-03T02:00:05.000Z',
        file: 'x.dump',
        bytes: 1,
        durationMs: 1,
        sha256: 'a',
        offsite: null,
      },
    });
    // A failure afterwards does not move the success time.
    await writeBackupState(dir, { lastFailure: { at: '2026-12-04T02:00:00.000Z', error: 'boom', exitCode: 2 } });
    expect(await scrape()).to.match(/^car_dano_backup_last_success_timestamp_seconds 1796263205$/m);
  });
});
