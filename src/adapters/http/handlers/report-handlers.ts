import type { GetInspectionReports } from '../../../application/reports/get-inspection-reports.js';
import type { GetReportJobStats } from '../../../application/reports/get-report-job-stats.js';
import type { ListReportJobs } from '../../../application/reports/list-report-jobs.js';
import type { RerunFailedReportJobs } from '../../../application/reports/rerun-failed-report-jobs.js';
import type { RerunReportJob } from '../../../application/reports/rerun-report-job.js';
import type { GetReportModel } from '../../../application/reports/get-report-model.js';
import type { GetReportPhoto } from '../../../application/reports/get-report-photo.js';
import type { PreviewReport } from '../../../application/reports/preview-report.js';
import { Readable } from 'node:stream';
import type { ReportVariant } from '../../../domain/inspection/report.js';
import { actorOf } from '../auth.js';
import { renderReportHtml } from '../report/report-template.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';

const pagePath = (id: string, variant: ReportVariant, token: string) =>
  `/api/v1/reports/${id}/${variant}?token=${encodeURIComponent(token)}`;

/** The use cases these handlers call. */
export interface ReportUseCases {
  getInspectionReports: GetInspectionReports;
  getReportJobStats: GetReportJobStats;
  getReportModel: GetReportModel;
  getReportPhoto: GetReportPhoto;
  listReportJobs: ListReportJobs;
  previewReport: PreviewReport;
  rerunFailedReportJobs: RerunFailedReportJobs;
  rerunReportJob: RerunReportJob;
}

export function reportHandlers(uc: ReportUseCases): OperationHandlers {
  return {
    ...reportJobHandlers(uc),
    previewReport: async (req, res) => {
      const id = String(validOf(res).params.id);
      const r = await uc.previewReport.execute(actorOf(res), id);
      const origin = `${req.protocol}://${req.get('host')}`;
      res.setHeader('Cache-Control', 'no-store').json({
        full: origin + pagePath(id, 'full', r.full),
        noDocs: origin + pagePath(id, 'no-docs', r.noDocs),
        expiresAt: r.expiresAt,
      });
    },
    getReportPage: async (_req, res) => {
      const { params, query } = validOf(res);
      const id = String(params.id);
      const variant = params.variant as ReportVariant;
      const token = String(query.token);
      const model = await uc.getReportModel.execute(id, variant, token);
      const html = renderReportHtml(model, {
        photoUrl: (photoId) => `/api/v1/reports/${id}/${variant}/photos/${photoId}?token=${encodeURIComponent(token)}`,
      });
      res.setHeader('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(html);
    },
    getInspectionReports: async (_req, res) => {
      const r = await uc.getInspectionReports.execute(actorOf(res), String(validOf(res).params.id));
      res.setHeader('Cache-Control', 'no-store').json({
        jobs: r.jobs,
        reports: r.reports.map(
          ({ variant, sha256, sizeBytes, pageCount, htmlSha256, ipfsCid, pdfJobId, url, urlExpiresAt, createdAt }) => ({
            variant,
            sha256,
            sizeBytes,
            pageCount,
            htmlSha256,
            ipfsCid,
            pdfJobId,
            url,
            urlExpiresAt,
            createdAt,
          }),
        ),
      });
    },
    getReportPhoto: async (_req, res) => {
      const { params, query } = validOf(res);
      const photo = await uc.getReportPhoto.execute(
        String(params.id),
        params.variant as ReportVariant,
        String(params.photoId),
        String(query.token),
      );
      res.setHeader('Content-Type', photo.contentType);
      res.setHeader('Content-Length', String(photo.size));
      res.setHeader('Cache-Control', 'private, max-age=300');
      const body = Buffer.isBuffer(photo.body) ? Readable.from([photo.body]) : photo.body;
      body.on('error', () => res.destroy());
      body.pipe(res);
    },
  };
}

/** The report jobs, for administrators: list, statistics and reruns. */
function reportJobHandlers(uc: ReportUseCases): OperationHandlers {
  return {
    listReportJobs: async (_req, res) => {
      const q = validOf(res).query;
      const list = <T>(v: unknown): T[] | undefined => (v === undefined ? undefined : ([] as T[]).concat(v as T[]));
      res.json(
        await uc.listReportJobs.execute(
          {
            state: list(q.state),
            stage: list(q.stage),
            inspectionId: typeof q.inspectionId === 'string' ? q.inspectionId : undefined,
          },
          { page: q.page as number | undefined, pageSize: q.pageSize as number | undefined },
        ),
      );
    },
    rerunFailedReportJobs: async (_req, res) => {
      const ids = await uc.rerunFailedReportJobs.execute(actorOf(res));
      res.status(202).json({ requeued: ids.length, ids });
    },
    getReportJobStats: async (_req, res) => {
      res.setHeader('Cache-Control', 'no-store').json(await uc.getReportJobStats.execute());
    },
    rerunReportJob: async (_req, res) => {
      res.status(202).json(await uc.rerunReportJob.execute(actorOf(res), String(validOf(res).params.id)));
    },
  };
}
