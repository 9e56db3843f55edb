import path from 'node:path';
import {
  applyRetention,
  checkBackupDir,
  ensureBackupDir,
  writeAtomically,
  writeBackupState,
  writeTextfile,
} from '../../adapters/backup/backup-files.js';
import { copyOffsite, OffsiteCopyError, type OffsiteCopy } from '../../adapters/backup/offsite-copy.js';
import { dumpDatabase, type DumpResult } from '../../adapters/backup/pg-backup.js';
import { backupSettings } from '../backup-settings.js';
import { createS3Storage } from '../storage-factory.js';
import { UsageError, type CliCommand, type CliContext } from './context.js';
import { BackupFailed, clientTools, EXIT, failureOf, mb, secs } from './backup-support.js';
import { writeBackupManifest } from './backup-manifest.js';
import { restore } from './restore-command.js';

async function usableDir(ctx: CliContext, dir: string): Promise<void> {
  try {
    await checkBackupDir(dir, [ctx.config.storage.fsRoot]);
    await ensureBackupDir(dir);
  } catch (e) {
    throw new BackupFailed(EXIT.cantCreate, e instanceof Error ? e.message : String(e));
  }
}

async function offsite(ctx: CliContext, files: string[]): Promise<OffsiteCopy[] | null> {
  if (ctx.config.backup.offsite.mode !== 's3') return null;
  try {
    return await copyOffsite(createS3Storage(ctx.config, ctx.logger), files, ctx.config.backup.offsite.prefix);
  } catch (e) {
    const message = e instanceof OffsiteCopyError ? e.message : `offsite copy failed: ${String(e)}`;
    throw new BackupFailed(EXIT.offsite, `${message} (the local backup is kept)`);
  }
}

/** Dump, object manifest, metadata and offsite copy of one backup; the state and retention after it. */
async function runBackup(ctx: CliContext, dir: string, retentionDays: number): Promise<string> {
  const scope = ctx.values.all ? 'all' : 'db';
  const tools = await clientTools(ctx);
  const at = new Date();
  const database = new URL(ctx.db.url).pathname.replace(/^\//, '') || 'postgres';
  let dump: DumpResult;
  try {
    dump = await dumpDatabase({
      scope,
      url: ctx.db.url,
      database,
      dir,
      tools,
      encryption: ctx.config.backup.encryption,
      at,
    });
  } catch (e) {
    throw new BackupFailed(EXIT.failed, `dump failed: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  const manifest = await writeBackupManifest(ctx, path.join(dir, `${dump.base}.objects.jsonl`));
  const metaFile = path.join(dir, `${dump.base}.meta.json`);
  const meta = {
    file: path.basename(dump.file),
    scope,
    database: scope === 'db' ? database : null,
    createdAt: at.toISOString(),
    bytes: dump.bytes,
    sha256: dump.sha256,
    durationMs: dump.durationMs,
    client: tools.version,
    encryption: ctx.config.backup.encryption.mode,
    manifest: { file: path.basename(manifest.file), objects: manifest.objects, sha256: manifest.sha256 },
  };
  await writeAtomically(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  const copies = await offsite(ctx, [dump.file, manifest.file, metaFile]);
  const durationMs = Date.now() - at.getTime();
  const state = await writeBackupState(dir, {
    lastSuccess: {
      at: new Date().toISOString(),
      file: dump.file,
      bytes: dump.bytes,
      durationMs,
      sha256: dump.sha256,
      offsite: copies?.[0]?.key ?? null,
    },
  });
  if (ctx.config.backup.textfileDir) await writeTextfile(ctx.config.backup.textfileDir, state);
  const removed = await applyRetention(dir, retentionDays, new Date(), dump.base);
  return `backup ok: ${dump.file} ${mb(dump.bytes)} in ${secs(durationMs)} (${scope === 'db' ? `pg_dump -Fc of ${database}` : 'pg_dumpall'}, ${tools.version.replace(/^pg_dump \(PostgreSQL\) /, 'client ')}; encryption ${meta.encryption}); objects manifest ${manifest.objects} objects; offsite ${copies ? `${copies.length} files verified under ${ctx.config.backup.offsite.prefix}` : 'off'}; retention ${retentionDays} d removed ${removed.length} files`;
}

/**
 * backup [--db-only | --all]: a logical dump with the server's own client tools (see the usage text and
 * docs/runbooks/backup-restore.md). Exit codes: 0 done, 2 dump failed, 3 offsite copy failed or differs
 * (local backup kept), 69 no client tools of the server's version (or no age/gpg), 73 BACKUP_DIR refused
 * or unwritable, 78 configuration.
 */
const backup: CliCommand = async (ctx) => {
  if (ctx.values.all && ctx.values['db-only']) throw new UsageError('--db-only and --all exclude each other');
  const { dir, retentionDays } = backupSettings(ctx.config);
  const started = Date.now();
  try {
    await usableDir(ctx, dir);
    ctx.out(await runBackup(ctx, dir, retentionDays));
    return EXIT.ok;
  } catch (e) {
    const failure = failureOf(e);
    console.error(`backup FAILED after ${secs(Date.now() - started)}: ${failure.message}`);
    if (failure.code !== EXIT.cantCreate)
      await writeBackupState(dir, {
        lastFailure: { at: new Date().toISOString(), error: failure.message.slice(0, 2000), exitCode: failure.code },
      }).catch(() => undefined);
    return failure.code;
  }
};

/** backup, restore. */
export const backupCommands: Record<string, CliCommand> = { backup, restore };
