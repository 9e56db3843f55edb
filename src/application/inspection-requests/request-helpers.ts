import {
  isFinalRequestStatus,
  RequestErrors,
  type CustomerInspectionRequest,
  type CustomerInspectionStatus,
} from '../../domain/customer/inspection-request.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import type { OwnedPhotoLinks } from '../photos/owned-photo-links.js';
import type { RequestDetail } from './deps.js';

/** The request, locked; a customer only ever sees their own (someone else's answers 404 like a missing one). */
export async function loadForUpdate(
  tx: TransactionalPorts,
  id: string,
  customerId?: string,
): Promise<CustomerInspectionRequest> {
  const r = await tx.inspectionRequests.findByIdForUpdate(id);
  if (!r || (customerId !== undefined && r.customerId !== customerId)) throw RequestErrors.notFound();
  return r;
}

/** The request, unlocked; a customer only ever sees their own. */
export async function loadVisible(
  tx: TransactionalPorts,
  id: string,
  customerId?: string,
): Promise<CustomerInspectionRequest> {
  const r = await tx.inspectionRequests.findById(id);
  if (!r || (customerId !== undefined && r.customerId !== customerId)) throw RequestErrors.notFound();
  return r;
}

/** REQUEST.FINAL for a DONE or CANCELLED request. */
export const assertNotFinal = (r: CustomerInspectionRequest): void => {
  if (isFinalRequestStatus(r.status)) throw RequestErrors.final(r.status);
};

/** History rows of one request get strictly increasing times, so their order never depends on ids. */
async function historyTime(tx: TransactionalPorts, requestId: string, now: Date): Promise<Date> {
  const last = (await tx.inspectionRequests.statusHistory(requestId)).at(-1);
  return last && last.createdAt.getTime() >= now.getTime() ? new Date(last.createdAt.getTime() + 1) : now;
}

/** One status history row of a request, with the actor's id and role. */
export async function recordChange(
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

/** The request with its history and photos, read in one transaction; URLs are signed afterwards. */
export async function detailOf(
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
