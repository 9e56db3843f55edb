import { InspectionErrors, type Inspection } from '../../domain/inspection/inspection.js';
import {
  assertTransition,
  type InspectionStatus,
  type TransitionActor,
  type TransitionKind,
} from '../../domain/inspection/status.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { InspectionPatch } from '../../ports/inspection-repository.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';

export interface TransitionRequest {
  /** The inspection as read (locked) in this transaction. */
  from: Inspection;
  to: InspectionStatus;
  by: { userId: string | null; role: TransitionActor };
  /** Other fields that change with the status (reviewer, approval time, the NFT...). */
  patch?: Omit<InspectionPatch, 'status'>;
  /** Kept in the status history (a revert's reason, a failure's cause). */
  reason?: string | null;
  now: Date;
  /** When the history row is dated, if not `now` (two steps in one transaction keep their order). */
  historyAt?: Date;
}

/**
 * The one way an inspection's status changes, for every path (HTTP use cases and the workers alike): the
 * status machine decides (INSPECTION.INVALID_TRANSITION 409 / INSPECTION.TRANSITION_FORBIDDEN 403), then the
 * row and its status-history entry are written in the caller's transaction. The audit entry stays with the
 * caller, which knows what happened (an approval, a mint, a revert).
 */
export async function transitionInspection(
  tx: Pick<TransactionalPorts, 'inspections'>,
  ids: IdGenerator,
  r: TransitionRequest,
): Promise<{ inspection: Inspection; kind: TransitionKind }> {
  const kind = assertTransition(r.from.status, r.to, r.by.role);
  const inspection = await tx.inspections.update(r.from.id, { ...r.patch, status: r.to }, r.now);
  if (!inspection) throw InspectionErrors.notFound();
  await tx.inspections.recordStatusChange({
    id: ids.next(),
    inspectionId: r.from.id,
    fromStatus: r.from.status,
    toStatus: r.to,
    actorId: r.by.userId,
    reason: r.reason ?? null,
    createdAt: r.historyAt ?? r.now,
  });
  return { inspection, kind };
}
