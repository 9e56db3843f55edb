import {
  assertRequestTransition,
  assertSchedule,
  isFinalRequestStatus,
  RequestErrors,
  type CustomerInspectionRequest,
  type CustomerInspectionStatus,
  type RequestPaymentStatus,
  type RequestStatusChange,
  type VehicleDescription,
} from '../../domain/customer/inspection-request.js';
import {
  VEHICLE_PHOTO_TYPES,
  type OwnedPhoto,
  type VehicleClass,
  type VehiclePhotoType,
} from '../../domain/customer/vehicle.js';
import { EXTENSION_OF, type ImageType } from '../../domain/inspection/photo.js';
import type { Role } from '../../domain/identity/role.js';
import { invalidInput } from '../../domain/shared/domain-error.js';
import { normalisePage, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { InspectionRequestFilter } from '../../ports/inspection-requests.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { ObjectDeleter } from '../photos/object-deleter.js';
import { checkUploads, type ImageCheck, type IncomingFile } from '../photos/incoming-file.js';
import type { OwnedPhotoLinks, OwnedPhotoView } from './owned-photos.js';
import { assertStorageQuota, serialiseCustomer } from './storage-quota.js';
import { PhotoErrors } from '../../domain/inspection/photo.js';

/** The audit entity of every request action (CREATE, UPDATE, STATUS_CHANGE, ASSIGN). */
export const REQUEST_ENTITY = 'customer_inspection_request';
/** Attachment photos a request may have in total. */
export const MAX_REQUEST_PHOTOS = 10;
const ASSIGNABLE_ROLES: readonly Role[] = ['ADMIN', 'SUPERADMIN', 'INSPECTOR'];
const WAIVABLE: readonly RequestPaymentStatus[] = ['UNPAID', 'PENDING'];

export interface RequestDeps {
  uow: UnitOfWork;
  ids: IdGenerator;
  clock: Clock;
  /** The preferred schedule may be at most this many days ahead. */
  scheduleHorizonDays: number;
  /** Open (not DONE or CANCELLED) requests one customer may have at once; absent: no quota. */
  maxOpenRequests?: number;
}

export interface RequestPhotoDeps {
  uow: UnitOfWork;
  ids: IdGenerator;
  clock: Clock;
  storage: ObjectStorage;
  deleter: ObjectDeleter;
  maxBytes: number;
  check: ImageCheck;
  /** The per-customer storage quota (CUSTOMER_MAX_STORED_MB); absent: none. */
  maxStoredBytes?: number;
}

export interface CreateRequestInput {
  vehicleId?: string;
  vehicleClass?: VehicleClass;
  vehicleDescription?: VehicleDescription;
  /** ISO date-time. */
  preferredSchedule: string;
  notes?: string | null;
}

/** A request's attachment as callers see it (the owner is the request). */
export type RequestPhotoView = OwnedPhotoView;

export interface RequestDetail {
  request: CustomerInspectionRequest;
  statusHistory: RequestStatusChange[];
  photos: RequestPhotoView[];
}

// ---------------------------------------------------------------------------------------------------------
// Shared steps
// ---------------------------------------------------------------------------------------------------------

/** The request, locked; a customer only ever sees their own (someone else's answers 404 like a missing one). */
async function loadForUpdate(
  tx: TransactionalPorts,
  id: string,
  customerId?: string,
): Promise<CustomerInspectionRequest> {
  const r = await tx.inspectionRequests.findByIdForUpdate(id);
  if (!r || (customerId !== undefined && r.customerId !== customerId)) throw RequestErrors.notFound();
  return r;
}

async function loadVisible(
  tx: TransactionalPorts,
  id: string,
  customerId?: string,
): Promise<CustomerInspectionRequest> {
  const r = await tx.inspectionRequests.findById(id);
  if (!r || (customerId !== undefined && r.customerId !== customerId)) throw RequestErrors.notFound();
  return r;
}

const assertNotFinal = (r: CustomerInspectionRequest): void => {
  if (isFinalRequestStatus(r.status)) throw RequestErrors.final(r.status);
};

/** History rows of one request get strictly increasing times, so their order never depends on ids. */
async function historyTime(tx: TransactionalPorts, requestId: string, now: Date): Promise<Date> {
  const last = (await tx.inspectionRequests.statusHistory(requestId)).at(-1);
  return last && last.createdAt.getTime() >= now.getTime() ? new Date(last.createdAt.getTime() + 1) : now;
}

async function recordChange(
  tx: TransactionalPorts,
  ids: IdGenerator,
  requestId: string,
  from: CustomerInspectionStatus | null,
  to: CustomerInspectionStatus,
  actor: Actor,
  reason: string | null,
  now: Date,
): Promise<void> {
  await tx.inspectionRequests.recordStatusChange({
    id: ids.next(),
    requestId,
    fromStatus: from,
    toStatus: to,
    actorId: actor.userId,
    actorRole: actor.role,
    reason,
    createdAt: await historyTime(tx, requestId, now),
  });
}

const OPEN_REQUEST_STATUSES: CustomerInspectionStatus[] = [
  'NOT_STARTED',
  'IN_PROGRESS',
  'ON_HOLD',
  'AWAITING_APPROVAL',
];

async function createRequest(
  tx: TransactionalPorts,
  d: RequestDeps,
  actor: Actor,
  customerId: string,
  input: CreateRequestInput,
): Promise<CustomerInspectionRequest> {
  const now = d.clock.now();
  const ownVehicle =
    input.vehicleId !== undefined && input.vehicleClass === undefined && input.vehicleDescription === undefined;
  const described =
    input.vehicleId === undefined && input.vehicleClass !== undefined && input.vehicleDescription !== undefined;
  if (!ownVehicle && !described) throw RequestErrors.vehicleRequired();
  const preferredSchedule = new Date(input.preferredSchedule);
  assertSchedule(preferredSchedule, now, d.scheduleHorizonDays);
  if (d.maxOpenRequests !== undefined) {
    await serialiseCustomer(tx, customerId);
    const open = await tx.inspectionRequests.list(
      { customerId, status: OPEN_REQUEST_STATUSES },
      { page: 1, pageSize: 1 },
    );
    if (open.total >= d.maxOpenRequests) throw RequestErrors.quotaExceeded(d.maxOpenRequests);
  }
  let vehicleClass = input.vehicleClass as VehicleClass;
  if (input.vehicleId !== undefined) {
    const vehicle = await tx.customerVehicles.findOwned(customerId, input.vehicleId);
    if (!vehicle) throw RequestErrors.vehicleNotFound();
    vehicleClass = vehicle.vehicleClass;
  }
  const price = await tx.classPrices.current(vehicleClass, now);
  if (!price) throw RequestErrors.priceNotSet(vehicleClass);
  const created = await tx.inspectionRequests.create(
    {
      id: d.ids.next(),
      customerId,
      vehicleId: input.vehicleId ?? null,
      vehicleDescription: input.vehicleId !== undefined ? null : (input.vehicleDescription ?? null),
      vehicleClass,
      preferredSchedule,
      notes: input.notes?.trim() || null,
      priceIdr: price.priceIdr,
      priceId: price.id,
      createdBy: actor.userId,
    },
    now,
  );
  await recordChange(tx, d.ids, created.id, null, 'NOT_STARTED', actor, null, now);
  await tx.audit.record(
    {
      actorId: actor.userId,
      action: 'CREATE',
      entity: REQUEST_ENTITY,
      entityId: created.id,
      metadata: {
        customerId,
        vehicleId: created.vehicleId,
        vehicleClass,
        priceIdr: price.priceIdr,
        priceId: price.id,
        onBehalf: actor.userId !== customerId,
      },
    },
    now,
  );
  return created;
}

/**
 * Moves a locked request to `to` after the transition table allows it. Cancelling a PAID request marks its
 * payment for refund (request REFUND_PENDING, the payment's refund marker) in the same transaction.
 */
async function changeStatus(
  tx: TransactionalPorts,
  d: { ids: IdGenerator; clock: Clock },
  actor: Actor,
  r: CustomerInspectionRequest,
  to: CustomerInspectionStatus,
  reason: string | null,
): Promise<CustomerInspectionRequest> {
  const now = d.clock.now();
  const why = reason?.trim() || null;
  assertRequestTransition(r.status, to, actor.role, {
    paymentStatus: r.paymentStatus,
    waiverReason: r.paymentWaiverReason,
    inspectionId: r.inspectionId,
    reason: why,
  });
  const refund = to === 'CANCELLED' && r.paymentStatus === 'PAID';
  const updated = (await tx.inspectionRequests.update(
    r.id,
    { status: to, ...(refund ? { paymentStatus: 'REFUND_PENDING' as const } : {}) },
    now,
  )) as CustomerInspectionRequest;
  await recordChange(tx, d.ids, r.id, r.status, to, actor, why, now);
  await tx.audit.record(
    {
      actorId: actor.userId,
      action: 'STATUS_CHANGE',
      entity: REQUEST_ENTITY,
      entityId: r.id,
      metadata: {
        from: r.status,
        to,
        reason: why,
        actorRole: actor.role,
        ...(refund ? { paymentStatus: { from: 'PAID', to: 'REFUND_PENDING' } } : {}),
      },
    },
    now,
  );
  if (refund) {
    const payment = await tx.payments.markRefundPending(r.id, now);
    await tx.audit.record(
      {
        actorId: actor.userId,
        action: 'REFUND_MARKED',
        entity: 'payment',
        entityId: payment?.id ?? null,
        metadata: { requestId: r.id, amountIdr: payment?.amountIdr ?? r.priceIdr },
      },
      now,
    );
  }
  return updated;
}

/** The request with its history and photos, read in one transaction; URLs are signed afterwards. */
async function detailOf(
  uow: UnitOfWork,
  id: string,
  customerId: string | undefined,
  links: OwnedPhotoLinks,
): Promise<RequestDetail> {
  const d = await uow.run(async (tx) => {
    const request = await loadVisible(tx, id, customerId);
    return {
      request,
      statusHistory: await tx.inspectionRequests.statusHistory(id),
      photos: await tx.inspectionRequests.listPhotos(id),
    };
  });
  return { ...d, photos: await links.views(d.photos) };
}

// ---------------------------------------------------------------------------------------------------------
// Customer
// ---------------------------------------------------------------------------------------------------------

/** A customer asks for an inspection of one of their vehicles, or of a car they describe. */
export class CreateMyInspectionRequest {
  constructor(private readonly d: RequestDeps) {}

  execute(actor: Actor, input: CreateRequestInput): Promise<CustomerInspectionRequest> {
    return this.d.uow.run((tx) => createRequest(tx, this.d, actor, actor.userId, input));
  }
}

/** GET /me/inspection-requests: the caller's own requests, newest first, optionally by status. */
export class ListMyInspectionRequests {
  constructor(private readonly uow: UnitOfWork) {}

  execute(
    actor: Actor,
    filter: { status?: CustomerInspectionStatus[] },
    page: Partial<PageRequest>,
  ): Promise<Page<CustomerInspectionRequest>> {
    return this.uow.run((tx) =>
      tx.inspectionRequests.list({ customerId: actor.userId, status: filter.status }, normalisePage(page)),
    );
  }
}

/** One of the caller's requests with its status history and photos; someone else's is REQUEST.NOT_FOUND. */
export class GetMyInspectionRequest {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: OwnedPhotoLinks,
  ) {}

  execute(actor: Actor, id: string): Promise<RequestDetail> {
    return detailOf(this.uow, id, actor.userId, this.links);
  }
}

