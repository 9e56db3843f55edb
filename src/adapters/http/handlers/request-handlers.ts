import type { AddRequestPhotos } from '../../../application/inspection-requests/add-request-photos.js';
import type { DeleteRequestPhoto } from '../../../application/inspection-requests/delete-request-photo.js';
import type { AssignInspectionRequest } from '../../../application/inspection-requests/assign-inspection-request.js';
import type { CancelMyInspectionRequest } from '../../../application/inspection-requests/cancel-my-inspection-request.js';
import type { ChangeInspectionRequestStatus } from '../../../application/inspection-requests/change-inspection-request-status.js';
import type { CreateInspectionRequestForCustomer } from '../../../application/inspection-requests/create-inspection-request-for-customer.js';
import type { CreateMyInspectionRequest } from '../../../application/inspection-requests/create-my-inspection-request.js';
import type { GetInspectionRequest } from '../../../application/inspection-requests/get-inspection-request.js';
import type { GetMyInspectionRequest } from '../../../application/inspection-requests/get-my-inspection-request.js';
import type { LinkRequestInspection } from '../../../application/inspection-requests/link-request-inspection.js';
import type { ListInspectionRequests } from '../../../application/inspection-requests/list-inspection-requests.js';
import type { ListMyInspectionRequests } from '../../../application/inspection-requests/list-my-inspection-requests.js';
import type { ListRequestPhotos } from '../../../application/inspection-requests/list-request-photos.js';
import type { WaiveRequestPayment } from '../../../application/inspection-requests/waive-request-payment.js';
import type { Response } from 'express';
import type { CreateRequestInput } from '../../../application/inspection-requests/create-request.js';
import type { RequestDetail, RequestPhotoView } from '../../../application/inspection-requests/deps.js';
import type { CustomerInspectionStatus, RequestPaymentStatus } from '../../../domain/customer/inspection-request.js';
import type { VehicleClass } from '../../../domain/customer/vehicle-class.js';
import { actorOf } from '../auth.js';
import { filesOf } from '../multipart.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';

type Q = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = <T>(v: unknown): T[] | undefined => (v === undefined ? undefined : ([] as T[]).concat(v as T[]));
const date = (v: unknown): Date | undefined => (typeof v === 'string' ? new Date(v) : undefined);
const idOf = (res: Response): string => String(validOf(res).params.id);
const pageOf = (q: Q) => ({ page: q.page as number | undefined, pageSize: q.pageSize as number | undefined });
const bodyOf = <T>(res: Response): T => (validOf(res).body ?? {}) as T;

const photoJson = ({ ownerId, ...p }: RequestPhotoView) => ({ ...p, requestId: ownerId });

const detailJson = (d: RequestDetail) => ({
  ...d.request,
  statusHistory: d.statusHistory.map(({ id, fromStatus, toStatus, actorId, actorRole, reason, createdAt }) => ({
    id,
    fromStatus,
    toStatus,
    actorId,
    actorRole,
    reason,
    createdAt,
  })),
  photos: d.photos.map(photoJson),
});

/** The use cases these handlers call. */
export interface RequestUseCases {
  addRequestPhotos: AddRequestPhotos;
  assignInspectionRequest: AssignInspectionRequest;
  cancelMyInspectionRequest: CancelMyInspectionRequest;
  changeInspectionRequestStatus: ChangeInspectionRequestStatus;
  createInspectionRequestForCustomer: CreateInspectionRequestForCustomer;
  createMyInspectionRequest: CreateMyInspectionRequest;
  deleteRequestPhoto: DeleteRequestPhoto;
  getInspectionRequest: GetInspectionRequest;
  getMyInspectionRequest: GetMyInspectionRequest;
  linkRequestInspection: LinkRequestInspection;
  listInspectionRequests: ListInspectionRequests;
  listMyInspectionRequests: ListMyInspectionRequests;
  listRequestPhotos: ListRequestPhotos;
  waiveRequestPayment: WaiveRequestPayment;
}

