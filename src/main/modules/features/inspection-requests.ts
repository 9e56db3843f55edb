import type { ContainerModule } from 'inversify';
import { requestHandlers } from '../../../adapters/http/handlers/request-handlers.js';
import {
  AddRequestPhotos,
  AssignInspectionRequest,
  CancelMyInspectionRequest,
  ChangeInspectionRequestStatus,
  CreateInspectionRequestForCustomer,
  CreateMyInspectionRequest,
  GetInspectionRequest,
  GetMyInspectionRequest,
  LinkRequestInspection,
  ListInspectionRequests,
  ListMyInspectionRequests,
  ListRequestPhotos,
  WaiveRequestPayment,
  type RequestDeps,
} from '../../../application/customer/inspection-requests.js';
import { OwnedPhotoLinks } from '../../../application/customer/owned-photos.js';
import { ObjectDeleter } from '../../../application/photos/object-deleter.js';
import { Clock } from '../../../ports/clock.js';
import { IdGenerator } from '../../../ports/id-generator.js';
import { ObjectStorage } from '../../../ports/object-storage.js';
import { UnitOfWork } from '../../../ports/unit-of-work.js';
import { Tokens } from '../../tokens.js';
import { featureModule, type Get } from '../feature-module.js';
import { imageCheck } from './deps.js';

/** Inspection requests: a customer books one (with photos), staff assign, schedule, link and waive payment. */
export const inspectionRequestsFeature = (): ContainerModule =>
  featureModule((b) => {
    const requestDeps = (g: Get): RequestDeps => ({
      uow: g(UnitOfWork),
      ids: g(IdGenerator),
      clock: g(Clock),
      scheduleHorizonDays: g(Tokens.Config).customer.scheduleHorizonDays,
      maxOpenRequests: g(Tokens.Config).customer.maxOpenRequests,
    });
    b.factory(CreateMyInspectionRequest, (g) => new CreateMyInspectionRequest(requestDeps(g)));
    b.factory(CreateInspectionRequestForCustomer, (g) => new CreateInspectionRequestForCustomer(requestDeps(g)));
    b.factory(ListMyInspectionRequests, (g) => new ListMyInspectionRequests(g(UnitOfWork)));
    b.factory(GetMyInspectionRequest, (g) => new GetMyInspectionRequest(g(UnitOfWork), g(OwnedPhotoLinks)));
    b.factory(CancelMyInspectionRequest, (g) => new CancelMyInspectionRequest(requestDeps(g)));
    b.factory(
      AddRequestPhotos,
      (g) =>
        new AddRequestPhotos(
          {
            uow: g(UnitOfWork),
            ids: g(IdGenerator),
            clock: g(Clock),
            storage: g(ObjectStorage),
            deleter: g(ObjectDeleter),
            maxBytes: g(Tokens.Config).photos.maxBytes,
            maxStoredBytes: g(Tokens.Config).customer.maxStoredBytes,
            check: imageCheck(g),
          },
          g(OwnedPhotoLinks),
        ),
    );
    b.factory(ListRequestPhotos, (g) => new ListRequestPhotos(g(UnitOfWork), g(OwnedPhotoLinks)));
    b.factory(ListInspectionRequests, (g) => new ListInspectionRequests(g(UnitOfWork)));
    b.factory(GetInspectionRequest, (g) => new GetInspectionRequest(g(UnitOfWork), g(OwnedPhotoLinks)));
    b.factory(AssignInspectionRequest, (g) => new AssignInspectionRequest(requestDeps(g)));
    b.factory(ChangeInspectionRequestStatus, (g) => new ChangeInspectionRequestStatus(requestDeps(g)));
    b.factory(LinkRequestInspection, (g) => new LinkRequestInspection(requestDeps(g)));
    b.factory(WaiveRequestPayment, (g) => new WaiveRequestPayment(requestDeps(g)));
    b.handlers((g) =>
      requestHandlers({
        addRequestPhotos: g(AddRequestPhotos),
        assignInspectionRequest: g(AssignInspectionRequest),
        cancelMyInspectionRequest: g(CancelMyInspectionRequest),
        changeInspectionRequestStatus: g(ChangeInspectionRequestStatus),
        createInspectionRequestForCustomer: g(CreateInspectionRequestForCustomer),
        createMyInspectionRequest: g(CreateMyInspectionRequest),
        getInspectionRequest: g(GetInspectionRequest),
        getMyInspectionRequest: g(GetMyInspectionRequest),
        linkRequestInspection: g(LinkRequestInspection),
        listInspectionRequests: g(ListInspectionRequests),
        listMyInspectionRequests: g(ListMyInspectionRequests),
        listRequestPhotos: g(ListRequestPhotos),
        waiveRequestPayment: g(WaiveRequestPayment),
      }),
    );
  });
