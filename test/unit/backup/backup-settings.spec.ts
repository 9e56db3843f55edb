import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { backupDirOf, backupSettings } from '../../../src/main/backup-settings.js';
import { ConfigError, loadConfig } from '../../../src/main/config.js';
import { readDotenv } from '../../../src/main/dotenv.js';

const LOCAL = { APP_ENV: 'local' };

describe('backup settings: environment, then .env, then ./backups', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-dotenv-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads .env lines the way make run sources them, without letting a key reach a prototype', async () => {
    await writeFile(
      path.join(dir, '.env'),
      [
        '# comment',
        '',
        'export BACKUP_DIR="/srv/b k"',
        "RETENTION_DAYS='14'",
        'PLAIN=value # note',
        '__proto__=x',
        'bad line',
      ].join('\n'),
    );
    const env = readDotenv(path.join(dir, '.env'));
    expect(Object.entries(env)).to.deep.equal([
      ['BACKUP_DIR', '/srv/b k'],
      ['RETENTION_DAYS', '14'],
      ['PLAIN', 'value'],
      ['__proto__', 'x'],
    ]);
    expect(Object.getPrototypeOf(env)).to.equal(null);
    expect(readDotenv(path.join(dir, 'missing'))).to.deep.equal({});
  });

  it('the environment wins, then .env, then the default directory under the project', async () => {
    const config = loadConfig({ ...LOCAL, BACKUP_DIR: '/from/env', RETENTION_DAYS: '3' });
    await writeFile(path.join(dir, '.env'), 'BACKUP_DIR=/from/dotenv\nRETENTION_DAYS=14\n');
    expect(backupSettings(config, { RETENTION_DAYS: '3' }, dir)).to.deep.equal({
      dir: '/from/env',
      retentionDays: 3,
      dirFrom: 'environment',
    });
    const fromFile = backupSettings(loadConfig(LOCAL), {}, dir);
    expect(fromFile).to.deep.equal({ dir: '/from/dotenv', retentionDays: 14, dirFrom: '.env' });
    await writeFile(path.join(dir, '.env'), 'OTHER=1\n');
    expect(backupSettings(loadConfig(LOCAL), {}, dir)).to.deep.equal({
      dir: path.join(dir, 'backups'),
      retentionDays: 10,
      dirFrom: 'default',
    });
    expect(backupDirOf(loadConfig({ ...LOCAL, BACKUP_DIR: 'rel/dir' }), dir).dir).to.equal(path.join(dir, 'rel/dir'));
  });

  it('a bad RETENTION_DAYS in .env is a configuration error, not a silent default', async () => {
    await writeFile(path.join(dir, '.env'), 'RETENTION_DAYS=soon\n');
    expect(() => backupSettings(loadConfig(LOCAL), {}, dir)).to.throw(ConfigError, /RETENTION_DAYS in \.env/);
  });

  it('configuration rules: encryption needs a recipient (age: a public age1 key), offsite needs the S3 store', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...LOCAL, ...env });
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems({ BACKUP_ENCRYPTION: 'gpg' })).to.include('BACKUP_RECIPIENT: required when BACKUP_ENCRYPTION=gpg');
    expect(problems({ BACKUP_ENCRYPTION: 'age', BACKUP_RECIPIENT: 'AGE-SECRET-KEY-1QQQ' }).join()).to.match(
      /starts with age1/,
    );
    expect(problems({ BACKUP_OFFSITE: 's3' })).to.include('S3_BUCKET: required when BACKUP_OFFSITE=s3');
    expect(problems({ RETENTION_DAYS: '0' }).join()).to.match(/RETENTION_DAYS/);
    expect(problems({ BACKUP_ENCRYPTION: 'gpg', BACKUP_RECIPIENT: 'ops@example.com' })).to.deep.equal([]);
  });
});
