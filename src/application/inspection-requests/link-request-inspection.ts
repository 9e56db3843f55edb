import { RequestErrors, type CustomerInspectionRequest } from '../../domain/customer/inspection-request.js';
import type { Inspection } from '../../domain/inspection/inspection.js';
import type { Clock } from '../../ports/clock.js';
import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { REQUEST_ENTITY } from './deps.js';
import { assertNotFinal, loadForUpdate } from './request-helpers.js';

/** The inspection, locked, when it exists and belongs to no other request nor another customer. */
async function linkableInspection(
  tx: TransactionalPorts,
  r: CustomerInspectionRequest,
  inspectionId: string,
): Promise<Inspection> {
  const inspection = await tx.inspections.findByIdForUpdate(inspectionId);
  if (!inspection) throw RequestErrors.unknownInspection();
  const other = await tx.inspectionRequests.findByInspectionId(inspectionId);
  if ((other && other.id !== r.id) || (inspection.customerUserId && inspection.customerUserId !== r.customerId))
    throw RequestErrors.inspectionTaken();
  return inspection;
}

/** Fills the inspection's empty customer and vehicle links from the request; returns the fields set. */
async function linkOwner(
  tx: TransactionalPorts,
  r: CustomerInspectionRequest,
  inspection: Inspection,
  now: Date,
): Promise<string[]> {
  const owner = {
    ...(inspection.customerUserId ? {} : { customerUserId: r.customerId }),
    ...(inspection.customerVehicleId || !r.vehicleId ? {} : { customerVehicleId: r.vehicleId }),
  };
  if (Object.keys(owner).length > 0) await tx.inspections.update(inspection.id, owner, now);
  return Object.keys(owner);
}

/**
 * A corrected link: the inspection linked before is not this customer's after all. The owner links that
 * point at this request's customer and vehicle are taken back, so it leaves their history. Returns the
 * fields cleared.
 */
async function unlinkPrevious(
  tx: TransactionalPorts,
  r: CustomerInspectionRequest,
  inspectionId: string,
  now: Date,
): Promise<string[]> {
  if (!r.inspectionId || r.inspectionId === inspectionId) return [];
  const previous = await tx.inspections.findByIdForUpdate(r.inspectionId);
  const back = {
    ...(previous?.customerUserId === r.customerId ? { customerUserId: null } : {}),
    ...(previous?.customerVehicleId && previous.customerVehicleId === r.vehicleId ? { customerVehicleId: null } : {}),
  };
  if (!previous || Object.keys(back).length === 0) return [];
  await tx.inspections.update(previous.id, back, now);
  return Object.keys(back);
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
      const inspection = await linkableInspection(tx, r, inspectionId);
      const updated = (await tx.inspectionRequests.update(id, { inspectionId }, now)) as CustomerInspectionRequest;
      const inspectionLinks = await linkOwner(tx, r, inspection, now);
      const unlinked = await unlinkPrevious(tx, r, inspectionId, now);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'UPDATE',
          entity: REQUEST_ENTITY,
          entityId: id,
          metadata: {
            inspectionId: { from: r.inspectionId, to: inspectionId },
            inspectionLinks,
            previousInspectionUnlinked: unlinked,
          },
        },
        now,
      );
      return updated;
    });
  }
}
