import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  applyRetention,
  backupBaseName,
  checkBackupDir,
  lastSuccessSeconds,
  readBackupState,
  timeOfBackup,
  writeBackupState,
  writeTextfile,
} from '../../../src/adapters/backup/backup-files.js';

describe('backup files: names, retention, the state file and the textfile', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-backup-files-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('names a set by scope and UTC time, and reads the time back from any of its files', () => {
    const at = new Date('2026-12-03T02:00:07.123Z');
    const base = backupBaseName('cardano', at);
    expect(base).to.equal('car-dano-cardano-20261203T020007Z');
    for (const f of [`${base}.dump`, `${base}.dump.age`, `${base}.meta.json`, `${base}.objects.jsonl`])
      expect(timeOfBackup(f)?.toISOString()).to.equal('2026-12-03T02:00:07.000Z');
    expect(backupBaseName('All Things', at)).to.equal('car-dano-all_things-20261203T020007Z');
    expect(timeOfBackup('notes.txt')).to.equal(null);
    expect(timeOfBackup('car-dano-cardano-20261399T020007Z.dump')).to.equal(null);
  });

  it('retention deletes whole sets older than the limit, never the current set, never other files', async () => {
    const now = new Date('2026-12-20T02:00:00Z');
    const old = backupBaseName('cardano', new Date('2026-12-05T02:00:00Z'));
    const recent = backupBaseName('cardano', new Date('2026-12-15T02:00:00Z'));
    const current = backupBaseName('cardano', new Date('2026-11-01T02:00:00Z'));
    const files = [
      `${old}.dump`,
      `${old}.meta.json`,
      `${old}.objects.jsonl`,
      `${recent}.dump`,
      `${current}.dump`,
      'backup-state.json',
      'README',
    ];
    for (const f of files) await writeFile(path.join(dir, f), 'x');
    const deleted = await applyRetention(dir, 10, now, current);
    expect(deleted.sort()).to.deep.equal([`${old}.dump`, `${old}.meta.json`, `${old}.objects.jsonl`]);
    expect((await readdir(dir)).sort()).to.deep.equal(
      [`${current}.dump`, `${recent}.dump`, 'README', 'backup-state.json'].sort(),
    );
  });

  it('keeps the last success and the last failure in the state file, and publishes the success time', async () => {
    expect(await readBackupState(dir)).to.deep.equal({});
    await writeBackupState(dir, {
      lastSuccess: {
        at: '2026-12-03T02:00:05.000Z',
        file: 'f.dump',
        bytes: 10,
        durationMs: 5,
        sha256: 'a',
        offsite: null,
      },
    });
    const state = await writeBackupState(dir, {
      lastFailure: { at: '2026-12-04T02:00:00.000Z', error: 'boom', exitCode: 2 },
    });
    expect(state.lastSuccess?.file).to.equal('f.dump');
    expect(state.lastFailure?.exitCode).to.equal(2);
    expect((await stat(path.join(dir, 'backup-state.json'))).mode & 0o777).to.equal(0o640);
    expect(lastSuccessSeconds(state)).to.equal(Date.parse('2026-12-03T02:00:05Z') / 1000);
    const prom = await readFile(await writeTextfile(dir, state), 'utf8');
    expect(prom).to.include('# TYPE car_dano_backup_last_success_timestamp_seconds gauge');
    expect(prom).to.match(/^car_dano_backup_last_success_timestamp_seconds 1796263205$/m);
    expect(await readdir(dir)).to.not.satisfy((names: string[]) => names.some((n) => n.endsWith('.tmp')));
  });

  it('an unreadable state file reads as no backup yet (the metric then has no series)', async () => {
    await writeFile(path.join(dir, 'backup-state.json'), '{not json');
    expect(lastSuccessSeconds(await readBackupState(dir))).to.equal(null);
  });

  it('refuses a backup directory inside (or around) the served object store', async () => {
    const served = path.join(dir, 'data', 'objects');
    await mkdir(served, { recursive: true });
    for (const bad of [path.join(served, 'backups'), path.join(dir, 'data')]) {
      const e = await checkBackupDir(bad, [served]).catch((x: Error) => x);
      expect(e, bad).to.be.instanceOf(Error);
      expect((e as Error).message).to.match(/served over HTTP/);
    }
    await checkBackupDir(path.join(dir, 'elsewhere'), [served]);
  });

  it('refuses a directory git would track, accepts one it ignores', async () => {
    execFileSync('git', ['init', '-q', dir]);
    const e = await checkBackupDir(path.join(dir, 'dumps'), []).catch((x: Error) => x);
    expect(e).to.be.instanceOf(Error);
    expect((e as Error).message).to.match(/not ignored: add it to \.gitignore/);
    await writeFile(path.join(dir, '.gitignore'), '/dumps/\n');
    await checkBackupDir(path.join(dir, 'dumps'), []);
  });
});
