import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PhotoStorageMigration, progressLine } from '../../adapters/cli/photo-storage-migration.js';
import { PhotoRepository } from '../../ports/photo-repository.js';
import { withDevSecrets } from '../dev-secrets.js';
import { createFsStorage, createS3Storage, createUrlSigner } from '../storage-factory.js';
import { UsageError, type CliCommand } from './context.js';

/**
 * storage:migrate-photos: copies the photos recorded on the filesystem store to the S3 store, one JSON line
 * per photo in the mapping file, progress on standard error. Exit code 2 when a photo failed.
 */
const migratePhotos: CliCommand = async ({ values, config, logger, db, container, out }) => {
  const concurrency = Number(values.concurrency ?? '4');
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)
    throw new UsageError('--concurrency must be an integer 1..32');
  const cfg = withDevSecrets(config, logger);
  const source = createFsStorage(cfg, createUrlSigner(cfg));
  const target = createS3Storage(cfg, logger);
  const file =
    values['mapping-file'] ??
    path.join(config.dataDir, `photo-migration-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
  const total = Number(
    (await db.knex('inspection_photos').where({ storage_driver: source.driver }).count({ n: '*' }))[0]?.n ?? 0,
  );
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const records = createWriteStream(file, { flags: 'a' });
  const tty = process.stderr.isTTY;
  const summary = await new PhotoStorageMigration(container.get<PhotoRepository>(PhotoRepository), source, target).run({
    dryRun: !!values['dry-run'],
    concurrency,
    onRecord: async (r, soFar) => {
      records.write(`${JSON.stringify({ ...r, at: new Date().toISOString(), dryRun: !!values['dry-run'] })}\n`);
      if (tty) process.stderr.write(`\r${progressLine(soFar.total, total, soFar)}`);
      else if (soFar.total % 50 === 0 || soFar.total === total)
        process.stderr.write(`${progressLine(soFar.total, total, soFar)}\n`);
    },
  });
  await new Promise<void>((resolve) => records.end(resolve));
  if (tty) process.stderr.write('\n');
  out(
    `${values['dry-run'] ? 'dry run: ' : ''}${summary.total} photos: ${summary.copied} copied, ${summary.alreadyCopied} already on ${target.driver}, ${summary.wouldCopy} to copy, ${summary.failed} failed (${(summary.bytes / 1048576).toFixed(1)} MB). Mapping: ${file}`,
  );
  return summary.failed > 0 ? 2 : 0;
};

/** storage:migrate-photos. */
export const storageCommands: Record<string, CliCommand> = { 'storage:migrate-photos': migratePhotos };
