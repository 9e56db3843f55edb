import { HistoryErrors } from '../../domain/customer/customer-errors.js';
import type { ByteSource } from '../../ports/object-storage.js';
import type { HistoryDeps } from './deps.js';
import { audit, loadVisible } from './history-helpers.js';

/** The no-docs report PDF of one inspection, to stream. */
export interface MyReportDownload {
  fileName: string;
  size: number;
  sha256: string;
  open: () => Promise<ByteSource>;
}

/** GET /me/inspections/{id}/no-docs: the no-docs PDF (documents removed) for the owner or an unlocked report. */
export class DownloadMyReport {
  constructor(private readonly d: HistoryDeps) {}

  async execute(customerId: string, id: string): Promise<MyReportDownload> {
    const { inspection: i, access } = await loadVisible(this.d, customerId, id);
    const report = (await this.d.reports.listForInspection(i.id)).find((r) => r.variant === 'no-docs');
    if (!report) throw HistoryErrors.reportNotReady();
    await audit(this.d, customerId, 'DOWNLOAD', i.id, { variant: 'no-docs', access, sha256: report.sha256 });
    return {
      fileName: `${i.prettyId}.pdf`,
      size: report.sizeBytes,
      sha256: report.sha256,
      open: () => this.d.storage.get(report.storageKey),
    };
  }
}