/** A customer withdraws a request that has not started (NOT_STARTED -> CANCELLED). */
export class CancelMyInspectionRequest {
  constructor(private readonly d: { uow: UnitOfWork; ids: IdGenerator; clock: Clock }) {}

  execute(actor: Actor, id: string, reason: string | null): Promise<CustomerInspectionRequest> {
    return this.d.uow.run(async (tx) =>
      changeStatus(tx, this.d, actor, await loadForUpdate(tx, id, actor.userId), 'CANCELLED', reason),
    );
  }
}

/** Count, size and type (by magic bytes) of every file, checked before anything is looked up or stored. */
function checkFiles(files: IncomingFile[], maxBytes: number, check: ImageCheck): Promise<ImageType[]> {
  return checkUploads(files, { field: 'photos', maxFiles: MAX_REQUEST_PHOTOS, maxBytes }, check);
}

/** One VehiclePhotoType per file (400 VALIDATION.FAILED on a wrong count or value); OTHER for every file when absent. */
function photoTypesOf(given: string[] | undefined, count: number): VehiclePhotoType[] {
  if (given === undefined) return Array.from({ length: count }, () => 'OTHER');
  const bad = (message: string) => invalidInput('/body/photoTypes', message);
  if (given.length !== count) throw bad(`has ${given.length} types for ${count} files`);
  for (const t of given)
    if (!(VEHICLE_PHOTO_TYPES as readonly string[]).includes(t))
      throw bad(`${t} is not one of ${VEHICLE_PHOTO_TYPES.join(', ')}`);
  return given as VehiclePhotoType[];
}