/** Customer inspection requests: the customer's own (/me/inspection-requests) and the admin desk (/admin/customer-inspections). */
export function requestHandlers(uc: RequestUseCases): OperationHandlers {
  return {
    ...staffRequestHandlers(uc),
    createMyInspectionRequest: async (_req, res) => {
      const created = await uc.createMyInspectionRequest.execute(actorOf(res), bodyOf<CreateRequestInput>(res));
      res.status(201).location(`/api/v1/me/inspection-requests/${created.id}`).json(created);
    },
    listMyInspectionRequests: async (_req, res) => {
      const q = validOf(res).query as Q;
      res.json(
        await uc.listMyInspectionRequests.execute(
          actorOf(res),
          { status: list<CustomerInspectionStatus>(q.status) },
          pageOf(q),
        ),
      );
    },
    getMyInspectionRequest: async (_req, res) => {
      res.json(detailJson(await uc.getMyInspectionRequest.execute(actorOf(res), idOf(res))));
    },
    cancelMyInspectionRequest: async (_req, res) => {
      const b = bodyOf<{ reason?: string }>(res);
      res.json(await uc.cancelMyInspectionRequest.execute(actorOf(res), idOf(res), b.reason ?? null));
    },
    listMyInspectionRequestPhotos: async (_req, res) => {
      res.json({ items: (await uc.listRequestPhotos.execute(actorOf(res), idOf(res))).map(photoJson) });
    },
    addMyInspectionRequestPhotos: async (_req, res) => {
      const raw = str((validOf(res).body as Q | undefined)?.photoTypes);
      const types =
        raw === undefined || raw.trim() === '' ? undefined : raw.split(',').map((t) => t.trim().toUpperCase());
      const items = await uc.addRequestPhotos.execute(actorOf(res), idOf(res), filesOf(res, 'photos'), types);
      res.status(201).json({ items: items.map(photoJson) });
    },
    deleteMyInspectionRequestPhoto: async (_req, res) => {
      await uc.deleteRequestPhoto.execute(actorOf(res), idOf(res), String(validOf(res).params.photoId));
      res.status(204).end();
    },
  };
}

/** Staff side of the requests: create for a customer, list, read, assign, change status, link the result, waive payment. */
function staffRequestHandlers(uc: RequestUseCases): OperationHandlers {
  return {
    createCustomerInspection: async (_req, res) => {
      const { customerId, ...input } = bodyOf<CreateRequestInput & { customerId: string }>(res);
      const created = await uc.createInspectionRequestForCustomer.execute(actorOf(res), customerId, input);
      res.status(201).location(`/api/v1/admin/customer-inspections/${created.id}`).json(created);
    },
    listCustomerInspections: async (_req, res) => {
      const q = validOf(res).query as Q;
      const filter = {
        customerId: str(q.customerId),
        status: list<CustomerInspectionStatus>(q.status),
        assigneeId: str(q.assigneeId),
        vehicleClass: list<VehicleClass>(q.vehicleClass),
        paymentStatus: list<RequestPaymentStatus>(q.paymentStatus),
        scheduleFrom: date(q.from),
        scheduleTo: date(q.to),
      };
      res.json(await uc.listInspectionRequests.execute(filter, pageOf(q)));
    },
    getCustomerInspection: async (_req, res) => {
      res.json(detailJson(await uc.getInspectionRequest.execute(idOf(res))));
    },
    assignCustomerInspection: async (_req, res) => {
      res.json(
        await uc.assignInspectionRequest.execute(
          actorOf(res),
          idOf(res),
          bodyOf<{ assigneeId: string }>(res).assigneeId,
        ),
      );
    },
    changeCustomerInspectionStatus: async (_req, res) => {
      const b = bodyOf<{ status: CustomerInspectionStatus; reason?: string }>(res);
      res.json(await uc.changeInspectionRequestStatus.execute(actorOf(res), idOf(res), b.status, b.reason ?? null));
    },
    linkCustomerInspectionResult: async (_req, res) => {
      res.json(
        await uc.linkRequestInspection.execute(
          actorOf(res),
          idOf(res),
          bodyOf<{ inspectionId: string }>(res).inspectionId,
        ),
      );
    },
    waiveCustomerInspectionPayment: async (_req, res) => {
      res.json(await uc.waiveRequestPayment.execute(actorOf(res), idOf(res), bodyOf<{ reason: string }>(res).reason));
    },
  };
}
