import type { Knex } from 'knex';
import { PUBLIC_VARIANT, type ReportVariant } from '../../domain/inspection/report.js';
import type { StoredReport } from '../../domain/report/report-job.js';
import type { InspectionReports } from '../../ports/report-jobs.js';

type Row = Record<string, unknown>;

const toReport = (r: Row): StoredReport => ({
  inspectionId: r.inspection_id as string,
  variant: r.variant as ReportVariant,
  storageDriver: r.storage_driver as string,
  storageKey: r.storage_key as string,
  sha256: r.sha256 as string,
  sizeBytes: Number(r.size_bytes),
  pageCount: Number(r.page_count),
  htmlSha256: r.html_sha256 as string,
  ipfsCid: (r.ipfs_cid as string | null) ?? null,
  pdfJobId: (r.pdf_job_id as string | null) ?? null,
  createdAt: r.created_at as Date,
});

/** inspection_reports: one stored PDF per inspection and variant. */
export class KnexInspectionReports implements InspectionReports {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async upsert(r: StoredReport): Promise<void> {
    await this.db('inspection_reports')
      .insert({
        inspection_id: r.inspectionId,
        variant: r.variant,
        storage_driver: r.storageDriver,
        storage_key: r.storageKey,
        sha256: r.sha256,
        size_bytes: r.sizeBytes,
        page_count: r.pageCount,
        html_sha256: r.htmlSha256,
        ipfs_cid: r.ipfsCid,
        pdf_job_id: r.pdfJobId,
        created_at: r.createdAt,
      })
      .onConflict(['inspection_id', 'variant'])
      .merge();
  }

  async listForInspection(inspectionId: string): Promise<StoredReport[]> {
    return (await this.db('inspection_reports').where({ inspection_id: inspectionId }).orderBy('variant')).map(
      toReport,
    );
  }

  async findBySha256(sha256: string): Promise<StoredReport[]> {
    return (await this.db('inspection_reports').where({ sha256 })).map(toReport);
  }

  async findByCid(cid: string): Promise<StoredReport[]> {
    return (await this.db('inspection_reports').where({ ipfs_cid: cid })).map(toReport);
  }

  async listPrivateWithCid(afterInspectionId: string | null, limit: number): Promise<StoredReport[]> {
    const rows = await this.db('inspection_reports')
      .whereNot({ variant: PUBLIC_VARIANT })
      .whereNotNull('ipfs_cid')
      .modify((b) => {
        if (afterInspectionId) b.where('inspection_id', '>', afterInspectionId);
      })
      .orderBy([{ column: 'inspection_id' }, { column: 'variant' }])
      .limit(limit);
    return rows.map(toReport);
  }

  async clearCid(inspectionId: string, variant: ReportVariant, cid: string): Promise<boolean> {
    return (
      (await this.db('inspection_reports')
        .where({ inspection_id: inspectionId, variant, ipfs_cid: cid })
        .update({ ipfs_cid: null })) > 0
    );
  }
}
