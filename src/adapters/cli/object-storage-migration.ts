import type { Readable } from 'node:stream';
import type { ObjectStorage } from '../../ports/object-storage.js';
import { NodeContentDigest } from '../storage/node-content-digest.js';
import {
  STORED_RECORD_KINDS,
  type StoredObjectRef,
  type StoredObjects,
  type StoredRecord,
  type StoredRecordKind,
} from '../../ports/stored-objects.js';

/** What happened to one object, or to a row as a whole ('skipped': the row changed meanwhile, left alone). */
export type MigrationOutcome = 'copied' | 'already-copied' | 'would-copy' | 'failed' | 'skipped';

export interface MigratedObject {
  role: StoredObjectRef['role'];
  key: string;
  bytes: number | null;
  sha256: string | null;
  outcome: Exclude<MigrationOutcome, 'skipped'>;
  error?: string;
}

/** One line of the mapping file: a row and every object it references (keys do not change between stores). */
export interface MigrationRecord {
  kind: StoredRecordKind;
  id: string;
  from: string;
  to: string;
  outcome: MigrationOutcome;
  objects: MigratedObject[];
  error?: string;
}

export interface MigrationOptions {
  dryRun: boolean;
  concurrency: number;
  /** Kinds to move (default: all four). */
  kinds?: readonly StoredRecordKind[];
  /** Called once per row, in completion order, with the tally so far; awaited before that worker goes on. */
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
  skipped: number;
  objects: number;
  bytes: number;
}

