import { applyChanges } from '../../domain/inspection/change-log.js';
import { InspectionErrors, type Inspection } from '../../domain/inspection/inspection.js';
import { assertTransition } from '../../domain/inspection/status.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { ReportPriority } from '../../ports/report-job-queue.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { loadVisible } from './access.js';
import { editableOf } from './editable-of.js';
import { transitionInspection } from './transition.js';

/**
 * Approval in one transaction: the latest change-log values are applied, the status becomes APPROVED,
 * the history and audit rows are written and the report job is requested. Nothing slow happens here.
 * The person who recorded the inspection cannot approve it (403 INSPECTION.SELF_APPROVAL).
 */
export class ApproveInspection {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(
    actor: Actor,
    id: string,
    priority: ReportPriority = 'single',
  ): Promise<{ inspection: Inspection; reportJobId: string }> {
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const current = await loadVisible(tx.inspections, actor, id, true);
      // Segregation of duties: whoever recorded it (e.g. an inspector since promoted) never approves it.
      if (current.inspectorId === actor.userId) throw InspectionErrors.selfApproval();
      // Checked before the change log is applied: a refused approval does no work.
      assertTransition(current.status, 'APPROVED', actor.role);
      const changes = await tx.changeLogs.listForInspection(id);
      const applied = applyChanges(editableOf(current), changes);
      const { inspection } = await transitionInspection(tx, this.ids, {
        from: current,
        to: 'APPROVED',
        by: actor,
        patch: { ...applied, reviewerId: actor.userId, approvedAt: now },
        now,
      });
      const reportJobId = await tx.reportJobs.enqueue(id, priority, now);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'INSPECTION_APPROVED',
          entity: 'inspection',
          entityId: id,
          metadata: { appliedChanges: changes.length, reportJobId, priority },
        },
        now,
      );
      return { inspection, reportJobId };
    });
  }
}
