import { InspectionErrors, type Inspection } from '../../domain/inspection/inspection.js';
import { assertTransition, type InspectionStatus } from '../../domain/inspection/status.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { loadVisible } from './access.js';
import { cidsOfInspection, enqueuePinChecks } from '../archive/public-archive.js';
import { transitionInspection } from './transition.js';

/** Carries out pin checks recorded by a committed change (PublicArchive.sweep); never throws. */
export interface PinSweeper {
  sweep(): Promise<unknown>;
}

/**
 * Deactivate (ARCHIVED -> DEACTIVATED), activate (DEACTIVATED -> ARCHIVED) and SUPERADMIN reverts (to
 * NEED_REVIEW, or ARCHIVED/FAIL_ARCHIVE -> APPROVED). The status machine decides what is allowed; every
 * move is kept in the status history with its reason. Every move records a pin check of the inspection's
 * CIDs in the same transaction, carried out after the commit: deactivating or reverting to review unpins
 * the public report, activating pins it again (a failure is retried by the sweeper, never the request's).
 */
export class ChangeInspectionStatus {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly pins?: PinSweeper,
  ) {}

  async execute(actor: Actor, id: string, to: InspectionStatus, reason: string | null): Promise<Inspection> {
    const changed = await this.uow.run(async (tx) => {
      const now = this.clock.now();
      const current = await loadVisible(tx.inspections, actor, id, true);
      const kind = assertTransition(current.status, to, actor.role);
      if (kind === 'REVERT' && !reason?.trim()) {
        throw InspectionErrors.reasonRequired();
      }
      const { inspection: updated } = await transitionInspection(tx, this.ids, {
        from: current,
        to,
        by: actor,
        patch: kind === 'REVERT' && to === 'NEED_REVIEW' ? { reviewerId: null, approvedAt: null } : {},
        reason: reason?.trim() || null,
        now,
      });
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'INSPECTION_STATUS_CHANGED',
          entity: 'inspection',
          entityId: id,
          metadata: { from: current.status, to, kind, reason },
        },
        now,
      );
      await enqueuePinChecks(tx, await cidsOfInspection(tx, id), now);
      return updated;
    });
    await this.pins?.sweep();
    return changed;
  }
}
