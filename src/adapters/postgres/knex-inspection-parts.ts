import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import type { ChangeLogEntry } from '../../domain/inspection/change-log.js';
import type { InspectionPhoto, PhotoCategory, PhotoMetadata } from '../../domain/inspection/photo.js';
import type { ChangeLogRepository } from '../../ports/change-log-repository.js';
import type { PendingDeletion, PendingDeletions } from '../../ports/pending-deletions.js';
import type { PhotoFilePatch, PhotoRepository } from '../../ports/photo-repository.js';

type Row = Record<string, unknown>;

const toEntry = (r: Row): ChangeLogEntry => ({
  id: r.id as string,
  inspectionId: r.inspection_id as string,
  fieldPath: r.field_path as string,
  oldValue: r.old_value ?? null,
  newValue: r.new_value ?? null,
  changedBy: r.changed_by as string,
  createdAt: r.created_at as Date,
});

export class KnexChangeLogRepository implements ChangeLogRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async add(entries: ChangeLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db('inspection_change_logs').insert(
      entries.map((e) => ({
        id: e.id,
        inspection_id: e.inspectionId,
        field_path: e.fieldPath,
        old_value: JSON.stringify(e.oldValue ?? null),
        new_value: JSON.stringify(e.newValue ?? null),
        changed_by: e.changedBy,
        created_at: e.createdAt,
      })),
    );
  }

  async listForInspection(inspectionId: string): Promise<ChangeLogEntry[]> {
    return (await this.db('inspection_change_logs').where({ inspection_id: inspectionId }).orderBy([{ column: 'created_at' }, { column: 'id' }])).map(toEntry);
  }

  async findById(id: string): Promise<ChangeLogEntry | null> {
    const r = await this.db('inspection_change_logs').where({ id }).first();
    return r ? toEntry(r) : null;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db('inspection_change_logs').where({ id }).delete()) > 0;
  }
}