export const requestPhotoKey = (requestId: string, photoId: string, type: ImageType): string =>
  `customer-requests/${requestId}/photos/${photoId}.${EXTENSION_OF[type]}`;

/**
 * Attaches photos to the customer's own request while it is not DONE or CANCELLED, at most
 * MAX_REQUEST_PHOTOS in total. Objects are uploaded first and the records written in one transaction
 * afterwards; when anything fails, the uploaded objects are deleted (or queued for deletion).
 */
export class AddRequestPhotos {
  constructor(
    private readonly d: RequestPhotoDeps,
    private readonly links: OwnedPhotoLinks,
  ) {}

  /** `photoTypes`: one per file, in file order (default OTHER for every file). */
  async execute(
    actor: Actor,
    requestId: string,
    files: IncomingFile[],
    photoTypes?: string[],
  ): Promise<RequestPhotoView[]> {
    const types = await checkFiles(files, this.d.maxBytes, this.d.check);
    const kinds = photoTypesOf(photoTypes, files.length);
    const check = async (tx: TransactionalPorts): Promise<OwnedPhoto[]> => {
      const r = await loadForUpdate(tx, requestId, actor.userId);
      assertNotFinal(r);
      const existing = await tx.inspectionRequests.listPhotos(requestId);
      if (existing.length + files.length > MAX_REQUEST_PHOTOS) {
        throw PhotoErrors.tooMany(MAX_REQUEST_PHOTOS, 'photos', existing.length);
      }
      await serialiseCustomer(tx, r.customerId);
      await assertStorageQuota(
        tx,
        r.customerId,
        files.reduce((n, f) => n + f.size, 0),
        this.d.maxStoredBytes,
      );
      return existing;
    };
    await this.d.uow.run(check);
    const uploaded: Array<{ id: string; key: string; type: ImageType; file: IncomingFile }> = [];
    try {
      for (const [i, file] of files.entries()) {
        const id = this.d.ids.next();
        const key = requestPhotoKey(requestId, id, types[i] as ImageType);
        await this.d.storage.put(key, file.open(), { contentType: types[i] as ImageType, size: file.size });
        uploaded.push({ id, key, type: types[i] as ImageType, file });
      }
      const created = await this.d.uow.run(async (tx) => {
        const now = this.d.clock.now();
        const existing = await check(tx);
        let order = existing.reduce((m, p) => Math.max(m, p.sortOrder + 1), 0);
        const out: OwnedPhoto[] = [];
        for (const [i, u] of uploaded.entries()) {
          out.push(
            await tx.inspectionRequests.addPhoto({
              id: u.id,
              ownerId: requestId,
              type: kinds[i] as VehiclePhotoType,
              storageKey: u.key,
              storageDriver: this.d.storage.driver,
              contentType: u.type,
              sizeBytes: u.file.size,
              sha256: u.file.sha256,
              sortOrder: order++,
              createdAt: now,
            }),
          );
        }
        await tx.audit.record(
          {
            actorId: actor.userId,
            action: 'UPDATE',
            entity: REQUEST_ENTITY,
            entityId: requestId,
            metadata: { photosAdded: out.map((p) => p.id), types: kinds },
          },
          now,
        );
        return out;
      });
      return this.links.views(created);
    } catch (e) {
      if (uploaded.length > 0) {
        await this.d.uow.run((tx) =>
          tx.deletions.enqueue(
            uploaded.map((u) => ({ driver: this.d.storage.driver, key: u.key })),
            this.d.clock.now(),
          ),
        );
        await this.d.deleter.sweep();
      }
      throw e;
    }
  }
}

