import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { hashFile } from '../../adapters/backup/backup-files.js';
import { restoreDatabase, USER_TABLES_SQL } from '../../adapters/backup/pg-backup.js';
import { ensureDatabase, withDatabase } from '../../adapters/postgres/database.js';
import { BackupFailed, clientTools, EXIT, failureOf, secs } from './backup-support.js';
import { UsageError, type CliCommand, type CliContext } from './context.js';

const DB_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The metadata written beside a backup (its recorded SHA-256), or null when there is none. */
async function recordedHash(file: string): Promise<string | null> {
  const base = path.basename(file).replace(/\.(dump|sql\.gz)(\.(age|gpg))?$/, '');
  const meta = path.join(path.dirname(file), `${base}.meta.json`);
  if (!existsSync(meta)) return null;
  const parsed = JSON.parse(await readFile(meta, 'utf8')) as { sha256?: unknown };
  return typeof parsed.sha256 === 'string' ? parsed.sha256 : null;
}

/** Refuses a corrupt or truncated file before anything is written to the target. */
async function checkIntegrity(ctx: CliContext, file: string): Promise<void> {
  const expected = await recordedHash(file);
  if (!expected) {
    console.error(`warning: no ${path.basename(file)} metadata beside it; the file's integrity is not checked`);
    return;
  }
  const actual = (await hashFile(file)).sha256;
  if (actual !== expected)
    throw new BackupFailed(
      EXIT.dataError,
      `${file} has SHA-256 ${actual}, its metadata records ${expected}: corrupt or truncated`,
    );
  ctx.logger.debug('backup checksum verified', { file });
}

async function tableCount(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query(USER_TABLES_SQL)).rows[0]?.n ?? 0);
  } finally {
    await c.end();
  }
}

/** The target of a database restore: `--database NAME` on the server the CLI is connected to. */
async function target(ctx: CliContext, isAll: boolean): Promise<{ url: string; label: string; clean: boolean }> {
  const adminUrl = withDatabase(ctx.db.url, 'postgres');
  if (isAll) return { url: adminUrl, label: 'the server (every database in the dump)', clean: false };
  const name = ctx.values.database;
  if (!name) throw new UsageError('restore needs --database NAME (the database to restore into; created when missing)');
  if (!DB_NAME.test(name)) throw new UsageError('--database must be a plain lower-case name (a-z, 0-9, _)');
  await ensureDatabase(adminUrl, name);
  const url = withDatabase(ctx.db.url, name);
  const tables = await tableCount(url);
  if (tables > 0 && !ctx.values.force)
    throw new UsageError(
      `database ${name} already holds ${tables} tables; restore into a new database, or pass --force to replace what the backup contains`,
    );
  return { url, label: `database ${name}`, clean: tables > 0 };
}

/**
 * restore FILE --database NAME [--force]: checks the file against its metadata, decrypts it when needed
 * and restores it with the client tools of the server's version. A pg_dumpall backup (.sql.gz) is
 * replayed into the server itself (meant for a fresh server). Prints the duration.
 */
export const restore: CliCommand = async (ctx) => {
  const file = ctx.positionals[0];
  if (!file || ctx.positionals.length > 1) throw new UsageError('restore needs exactly one backup FILE');
  if (!existsSync(file)) throw new UsageError(`${file} does not exist`);
  const started = Date.now();
  try {
    await checkIntegrity(ctx, file);
    const isAll = /\.sql\.gz(\.(age|gpg))?$/.test(file);
    const tools = await clientTools(ctx);
    const t = await target(ctx, isAll);
    let outcome: { durationMs: number; errors: string[] };
    try {
      outcome = await restoreDatabase({
        file,
        targetUrl: t.url,
        tools,
        identityFile: ctx.config.backup.encryption.identityFile,
        clean: t.clean,
      });
    } catch (e) {
      throw new BackupFailed(EXIT.failed, `restore failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
    for (const line of outcome.errors.slice(0, 20)) console.error(`  ${line}`);
    ctx.out(
      `restore ok: ${path.basename(file)} into ${t.label} in ${secs(outcome.durationMs)}${outcome.errors.length > 0 ? ` with ${outcome.errors.length} statement errors (listed above; CREATE ROLE of an existing role is expected)` : ''}; ${tools.version}`,
    );
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const failure = failureOf(e);
    console.error(`restore FAILED after ${secs(Date.now() - started)}: ${failure.message}`);
    return failure.code;
  }
};
