import { InspectionErrors, type Inspection } from '../../domain/inspection/inspection.js';
import type { InspectionRepository } from '../../ports/inspection-repository.js';
import type { Actor } from '../actor.js';

/**
 * Staff see every inspection; an inspector sees only their own (someone else's answers 404, not 403, so
 * existence does not leak). Customers reach inspections through the customer portal, not here.
 */
export function canSee(actor: Actor, i: Inspection): boolean {
  if (actor.role === 'INSPECTOR') return i.inspectorId === actor.userId;
  return actor.role === 'SUPERADMIN' || actor.role === 'ADMIN' || actor.role === 'REVIEWER';
}

export async function loadVisible(
  repo: InspectionRepository,
  actor: Actor,
  id: string,
  forUpdate = false,
): Promise<Inspection> {
  const i = forUpdate ? await repo.findByIdForUpdate(id) : await repo.findById(id);
  if (!i || !canSee(actor, i)) throw InspectionErrors.notFound();
  return i;
}