/** The photos attached to one of the caller's requests, with signed URLs; someone else's is REQUEST.NOT_FOUND. */
export class ListRequestPhotos {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: OwnedPhotoLinks,
  ) {}

  async execute(actor: Actor, requestId: string): Promise<RequestPhotoView[]> {
    const photos = await this.uow.run(async (tx) => {
      await loadVisible(tx, requestId, actor.userId);
      return tx.inspectionRequests.listPhotos(requestId);
    });
    return this.links.views(photos);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Admin / SUPERADMIN
// ---------------------------------------------------------------------------------------------------------

/** An admin records a request on behalf of a customer (customerId must be an active CUSTOMER). */
export class CreateInspectionRequestForCustomer {
  constructor(private readonly d: RequestDeps) {}

  execute(actor: Actor, customerId: string, input: CreateRequestInput): Promise<CustomerInspectionRequest> {
    return this.d.uow.run(async (tx) => {
      const customer = await tx.users.findById(customerId);
      if (!customer || customer.role !== 'CUSTOMER' || !customer.isActive) throw RequestErrors.unknownCustomer();
      return createRequest(tx, this.d, actor, customerId, input);
    });
  }
}

/**
 * GET /admin/customer-inspections: every customer's requests, filtered (status, assignee, customer, class,
 * payment status, preferred schedule range).
 */
export class ListInspectionRequests {
  constructor(private readonly uow: UnitOfWork) {}

  execute(filter: InspectionRequestFilter, page: Partial<PageRequest>): Promise<Page<CustomerInspectionRequest>> {
    return this.uow.run((tx) => tx.inspectionRequests.list(filter, normalisePage(page)));
  }
}

/** An admin reads any request with its status history and photos. Errors: REQUEST.NOT_FOUND. */
export class GetInspectionRequest {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly links: OwnedPhotoLinks,
  ) {}

  execute(id: string): Promise<RequestDetail> {
    return detailOf(this.uow, id, undefined, this.links);
  }
}

