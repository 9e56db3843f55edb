import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { openObjectManifest, writeObjectManifest } from '../../adapters/cli/object-manifest-file.js';
import type { Logger } from '../../adapters/observability/logger.js';
import { KnexStoredObjects } from '../../adapters/postgres/knex-stored-objects.js';
import { NodeContentDigest } from '../../adapters/storage/node-content-digest.js';
import { ManifestFormatError, type ManifestEntry } from '../../application/stored-objects/manifest-format.js';
import { databaseEntries, type StoreResolver } from '../../application/stored-objects/object-manifest.js';
import {
  foundProblems,
  VerifyObjects,
  type VerifyResult,
  type VerifySummary,
} from '../../application/stored-objects/verify-objects.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { Config } from '../config.js';
import { withDevSecrets } from '../dev-secrets.js';
import { createFsStorage, createS3Storage, createUrlSigner } from '../storage-factory.js';
import { UsageError, type CliCommand, type CliContext } from './context.js';

/** Problems printed on standard error one by one; the rest are in the report file. */
const PRINTED_PROBLEMS = 50;

/**
 * The stores objects may be on, each by itself (never the fallback pair the server reads through, which
 * would hide an object missing from the new store): the filesystem store always, the S3 store when it is
 * the configured one or S3_* are set.
 */
export function objectStores(config: Config, logger: Logger): StoreResolver {
  const cfg = withDevSecrets(config, logger);
  const stores = new Map<string, ObjectStorage>([['fs', createFsStorage(cfg, createUrlSigner(cfg))]]);
  const s3 = cfg.storage.s3;
  if (cfg.storage.driver === 's3' || (s3.endpoint && s3.bucket && s3.accessKeyId && s3.secretAccessKey))
    stores.set('s3', createS3Storage(cfg, logger));
  return (driver) => stores.get(driver) ?? null;
}

const tty = () => !!process.stderr.isTTY;
const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');
const mb = (bytes: number) => (bytes / 1048576).toFixed(1);

/** storage:manifest: writes the object manifest (what backups write beside the database dump). */
const manifest: CliCommand = async ({ values, config, logger, db, out }) => {
  const file = values.out ?? path.join(config.dataDir, 'manifests', `objects-${stamp()}.jsonl`);
  const started = Date.now();
  const s = await writeObjectManifest(
    { catalog: new KnexStoredObjects(db.knex), storeFor: objectStores(config, logger) },
    file,
  );
  out(
    `manifest: ${s.objects} objects (${mb(s.bytes)} MB), ${s.hashedNow} renditions hashed now, ${s.unhashed} unhashed, ${s.unverifiable} unverifiable, in ${Date.now() - started} ms. File: ${s.file} (sha256 ${s.sha256OfFile})`,
  );
  return 0;
};

const problemLine = (r: VerifyResult) =>
  `${r.status} ${r.entry.kind} ${r.entry.id} ${r.entry.driver}:${r.entry.key}${r.detail ? ` (${r.detail})` : ''}`;

const progress = (s: VerifySummary) =>
  `${s.total} checked: ${s.ok} ok, ${s.missing} missing, ${s.sizeMismatch} size-mismatch, ${s.corrupt} corrupt, ${s.unverifiable} unverifiable, ${s.errors} errors`;

/** The entries to check: the manifest's (checked as read) or the database's. */
async function entriesFrom(file: string | undefined, db: KnexStoredObjects): Promise<AsyncIterable<ManifestEntry>> {
  if (!file) return databaseEntries(db);
  return (await openObjectManifest(file)).entries;
}

/**
 * storage:verify: checks every object of a manifest (or of the database) against its store. Problems on
 * standard error and in the report file (one JSON line each), the summary on standard output; exit 2 when
 * an object is missing, damaged or could not be read, 65 (EX_DATAERR) when the manifest is not a valid one.
 */
const verify: CliCommand = async (ctx) => {
  const concurrency = Number(ctx.values.concurrency ?? '4');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)
    throw new UsageError('--concurrency must be an integer 1..32');
  try {
    return await verifyAll(ctx, concurrency);
  } catch (e) {
    if (!(e instanceof ManifestFormatError)) throw e;
    process.stderr.write(`${tty() ? '\n' : ''}--manifest ${ctx.values.manifest}: ${e.message}\n`);
    return 65;
  }
};

async function verifyAll({ values, config, logger, db, out }: CliContext, concurrency: number): Promise<number> {
  const entries = await entriesFrom(values.manifest, new KnexStoredObjects(db.knex));
  const reportFile = values['report-file'];
  if (reportFile) await mkdir(path.dirname(path.resolve(reportFile)), { recursive: true });
  const report = reportFile ? createWriteStream(reportFile, { flags: 'a', mode: 0o600 }) : null;
  let printed = 0;
  const onResult = (r: VerifyResult, soFar: VerifySummary) => {
    if (r.status !== 'ok') {
      report?.write(`${JSON.stringify({ ...r, at: new Date().toISOString() })}\n`);
      if (printed++ < PRINTED_PROBLEMS) process.stderr.write(`${tty() ? '\r' : ''}${problemLine(r)}\n`);
    }
    if (tty()) process.stderr.write(`\r${progress(soFar)}`);
    else if (soFar.total % 500 === 0) process.stderr.write(`${progress(soFar)}\n`);
  };
  const started = Date.now();
  const s = await new VerifyObjects(objectStores(config, logger), new NodeContentDigest())
    .run(entries, { concurrency, quick: !!values.quick, onResult })
    .finally(() => (report ? new Promise<void>((resolve) => report.end(resolve)) : undefined));
  if (tty()) process.stderr.write('\n');
  if (printed > PRINTED_PROBLEMS) process.stderr.write(`... ${printed - PRINTED_PROBLEMS} more problems not printed\n`);
  const how = values.quick ? 'quick (size only)' : 'size and SHA-256';
  out(
    `verify: ${progress(s).replace(' checked', ' objects')}; ${s.sizeOnly} by size only, ${mb(s.bytesRead)} MB read, ${how}, from ${values.manifest ?? 'the database'}, in ${Date.now() - started} ms${reportFile ? `. Report: ${reportFile}` : ''}`,
  );
  return foundProblems(s) ? 2 : 0;
}

/** storage:manifest, storage:verify. */
export const objectCommands: Record<string, CliCommand> = {
  'storage:manifest': manifest,
  'storage:verify': verify,
};
