import type { Knex } from 'knex';
import type { InspectionPhoto, PhotoCategory, PhotoMetadata } from '../../domain/inspection/photo.js';
import type { PhotoFilePatch, PhotoRepository } from '../../ports/photo-repository.js';

type Row = Record<string, unknown>;

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
  renditionSizeBytes:
    r.rendition_size_bytes === null || r.rendition_size_bytes === undefined ? null : Number(r.rendition_size_bytes),
  renditionSha256: (r.rendition_sha256 as string | null) ?? null,
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

  async setRendition(
    id: string,
    rendition: { key: string; sizeBytes: number; sha256: string } | null,
    now: Date,
  ): Promise<void> {
    await this.db('inspection_photos')
      .where({ id })
      .update({
        rendition_key: rendition?.key ?? null,
        rendition_size_bytes: rendition?.sizeBytes ?? null,
        rendition_sha256: rendition?.sha256 ?? null,
        updated_at: now,
      });
  }

  async create(
    p: Omit<InspectionPhoto, 'createdAt' | 'updatedAt' | 'renditionKey' | 'renditionSizeBytes' | 'renditionSha256'>,
    now: Date,
  ): Promise<InspectionPhoto> {
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
    return (
      await this.db('inspection_photos')
        .where({ inspection_id: inspectionId })
        .orderBy([{ column: 'sort_order' }, { column: 'created_at' }, { column: 'id' }])
    ).map(toPhoto);
  }

  async updateMetadata(id: string, patch: Partial<PhotoMetadata>, now: Date): Promise<InspectionPhoto | null> {
    const values: Row = { updated_at: now };
    for (const [k, col] of Object.entries(META_COLUMNS))
      if (patch[k as keyof PhotoMetadata] !== undefined) values[col] = patch[k as keyof PhotoMetadata];
    const [r] = await this.db('inspection_photos').where({ id }).update(values).returning('*');
    return r ? toPhoto(r as Row) : null;
  }

  async updateFile(id: string, f: PhotoFilePatch, now: Date): Promise<InspectionPhoto | null> {
    const [r] = await this.db('inspection_photos')
      .where({ id })
      .update({
        storage_key: f.storageKey,
        storage_driver: f.storageDriver,
        content_type: f.contentType,
        size_bytes: f.sizeBytes,
        sha256: f.sha256,
        original_name: f.originalName,
        rendition_key: null,
        rendition_size_bytes: null,
        rendition_sha256: null,
        updated_at: now,
      })
      .returning('*');
    return r ? toPhoto(r as Row) : null;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db('inspection_photos').where({ id }).delete()) > 0;
  }

  async reorder(inspectionId: string, orderedIds: string[], now: Date): Promise<void> {
    for (const [i, id] of orderedIds.entries())
      await this.db('inspection_photos')
        .where({ id, inspection_id: inspectionId })
        .update({ sort_order: i, updated_at: now });
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
