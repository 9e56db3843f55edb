import { RequestErrors, type CustomerInspectionRequest } from '../../domain/customer/inspection-request.js';
import type { Role } from '../../domain/identity/role.js';
import type { Clock } from '../../ports/clock.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { REQUEST_ENTITY } from './deps.js';
import { assertNotFinal, loadForUpdate } from './request-helpers.js';

const ASSIGNABLE_ROLES: readonly Role[] = ['ADMIN', 'SUPERADMIN', 'INSPECTOR'];

/** Assigns an active ADMIN, SUPERADMIN or INSPECTOR (audit ASSIGN). */
export class AssignInspectionRequest {
  constructor(private readonly d: { uow: UnitOfWork; clock: Clock }) {}

  execute(actor: Actor, id: string, assigneeId: string): Promise<CustomerInspectionRequest> {
    return this.d.uow.run(async (tx) => {
      const now = this.d.clock.now();
      const r = await loadForUpdate(tx, id);
      assertNotFinal(r);
      const assignee = await tx.users.findById(assigneeId);
      if (!assignee || !assignee.isActive || !ASSIGNABLE_ROLES.includes(assignee.role))
        throw RequestErrors.invalidAssignee();
      const updated = (await tx.inspectionRequests.update(id, { assigneeId }, now)) as CustomerInspectionRequest;
      await tx.audit.record(
        {
          actorId: actor.userId,
          action: 'ASSIGN',
          entity: REQUEST_ENTITY,
          entityId: id,
          metadata: { from: r.assigneeId, to: assigneeId, assigneeRole: assignee.role },
        },
        now,
      );
      return updated;
    });
  }
}
