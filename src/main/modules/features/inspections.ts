import type { ContainerModule } from 'inversify';
import { inspectionHandlers } from '../../../adapters/http/handlers/inspection-handlers.js';
import { photoHandlers } from '../../../adapters/http/handlers/photo-handlers.js';
import { ApproveInspection } from '../../../application/inspections/approve-inspection.js';
import { BulkApproveInspections } from '../../../application/inspections/bulk-approve-inspections.js';
import { ChangeInspectionStatus } from '../../../application/inspections/change-status.js';
import { CreateInspection } from '../../../application/inspections/create-inspection.js';
import { GetDashboard } from '../../../application/inspections/dashboard.js';
import { DeleteInspection } from '../../../application/inspections/delete-inspection.js';
import { GetInspection } from '../../../application/inspections/get-inspection.js';
import { ListChangeLog } from '../../../application/inspections/list-change-log.js';
import { ListInspections } from '../../../application/inspections/list-inspections.js';
import { DeleteChangeLogEntry } from '../../../application/inspections/delete-change-log-entry.js';
import { ReviewInspection } from '../../../application/inspections/review-inspection.js';
import { ObjectDeleter } from '../../../application/photos/object-deleter.js';
import { AddPhotos } from '../../../application/photos/add-photos.js';
import { DeletePhoto } from '../../../application/photos/delete-photo.js';
import { ReorderPhotos } from '../../../application/photos/reorder-photos.js';
import { ReplacePhotoFile } from '../../../application/photos/replace-photo-file.js';
import { UpdatePhotoMetadata } from '../../../application/photos/update-photo-metadata.js';
import type { PhotoDeps } from '../../../application/photos/deps.js';
import { PhotoLinks } from '../../../application/photos/photo-links.js';
import { ChangeLogRepository } from '../../../ports/change-log-repository.js';
import { Clock } from '../../../ports/clock.js';
import { IdGenerator } from '../../../ports/id-generator.js';
import { InspectionRepository } from '../../../ports/inspection-repository.js';
import { InspectionStats } from '../../../ports/inspection-stats.js';
import { ObjectStorage } from '../../../ports/object-storage.js';
import { PhotoRepository } from '../../../ports/photo-repository.js';
import { UnitOfWork } from '../../../ports/unit-of-work.js';
import { Tokens } from '../../tokens.js';
import { featureModule, type Get } from '../feature-module.js';
import { imageCheck, pinSweeper } from './deps.js';

/** Inspections: create, review, approve (one or in bulk), status changes, delete, photos and the dashboard. */
export const inspectionsFeature = (): ContainerModule =>
  featureModule((b) => {
    const photoDeps = (g: Get): PhotoDeps => ({
      uow: g(UnitOfWork),
      storage: g(ObjectStorage),
      deleter: g(ObjectDeleter),
      links: g(PhotoLinks),
      ids: g(IdGenerator),
      clock: g(Clock),
      limits: { maxBytes: g(Tokens.Config).photos.maxBytes },
      check: imageCheck(g),
    });
    b.factory(
      CreateInspection,
      (g) => new CreateInspection(g(UnitOfWork), g(IdGenerator), g(Clock), g(Tokens.Config).inspectionTimeZone),
    );
    b.factory(ListInspections, (g) => new ListInspections(g(InspectionRepository)));
    b.factory(
      GetInspection,
      (g) => new GetInspection(g(InspectionRepository), g(PhotoRepository), g(ChangeLogRepository), g(PhotoLinks)),
    );
    b.factory(ListChangeLog, (g) => new ListChangeLog(g(InspectionRepository), g(ChangeLogRepository)));
    b.factory(ReviewInspection, (g) => new ReviewInspection(g(UnitOfWork), g(IdGenerator), g(Clock)));
    b.factory(DeleteChangeLogEntry, (g) => new DeleteChangeLogEntry(g(UnitOfWork), g(Clock)));
    b.factory(ApproveInspection, (g) => new ApproveInspection(g(UnitOfWork), g(IdGenerator), g(Clock)));
    b.factory(BulkApproveInspections, (g) => new BulkApproveInspections(g(ApproveInspection)));
    b.factory(
      ChangeInspectionStatus,
      (g) => new ChangeInspectionStatus(g(UnitOfWork), g(IdGenerator), g(Clock), pinSweeper(g)),
    );
    b.factory(DeleteInspection, (g) => new DeleteInspection(g(UnitOfWork), g(ObjectDeleter), g(Clock), pinSweeper(g)));
    b.factory(AddPhotos, (g) => new AddPhotos(photoDeps(g)));
    b.factory(UpdatePhotoMetadata, (g) => new UpdatePhotoMetadata(photoDeps(g)));
    b.factory(ReplacePhotoFile, (g) => new ReplacePhotoFile(photoDeps(g)));
    b.factory(DeletePhoto, (g) => new DeletePhoto(photoDeps(g)));
    b.factory(ReorderPhotos, (g) => new ReorderPhotos(photoDeps(g)));
    b.factory(GetDashboard, (g) => new GetDashboard(g(InspectionStats), g(Clock), g(Tokens.Config).inspectionTimeZone));
    b.handlers((g) =>
      inspectionHandlers({
        approveInspection: g(ApproveInspection),
        bulkApproveInspections: g(BulkApproveInspections),
        changeInspectionStatus: g(ChangeInspectionStatus),
        createInspection: g(CreateInspection),
        deleteChangeLogEntry: g(DeleteChangeLogEntry),
        deleteInspection: g(DeleteInspection),
        getDashboard: g(GetDashboard),
        getInspection: g(GetInspection),
        listChangeLog: g(ListChangeLog),
        listInspections: g(ListInspections),
        reviewInspection: g(ReviewInspection),
      }),
    );
    b.handlers((g) =>
      photoHandlers({
        addPhotos: g(AddPhotos),
        deletePhoto: g(DeletePhoto),
        reorderPhotos: g(ReorderPhotos),
        replacePhotoFile: g(ReplacePhotoFile),
        updatePhotoMetadata: g(UpdatePhotoMetadata),
        getInspection: g(GetInspection),
      }),
    );
  });
