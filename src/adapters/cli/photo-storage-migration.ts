import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { InspectionPhoto } from '../../domain/inspection/photo.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { PhotoRepository } from '../../ports/photo-repository.js';

export type MigrationOutcome = 'copied' | 'already-copied' | 'would-copy' | 'failed';

export interface MigrationRecord {
  photoId: string;
  oldKey: string;
  newKey: string;
  from: string;
  to: string;
  outcome: MigrationOutcome;
  bytes: number;
  sha256: string;
  error?: string;
}

export interface MigrationOptions {
  dryRun: boolean;
  concurrency: number;
  /** Called once per photo, in completion order, with the tally so far (the CLI appends it to the mapping file). */
  onRecord(record: MigrationRecord, soFar: MigrationSummary): void | Promise<void>;
  pageSize?: number;
  now?: () => Date;
}

export interface MigrationSummary {
  total: number;
  copied: number;
  alreadyCopied: number;
  wouldCopy: number;
  failed: number;
  bytes: number;
}

async function sha256Of(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Moves photo objects from one store to another (e.g. the filesystem to Backblaze B2). For each photo still
 * recorded on the source: copy it (same key), verify the copy by size and SHA-256 against the record, and
 * only then point the database row at the target. Resumable: an object already present on the target with
 * the right size and hash is not copied again. The source objects are left in place (delete them once the
 * switch of STORAGE_DRIVER is done and verified).
 */
export class PhotoStorageMigration {
  constructor(
    private readonly photos: PhotoRepository,
    private readonly source: ObjectStorage,
    private readonly target: ObjectStorage,
  ) {}

  async run(o: MigrationOptions): Promise<MigrationSummary> {
    const summary: MigrationSummary = { total: 0, copied: 0, alreadyCopied: 0, wouldCopy: 0, failed: 0, bytes: 0 };
    let after: string | null = null;
    for (;;) {
      const page: InspectionPhoto[] = await this.photos.listByDriver(this.source.driver, after, o.pageSize ?? 200);
      if (page.length === 0) break;
      after = page[page.length - 1]?.id ?? null;
      const queue = [...page];
      const worker = async () => {
        for (let p = queue.shift(); p; p = queue.shift()) {
          const record = await this.migrateOne(p, o);
          summary.total++;
          if (record.outcome === 'copied') summary.copied++;
          if (record.outcome === 'already-copied') summary.alreadyCopied++;
          if (record.outcome === 'would-copy') summary.wouldCopy++;
          if (record.outcome === 'failed') summary.failed++;
          if (record.outcome === 'copied' || record.outcome === 'would-copy') summary.bytes += record.bytes;
          await o.onRecord(record, { ...summary });
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
    }
    return summary;
  }

  private async verified(key: string, p: InspectionPhoto): Promise<boolean> {
    const head = await this.target.head(key);
    if (!head || head.size !== p.sizeBytes) return false;
    return (await sha256Of(await this.target.get(key))).sha256 === p.sha256;
  }

  private async migrateOne(p: InspectionPhoto, o: MigrationOptions): Promise<MigrationRecord> {
    const base = {
      photoId: p.id,
      oldKey: p.storageKey,
      newKey: p.storageKey,
      from: this.source.driver,
      to: this.target.driver,
      bytes: p.sizeBytes,
      sha256: p.sha256,
    };
    try {
      const present = await this.verified(base.newKey, p);
      if (o.dryRun) return { ...base, outcome: present ? 'already-copied' : 'would-copy' };
      if (!present) {
        await this.target.put(base.newKey, await this.source.get(p.storageKey), {
          contentType: p.contentType,
          size: p.sizeBytes,
        });
        if (!(await this.verified(base.newKey, p)))
          throw new Error('the copy does not match the recorded size and SHA-256');
      }
      await this.photos.updateFile(
        p.id,
        {
          storageKey: base.newKey,
          storageDriver: this.target.driver,
          contentType: p.contentType,
          sizeBytes: p.sizeBytes,
          sha256: p.sha256,
          originalName: p.originalName,
        },
        (o.now ?? (() => new Date()))(),
      );
      return { ...base, outcome: present ? 'already-copied' : 'copied' };
    } catch (e) {
      return { ...base, outcome: 'failed', error: e instanceof Error ? e.message : String(e) };
    }
  }
}

/** A one-line progress bar for a terminal (or a plain line per step when not a TTY). */
export function progressLine(done: number, total: number | null, s: MigrationSummary, width = 30): string {
  const frac = total ? Math.min(1, done / total) : 0;
  const bar = total ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '-')}] ` : '';
  const mb = (s.bytes / 1048576).toFixed(1);
  return `${bar}${done}${total ? `/${total}` : ''} copied ${s.copied}, already there ${s.alreadyCopied}, dry-run ${s.wouldCopy}, failed ${s.failed}, ${mb} MB`;
}
