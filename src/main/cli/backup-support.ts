import {
  findPgClientTools,
  PgClientMissing,
  serverMajorOf,
  type PgClientTools,
} from '../../adapters/backup/pg-client-tools.js';
import { PipelineError } from '../../adapters/backup/process-pipeline.js';
import type { CliContext } from './context.js';

/** Exit codes of backup and restore (sysexits where one fits), as the runbook lists them. */
export const EXIT = {
  ok: 0,
  /** A failure nothing else names (a bug, the database went away). */
  error: 1,
  /** pg_dump / pg_restore / psql (or the encryption program) failed. */
  failed: 2,
  /** The offsite copy failed or differs from the local file (the local backup is kept). */
  offsite: 3,
  /** The backup file does not match its recorded SHA-256 (restore). */
  dataError: 65,
  /** No client tools of the server's major version, or no age/gpg. */
  unavailable: 69,
  /** BACKUP_DIR refused (served, or tracked by git) or not writable. */
  cantCreate: 73,
} as const;

/** A failure with its exit code and a message for the operator. */
export class BackupFailed extends Error {
  constructor(
    readonly code: number,
    message: string,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'BackupFailed';
  }
}

const missingProgram = (e: unknown): boolean =>
  (e instanceof PipelineError && /ENOENT/.test(e.detail)) ||
  (e instanceof Error && e.cause !== undefined && missingProgram(e.cause));

/** The exit code and message of any failure (a missing program is 69, whatever step ran it). */
export function failureOf(e: unknown): { code: number; message: string } {
  const message = e instanceof Error ? e.message : String(e);
  if (missingProgram(e))
    return { code: EXIT.unavailable, message: `${message} (install it: age or gnupg, postgresql-client)` };
  if (e instanceof BackupFailed) return { code: e.code, message };
  return { code: EXIT.error, message };
}

export const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(2)} MB`;
export const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The server's major version, from the open pool. */
export async function serverMajor(ctx: CliContext): Promise<number> {
  const r = (await ctx.db.knex.raw('SHOW server_version_num')) as { rows: Array<{ server_version_num: string }> };
  return serverMajorOf(r.rows[0]?.server_version_num ?? '0');
}

/** The client tools of the server's major version (exit 69 when there are none). */
export async function clientTools(ctx: CliContext): Promise<PgClientTools> {
  try {
    return await findPgClientTools(await serverMajor(ctx), { binDir: ctx.config.backup.pgBinDir });
  } catch (e) {
    if (e instanceof PgClientMissing) throw new BackupFailed(EXIT.unavailable, e.message);
    throw e;
  }
}
