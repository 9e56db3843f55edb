import { randomUUID } from 'node:crypto';
import type { ChangeLogEntry } from '../../domain/inspection/change-log.js';
import type { Inspection, StatusChange } from '../../domain/inspection/inspection.js';
import type { InspectionPhoto, PhotoMetadata } from '../../domain/inspection/photo.js';
import { compactPlate } from '../../domain/inspection/plate.js';
import type { IsoDate } from '../../domain/inspection/pretty-id.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { ChangeLogRepository } from '../../ports/change-log-repository.js';
import type {
  InspectionFilter,
  InspectionPatch,
  InspectionRepository,
  NewInspection,
} from '../../ports/inspection-repository.js';
import type { PendingDeletion, PendingDeletions } from '../../ports/pending-deletions.js';
import type { PhotoFilePatch, PhotoRepository } from '../../ports/photo-repository.js';
import type { MemoryStore } from './memory-store.js';

const clone = <T>(v: T): T => structuredClone(v);

/** The words an inspection is found by (the knex adapter indexes the same fields). */
function searchable(i: Inspection): string[] {
  const text = [
    i.prettyId,
    i.plateNumber,
    compactPlate(i.plateNumber),
    i.vehicleData.merekKendaraan,
    i.vehicleData.tipeKendaraan,
    i.identityDetails.namaCustomer,
    i.identityDetails.namaInspektor,
  ]
    .filter((v) => typeof v === 'string')
    .join(' ')
    .toLowerCase();
  return text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

export class MemoryInspectionRepository implements InspectionRepository {
  constructor(private readonly store: MemoryStore) {}

  private get map(): Map<string, Inspection> {
    return this.store.state.inspections;
  }

  async create(i: NewInspection, now: Date): Promise<Inspection> {
    if ([...this.map.values()].some((x) => x.prettyId === i.prettyId))
      throw new Error(`duplicate pretty id ${i.prettyId}`);
    const created: Inspection = {
      ...clone(i),
      status: 'NEED_REVIEW',
      reviewerId: null,
      approvedAt: null,
      nftAssetId: null,
      blockchainTxHash: null,
      archivedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    this.map.set(i.id, created);
    return clone(created);
  }

  async findById(id: string): Promise<Inspection | null> {
    const i = this.map.get(id);
    return i ? clone(i) : null;
  }

  findByIdForUpdate(id: string): Promise<Inspection | null> {
    return this.findById(id);
  }

  async findByPrettyId(prettyId: string): Promise<Inspection | null> {
    const i = [...this.map.values()].find((x) => x.prettyId === prettyId);
    return i ? clone(i) : null;
  }

  async list(f: InspectionFilter, page: PageRequest): Promise<Page<Inspection>> {
    const words = f.keyword
      ?.toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .slice(0, 8);
    const all = [...this.map.values()]
      .filter((i) => !f.status?.length || f.status.includes(i.status))
      .filter((i) => !f.branchCityId || i.branchCityId === f.branchCityId)
      .filter((i) => !f.inspectorId || i.inspectorId === f.inspectorId)
      .filter((i) => !f.dateFrom || i.inspectionDate >= f.dateFrom)
      .filter((i) => !f.dateTo || i.inspectionDate <= f.dateTo)
      .filter((i) => !f.plate || compactPlate(i.plateNumber) === compactPlate(f.plate))
      .filter(
        (i) =>
          f.keyword === undefined ||
          (!!words?.length && words.every((w) => searchable(i).some((t) => t.startsWith(w)))),
      )
      .sort(
        (a, b) =>
          b.inspectionDate.localeCompare(a.inspectionDate) ||
          b.createdAt.getTime() - a.createdAt.getTime() ||
          a.id.localeCompare(b.id),
      );
    const start = offsetOf(page);
    return {
      items: all.slice(start, start + page.pageSize).map(clone),
      page: page.page,
      pageSize: page.pageSize,
      total: all.length,
    };
  }

  async update(id: string, patch: InspectionPatch, now: Date): Promise<Inspection | null> {
    const i = this.map.get(id);
    if (!i) return null;
    const next = { ...i, ...clone(patch), updatedAt: now } as Inspection;
    this.map.set(id, next);
    return clone(next);
  }

  async delete(id: string): Promise<boolean> {
    const s = this.store.state;
    if (!s.inspections.delete(id)) return false;
    s.statusHistory = s.statusHistory.filter((h) => h.inspectionId !== id);
    for (const [k, e] of s.changeLogs) if (e.inspectionId === id) s.changeLogs.delete(k);
    for (const [k, p] of s.photos) if (p.inspectionId === id) s.photos.delete(k);
    s.pdfJobs = s.pdfJobs.filter((j) => j.inspectionId !== id);
    s.reports = s.reports.filter((r) => r.inspectionId !== id);
    s.mintJobs = s.mintJobs.filter((j) => j.inspectionId !== id);
    return true;
  }

  async nextSequence(branchCityId: string, inspectionDate: IsoDate): Promise<number> {
    const key = `${branchCityId}|${inspectionDate}`;
    const n = (this.store.state.sequences.get(key) ?? 0) + 1;
    this.store.state.sequences.set(key, n);
    return n;
  }

  async recordStatusChange(c: StatusChange): Promise<void> {
    this.store.state.statusHistory.push(clone(c));
  }

  async statusHistory(inspectionId: string): Promise<StatusChange[]> {
    return this.store.state.statusHistory.filter((h) => h.inspectionId === inspectionId).map(clone);
  }
}

export class MemoryChangeLogRepository implements ChangeLogRepository {
  constructor(private readonly store: MemoryStore) {}

  async add(entries: ChangeLogEntry[]): Promise<void> {
    for (const e of entries) this.store.state.changeLogs.set(e.id, clone(e));
  }

  async listForInspection(inspectionId: string): Promise<ChangeLogEntry[]> {
    return [...this.store.state.changeLogs.values()]
      .filter((e) => e.inspectionId === inspectionId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
      .map(clone);
  }

  async findById(id: string): Promise<ChangeLogEntry | null> {
    const e = this.store.state.changeLogs.get(id);
    return e ? clone(e) : null;
  }

  async delete(id: string): Promise<boolean> {
    return this.store.state.changeLogs.delete(id);
  }
}

export class MemoryPhotoRepository implements PhotoRepository {
  constructor(private readonly store: MemoryStore) {}

  private get map(): Map<string, InspectionPhoto> {
    return this.store.state.photos;
  }

  async create(
    p: Omit<InspectionPhoto, 'createdAt' | 'updatedAt' | 'renditionKey' | 'renditionSizeBytes'>,
    now: Date,
  ): Promise<InspectionPhoto> {
    const photo = { ...clone(p), renditionKey: null, renditionSizeBytes: null, createdAt: now, updatedAt: now };
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
    if (p) this.map.set(id, { ...p, renditionKey: null, renditionSizeBytes: null });
    return this.patch(id, file, now);
  }

  async setRendition(id: string, rendition: { key: string; sizeBytes: number } | null, now: Date): Promise<void> {
    const p = this.map.get(id);
    if (p)
      this.map.set(id, {
        ...p,
        renditionKey: rendition?.key ?? null,
        renditionSizeBytes: rendition?.sizeBytes ?? null,
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

export class MemoryPendingDeletions implements PendingDeletions {
  constructor(private readonly store: MemoryStore) {}

  async enqueue(items: Array<{ driver: string; key: string }>, now: Date): Promise<void> {
    for (const i of items) {
      const id = randomUUID();
      this.store.state.deletions.set(id, {
        id,
        driver: i.driver,
        key: i.key,
        attempts: 0,
        lastError: null,
        nextAttemptAt: now,
      });
    }
  }

  async due(now: Date, limit: number, driver?: string): Promise<PendingDeletion[]> {
    return [...this.store.state.deletions.values()]
      .filter((d) => d.nextAttemptAt <= now && (driver === undefined || d.driver === driver))
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
      .slice(0, limit)
      .map(clone);
  }

  async done(id: string): Promise<void> {
    this.store.state.deletions.delete(id);
  }

  async failed(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    const d = this.store.state.deletions.get(id);
    if (d)
      this.store.state.deletions.set(id, {
        ...d,
        attempts: d.attempts + 1,
        lastError: error.slice(0, 1000),
        nextAttemptAt,
      });
  }

  async count(): Promise<number> {
    return this.store.state.deletions.size;
  }
}
