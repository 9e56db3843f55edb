import { InspectionErrors } from '../../domain/inspection/inspection.js';
import { isEditable } from '../../domain/inspection/status.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { loadVisible } from './access.js';

/** Removes one change-log entry (the previous entry of that path, if any, becomes the one applied). */
export class DeleteChangeLogEntry {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, inspectionId: string, entryId: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const inspection = await loadVisible(tx.inspections, actor, inspectionId, true);
      if (!isEditable(inspection.status)) throw InspectionErrors.notEditable(inspection.status);
      const entry = await tx.changeLogs.findById(entryId);
      if (!entry || entry.inspectionId !== inspectionId) throw InspectionErrors.changeNotFound();
      await tx.changeLogs.delete(entryId);
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'INSPECTION_CHANGE_DELETED',
          entity: 'inspection',
          entityId: inspectionId,
          metadata: { fieldPath: entry.fieldPath },
        },
        this.clock.now(),
      );
    });
  }
}