const TALLY: Record<MigrationOutcome, keyof MigrationSummary> = {
  copied: 'copied',
  'already-copied': 'alreadyCopied',
  'would-copy': 'wouldCopy',
  failed: 'failed',
  skipped: 'skipped',
};

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** SHA-256 and size of a stream (the project's one streaming digest). */
const digest = (stream: Readable) => new NodeContentDigest().sha256(stream);

/**
 * Moves every stored object the database references (inspection photos with their renditions, vehicle and
 * request photos, report PDFs) from one store to another. Per row still recorded on the source: copy each
 * object (same key), verify each copy by size and SHA-256 (a rendition without a recorded hash is compared
 * with the source's), then point the row at the target, only while it is still on the source. Resumable: a
 * verified copy on the target is not copied again. Source objects stay (retire them after the switch).
 */
export class ObjectStorageMigration {
  constructor(
    private readonly stored: StoredObjects,
    private readonly source: ObjectStorage,
    private readonly target: ObjectStorage,
  ) {}

  async run(o: MigrationOptions): Promise<MigrationSummary> {
    const summary: MigrationSummary = {
      total: 0,
      copied: 0,
      alreadyCopied: 0,
      wouldCopy: 0,
      failed: 0,
      skipped: 0,
      objects: 0,
      bytes: 0,
    };
    const tally = async (r: MigrationRecord) => {
      summary.total++;
      summary[TALLY[r.outcome]]++;
      for (const obj of r.objects)
        if (obj.outcome === 'copied' || obj.outcome === 'would-copy') {
          summary.objects++;
          summary.bytes += obj.bytes ?? 0;
        }
      await o.onRecord(r, { ...summary });
    };
    for (const kind of o.kinds ?? STORED_RECORD_KINDS) await this.runKind(kind, o, tally);
    return summary;
  }

  /** The rows of one kind still on the source, page by page, `concurrency` rows at a time. */
  private async runKind(
    kind: StoredRecordKind,
    o: MigrationOptions,
    tally: (r: MigrationRecord) => Promise<void>,
  ): Promise<void> {
    let after: string | null = null;
    for (;;) {
      const page: StoredRecord[] = await this.stored.list(kind, after, o.pageSize ?? 200, this.source.driver);
      if (page.length === 0) return;
      after = page[page.length - 1]?.id ?? null;
      const queue = [...page];
      const worker = async () => {
        for (let row = queue.shift(); row; row = queue.shift()) await tally(await this.migrateRow(row, o));
      };
      await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
    }
  }

  private async migrateRow(row: StoredRecord, o: MigrationOptions): Promise<MigrationRecord> {
    const base = { kind: row.kind, id: row.id, from: this.source.driver, to: this.target.driver };
    const objects: MigratedObject[] = [];
    for (const ref of row.objects) objects.push(await this.migrateObject(row, ref, o.dryRun));
    const failed = objects.find((x) => x.outcome === 'failed');
    if (failed) {
      // A row deleted or replaced meanwhile took its objects with it: not a failure.
      if (!o.dryRun && !(await this.unchanged(row)))
        return { ...base, outcome: 'skipped', objects, error: 'the row was moved, replaced or deleted meanwhile' };
      return { ...base, outcome: 'failed', objects, error: `${failed.key}: ${failed.error}` };
    }
    const copied = objects.some((x) => x.outcome === 'copied');
    if (o.dryRun)
      return {
        ...base,
        outcome: objects.some((x) => x.outcome === 'would-copy') ? 'would-copy' : 'already-copied',
        objects,
      };
    try {
      const now = (o.now ?? (() => new Date()))();
      if (!(await this.stored.repoint(row, this.target.driver, now)))
        return { ...base, outcome: 'skipped', objects, error: 'the row was moved, replaced or deleted meanwhile' };
    } catch (e) {
      return { ...base, outcome: 'failed', objects, error: `repoint: ${message(e)}` };
    }
    return { ...base, outcome: copied ? 'copied' : 'already-copied', objects };
  }

  /** Whether the row is still as it was read (same driver and object keys); true when that cannot be told. */
  private async unchanged(row: StoredRecord): Promise<boolean> {
    const now = await this.stored.find(row.kind, row.id).catch(() => row);
    return (
      now !== null &&
      now.driver === row.driver &&
      now.objects.map((x) => x.key).join('\n') === row.objects.map((x) => x.key).join('\n')
    );
  }

  /** Copies (unless a verified copy is there) and verifies one object; never throws. */
  private async migrateObject(row: StoredRecord, ref: StoredObjectRef, dryRun: boolean): Promise<MigratedObject> {
    const base = { role: ref.role, key: ref.key, bytes: ref.size, sha256: ref.sha256 };
    try {
      const expected = await this.expected(ref);
      if (!expected) return { ...base, outcome: 'failed', error: 'missing on the source and on the target' };
      const result = { ...base, bytes: expected.size, sha256: expected.sha256 };
      if (await this.verified(ref.key, expected)) {
        if (!dryRun) await this.keepHash(row, ref, expected.sha256);
        return { ...result, outcome: 'already-copied' };
      }
      if (dryRun) return { ...result, outcome: 'would-copy' };
      await this.target.put(ref.key, await this.source.get(ref.key), {
        contentType: ref.contentType,
        size: expected.size,
      });
      if (!(await this.verified(ref.key, expected)))
        return { ...result, outcome: 'failed', error: 'the copy does not match the size and SHA-256 of the original' };
      await this.keepHash(row, ref, expected.sha256);
      return { ...result, outcome: 'copied' };
    } catch (e) {
      return { ...base, outcome: 'failed', error: message(e) };
    }
  }

  /**
   * The size and hash a copy must have: the recorded ones, or for an object with none recorded (older
   * renditions) the source's. A rendition made during the switch window sits on the target only (the app
   * writes there): with nothing on the source to compare with, the target's copy is the object.
   */
  private async expected(ref: StoredObjectRef): Promise<{ size: number; sha256: string } | null> {
    if (ref.sha256 !== null && ref.size !== null) return { size: ref.size, sha256: ref.sha256 };
    const onSource = await this.source.head(ref.key);
    if (onSource) return digest(await this.source.get(ref.key));
    if (!(await this.target.head(ref.key))) return null;
    return digest(await this.target.get(ref.key));
  }

  /** A rendition's hash, once verified, is recorded for the rows made before it was kept. */
  private async keepHash(row: StoredRecord, ref: StoredObjectRef, sha256: string): Promise<void> {
    if (ref.role === 'rendition' && ref.sha256 === null) await this.stored.recordRenditionHash(row.id, ref.key, sha256);
  }

  private async verified(key: string, expected: { size: number; sha256: string }): Promise<boolean> {
    const head = await this.target.head(key);
    if (!head || head.size !== expected.size) return false;
    return (await digest(await this.target.get(key))).sha256 === expected.sha256;
  }
}

/** A one-line progress bar for a terminal (or a plain line per step when not a TTY). */
export function progressLine(done: number, total: number | null, s: MigrationSummary, width = 30): string {
  const frac = total ? Math.min(1, done / total) : 0;
  const bar = total ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '-')}] ` : '';
  const mb = (s.bytes / 1048576).toFixed(1);
  return `${bar}${done}${total ? `/${total}` : ''} rows: copied ${s.copied}, already there ${s.alreadyCopied}, dry-run ${s.wouldCopy}, skipped ${s.skipped}, failed ${s.failed}, ${mb} MB`;
}
