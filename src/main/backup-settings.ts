import path from 'node:path';
import { PROJECT_DIR } from './config/backup.js';
import { ConfigError, type Config } from './config.js';
import { readDotenv } from './dotenv.js';

/** Where backups go and how long they stay, and where each setting came from. */
export interface BackupSettings {
  dir: string;
  retentionDays: number;
  dirFrom: 'environment' | '.env' | 'default';
}

/**
 * BACKUP_DIR and RETENTION_DAYS as the seed plan asks: the environment first, then the project's `.env`,
 * then the defaults (./backups under the project, 10 days). A relative directory is taken from the project.
 */
export function backupSettings(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
  projectDir: string = PROJECT_DIR,
): BackupSettings {
  const dotenv = readDotenv(path.join(projectDir, '.env'));
  const { dir, dirFrom } = backupDirOf(config, projectDir, dotenv);
  let retentionDays = config.backup.retentionDays;
  if (!env.RETENTION_DAYS && dotenv.RETENTION_DAYS !== undefined) {
    retentionDays = Number(dotenv.RETENTION_DAYS);
    if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650)
      throw new ConfigError([`RETENTION_DAYS in .env: must be an integer 1..3650 (got "${dotenv.RETENTION_DAYS}")`]);
  }
  return { dir, retentionDays, dirFrom };
}

/** BACKUP_DIR alone (the API reads the backup state file there for the freshness metric). */
export function backupDirOf(
  config: Config,
  projectDir: string = PROJECT_DIR,
  dotenv: Record<string, string> = readDotenv(path.join(projectDir, '.env')),
): Pick<BackupSettings, 'dir' | 'dirFrom'> {
  const fromEnv = config.backup.dir;
  const dir = fromEnv ?? dotenv.BACKUP_DIR ?? 'backups';
  return {
    dir: path.resolve(projectDir, dir),
    dirFrom: fromEnv ? 'environment' : dotenv.BACKUP_DIR ? '.env' : 'default',
  };
}