/** Assigns an active ADMIN, SUPERADMIN or INSPECTOR (audit ASSIGN). */
export class AssignInspectionRequest {
  constructor(private readonly d: { uow: UnitOfWork; clock: Clock }) {}

  execute(actor: Actor, id: string, assigneeId: string): Promise<CustomerInspectionRequest> {
    return this.d.uow.run(async (tx) => {
      const now = this.d.clock.now();
      const r = await loadForUpdate(tx, id);
      assertNotFinal(r);
      const assignee = await tx.users.findById(assigneeId);
      if (!assignee || !assignee.isActive || !ASSIGNABLE_ROLES.includes(assignee.role))
        throw RequestErrors.invalidAssignee();
      const updated = (await tx.inspectionRequests.update(id, { assigneeId }, now)) as CustomerInspectionRequest;
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'ASSIGN',
          entity: REQUEST_ENTITY,
          entityId: id,
          metadata: { from: r.assigneeId, to: assigneeId, assigneeRole: assignee.role },
        },
        now,
      );
      return updated;
    });
  }
}

/** Moves a request along the transition table (audit STATUS_CHANGE, a history row with actor id and role). */
export class ChangeInspectionRequestStatus {
  constructor(private readonly d: { uow: UnitOfWork; ids: IdGenerator; clock: Clock }) {}

