import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { NodeContentDigest } from '../storage/node-content-digest.js';

const exec = promisify(execFile);

/** A backup set's files share a base name: `car-dano-<db|all>-<UTC stamp>`; its time is in the name. */
const SET_NAME = /^(car-dano-[a-z0-9_]+-(\d{8}T\d{6}Z))(\.|$)/;

/** `car-dano-cardano-20261203T020000Z` for a backup of database cardano made at that time. */
export function backupBaseName(scope: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `car-dano-${scope.toLowerCase().replace(/[^a-z0-9_]/g, '_')}-${stamp}`;
}

/** The time in a set's name (null for a file that is not ours). */
export function timeOfBackup(fileName: string): Date | null {
  const m = SET_NAME.exec(fileName);
  if (!m?.[2]) return null;
  const s = m[2];
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? null : t;
}

/**
 * Deletes every backup set (dump, metadata, object manifest) whose name says it is older than
 * `retentionDays`, except `keep`. Files that are not backups are never touched. Returns the deleted names.
 */
export async function applyRetention(dir: string, retentionDays: number, now: Date, keep: string): Promise<string[]> {
  const cutoff = now.getTime() - retentionDays * 86_400_000;
  const deleted: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const base = SET_NAME.exec(name)?.[1];
    const at = timeOfBackup(name);
    if (!base || !at || base === keep || at.getTime() >= cutoff) continue;
    await rm(path.join(dir, name), { force: true });
    deleted.push(name);
  }
  return deleted;
}

/** SHA-256 and size of a file, streamed. */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const { sha256, size } = await new NodeContentDigest().sha256(createReadStream(file));
  return { sha256, bytes: size };
}

/** Writes a file atomically (temporary name in the same directory, then rename), mode 0600 unless given. */
export async function writeAtomically(file: string, text: string, mode = 0o600): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode });
  await chmod(tmp, mode);
  await rename(tmp, file);
}

const inside = (child: string, parent: string): boolean => {
  const rel = path.relative(path.resolve(parent), path.resolve(child));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** The git work tree holding `dir` (walking up to a `.git`), or null. */
function workTreeOf(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return null;
  }
}

/**
 * Refuses a backup directory that would publish or commit backups: inside a served directory (the
 * filesystem object store is served by signed URLs), or inside a git work tree without being ignored.
 */
export async function checkBackupDir(dir: string, served: string[]): Promise<void> {
  for (const s of served)
    if (inside(dir, s) || inside(s, dir))
      throw new Error(`BACKUP_DIR ${dir} overlaps ${s}, which is served over HTTP; choose a directory outside it`);
  const tree = workTreeOf(dir);
  if (!tree) return;
  try {
    await exec('git', ['-C', tree, 'check-ignore', '-q', path.join(path.resolve(dir), 'probe.dump')]);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new Error(
      code === 1
        ? `BACKUP_DIR ${dir} is inside the git work tree ${tree} and not ignored: add it to .gitignore (./backups is) or choose a directory outside the repository`
        : `BACKUP_DIR ${dir} is inside the git work tree ${tree} and git cannot tell whether it is ignored (${String(code)})`,
      { cause: e },
    );
  }
}

/** Creates the backup directory (0750) when missing. */
export async function ensureBackupDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
}

/** The state file's content: the last success (what the freshness metric reads) and the last failure. */
export interface BackupState {
  lastSuccess?: { at: string; file: string; bytes: number; durationMs: number; sha256: string; offsite: string | null };
  lastFailure?: { at: string; error: string; exitCode: number };
}

export const STATE_FILE = 'backup-state.json';

/** Reads the state file of a backup directory ({} when there is none or it is unreadable). */
export async function readBackupState(dir: string): Promise<BackupState> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dir, STATE_FILE), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as BackupState) : {};
  } catch {
    return {};
  }
}

/** Updates the state file (atomically; 0640 so a metrics reader in the group may read it). */
export async function writeBackupState(dir: string, update: BackupState): Promise<BackupState> {
  const next = { ...(await readBackupState(dir)), ...update };
  await writeAtomically(path.join(dir, STATE_FILE), `${JSON.stringify(next, null, 2)}\n`, 0o640);
  return next;
}

/** The last success as seconds since the epoch, or null (the freshness metric's value). */
export function lastSuccessSeconds(state: BackupState): number | null {
  const t = state.lastSuccess ? Date.parse(state.lastSuccess.at) : NaN;
  return Number.isFinite(t) ? t / 1000 : null;
}

/** node_exporter's textfile collector file (written atomically: the collector must never read half a file). */
export async function writeTextfile(dir: string, state: BackupState): Promise<string> {
  const file = path.join(dir, 'car_dano_backup.prom');
  const last = lastSuccessSeconds(state);
  const lines = [
    '# HELP car_dano_backup_last_success_timestamp_seconds When the last successful database backup finished (Unix time).',
    '# TYPE car_dano_backup_last_success_timestamp_seconds gauge',
    ...(last === null ? [] : [`car_dano_backup_last_success_timestamp_seconds ${last}`]),
  ];
  await writeAtomically(file, `${lines.join('\n')}\n`, 0o644);
  return file;
}
