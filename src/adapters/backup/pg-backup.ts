import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, Writable } from 'node:stream';
import { backupBaseName, hashFile } from './backup-files.js';
import { clientConnection, type PgClientTools } from './pg-client-tools.js';
import { runPipeline, type PipeStep } from './process-pipeline.js';

export type BackupScope = 'db' | 'all';
export type EncryptionMode = 'none' | 'age' | 'gpg';

export interface Encryption {
  mode: EncryptionMode;
  recipient?: string;
  /** age only: the identity file that decrypts (restore). */
  identityFile?: string;
}

/** The file a dump was written to. */
export interface DumpResult {
  file: string;
  base: string;
  bytes: number;
  sha256: string;
  durationMs: number;
}

/** The encrypting step of a pipeline (none: no step). */
export function encryptStep(e: Encryption): PipeStep[] {
  if (e.mode === 'none') return [];
  if (!e.recipient) throw new Error(`BACKUP_RECIPIENT is required to encrypt with ${e.mode}`);
  if (e.mode === 'age') return [{ kind: 'process', cmd: 'age', args: ['--encrypt', '-r', e.recipient] }];
  return [
    {
      kind: 'process',
      cmd: 'gpg',
      args: [
        '--batch',
        '--yes',
        '--quiet',
        '--trust-model',
        'always',
        '--encrypt',
        '--recipient',
        e.recipient,
        '--output',
        '-',
      ],
    },
  ];
}

/** The decrypting step for a file, judged by its extension (.age, .gpg; none otherwise). */
export function decryptStep(file: string, identityFile: string | undefined): PipeStep[] {
  if (file.endsWith('.age')) {
    if (!identityFile) throw new Error('an .age backup needs BACKUP_IDENTITY_FILE (the age identity) to restore');
    return [{ kind: 'process', cmd: 'age', args: ['--decrypt', '-i', identityFile] }];
  }
  if (file.endsWith('.gpg')) return [{ kind: 'process', cmd: 'gpg', args: ['--batch', '--quiet', '--decrypt'] }];
  return [];
}

/** The extension of a backup file: custom-format dump or gzipped SQL, plus the encryption's. */
export function backupExtension(scope: BackupScope, encryption: EncryptionMode): string {
  return `${scope === 'db' ? '.dump' : '.sql.gz'}${encryption === 'none' ? '' : `.${encryption}`}`;
}

/**
 * Dumps with the client tools of the server's major version: `pg_dump -Fc` (compressed custom format) of
 * the application database, or `pg_dumpall` (every database, roles, tablespaces) gzipped; optionally
 * encrypted. Written under a temporary name (0600) and renamed when complete, so a failed run leaves no
 * file that looks like a backup.
 */
export async function dumpDatabase(o: {
  scope: BackupScope;
  url: string;
  database: string;
  dir: string;
  tools: PgClientTools;
  encryption: Encryption;
  at: Date;
}): Promise<DumpResult> {
  const started = Date.now();
  const base = backupBaseName(o.scope === 'db' ? o.database : 'all', o.at);
  const file = path.join(o.dir, `${base}${backupExtension(o.scope, o.encryption.mode)}`);
  const partial = `${file}.partial`;
  const conn = clientConnection(o.url);
  const producer: PipeStep[] =
    o.scope === 'db'
      ? [
          {
            kind: 'process',
            cmd: o.tools.pgDump,
            args: ['-Fc', '-Z', '6', '--no-password', '-d', conn.url],
            env: conn.env,
          },
        ]
      : [
          { kind: 'process', cmd: o.tools.pgDumpall, args: ['--no-password', '-d', conn.url], env: conn.env },
          { kind: 'gzip', level: 6 },
        ];
  try {
    const out = createWriteStream(partial, { mode: 0o600 });
    await runPipeline(null, [...producer, ...encryptStep(o.encryption)], out);
    await chmod(partial, 0o600);
    await rename(partial, file);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
  const { sha256, bytes } = await hashFile(file);
  return { file, base, bytes, sha256, durationMs: Date.now() - started };
}

const escapeRegExp = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A pg_dumpall script with the restoring role's own password left out: replaying `ALTER ROLE <me> ...
 * PASSWORD '<the source's>'` would change the password of the very role psql is connected as, and its next
 * `\connect` (one per database) would fail. Every other role keeps the password the dump carries.
 */
export function keepOwnPassword(role: string): Transform {
  const name = `(?:${escapeRegExp(role)}|"${escapeRegExp(role.replace(/"/g, '""'))}")`;
  const line = new RegExp(`^(ALTER ROLE ${name} WITH .*?) PASSWORD '[^']*'(.*)$`);
  let tail = '';
  const strip = (l: string) => l.replace(line, '$1$2');
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const lines = (tail + chunk.toString('utf8')).split('\n');
      tail = lines.pop() ?? '';
      done(null, lines.map(strip).join('\n') + (lines.length > 0 ? '\n' : ''));
    },
    flush(done) {
      done(null, strip(tail));
    },
  });
}

/** Whether a database holds any table (a restore refuses to mix into one unless forced). */
export const USER_TABLES_SQL = `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`;

/**
 * Restores a backup file: a custom-format dump into `targetUrl` with pg_restore (no owners or grants of the
 * source, stop at the first error; `clean` drops what it replaces), or a pg_dumpall file into the server
 * of `targetUrl` with psql. Encrypted files are decrypted on the way (age identity file, or gpg's keyring).
 */
export async function restoreDatabase(o: {
  file: string;
  targetUrl: string;
  tools: PgClientTools;
  identityFile?: string;
  clean: boolean;
}): Promise<{ durationMs: number; errors: string[] }> {
  const started = Date.now();
  const conn = clientConnection(o.targetUrl);
  const decrypt = decryptStep(o.file, o.identityFile);
  const isAll = /\.sql\.gz(\.(age|gpg))?$/.test(o.file);
  const restoringRole = decodeURIComponent(new URL(o.targetUrl).username) || 'postgres';
  // psql goes on after a failed statement (a fresh server already has the restoring role, whose CREATE ROLE
  // fails); every ERROR line is kept and reported.
  const errors: string[] = [];
  const onStderr = (text: string) => {
    for (const line of text.split('\n')) if (/ERROR:/.test(line) && errors.length < 1000) errors.push(line.trim());
  };
  const steps: PipeStep[] = isAll
    ? [
        ...decrypt,
        { kind: 'gunzip' },
        { kind: 'transform', name: 'role filter', make: () => keepOwnPassword(restoringRole) },
        {
          kind: 'process',
          cmd: o.tools.psql,
          args: ['-X', '-q', '--no-password', '-d', conn.url],
          env: conn.env,
          onStderr,
        },
      ]
    : [
        ...decrypt,
        {
          kind: 'process',
          cmd: o.tools.pgRestore,
          args: [
            '--no-owner',
            '--no-privileges',
            '--exit-on-error',
            '--no-password',
            ...(o.clean ? ['--clean', '--if-exists'] : []),
            '-d',
            conn.url,
          ],
          env: conn.env,
        },
      ];
  await runPipeline(createReadStream(o.file), steps, new Writable({ write: (_c, _e, done) => done() }));
  return { durationMs: Date.now() - started, errors };
}
