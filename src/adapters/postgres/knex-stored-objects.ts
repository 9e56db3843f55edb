import type { Knex } from 'knex';
import {
  STORED_RECORD_KINDS,
  type StoredObjectRef,
  type StoredObjects,
  type StoredRecord,
  type StoredRecordKind,
} from '../../ports/stored-objects.js';

type Row = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The row's key columns for an id (null when the id cannot name a row of the kind). */
type KeyOf = (id: string) => Row | null;

interface KindTable {
  table: string;
  /** Columns of the keyset order (the row's primary key). */
  order: string[];
  keyOf: KeyOf;
  hasUpdatedAt: boolean;
  toRecord(r: Row): StoredRecord;
}

const photoKey: KeyOf = (id) => (UUID.test(id) ? { id } : null);

/** A report PDF's id is `<inspectionId>/<variant>` (its primary key is the pair). */
const reportKey: KeyOf = (id) => {
  const slash = id.indexOf('/');
  const inspectionId = id.slice(0, slash);
  return slash > 0 && UUID.test(inspectionId) ? { inspection_id: inspectionId, variant: id.slice(slash + 1) } : null;
};

const original = (r: Row): StoredObjectRef => ({
  role: 'original',
  key: r.storage_key as string,
  size: Number(r.size_bytes),
  sha256: r.sha256 as string,
  contentType: r.content_type as string,
});

const ownedPhoto =
  (kind: StoredRecordKind): KindTable['toRecord'] =>
  (r) => ({ kind, id: r.id as string, driver: r.storage_driver as string, objects: [original(r)] });

const TABLES: Record<StoredRecordKind, KindTable> = {
  'inspection-photo': {
    table: 'inspection_photos',
    order: ['id'],
    keyOf: photoKey,
    hasUpdatedAt: true,
    toRecord: (r) => {
      const objects = [original(r)];
      if (r.rendition_key)
        objects.push({
          role: 'rendition',
          key: r.rendition_key as string,
          size: r.rendition_size_bytes === null ? null : Number(r.rendition_size_bytes),
          sha256: (r.rendition_sha256 as string | null) ?? null,
          contentType: 'image/jpeg',
        });
      return { kind: 'inspection-photo', id: r.id as string, driver: r.storage_driver as string, objects };
    },
  },
  'vehicle-photo': {
    table: 'customer_vehicle_photos',
    order: ['id'],
    keyOf: photoKey,
    hasUpdatedAt: false,
    toRecord: ownedPhoto('vehicle-photo'),
  },
  'request-photo': {
    table: 'customer_request_photos',
    order: ['id'],
    keyOf: photoKey,
    hasUpdatedAt: false,
    toRecord: ownedPhoto('request-photo'),
  },
  'report-pdf': {
    table: 'inspection_reports',
    order: ['inspection_id', 'variant'],
    keyOf: reportKey,
    hasUpdatedAt: false,
    toRecord: (r) => ({
      kind: 'report-pdf',
      id: `${r.inspection_id as string}/${r.variant as string}`,
      driver: r.storage_driver as string,
      objects: [
        {
          role: 'pdf',
          key: r.storage_key as string,
          size: Number(r.size_bytes),
          sha256: r.sha256 as string,
          contentType: 'application/pdf',
        },
      ],
    }),
  },
};

/** The key columns a record's objects came from: those with a value, and those that were empty. */
function keyColumns(record: StoredRecord): { set: Row; unset: string[] } {
  const original = record.objects.find((o) => o.role !== 'rendition');
  const set: Row = original ? { storage_key: original.key } : {};
  if (record.kind !== 'inspection-photo') return { set, unset: [] };
  const rendition = record.objects.find((o) => o.role === 'rendition');
  return rendition ? { set: { ...set, rendition_key: rendition.key }, unset: [] } : { set, unset: ['rendition_key'] };
}

/**
 * StoredObjects over the four tables that reference objects. Paging is keyset on each table's primary key
 * (an index every table has), so a listing stays cheap however far it has gone and rows added meanwhile are
 * not skipped or repeated.
 */
export class KnexStoredObjects implements StoredObjects {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async list(kind: StoredRecordKind, after: string | null, limit: number, driver?: string): Promise<StoredRecord[]> {
    const t = TABLES[kind];
    const q = this.db(t.table)
      .orderBy(t.order.map((column) => ({ column })))
      .limit(limit);
    if (driver !== undefined) q.where({ storage_driver: driver });
    if (after !== null) {
      const key = t.keyOf(after);
      if (!key) throw new Error(`not an id of a ${kind}: ${JSON.stringify(after)}`);
      // A row-value comparison follows the composite primary key's order (report PDFs).
      q.whereRaw(`(${t.order.map(() => '??').join(', ')}) > (${t.order.map(() => '?').join(', ')})`, [
        ...t.order,
        ...t.order.map((c) => key[c] as string),
      ]);
    }
    return ((await q) as Row[]).map(t.toRecord);
  }

  async counts(): Promise<Record<StoredRecordKind, Record<string, number>>> {
    const out = {} as Record<StoredRecordKind, Record<string, number>>;
    for (const kind of STORED_RECORD_KINDS) {
      const rows = (await this.db(TABLES[kind].table)
        .select('storage_driver')
        .count({ n: '*' })
        .groupBy('storage_driver')
        .orderBy('storage_driver')) as Array<{ storage_driver: string; n: number | string }>;
      out[kind] = Object.fromEntries(rows.map((r) => [r.storage_driver, Number(r.n)]));
    }
    return out;
  }

  async find(kind: StoredRecordKind, id: string): Promise<StoredRecord | null> {
    const t = TABLES[kind];
    const key = t.keyOf(id);
    if (!key) return null;
    const row = (await this.db(t.table).where(key).first()) as Row | undefined;
    return row ? t.toRecord(row) : null;
  }

  async repoint(record: StoredRecord, to: string, now: Date): Promise<boolean> {
    const t = TABLES[record.kind];
    const key = t.keyOf(record.id);
    if (!key) return false;
    // Conditional on the driver and on every object key read: a row moved, deleted or replaced meanwhile
    // (or given a rendition since) is left alone, since its current objects were not the ones copied.
    const keys = keyColumns(record);
    const changed = await this.db(t.table)
      .where({ ...key, storage_driver: record.driver, ...keys.set })
      .where((q) => {
        for (const column of keys.unset) void q.whereNull(column);
      })
      .update(t.hasUpdatedAt ? { storage_driver: to, updated_at: now } : { storage_driver: to });
    return changed > 0;
  }

  async recordRenditionHash(photoId: string, renditionKey: string, sha256: string): Promise<void> {
    if (!UUID.test(photoId)) return;
    // Only while the row still names that rendition: a photo replaced meanwhile has another one (or none).
    await this.db('inspection_photos')
      .where({ id: photoId, rendition_key: renditionKey })
      .update({ rendition_sha256: sha256 });
  }
}
