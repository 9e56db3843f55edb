import type { ContainerModule } from 'inversify';
import { historyHandlers } from '../../../adapters/http/handlers/history-handlers.js';
import { DownloadMyReport } from '../../../application/customer-history/download-my-report.js';
import { GetMyInspection } from '../../../application/customer-history/get-my-inspection.js';
import { ListMyInspections } from '../../../application/customer-history/list-my-inspections.js';
import type { HistoryDeps } from '../../../application/customer-history/deps.js';
import { PrintRenditions } from '../../../application/reports/print-renditions.js';
import { Clock } from '../../../ports/clock.js';
import { CustomerInspectionHistory } from '../../../ports/customer-history.js';
import { CustomerVehicleRepository } from '../../../ports/customer-vehicles.js';
import { InspectionRepository } from '../../../ports/inspection-repository.js';
import { ObjectStorage } from '../../../ports/object-storage.js';
import { PhotoRepository } from '../../../ports/photo-repository.js';
import { InspectionReports } from '../../../ports/report-jobs.js';
import { UnitOfWork } from '../../../ports/unit-of-work.js';
import { Tokens } from '../../tokens.js';
import { featureModule, type Get } from '../feature-module.js';

/** A customer's inspections of their own vehicles and their report downloads. */
export const customerHistoryFeature = (): ContainerModule =>
  featureModule((b) => {
    const historyDeps = (g: Get): HistoryDeps => ({
      history: g(CustomerInspectionHistory),
      inspections: g(InspectionRepository),
      reports: g(InspectionReports),
      vehicles: g(CustomerVehicleRepository),
      photos: g(PhotoRepository),
      renditions: g(PrintRenditions),
      storage: g(ObjectStorage),
      urlTtlSeconds: g(Tokens.Config).photos.urlTtlSeconds,
      uow: g(UnitOfWork),
      clock: g(Clock),
    });
    b.factory(ListMyInspections, (g) => new ListMyInspections(historyDeps(g)));
    b.factory(GetMyInspection, (g) => new GetMyInspection(historyDeps(g)));
    b.factory(DownloadMyReport, (g) => new DownloadMyReport(historyDeps(g)));
    b.handlers((g) =>
      historyHandlers({
        downloadMyReport: g(DownloadMyReport),
        getMyInspection: g(GetMyInspection),
        listMyInspections: g(ListMyInspections),
      }),
    );
  });
