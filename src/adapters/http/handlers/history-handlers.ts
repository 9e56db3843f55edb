import type { DownloadMyReport } from '../../../application/customer-history/download-my-report.js';
import type { GetMyInspection } from '../../../application/customer-history/get-my-inspection.js';
import type { ListMyInspections } from '../../../application/customer-history/list-my-inspections.js';
import { Readable } from 'node:stream';
import type { InspectionStatus } from '../../../domain/inspection/status.js';
import { actorOf } from '../auth.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';

/** The use cases these handlers call. */
export interface HistoryUseCases {
  downloadMyReport: DownloadMyReport;
  getMyInspection: GetMyInspection;
  listMyInspections: ListMyInspections;
}

export function historyHandlers(uc: HistoryUseCases): OperationHandlers {
  return {
    listMyInspections: async (_req, res) => {
      const q = validOf(res).query;
      const status =
        q.status === undefined ? undefined : ([] as InspectionStatus[]).concat(q.status as InspectionStatus[]);
      const page = await uc.listMyInspections.execute(
        actorOf(res).userId,
        { status, dateFrom: q.dateFrom as string | undefined, dateTo: q.dateTo as string | undefined },
        { page: q.page as number | undefined, pageSize: q.pageSize as number | undefined },
      );
      res.setHeader('Cache-Control', 'private, no-store').json(page);
    },
    getMyInspection: async (_req, res) => {
      res
        .setHeader('Cache-Control', 'private, no-store')
        .json(await uc.getMyInspection.execute(actorOf(res).userId, String(validOf(res).params.id)));
    },
    downloadMyReport: async (_req, res) => {
      const file = await uc.downloadMyReport.execute(actorOf(res).userId, String(validOf(res).params.id));
      const source = await file.open();
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Length', String(file.size));
      res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
      res.setHeader('X-Content-SHA256', file.sha256);
      res.setHeader('Cache-Control', 'private, no-store');
      const body = Buffer.isBuffer(source) ? Readable.from([source]) : source;
      body.on('error', () => res.destroy());
      body.pipe(res);
    },
  };
}
