import { applyChanges, diffEdit, type ChangeLogEntry } from '../../domain/inspection/change-log.js';
import { InspectionErrors } from '../../domain/inspection/inspection.js';
import { normalisePlate, validatePlate } from '../../domain/inspection/plate.js';
import { isEditable } from '../../domain/inspection/status.js';
import { throwIfInvalid } from '../../domain/identity/user.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { loadVisible } from './access.js';
import { editableOf } from './editable-of.js';

/**
 * A reviewer's edit does not touch the inspection: each changed field becomes a change-log entry (path,
 * old value, new value), applied at approval. Changes are computed against the inspection as it would be
 * after the pending entries, so repeating an edit adds nothing.
 */
export class ReviewInspection {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(actor: Actor, id: string, patch: Record<string, unknown>): Promise<ChangeLogEntry[]> {
    if (typeof patch.plateNumber === 'string') {
      patch = { ...patch, plateNumber: normalisePlate(patch.plateNumber) };
      throwIfInvalid([validatePlate(patch.plateNumber as string)]);
    }
    return this.uow.run(async (tx) => {
      const now = this.clock.now();
      const inspection = await loadVisible(tx.inspections, actor, id, true);
      if (!isEditable(inspection.status)) throw InspectionErrors.notEditable(inspection.status);
      const pending = await tx.changeLogs.listForInspection(id);
      const effective = applyChanges(editableOf(inspection), pending);
      const entries: ChangeLogEntry[] = diffEdit(effective, patch).map((d) => ({
        id: this.ids.next(),
        inspectionId: id,
        changedBy: actor.userId,
        createdAt: now,
        ...d,
      }));
      await tx.changeLogs.add(entries);
      if (entries.length > 0) {
        await tx.audit.record(
          {
            actorId: actor.userId,
            action: 'INSPECTION_EDITED',
            entity: 'inspection',
            entityId: id,
            metadata: { paths: entries.map((e) => e.fieldPath) },
          },
          now,
        );
      }
      return entries;
    });
  }
}