  execute(
    actor: Actor,
    id: string,
    to: CustomerInspectionStatus,
    reason: string | null,
  ): Promise<CustomerInspectionRequest> {
    return this.d.uow.run(async (tx) => changeStatus(tx, this.d, actor, await loadForUpdate(tx, id), to, reason));
  }
}

/**
 * Links the inspection that resulted from the request (it must exist and belong to no other request or
 * customer). The inspection's empty customer and vehicle links are filled in, so the customer's history
 * shows it. Linking again to another inspection (a correction) takes back the links to this customer on the
 * one linked before, so the wrong inspection leaves their history. Audit UPDATE.
 */
export class LinkRequestInspection {
  constructor(private readonly d: { uow: UnitOfWork; clock: Clock }) {}

  execute(actor: Actor, id: string, inspectionId: string): Promise<CustomerInspectionRequest> {
    return this.d.uow.run(async (tx) => {
      const now = this.d.clock.now();
      const r = await loadForUpdate(tx, id);
      assertNotFinal(r);
      const inspection = await tx.inspections.findByIdForUpdate(inspectionId);
      if (!inspection) throw RequestErrors.unknownInspection();
      const other = await tx.inspectionRequests.findByInspectionId(inspectionId);
      if ((other && other.id !== id) || (inspection.customerUserId && inspection.customerUserId !== r.customerId))
        throw RequestErrors.inspectionTaken();
      const updated = (await tx.inspectionRequests.update(id, { inspectionId }, now)) as CustomerInspectionRequest;
      const owner = {
        ...(inspection.customerUserId ? {} : { customerUserId: r.customerId }),
        ...(inspection.customerVehicleId || !r.vehicleId ? {} : { customerVehicleId: r.vehicleId }),
      };
      if (Object.keys(owner).length > 0) await tx.inspections.update(inspectionId, owner, now);
      // A corrected link: the inspection linked before is not this customer's after all. The owner links
      // that point at this request's customer and vehicle are taken back, so it leaves their history.
      const unlinked: string[] = [];
      if (r.inspectionId && r.inspectionId !== inspectionId) {
        const previous = await tx.inspections.findByIdForUpdate(r.inspectionId);
        const back = {
          ...(previous?.customerUserId === r.customerId ? { customerUserId: null } : {}),
          ...(previous?.customerVehicleId && previous.customerVehicleId === r.vehicleId
            ? { customerVehicleId: null }
            : {}),
        };
        if (previous && Object.keys(back).length > 0) {
          await tx.inspections.update(previous.id, back, now);
          unlinked.push(...Object.keys(back));
        }
      }
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'UPDATE',
          entity: REQUEST_ENTITY,
          entityId: id,
          metadata: {
            inspectionId: { from: r.inspectionId, to: inspectionId },
            inspectionLinks: Object.keys(owner),
            previousInspectionUnlinked: unlinked,
          },
        },
        now,
      );
      return updated;
    });
  }
}

/** Work may start unpaid when an admin waives the payment with a reason (UNPAID or PENDING -> WAIVED). */
export class WaiveRequestPayment {
  constructor(private readonly d: { uow: UnitOfWork; clock: Clock }) {}

  execute(actor: Actor, id: string, reason: string): Promise<CustomerInspectionRequest> {
    return this.d.uow.run(async (tx) => {
      const now = this.d.clock.now();
      const why = reason.trim();
      if (why.length < 3) throw RequestErrors.reasonRequired();
      const r = await loadForUpdate(tx, id);
      assertNotFinal(r);
      if (!WAIVABLE.includes(r.paymentStatus)) throw RequestErrors.notWaivable(r.paymentStatus);
      const updated = (await tx.inspectionRequests.update(
        id,
        { paymentStatus: 'WAIVED', paymentWaiverReason: why },
        now,
      )) as CustomerInspectionRequest;
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'UPDATE',
          entity: REQUEST_ENTITY,
          entityId: id,
          metadata: { paymentStatus: { from: r.paymentStatus, to: 'WAIVED' }, reason: why },
        },
        now,
      );
      return updated;
    });
  }
}
