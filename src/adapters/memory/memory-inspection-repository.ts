import type { Inspection, StatusChange } from '../../domain/inspection/inspection.js';
import { compactPlate } from '../../domain/inspection/plate.js';
import type { IsoDate } from '../../domain/inspection/pretty-id.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type {
  InspectionFilter,
  InspectionPatch,
  InspectionRepository,
  NewInspection,
} from '../../ports/inspection-repository.js';
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
