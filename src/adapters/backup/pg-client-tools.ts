import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The PostgreSQL client programs of one major version. */
export interface PgClientTools {
  major: number;
  /** What `pg_dump --version` printed, e.g. "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)". */
  version: string;
  binDir: string;
  pgDump: string;
  pgDumpall: string;
  pgRestore: string;
  psql: string;
}

/** No client of the server's major version was found: what was tried and how to get one. */
export class PgClientMissing extends Error {
  constructor(
    readonly serverMajor: number,
    readonly tried: Array<{ dir: string; found: string }>,
  ) {
    super(
      `no pg_dump for PostgreSQL ${serverMajor} (pg_dump refuses a newer server and a dump must come from the server's own major version). Tried:\n${tried
        .map((t) => `  ${t.dir}: ${t.found}`)
        .join(
          '\n',
        )}\nInstall postgresql-client-${serverMajor} (Debian/Ubuntu), or set PG_BIN_DIR to a directory holding pg_dump, pg_dumpall, pg_restore and psql of version ${serverMajor}.`,
    );
    this.name = 'PgClientMissing';
  }
}

/** The major version in a `--version` line ("pg_dump (PostgreSQL) 15.20 ..." -> 15), or null. */
export function majorOf(versionLine: string): number | null {
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(versionLine);
  return m ? Number(m[1]) : null;
}

/** The server's major version from `server_version_num` (150020 -> 15). */
export const serverMajorOf = (serverVersionNum: string | number): number =>
  Math.floor(Number(serverVersionNum) / 10000);

/** The directories to look in, in order: PG_BIN_DIR, Debian's per-version directory, then PATH (deduplicated). */
export function candidateDirs(serverMajor: number, binDir: string | undefined, pathEnv: string | undefined): string[] {
  const dirs = [
    ...(binDir ? [binDir] : []),
    `/usr/lib/postgresql/${serverMajor}/bin`,
    ...(pathEnv ?? '').split(path.delimiter).filter(Boolean),
  ];
  return [...new Set(dirs.map((d) => path.resolve(d)))];
}

/**
 * Finds pg_dump, pg_dumpall, pg_restore and psql of the server's major version: the first candidate
 * directory whose pg_dump reports that major and which holds the other three. PgClientMissing otherwise.
 */
export async function findPgClientTools(
  serverMajor: number,
  o: { binDir?: string; pathEnv?: string } = {},
): Promise<PgClientTools> {
  const tried: Array<{ dir: string; found: string }> = [];
  for (const dir of candidateDirs(serverMajor, o.binDir, o.pathEnv ?? process.env.PATH)) {
    const pgDump = path.join(dir, 'pg_dump');
    if (!existsSync(pgDump)) {
      if (dir === path.resolve(o.binDir ?? '\0') || dir.startsWith('/usr/lib/postgresql/'))
        tried.push({ dir, found: 'no pg_dump' });
      continue;
    }
    let version: string;
    try {
      version = (await exec(pgDump, ['--version'], { timeout: 10_000 })).stdout.trim();
    } catch (e) {
      tried.push({ dir, found: `pg_dump does not run (${e instanceof Error ? e.message.split('\n')[0] : 'error'})` });
      continue;
    }
    const major = majorOf(version);
    const others = ['pg_dumpall', 'pg_restore', 'psql'].filter((p) => !existsSync(path.join(dir, p)));
    if (major !== serverMajor || others.length > 0) {
      tried.push({ dir, found: others.length > 0 ? `${version}, missing ${others.join(', ')}` : version });
      continue;
    }
    return {
      major,
      version,
      binDir: dir,
      pgDump,
      pgDumpall: path.join(dir, 'pg_dumpall'),
      pgRestore: path.join(dir, 'pg_restore'),
      psql: path.join(dir, 'psql'),
    };
  }
  throw new PgClientMissing(serverMajor, tried);
}

/**
 * A connection string without its password, and the environment that carries the password instead
 * (PGPASSWORD), so it never shows in `ps`.
 */
export function clientConnection(url: string, database?: string): { url: string; env: Record<string, string> } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  if (database !== undefined) u.pathname = `/${encodeURIComponent(database)}`;
  return { url: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}
