import type { BranchCity } from '../../domain/branch/branch-city.js';
import type { InspectionForm } from '../../domain/inspection/change-log.js';
import { InspectionErrors, type Inspection } from '../../domain/inspection/inspection.js';
import { normalisePlate, validatePlate } from '../../domain/inspection/plate.js';
import { dateInZone, formatPrettyId, isIsoDate } from '../../domain/inspection/pretty-id.js';
import { throwIfInvalid } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { TransactionalPorts, UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';

export type CreateInspectionInput = Partial<InspectionForm> & {
  plateNumber: string;
  inspectionDate?: string;
  overallRating?: number | null;
  customerUserId?: string | null;
  customerVehicleId?: string | null;
};

/** The inspector's branch, which must exist and be active (else INSPECTION.NO_BRANCH). */
async function activeBranchOf(tx: TransactionalPorts, actor: Actor): Promise<BranchCity> {
  const inspector = await tx.users.findById(actor.userId);
  const branch = inspector?.branchCityId ? await tx.branches.findById(inspector.branchCityId) : null;
  if (!branch || !branch.isActive) throw InspectionErrors.noBranch();
  return branch;
}

/**
 * A customer link names an existing CUSTOMER. A vehicle link puts the inspection into that customer's
 * history: it must name an existing vehicle of the customer given with it, never any vehicle an inspector
 * happens to know the id of.
 */
async function assertCustomerLinks(tx: TransactionalPorts, input: CreateInspectionInput): Promise<void> {
  if (input.customerUserId) {
    const customer = await tx.users.findById(input.customerUserId);
    if (!customer || customer.role !== 'CUSTOMER') throw InspectionErrors.unknownCustomer();
  }
  if (input.customerVehicleId) {
    const vehicle = await tx.customerVehicles.findById(input.customerVehicleId);
    if (!vehicle || !input.customerUserId || vehicle.customerId !== input.customerUserId)
      throw InspectionErrors.unknownVehicle();
  }
}

/** The form fields and links of a new inspection, each defaulted when absent. */
function formOf(input: CreateInspectionInput) {
  return {
    overallRating: input.overallRating ?? null,
    customerUserId: input.customerUserId ?? null,
    customerVehicleId: input.customerVehicleId ?? null,
    identityDetails: input.identityDetails ?? {},
    vehicleData: input.vehicleData ?? {},
    equipmentChecklist: input.equipmentChecklist ?? {},
    inspectionSummary: input.inspectionSummary ?? {},
    detailedAssessment: input.detailedAssessment ?? {},
    bodyPaintThickness: input.bodyPaintThickness ?? {},
    notesFontSizes: input.notesFontSizes ?? {},
  };
}

/**
 * An inspector records an inspection in their own branch. The pretty id takes the next number of the
 * (branch, inspection date) sequence inside the same transaction as the insert.
 */
export class CreateInspection {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  async execute(actor: Actor, input: CreateInspectionInput): Promise<Inspection> {
    const plateNumber = normalisePlate(input.plateNumber);
    const inspectionDate = input.inspectionDate ?? dateInZone(this.clock.now(), this.timeZone);
    throwIfInvalid([
      validatePlate(plateNumber),
      isIsoDate(inspectionDate) ? null : { path: '/inspectionDate', message: 'must be a date YYYY-MM-DD' },
    ]);
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const branch = await activeBranchOf(tx, actor);
      await assertCustomerLinks(tx, input);
      const sequence = await tx.inspections.nextSequence(branch.id, inspectionDate);
      const created = await tx.inspections.create(
        {
          id: this.ids.next(),
          prettyId: formatPrettyId(branch.code, inspectionDate, sequence),
          inspectorId: actor.userId,
          branchCityId: branch.id,
          plateNumber,
          inspectionDate,
          ...formOf(input),
        },
        now,
      );
      await tx.inspections.recordStatusChange({
        id: this.ids.next(),
        inspectionId: created.id,
        fromStatus: null,
        toStatus: 'NEED_REVIEW',
        actorId: actor.userId,
        reason: null,
        createdAt: now,
      });
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'INSPECTION_CREATED',
          entity: 'inspection',
          entityId: created.id,
          metadata: { prettyId: created.prettyId },
        },
        now,
      );
      return created;
    });
  }
}