const toPhoto = (r: Row): InspectionPhoto => ({
  id: r.id as string,
  inspectionId: r.inspection_id as string,
  storageKey: r.storage_key as string,
  storageDriver: r.storage_driver as string,
  contentType: r.content_type as string,
  sizeBytes: Number(r.size_bytes),
  sha256: r.sha256 as string,
  label: r.label as string,
  category: r.category as PhotoCategory,
  isMandatory: r.is_mandatory as boolean,
  needAttention: r.need_attention as boolean,
  displayInPdf: r.display_in_pdf as boolean,
  isDocument: r.is_document as boolean,
  sortOrder: r.sort_order as number,
  originalName: (r.original_name as string | null) ?? null,
  renditionKey: (r.rendition_key as string | null) ?? null,
  renditionSizeBytes: r.rendition_size_bytes === null || r.rendition_size_bytes === undefined ? null : Number(r.rendition_size_bytes),
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

const META_COLUMNS: Record<keyof PhotoMetadata, string> = {
  label: 'label',
  category: 'category',
  isMandatory: 'is_mandatory',
  needAttention: 'need_attention',
  displayInPdf: 'display_in_pdf',
  isDocument: 'is_document',
};

export class KnexPhotoRepository implements PhotoRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async setRendition(id: string, rendition: { key: string; sizeBytes: number } | null, now: Date): Promise<void> {
    await this.db('inspection_photos').where({ id }).update({ rendition_key: rendition?.key ?? null, rendition_size_bytes: rendition?.sizeBytes ?? null, updated_at: now });
  }

  async create(p: Omit<InspectionPhoto, 'createdAt' | 'updatedAt' | 'renditionKey' | 'renditionSizeBytes'>, now: Date): Promise<InspectionPhoto> {
    const [r] = await this.db('inspection_photos')
      .insert({
        id: p.id,
        inspection_id: p.inspectionId,
        storage_key: p.storageKey,
        storage_driver: p.storageDriver,
        content_type: p.contentType,
        size_bytes: p.sizeBytes,
        sha256: p.sha256,
        label: p.label,
        category: p.category,
        is_mandatory: p.isMandatory,
        need_attention: p.needAttention,
        display_in_pdf: p.displayInPdf,
        is_document: p.isDocument,
        sort_order: p.sortOrder,
        original_name: p.originalName,
        created_at: now,
        updated_at: now,
      })
      .returning('*');
    return toPhoto(r as Row);
  }

  async findById(id: string): Promise<InspectionPhoto | null> {
    const r = await this.db('inspection_photos').where({ id }).first();
    return r ? toPhoto(r) : null;
  }

  async listForInspection(inspectionId: string): Promise<InspectionPhoto[]> {
    return (await this.db('inspection_photos').where({ inspection_id: inspectionId }).orderBy([{ column: 'sort_order' }, { column: 'created_at' }, { column: 'id' }])).map(toPhoto);
  }

  async updateMetadata(id: string, patch: Partial<PhotoMetadata>, now: Date): Promise<InspectionPhoto | null> {
    const values: Row = { updated_at: now };
    for (const [k, col] of Object.entries(META_COLUMNS)) if (patch[k as keyof PhotoMetadata] !== undefined) values[col] = patch[k as keyof PhotoMetadata];
    const [r] = await this.db('inspection_photos').where({ id }).update(values).returning('*');
    return r ? toPhoto(r as Row) : null;
  }

  async updateFile(id: string, f: PhotoFilePatch, now: Date): Promise<InspectionPhoto | null> {
    const [r] = await this.db('inspection_photos')
      .where({ id })
      .update({ storage_key: f.storageKey, storage_driver: f.storageDriver, content_type: f.contentType, size_bytes: f.sizeBytes, sha256: f.sha256, original_name: f.originalName, rendition_key: null, rendition_size_bytes: null, updated_at: now })
      .returning('*');
    return r ? toPhoto(r as Row) : null;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db('inspection_photos').where({ id }).delete()) > 0;
  }

  async reorder(inspectionId: string, orderedIds: string[], now: Date): Promise<void> {
    for (const [i, id] of orderedIds.entries()) await this.db('inspection_photos').where({ id, inspection_id: inspectionId }).update({ sort_order: i, updated_at: now });
  }

  async listByDriver(driver: string, afterId: string | null, limit: number): Promise<InspectionPhoto[]> {
    const rows = await this.db('inspection_photos')
      .where({ storage_driver: driver })
      .modify((b) => {
        if (afterId) b.where('id', '>', afterId);
      })
      .orderBy('id')
      .limit(limit);
    return rows.map(toPhoto);
  }
}

export class KnexPendingDeletions implements PendingDeletions {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async enqueue(items: Array<{ driver: string; key: string }>, now: Date): Promise<void> {
    if (items.length === 0) return;
    await this.db('object_deletions').insert(items.map((i) => ({ id: randomUUID(), driver: i.driver, key: i.key, next_attempt_at: now, created_at: now })));
  }

  async due(now: Date, limit: number, driver?: string): Promise<PendingDeletion[]> {
    const rows = await this.db('object_deletions')
      .where('next_attempt_at', '<=', now)
      .modify((b) => {
        if (driver !== undefined) b.where({ driver });
      })
      .orderBy([{ column: 'next_attempt_at' }, { column: 'created_at' }]).limit(limit);
    return rows.map((r: Row) => ({ id: r.id as string, driver: r.driver as string, key: r.key as string, attempts: r.attempts as number, lastError: (r.last_error as string | null) ?? null, nextAttemptAt: r.next_attempt_at as Date }));
  }

  async done(id: string): Promise<void> {
    await this.db('object_deletions').where({ id }).delete();
  }

  async failed(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.db('object_deletions').where({ id }).update({ attempts: this.db.raw('attempts + 1'), last_error: error.slice(0, 1000), next_attempt_at: nextAttemptAt });
  }

  async count(): Promise<number> {
    const [{ n }] = (await this.db('object_deletions').count({ n: '*' })) as [{ n: number }];
    return Number(n);
  }
}
