import { PUBLIC_VARIANT, type ReportVariant } from '../../domain/inspection/report.js';
import type { StoredReport } from '../../domain/report/report-job.js';
import type { InspectionReports } from '../../ports/report-jobs.js';
import type { MemoryStore } from './memory-store.js';

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryInspectionReports implements InspectionReports {
  constructor(private readonly store: MemoryStore) {}

  async upsert(r: StoredReport): Promise<void> {
    const s = this.store.state;
    s.reports = [...s.reports.filter((x) => !(x.inspectionId === r.inspectionId && x.variant === r.variant)), clone(r)];
  }

  async listForInspection(inspectionId: string): Promise<StoredReport[]> {
    return this.store.state.reports
      .filter((r) => r.inspectionId === inspectionId)
      .sort((a, b) => a.variant.localeCompare(b.variant))
      .map(clone);
  }

  async findBySha256(sha256: string): Promise<StoredReport[]> {
    return this.store.state.reports.filter((r) => r.sha256 === sha256).map(clone);
  }

  async findByCid(cid: string): Promise<StoredReport[]> {
    return this.store.state.reports.filter((r) => r.ipfsCid === cid).map(clone);
  }

  async listPrivateWithCid(afterInspectionId: string | null, limit: number): Promise<StoredReport[]> {
    return this.store.state.reports
      .filter(
        (r) =>
          r.variant !== PUBLIC_VARIANT &&
          r.ipfsCid &&
          (afterInspectionId === null || r.inspectionId > afterInspectionId),
      )
      .sort((a, b) =>
        a.inspectionId === b.inspectionId
          ? a.variant.localeCompare(b.variant)
          : a.inspectionId < b.inspectionId
            ? -1
            : 1,
      )
      .slice(0, limit)
      .map(clone);
  }

  async clearCid(inspectionId: string, variant: ReportVariant, cid: string): Promise<boolean> {
    const r = this.store.state.reports.find(
      (x) => x.inspectionId === inspectionId && x.variant === variant && x.ipfsCid === cid,
    );
    if (!r) return false;
    r.ipfsCid = null;
    return true;
  }
}
