/**
 * Configuration section of the database backups (`npm run cli -- backup`, `scripts/db-backup.sh`): where
 * they go, how long they stay, encryption, the offsite copy, the freshness metric and the client tools.
 */
import path from 'node:path';
import type { EnvSection } from './env.js';
import type { EnvValues } from './schema.js';

/** The project directory (two levels above src/main/config): the default BACKUP_DIR is ./backups in it. */
export const PROJECT_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

/** Backups, their retention, encryption and offsite copy. */
export const BACKUP_ENV = {
  BACKUP_DIR: {
    type: 'string',
    minLength: 1,
    description:
      'Where backups are written (0750, files 0600). Read from the environment, then .env, then ./backups under the project. Never inside a served directory or a tracked part of the repository.',
  },
  RETENTION_DAYS: {
    type: 'integer',
    minimum: 1,
    maximum: 3650,
    default: 10,
    description: 'Backups older than this many days are deleted from BACKUP_DIR after a successful backup.',
  },
  BACKUP_ENCRYPTION: {
    type: 'string',
    enum: ['none', 'age', 'gpg'],
    default: 'none',
    description:
      'Encrypt every backup to BACKUP_RECIPIENT with age or gpg (public key only on the database host; the private key stays offline).',
  },
  BACKUP_RECIPIENT: {
    type: 'string',
    minLength: 1,
    pattern: '^[A-Za-z0-9@._+<> -]+$',
    description:
      'The public key backups are encrypted to: an age recipient (age1...) or a gpg key fingerprint/e-mail in the keyring of GNUPGHOME.',
  },
  BACKUP_IDENTITY_FILE: {
    type: 'string',
    minLength: 1,
    description:
      'Restore only: the age identity (private key) file that decrypts age backups (gpg uses its agent and keyring).',
  },
  BACKUP_OFFSITE: {
    type: 'string',
    enum: ['off', 's3'],
    default: 'off',
    description:
      'Copy every backup to the S3-compatible store of the S3_* variables (Backblaze B2) and verify the copy by size and SHA-256.',
  },
  BACKUP_OFFSITE_PREFIX: {
    type: 'string',
    pattern: '^[A-Za-z0-9][A-Za-z0-9/_.-]*/$',
    default: 'backups/',
    description: 'Key prefix of the offsite copies (use a bucket lifecycle rule for their retention).',
  },
  BACKUP_TEXTFILE_DIR: {
    type: 'string',
    minLength: 1,
    description:
      "node_exporter's textfile collector directory: each backup writes car_dano_backup.prom there (car_dano_backup_last_success_timestamp_seconds).",
  },
  PG_BIN_DIR: {
    type: 'string',
    minLength: 1,
    description:
      "Directory of pg_dump/pg_restore/psql matching the server's major version; searched first, before /usr/lib/postgresql/<major>/bin and PATH.",
  },
} as const satisfies EnvSection;

/** The backup part of Config. */
export interface BackupConfig {
  backup: {
    /** BACKUP_DIR from the environment, else from .env (see resolveBackupDir), else undefined. */
    dir: string | undefined;
    retentionDays: number;
    encryption: { mode: 'none' | 'age' | 'gpg'; recipient: string | undefined; identityFile: string | undefined };
    offsite: { mode: 'off' | 's3'; prefix: string };
    textfileDir: string | undefined;
    pgBinDir: string | undefined;
  };
}

/** Maps the validated environment into Config.backup. */
export function backupConfig(env: EnvValues): BackupConfig {
  return {
    backup: {
      dir: env.BACKUP_DIR,
      retentionDays: env.RETENTION_DAYS,
      encryption: {
        mode: env.BACKUP_ENCRYPTION,
        recipient: env.BACKUP_RECIPIENT,
        identityFile: env.BACKUP_IDENTITY_FILE,
      },
      offsite: { mode: env.BACKUP_OFFSITE, prefix: env.BACKUP_OFFSITE_PREFIX },
      textfileDir: env.BACKUP_TEXTFILE_DIR,
      pgBinDir: env.PG_BIN_DIR,
    },
  };
}

/** Encryption needs a recipient (an age one for age); the offsite copy needs the S3 store. */
export function backupRules(env: EnvValues): string[] {
  const problems: string[] = [];
  if (env.BACKUP_ENCRYPTION !== 'none' && !env.BACKUP_RECIPIENT)
    problems.push(`BACKUP_RECIPIENT: required when BACKUP_ENCRYPTION=${env.BACKUP_ENCRYPTION}`);
  if (env.BACKUP_ENCRYPTION === 'age' && env.BACKUP_RECIPIENT && !/^age1[a-z0-9]{20,}$/.test(env.BACKUP_RECIPIENT))
    problems.push('BACKUP_RECIPIENT: an age recipient starts with age1 (the public key, never the identity)');
  if (env.BACKUP_OFFSITE === 's3')
    for (const v of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const)
      if (!env[v]) problems.push(`${v}: required when BACKUP_OFFSITE=s3`);
  return problems;
}
