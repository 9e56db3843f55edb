import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  ObjectStorageMigration,
  progressLine,
  type MigrationSummary,
} from '../../adapters/cli/object-storage-migration.js';
import { KnexStoredObjects } from '../../adapters/postgres/knex-stored-objects.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import { STORED_RECORD_KINDS, type StoredRecordKind } from '../../ports/stored-objects.js';
import type { Config } from '../config.js';
import { withDevSecrets } from '../dev-secrets.js';
import { createS3Storage } from '../storage-factory.js';
import { UsageError, type CliCommand, type CliContext } from './context.js';
import { objectStores } from './object-commands.js';

const DRIVERS = ['fs', 's3'] as const;

/**
 * The store of `driver` itself (no breaker, no fallback), as `storage:verify` opens it; an S3 store that is
 * not configured is refused naming the variables it needs.
 */
function storeOf(driver: string, config: Config, logger: CliContext['logger']): ObjectStorage {
  if (!(DRIVERS as readonly string[]).includes(driver)) throw new UsageError(`unknown store "${driver}" (fs or s3)`);
  return objectStores(config, logger)(driver) ?? createS3Storage(withDevSecrets(config, logger), logger);
}

function kindsOf(value: string | undefined): StoredRecordKind[] {
  if (value === undefined) return [...STORED_RECORD_KINDS];
  const kinds = value.split(',').map((k) => k.trim());
  const bad = kinds.filter((k) => !(STORED_RECORD_KINDS as readonly string[]).includes(k));
  if (bad.length > 0 || kinds.length === 0)
    throw new UsageError(`--kinds: ${bad.join(', ') || '(none)'} not among ${STORED_RECORD_KINDS.join(', ')}`);
  return kinds as StoredRecordKind[];
}

function options({ values }: CliContext) {
  const concurrency = Number(values.concurrency ?? '4');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)
    throw new UsageError('--concurrency must be an integer 1..32');
  const from = values.from ?? 'fs';
  const to = values.to ?? 's3';
  if (from === to) throw new UsageError('--from and --to must name different stores');
  return { concurrency, from, to, kinds: kindsOf(values.kinds), dryRun: !!values['dry-run'] };
}

const summaryLine = (s: MigrationSummary, dryRun: boolean, to: string, file: string) =>
  `${dryRun ? 'dry run: ' : ''}${s.total} rows: ${s.copied} copied, ${s.alreadyCopied} already on ${to}, ${s.wouldCopy} to copy, ${s.skipped} skipped (changed meanwhile), ${s.failed} failed (${s.objects} objects, ${(s.bytes / 1048576).toFixed(1)} MB). Mapping: ${file}`;

/**
 * storage:migrate-objects: copies every object the database references (inspection photos and renditions,
 * vehicle and request photos, report PDFs) recorded on --from (default fs) to --to (default s3), one JSON
 * line per row in the mapping file, progress on standard error. Exit code 2 when a row failed.
 */
const migrateObjects: CliCommand = async (ctx) => {
  const { config, logger, db, out } = ctx;
  const o = options(ctx);
  const source = storeOf(o.from, config, logger);
  const target = storeOf(o.to, config, logger);
  if (config.storage.driver !== o.to)
    process.stderr.write(
      `warning: STORAGE_DRIVER is ${config.storage.driver}, not ${o.to}: switch the app first (STORAGE_DRIVER=${o.to}, STORAGE_FALLBACK_DRIVER=${o.from}) so nothing new is written to ${o.from} during the run (docs/runbooks/storage-switch.md)\n`,
    );
  const stored = new KnexStoredObjects(db.knex);
  const counts = await stored.counts();
  const total = o.kinds.reduce((n, k) => n + (counts[k][o.from] ?? 0), 0);
  const file =
    ctx.values['mapping-file'] ??
    path.join(config.dataDir, `object-migration-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const records = createWriteStream(file, { flags: 'a' });
  const tty = process.stderr.isTTY;
  const summary = await new ObjectStorageMigration(stored, source, target).run({
    dryRun: o.dryRun,
    concurrency: o.concurrency,
    kinds: o.kinds,
    onRecord: (r, soFar) => {
      records.write(`${JSON.stringify({ ...r, at: new Date().toISOString(), dryRun: o.dryRun })}\n`);
      if (tty) process.stderr.write(`\r${progressLine(soFar.total, total, soFar)}`);
      else if (soFar.total % 50 === 0 || soFar.total === total)
        process.stderr.write(`${progressLine(soFar.total, total, soFar)}\n`);
    },
  });
  await new Promise<void>((resolve) => records.end(resolve));
  if (tty) process.stderr.write('\n');
  out(summaryLine(summary, o.dryRun, target.driver, file));
  return summary.failed > 0 ? 2 : 0;
};

/** The former name: inspection photos only then, every kind now. */
const migratePhotos: CliCommand = (ctx) => {
  process.stderr.write(
    'storage:migrate-photos is deprecated: use storage:migrate-objects (it moves every kind of stored object)\n',
  );
  return migrateObjects(ctx);
};

/** storage:migrate-objects (and its deprecated alias storage:migrate-photos). */
export const storageCommands: Record<string, CliCommand> = {
  'storage:migrate-objects': migrateObjects,
  'storage:migrate-photos': migratePhotos,
};
