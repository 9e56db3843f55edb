import type { ContainerModule } from 'inversify';
import { reportHandlers } from '../../../adapters/http/handlers/report-handlers.js';
import { PreviewReport } from '../../../application/reports/preview-report.js';
import { PrintRenditions } from '../../../application/reports/print-renditions.js';
import { ProcessReportJob } from '../../../application/reports/process-report-job.js';
import { GetInspectionReports } from '../../../application/reports/get-inspection-reports.js';
import { GetReportJobStats } from '../../../application/reports/get-report-job-stats.js';
import { ListReportJobs } from '../../../application/reports/list-report-jobs.js';
import { RerunFailedReportJobs } from '../../../application/reports/rerun-failed-report-jobs.js';
import { RerunReportJob } from '../../../application/reports/rerun-report-job.js';
import { GetReportModel } from '../../../application/reports/get-report-model.js';
import { GetReportPhoto } from '../../../application/reports/get-report-photo.js';
import { ReportSizeControl } from '../../../application/reports/size-control.js';
import { BranchCityRepository } from '../../../ports/branch-city-repository.js';
import { Clock } from '../../../ports/clock.js';
import { InspectionRepository } from '../../../ports/inspection-repository.js';
import { Ipfs } from '../../../ports/ipfs.js';
import { Tracer } from '../../../ports/tracer.js';
import { JobTelemetry } from '../../../ports/job-telemetry.js';
import { ObjectStorage } from '../../../ports/object-storage.js';
import { PdfRenderer } from '../../../ports/pdf-renderer.js';
import { PdfCompressor, PdfInspector, PdfStamper } from '../../../ports/pdf-tools.js';
import { PhotoRepository } from '../../../ports/photo-repository.js';
import { RenderTokens } from '../../../ports/render-tokens.js';
import { InspectionReports, ReportJobStore } from '../../../ports/report-jobs.js';
import { UnitOfWork } from '../../../ports/unit-of-work.js';
import { UserRepository } from '../../../ports/user-repository.js';
import { Tokens } from '../../tokens.js';
import { featureModule } from '../feature-module.js';
import { archiveDeps } from './deps.js';

/** Report PDFs: preview, the render pages, the report job (render, store, IPFS, record) and its admin views. */
export const reportsFeature = (): ContainerModule =>
  featureModule((b) => {
    b.factory(
      PreviewReport,
      (g) =>
        new PreviewReport(g(InspectionRepository), g(RenderTokens), g(Clock), g(Tokens.Config).reports.tokenTtlSeconds),
    );
    b.factory(
      GetReportModel,
      (g) =>
        new GetReportModel(
          g(RenderTokens),
          g(Clock),
          g(InspectionRepository),
          g(PhotoRepository),
          g(UserRepository),
          g(BranchCityRepository),
        ),
    );
    b.factory(
      ReportSizeControl,
      (g) => new ReportSizeControl(g(Tokens.Config).reports.size, g(PdfCompressor), g(PdfInspector), g(Tokens.Logger)),
    );
    b.factory(
      ProcessReportJob,
      (g) =>
        new ProcessReportJob({
          uow: g(UnitOfWork),
          renderer: g(PdfRenderer),
          stamper: g(PdfStamper),
          sizeControl: g(ReportSizeControl),
          tokens: g(RenderTokens),
          scratch: g(Tokens.ScratchStorage),
          storage: g(ObjectStorage),
          ipfs: g(Ipfs),
          clock: g(Clock),
          log: g(Tokens.Logger),
          reportBaseUrl: g(Tokens.Config).reports.baseUrl,
          tokenTtlSeconds: g(Tokens.Config).reports.tokenTtlSeconds,
          telemetry: g(JobTelemetry),
          tracer: g(Tracer),
          timeouts: { storeMs: g(Tokens.Config).reports.uploadTimeoutMs, ipfsMs: g(Tokens.Config).ipfs.timeoutMs },
          autoArchive: g(Tokens.Config).mint.autoArchive ? archiveDeps(g) : undefined,
        }),
    );
    b.factory(GetReportJobStats, (g) => new GetReportJobStats(g(ReportJobStore), g(Clock)));
    b.factory(RerunFailedReportJobs, (g) => new RerunFailedReportJobs(g(ReportJobStore), g(RerunReportJob)));
    b.factory(ListReportJobs, (g) => new ListReportJobs(g(ReportJobStore)));
    b.factory(
      GetInspectionReports,
      (g) =>
        new GetInspectionReports(
          g(InspectionRepository),
          g(ReportJobStore),
          g(InspectionReports),
          g(ObjectStorage),
          g(Tokens.Config).photos.urlTtlSeconds,
        ),
    );
    b.factory(RerunReportJob, (g) => new RerunReportJob(g(UnitOfWork), g(Clock)));
    b.factory(
      GetReportPhoto,
      (g) => new GetReportPhoto(g(RenderTokens), g(Clock), g(PhotoRepository), g(ObjectStorage), g(PrintRenditions)),
    );
    b.handlers((g) =>
      reportHandlers({
        getInspectionReports: g(GetInspectionReports),
        getReportJobStats: g(GetReportJobStats),
        getReportModel: g(GetReportModel),
        getReportPhoto: g(GetReportPhoto),
        listReportJobs: g(ListReportJobs),
        previewReport: g(PreviewReport),
        rerunFailedReportJobs: g(RerunFailedReportJobs),
        rerunReportJob: g(RerunReportJob),
      }),
    );
  });
