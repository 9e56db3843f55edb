import type { ContainerModule } from 'inversify';
import { requestHandlers } from '../../../adapters/http/handlers/request-handlers.js';
import { AddRequestPhotos } from '../../../application/inspection-requests/add-request-photos.js';
import { DeleteRequestPhoto } from '../../../application/inspection-requests/delete-request-photo.js';
import { AssignInspectionRequest } from '../../../application/inspection-requests/assign-inspection-request.js';
import { CancelMyInspectionRequest } from '../../../application/inspection-requests/cancel-my-inspection-request.js';
import { ChangeInspectionRequestStatus } from '../../../application/inspection-requests/change-inspection-request-status.js';
import { CreateInspectionRequestForCustomer } from '../../../application/inspection-requests/create-inspection-request-for-customer.js';
import { CreateMyInspectionRequest } from '../../../application/inspection-requests/create-my-inspection-request.js';
import { GetInspectionRequest } from '../../../application/inspection-requests/get-inspection-request.js';
import { GetMyInspectionRequest } from '../../../application/inspection-requests/get-my-inspection-request.js';
import { LinkRequestInspection } from '../../../application/inspection-requests/link-request-inspection.js';
import { ListInspectionRequests } from '../../../application/inspection-requests/list-inspection-requests.js';
import { ListMyInspectionRequests } from '../../../application/inspection-requests/list-my-inspection-requests.js';
import { ListRequestPhotos } from '../../../application/inspection-requests/list-request-photos.js';
import { WaiveRequestPayment } from '../../../application/inspection-requests/waive-request-payment.js';
import type { RequestDeps } from '../../../application/inspection-requests/deps.js';
import { OwnedPhotoLinks } from '../../../application/photos/owned-photo-links.js';
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
    b.factory(
      DeleteRequestPhoto,
      (g) => new DeleteRequestPhoto({ uow: g(UnitOfWork), clock: g(Clock), deleter: g(ObjectDeleter) }),
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
        deleteRequestPhoto: g(DeleteRequestPhoto),
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
