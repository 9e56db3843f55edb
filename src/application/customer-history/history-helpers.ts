import type { CustomerVehicle } from '../../domain/customer/vehicle.js';
import { InspectionErrors, type Inspection } from '../../domain/inspection/inspection.js';
import type { StoredReport } from '../../domain/report/report-job.js';
import type { HistoryAccess } from '../../ports/customer-history.js';
import type { HistoryDeps, HistoryItem, VehicleSummary } from './deps.js';

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** The customer's own vehicle record, for the owner of an inspection linked to one. */
export async function ownVehicleOf(
  d: HistoryDeps,
  customerId: string,
  i: Inspection,
  access: HistoryAccess,
): Promise<CustomerVehicle | null> {
  return i.customerVehicleId && access === 'OWNER' ? d.vehicles.findOwned(customerId, i.customerVehicleId) : null;
}

/** The vehicle as the customer's record has it, else as the inspection form recorded it. */
function vehicleSummary(i: Inspection, own: CustomerVehicle | null): VehicleSummary {
  const v = i.vehicleData ?? {};
  return {
    vehicleId: own?.id ?? null,
    plateNumber: own?.plateNumber ?? i.plateNumber,
    brand: own?.brand ?? text(v.merekKendaraan),
    model: own?.model ?? text(v.tipeKendaraan),
    year: own?.year ?? (typeof v.tahun === 'number' ? v.tahun : null),
    vehicleClass: own?.vehicleClass ?? null,
  };
}

/** One inspection as the customer's history lists it. */
export async function summary(
  d: HistoryDeps,
  customerId: string,
  i: Inspection,
  access: HistoryAccess,
  reports: StoredReport[],
): Promise<HistoryItem> {
  const own = await ownVehicleOf(d, customerId, i, access);
  return {
    id: i.id,
    prettyId: i.prettyId,
    status: i.status,
    access,
    inspectionDate: i.inspectionDate,
    approvedAt: i.approvedAt,
    archivedAt: i.archivedAt,
    vehicle: vehicleSummary(i, own),
    reports: { full: reports.some((r) => r.variant === 'full'), noDocs: reports.some((r) => r.variant === 'no-docs') },
    nftAssetId: i.nftAssetId,
    blockchainTxHash: i.blockchainTxHash,
  };
}

/** The audit row of a customer reading their history (VIEW_LIST, VIEW_DETAIL, DOWNLOAD). */
export const audit = (
  d: HistoryDeps,
  customerId: string,
  action: 'VIEW_LIST' | 'VIEW_DETAIL' | 'DOWNLOAD',
  entityId: string | null,
  metadata: Record<string, unknown>,
) =>
  d.uow.run((tx) =>
    tx.audit.record({ actorId: customerId, action, entity: 'inspection', entityId, metadata }, d.clock.now()),
  );

/** An inspection of the customer's history and how they may see it; anything else is INSPECTION.NOT_FOUND. */
export async function loadVisible(
  d: HistoryDeps,
  customerId: string,
  id: string,
): Promise<{ inspection: Inspection; access: HistoryAccess }> {
  const access = await d.history.accessTo(customerId, id);
  const inspection = access ? await d.inspections.findById(id) : null;
  if (!access || !inspection) throw InspectionErrors.notFound();
  return { inspection, access };
}
