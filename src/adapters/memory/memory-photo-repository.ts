import type { InspectionPhoto, PhotoMetadata } from '../../domain/inspection/photo.js';
import type { PhotoFilePatch, PhotoRepository } from '../../ports/photo-repository.js';
import type { MemoryStore } from './memory-store.js';

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryPhotoRepository implements PhotoRepository {
  constructor(private readonly store: MemoryStore) {}

  private get map(): Map<string, InspectionPhoto> {
    return this.store.state.photos;
  }

  async create(
    p: Omit<InspectionPhoto, 'createdAt' | 'updatedAt' | 'renditionKey' | 'renditionSizeBytes' | 'renditionSha256'>,
    now: Date,
  ): Promise<InspectionPhoto> {
    const photo = {
      ...clone(p),
      renditionKey: null,
      renditionSizeBytes: null,
      renditionSha256: null,
      createdAt: now,
      updatedAt: now,
    };
    this.map.set(p.id, photo);
    return clone(photo);
  }

  async findById(id: string): Promise<InspectionPhoto | null> {
    const p = this.map.get(id);
    return p ? clone(p) : null;
  }

  async listForInspection(inspectionId: string): Promise<InspectionPhoto[]> {
    return [...this.map.values()]
      .filter((p) => p.inspectionId === inspectionId)
      .sort(
        (a, b) =>
          a.sortOrder - b.sortOrder || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
      )
      .map(clone);
  }

  private async patch(id: string, values: Partial<InspectionPhoto>, now: Date): Promise<InspectionPhoto | null> {
    const p = this.map.get(id);
    if (!p) return null;
    const defined = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
    const next = { ...p, ...defined, updatedAt: now };
    this.map.set(id, next);
    return clone(next);
  }

  updateMetadata(id: string, patch: Partial<PhotoMetadata>, now: Date): Promise<InspectionPhoto | null> {
    return this.patch(id, patch, now);
  }

  updateFile(id: string, file: PhotoFilePatch, now: Date): Promise<InspectionPhoto | null> {
    const p = this.map.get(id);
    if (p) this.map.set(id, { ...p, renditionKey: null, renditionSizeBytes: null, renditionSha256: null });
    return this.patch(id, file, now);
  }

  async setRendition(
    id: string,
    rendition: { key: string; sizeBytes: number; sha256: string } | null,
    now: Date,
  ): Promise<void> {
    const p = this.map.get(id);
    if (p)
      this.map.set(id, {
        ...p,
        renditionKey: rendition?.key ?? null,
        renditionSizeBytes: rendition?.sizeBytes ?? null,
        renditionSha256: rendition?.sha256 ?? null,
        updatedAt: now,
      });
  }

  async delete(id: string): Promise<boolean> {
    return this.map.delete(id);
  }

  async reorder(inspectionId: string, orderedIds: string[], now: Date): Promise<void> {
    for (const [i, id] of orderedIds.entries()) {
      const p = this.map.get(id);
      if (p && p.inspectionId === inspectionId) this.map.set(id, { ...p, sortOrder: i, updatedAt: now });
    }
  }

  async listByDriver(driver: string, afterId: string | null, limit: number): Promise<InspectionPhoto[]> {
    return [...this.map.values()]
      .filter((p) => p.storageDriver === driver && (!afterId || p.id > afterId))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map(clone);
  }
}
